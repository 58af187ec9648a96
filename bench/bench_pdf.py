"""Benchmark: ``pdf_to_document`` against pypdfium2 text extraction alone, per corpus PDF.

Run: ``.venv/bin/python bench/bench_pdf.py [N] [FILE.pdf ...]`` (N repetitions, default 30; the
PDFs under ../shared/corpus unless files are given). The baseline opens
the document and calls ``get_text_range()`` on every page, closing everything. The two are run
interleaved and the fastest run of each is compared (medians are shown too). Target: ratio ≤ 2.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nianbao.ingest.pdf import pdf_to_document  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def extract_text_only(data: bytes) -> list:
    """The baseline: open + ``get_text_range()`` per page, closing every pdfium object."""
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


def time_pair(base_fn, our_fn, data: bytes, n: int) -> tuple:
    """Fastest wall time (ms) of each function over ``n`` runs, the two interleaved run by run so
    that machine load hits both alike; one warm-up run each first."""
    base_fn(data)
    our_fn(data)
    base, ours = [], []
    for _ in range(n):
        for fn, times in ((base_fn, base), (our_fn, ours)):
            t0 = time.perf_counter()
            fn(data)
            times.append((time.perf_counter() - t0) * 1000)
    return min(base), min(ours), sorted(base)[n // 2], sorted(ours)[n // 2]


def main() -> int:
    args = sys.argv[1:]
    n = int(args.pop(0)) if args and args[0].isdigit() else 30
    files = [Path(a) for a in args] or sorted(CORPUS.rglob("*.pdf"))
    if not files:
        print(f"no PDF under {CORPUS}")
        return 1
    print(f"{'file':28} {'pages':>5} {'pypdfium2 ms':>13} {'ingest ms':>10} {'ratio':>6}   (median: base / ingest / ratio)")
    worst = 0.0
    for path in files:
        data = path.read_bytes()
        base, ours, base_med, ours_med = time_pair(extract_text_only, pdf_to_document, data, n)
        pages = len(extract_text_only(data))
        worst = max(worst, ours / base)
        name = str(path.relative_to(CORPUS)) if path.is_relative_to(CORPUS) else path.name
        print(f"{name:28} {pages:5d} {base:13.2f} {ours:10.2f} {ours / base:6.2f}"
              f"   ({base_med:.2f} / {ours_med:.2f} / {ours_med / base_med:.2f})")
    print(f"worst ratio {worst:.2f} (target <= 2.00; fastest of {n} interleaved runs each)")
    return 0 if worst <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
