"""Benchmark: text-layer PDFs against pypdfium2's own text extraction of the same file (issue 10).

Run: ``.venv/bin/python bench/bench_pdf.py [N] [FILE.pdf ...]`` (N repetitions, default 21; the
PDFs of ``../shared/corpus/real`` and ``tests/fixtures`` unless files are given).

The floor opens the document and calls ``get_text_range()`` on every page, closing everything.
Each document is timed three ways, interleaved run by run so that machine load hits all alike:
the floor, the PDF reader alone (``pdf_to_document``: bytes → blocks) and the whole ``parse``
(bytes → record, what ``bench/bench_floor.py`` measures). Figures are process CPU time, medians
of the runs; the ratio of a row is the sum of its documents' medians over the floor's.
Goal: ``parse`` ≤ 1.5× the floor.
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


def main() -> int:
    args = sys.argv[1:]
    n = int(args.pop(0)) if args and args[0].isdigit() else 21
    files = [Path(a) for a in args] or sorted(
        [*(SHARED / "corpus" / "real").glob("*.pdf"), *(ROOT / "tests" / "fixtures").glob("*.pdf")])
    if not files:
        print("no PDF found")
        return 1
    fns = [extract_text_only, pdf_to_document, lambda d: parse(d, filename="x.pdf")]
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
