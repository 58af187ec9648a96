"""Benchmark: OCR seconds (CPU) per page, and accuracy, on scans made from real reports.

Run: ``.venv/bin/python bench/bench_ocr.py [DPI ...]`` (default: the ``ocr_dpi`` setting). The
scans come from ``tests/scan_maker.py`` (Huaian 2024 and Longnan 2020, as published and as laid out
by LibreOffice, scanned at 200 and 150 dpi, with skew, blur, noise, JPEG, a seal, pages turned by
90° and 180°); the OCR cache is off, one thread (``ocr_threads``). Prints per
document: pages, CPU seconds per page, cells exact, silent wrong (wrong and neither uncertain nor
named by a diagnostic). Target: ≤ 3 s per page.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
os.environ["NIANBAO_OCR_CACHE"] = "off"

import nianbao  # noqa: E402
from nianbao.config import DEFAULT  # noqa: E402
from nianbao.ingest import ocr  # noqa: E402
from nianbao.testing.scoring import score_report  # noqa: E402
from scan_maker import SCANS, make_scan  # noqa: E402


def main(dpis: list) -> None:
    for dpi in dpis:
        settings = DEFAULT.replace(ocr_dpi=dpi)
        ocr.engine(settings)  # model loading is not per page
        seconds, n_pages = 0.0, 0
        for name, (src, pages, scan_dpi) in SCANS.items():
            data = make_scan(src, pages, scan_dpi)
            t = time.process_time()
            report = nianbao.parse(data, filename=name + ".pdf", settings=settings)
            spent = time.process_time() - t
            seconds, n_pages = seconds + spent, n_pages + len(pages)
            per_page = spent / len(pages)
            truth = json.loads(src.with_name(src.stem + ".expected.json").read_text(encoding="utf-8"))
            s = score_report(report, truth)
            print(f"{dpi} dpi  {name:30} {len(pages)} pages  {per_page:5.2f} s/page  "
                  f"exact {s.exact}/{s.cells} ({100 * s.exact / max(s.cells, 1):.1f} %)  silent wrong {len(s.unflagged)}")
        print(f"{dpi} dpi  all: {n_pages} pages, {seconds / n_pages:.2f} s CPU per page (target ≤ 3 s)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [DEFAULT.ocr_dpi])
