"""Benchmark: OCR seconds (CPU) per page, and accuracy, on scans made from real reports.

Run: ``.venv/bin/python bench/bench_ocr.py [DPI ...]`` (default: the ``ocr_dpi`` setting). The
scans come from ``tests/scan_maker.py`` (Huaian 2024 and Longnan 2020 with skew, blur, JPEG, a
seal, a page turned by 90°); the OCR cache is off, one thread (``ocr_threads``). Prints per
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
        for name, (src, pages) in SCANS.items():
            data = make_scan(src, pages)
            t = time.process_time()
            report = nianbao.parse(data, filename=name + ".pdf", settings=settings)
            per_page = (time.process_time() - t) / len(pages)
            truth = json.loads(src.with_name(src.stem + ".expected.json").read_text(encoding="utf-8"))
            s = score_report(report, truth)
            print(f"{dpi} dpi  {name:30} {len(pages)} pages  {per_page:5.2f} s/page  "
                  f"exact {s.exact}/{s.cells} ({100 * s.exact / max(s.cells, 1):.1f} %)  silent wrong {len(s.unflagged)}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [DEFAULT.ocr_dpi])
