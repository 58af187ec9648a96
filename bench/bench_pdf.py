"""Benchmark: text-layer PDFs against pypdfium2's own text extraction of the same file (issue 10).

Run: ``.venv/bin/python bench/bench_pdf.py [N] [--parts] [--gc-as-workers] [FILE.pdf ...]`` (N
repetitions, default 21; the PDFs of ``../shared/corpus/real`` and ``tests/fixtures`` unless files
are given).

The floor opens the document and calls ``get_text_range()`` on every page, closing everything.
Each document is timed three ways, interleaved run by run so that machine load hits all alike:
the floor, the PDF reader alone (``pdf_to_document``: bytes → blocks) and the whole ``parse``
(bytes → record, what ``bench/bench_floor.py`` measures). Figures are process CPU time, medians
of the runs; the ratio of a row is the sum of its documents' medians over the floor's.
Goal: ``parse`` ≤ 1.5× the floor.

``--gc-as-workers``: the collector tuned as in the workers and the batch CLI
(``nianbao.isolation.tune_gc``) before timing; by default it runs as Python starts it.
``--parts``: where the time over the floor goes, each part as a multiple of the floor: the
pdfium calls the reader makes beyond the floor's (one loose box per character, the page objects
of table pages), the Python passes (lines, grids, cells, blocks), the collector, and the parsing
stage after the reader (see :func:`parts`).
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nianbao import parse  # noqa: E402
from nianbao.ingest.pdf import pdf_to_document  # noqa: E402

SHARED = ROOT.parent / "shared"
GOAL = 1.5


def extract_text_only(data: bytes) -> list:
    """The floor: open + ``get_text_range()`` per page, closing every pdfium object."""
    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def cpu(fn, data: bytes) -> float:
    t0 = time.process_time()
    fn(data)
    return (time.process_time() - t0) * 1000


def time_runs(fns: list, data: bytes, n: int) -> list:
    """Median CPU ms of each function over ``n`` interleaved runs (one warm-up run each first)."""
    for fn in fns:
        fn(data)
    runs: list = [[] for _ in fns]
    for _ in range(n):
        for fn, times in zip(fns, runs):
            times.append(cpu(fn, data))
    return [statistics.median(t) for t in runs]


def _boxes_only(data: bytes, chars: bool = True) -> None:
    """Only what the reader adds to the floor's pdfium work for the characters: a loose box call
    per ink character (the text pages are loaded outside the timing by the caller's difference);
    ``chars=False``: the floor's bare page and text-page loads (:func:`_pages_only`)."""
    from nianbao.ingest.pdf import extract
    pdf = extract.open_pdf(data)
    try:
        doc = extract._address(pdf.raw)
        for i in range(len(pdf)):
            page = extract._load_page(doc, i)
            tp = extract._load_textpage(page)
            if chars:
                extract.page_chars(tp)
            extract._close_textpage(tp)
            extract._close_page(page)
    finally:
        pdf.close()


def _pages_only(data: bytes) -> None:
    """:func:`_boxes_only` without the characters: the floor's page and text-page loads."""
    _boxes_only(data, chars=False)


def parts(files: list, n: int) -> None:
    """Where the time over the floor goes (CPU-time medians of ``n`` runs, summed over the files,
    each as a multiple of the floor). Every timed run starts from a collected heap (``gc.collect``
    outside the timing), so each run meets the collector alike. The reader's passes are timed by
    wrapping them (a few calls per page: the wrappers cost next to nothing); the characters'
    part is :func:`_boxes_only` less :func:`_pages_only` (the bare page and text-page loads);
    the collector's part is the reader less the reader with the collector off."""
    import gc

    import nianbao.ingest.pdf as reader
    from nianbao.ingest.pdf import extract, layout
    spent: dict = {}

    def timed(module, name: str, key: str) -> None:
        fn = getattr(module, name)

        def wrapper(*args, **kwargs):
            t0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] = spent.get(key, 0.0) + (time.process_time() - t0) * 1000
        setattr(module, name, wrapper)

    for module, name, key in [(extract, "extract_rules", "walk"), (extract, "batch_chars", "lines"),
                              (extract, "pages_lines", "lines"), (layout, "rules_to_grids", "grids"),
                              (layout, "assign_pages", "cells"), (reader, "pages_to_blocks", "layout")]:
        timed(module, name, key)

    def no_gc(data: bytes) -> None:
        gc.disable()
        try:
            pdf_to_document(data)
        finally:
            gc.enable()

    fns = {"floor": extract_text_only, "pages": _pages_only, "chars": _boxes_only, "reader": pdf_to_document,
           "reader, no collector": no_gc, "parse": lambda d: parse(d, filename="x.pdf")}
    totals: dict = {}
    for path in files:
        data = path.read_bytes()
        for fn in fns.values():
            fn(data)
        runs: dict = {}
        for _ in range(n):
            for name, fn in fns.items():
                gc.collect()
                spent.clear()
                runs.setdefault(name, []).append(cpu(fn, data))
                if name == "reader":
                    for key in ("walk", "lines", "grids", "cells", "layout"):
                        runs.setdefault(key, []).append(spent.get(key, 0.0))
        for key, values in runs.items():
            totals[key] = totals.get(key, 0.0) + statistics.median(values)
    t = totals
    floor = t["floor"]
    rows = [
        ("pdfium: page and text-page loads (the bulk of the floor)", t["pages"]),
        ("characters: their text and a loose box call each", t["chars"] - t["pages"]),
        ("page objects of table pages, read for rules", t["walk"]),
        ("characters → lines (numpy)", t["lines"]),
        ("rules → grids", t["grids"]),
        ("characters → grid cells", t["cells"]),
        ("blocks: furniture, headings, rows", t["layout"] - t["grids"] - t["cells"]),
        ("the collector (reader − reader with it off)", t["reader"] - t["reader, no collector"]),
        ("parsing after the reader (parse − reader)", t["parse"] - t["reader"]),
    ]
    rows.append(("the rest (reader bookkeeping: title, batches, closing)", t["parse"] - sum(ms for _, ms in rows)))
    print(f"floor {floor:.2f} ms (of it, beyond the bare loads: {floor - t['pages']:.2f} ms); "
          f"reader {t['reader']:.2f} ms ({t['reader'] / floor:.2f}×); parse {t['parse']:.2f} ms ({t['parse'] / floor:.2f}×)")
    for label, ms in rows:
        print(f"  {label:58} {ms:7.2f} ms  {ms / floor:5.2f}×")


