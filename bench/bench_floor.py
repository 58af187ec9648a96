"""Parse cost against the physical floor of each format, measured in the same process run.

usage: python bench/bench_floor.py [--repeats 15] [--only text,html,docx,pdf]

Every figure is process CPU time (``time.process_time``), the median of ``--repeats`` runs, the
parse and its floor interleaved run by run so that machine load hits both alike.

| what | floor (bytes → tree/text only) | goal (issue 10) |
|---|---|---|
| text shapes (seeds, fused web copies, one cell per line, pipe tables) | reading the bytes | ≥ 800 reports/s each |
| HTML pages | selectolax (Lexbor) parse of the same page | ≤ 2× |
| DOCX | zip + lxml parse of word/document.xml | ≤ 2× |
| text-layer PDF | pypdfium2's own text extraction of the same file | ≤ 1.5× |

The ratio per format is the sum of the per-document medians of ``parse`` over the sum of the
floor's (``worst`` is the worst single document). Exit status 1 when a goal is missed.

``by min``: the same ratio from the per-document minimums. On this machine (a virtual machine on a
shared host) a process is now and then charged ~4 ms of CPU time it did not use, in streaks of
several runs (a plain Python loop shows it too); that noise only adds, so the minimum is the
closer estimate of the cost, and a median can land in the charged mode for the longer of the two
operations. The goal is judged on the medians, as the issue asks.

The collector and the C allocator are set first as in the workers (:func:`pin_allocator`:
``nianbao.isolation.tune_gc``, with glibc's trim and mmap thresholds fixed): with glibc's adaptive
defaults a process returns Lexbor's and lxml's large blocks to the system after every parse and
faults them in again, so the floor and the parse would depend on what ran before them.
"""
from __future__ import annotations

import argparse
import gc
import io
import random
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from nianbao import parse  # noqa: E402

GOALS = {"text": ("reports/s", 800.0), "html": ("ratio", 2.0), "docx": ("ratio", 2.0), "pdf": ("ratio", 1.5)}


# ------------------------------------------------------------------------------------- documents

def _files(*globs):
    out = []
    for base, pattern in globs:
        out.extend(sorted(p for p in base.glob(pattern) if p.is_file()))
    return out


def _synthetic_texts(n: int = 8, seed: int = 11):
    """(name, rows-shaped text, cells-shaped text) of synthetic reports."""
    from nianbao.testing import synth
    rng = random.Random(seed)
    out = []
    for i in range(n):
        year = 2019 + i % 6
        template = synth.template_for_year(year)
        agency = synth.random_body(rng)[0]
        values = synth.random_values(rng, template)
        rows = synth.render_text(values, agency=agency, year=year, template=template, rng=random.Random(i), shape="rows")
        cells = synth.render_text(values, agency=agency, year=year, template=template, rng=random.Random(i), shape="cells")
        out.append((f"synth-{i}", rows, cells))
    return out


def text_shapes() -> dict:
    """shape → [(name, bytes)]."""
    import shapes  # tests/shapes.py
    synth_texts = _synthetic_texts()
    seeds = [(p.name, p.read_bytes()) for p in _files((SHARED / "corpus" / "seeds", "*.txt"),
                                                      (SHARED / "corpus" / "real", "*.txt"))]
    web = [(p.name, p.read_bytes()) for p in _files((SHARED / "pages", "*.txt"))]
    cell_lines = [(n + ".txt", c.encode()) for n, _, c in synth_texts] + \
                 [(n + "-cpl.txt", shapes.cell_per_line(r).encode()) for n, r, _ in synth_texts]
    pipes = [(n + "-pipe.txt", shapes.pipe_rows(r).encode()) for n, r, _ in synth_texts] + \
            [(n + "-md.txt", shapes.markdown(r).encode()) for n, r, _ in synth_texts]
    return {"seeds": seeds, "web copies (fused)": web, "one cell per line": cell_lines, "pipe tables": pipes}


def html_pages() -> list:
    pages = [(p.name, p.read_bytes()) for p in _files((SHARED / "corpus" / "real", "*.html"),
                                                      (ROOT / "tests" / "fixtures", "*.html"))]
    from nianbao.testing import synth
    rng = random.Random(5)
    for i in range(4):
        year = 2019 + i
        template = synth.template_for_year(year)
        values = synth.random_values(rng, template)
        page = synth.render_html(values, agency=synth.random_body(rng)[0], year=year, template=template, rng=rng)
        pages.append((f"synth-{i}.html", synth.encode_html(page)))
    return pages


def docx_files() -> list:
    return [(p.name, p.read_bytes()) for p in _files((ROOT / "tests" / "fixtures", "*.docx"))]


def pdf_files() -> list:
    return [(p.name, p.read_bytes()) for p in _files((SHARED / "corpus" / "real", "*.pdf"),
                                                     (ROOT / "tests" / "fixtures", "*.pdf"))]


# ---------------------------------------------------------------------------------------- floors

def floor_text(data: bytes):
    return bytes(data)  # the bytes read: a copy of them


def floor_html(data: bytes):
    from selectolax.lexbor import LexborHTMLParser
    return LexborHTMLParser(data).root


def floor_docx(data: bytes):
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def floor_pdf(data: bytes):
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            texts.append(tp.get_text_range())
            tp.close()
            page.close()
        return texts
    finally:
        pdf.close()


# --------------------------------------------------------------------------------------- timing

def cpu(fn, *args) -> float:
    t0 = time.process_time()
    fn(*args)
    return time.process_time() - t0


def measure(docs: list, floor, repeats: int) -> tuple:
    """(sum of parse medians, sum of floor medians, worst per-document ratio of medians, ratio of
    the sums of per-document minimums)."""
    ours_total = floor_total = ours_min = floor_min = 0.0
    worst = 0.0
    for name, data in docs:
        parse(data, filename=name)  # warm-up (caches, imports)
        floor(data)
        ours, base = [], []
        for _ in range(repeats):
            base.append(cpu(floor, data))
            ours.append(cpu(lambda d: parse(d, filename=name), data))
        o, b = statistics.median(ours), statistics.median(base)
        ours_total += o
        floor_total += b
        ours_min += min(ours)
        floor_min += min(base)
        worst = max(worst, o / b if b > 0 else 0.0)
    return ours_total, floor_total, worst, (ours_min / floor_min if floor_min > 0 else float("inf"))


def pin_allocator() -> None:
    """The collector and the C allocator as in the workers (:func:`nianbao.isolation.tune_gc`), so
    that the floor and the parse are measured in the state the parse runs in."""
    from nianbao.isolation import tune_gc
    tune_gc()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--only", default="text,html,docx,pdf")
    a = ap.parse_args(argv)
    only = set(a.only.split(","))
    pin_allocator()
    gc.collect()
    ok = True
    print(f"{'what':<26} {'docs':>4} {'ms/report':>10} {'reports/s':>10} {'floor ms':>9} {'ratio':>7} {'worst':>7} {'by min':>7}  goal")
    rows = []
    if "text" in only:
        for shape, docs in text_shapes().items():
            rows.append((f"text: {shape}", "text", docs, floor_text))
    if "html" in only:
        rows.append(("html: pages", "html", html_pages(), floor_html))
    if "docx" in only:
        rows.append(("docx", "docx", docx_files(), floor_docx))
    if "pdf" in only:
        rows.append(("pdf (text layer)", "pdf", pdf_files(), floor_pdf))
    for label, fmt, docs, floor in rows:
        ours, base, worst, by_min = measure(docs, floor, a.repeats)
        n = len(docs)
        per = ours / n
        ratio = ours / base if base > 0 else float("inf")
        kind, goal = GOALS[fmt]
        met = (n / ours >= goal) if kind == "reports/s" else (ratio <= goal)
        ok &= met
        goal_s = f"≥ {goal:.0f}/s" if kind == "reports/s" else f"≤ {goal:.1f}×"
        ratio_s = f"{ratio:7.1f}" if kind == "reports/s" else f"{ratio:7.2f}"
        worst_s = "" if kind == "reports/s" else f"{worst:7.2f}"
        min_s = "" if kind == "reports/s" else f"{by_min:7.2f}"
        print(f"{label:<26} {n:>4} {1000 * per:>10.2f} {n / ours:>10.0f} {1000 * base / n:>9.3f} {ratio_s} {worst_s:>7} {min_s:>7}  "
              f"{goal_s} {'met' if met else 'MISSED'}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