def main() -> int:
    args = sys.argv[1:]
    if "-h" in args or "--help" in args:
        print("usage: python bench/bench_pdf.py [RUNS] [--parts] [--gc-as-workers] [FILE.pdf ...]")
        return 0
    n = int(args.pop(0)) if args and args[0].isdigit() else 21
    show_parts = "--parts" in args
    if "--gc-as-workers" in args:
        from nianbao.isolation import tune_gc
        tune_gc()
    args = [a for a in args if a not in ("--parts", "--gc-as-workers")]
    files = [Path(a) for a in args] or sorted(
        [*(SHARED / "corpus" / "real").glob("*.pdf"), *(ROOT / "tests" / "fixtures").glob("*.pdf")])
    if not files:
        print("no PDF found")
        return 1
    fns = [extract_text_only, pdf_to_document, lambda d: parse(d, filename="x.pdf")]
    if show_parts:
        parts(files, n)
        return 0
    print(f"{'file':32} {'pages':>5} {'floor ms':>9} {'reader ms':>10} {'parse ms':>9} {'reader ×':>9} {'parse ×':>8}")
    totals = [0.0, 0.0, 0.0]
    for path in files:
        data = path.read_bytes()
        medians = time_runs(fns, data, n)
        totals = [a + b for a, b in zip(totals, medians)]
        base, reader, whole = medians
        print(f"{path.name:32} {len(extract_text_only(data)):5d} {base:9.2f} {reader:10.2f} {whole:9.2f}"
              f" {reader / base:9.2f} {whole / base:8.2f}")
    base, reader, whole = totals
    print(f"{'all':32} {'':5} {base:9.2f} {reader:10.2f} {whole:9.2f} {reader / base:9.2f} {whole / base:8.2f}")
    met = whole / base <= GOAL
    print(f"parse / floor {whole / base:.2f} (goal <= {GOAL}: {'met' if met else 'MISSED'}; CPU-time medians of {n} "
          f"interleaved runs)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
