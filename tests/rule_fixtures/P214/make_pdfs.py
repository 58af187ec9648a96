"""Regenerate the P214 fixtures: page 5 of Huaian 2024 (the end of table 三 and table 四) as a
scan, 150 dpi grey JPEG in an image-only PDF — with (fail) and without (pass) an ink blot half
over one digit of table 四 (行政复议 结果维持 “72”), which leaves the OCR engine unsure of it.

Run: ``python tests/rule_fixtures/P214/make_pdfs.py`` (needs ../shared and the ocr extra).
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

import cv2
import pypdfium2 as pdfium

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from scan_maker import HUAIAN, render  # noqa: E402

BLOT = (74, 663, 7, 9)  # points: x, y (from the top), w, h — half over the "7" of 72


def make(path: Path, blot: bool) -> None:
    img = cv2.cvtColor(render(HUAIAN, 4, 150), cv2.COLOR_BGR2GRAY)
    if blot:
        x, y, w, h = (int(v * 150 / 72) for v in BLOT)
        cv2.ellipse(img, (x + w // 2, y + h // 2), (w // 2, h // 3), 20, 0, 360, 90, -1)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 50])
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pdfium.PdfImage.new(pdf)
    image.load_jpeg(io.BytesIO(buf.tobytes()), inline=True)
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    page.gen_content()
    pdf.save(str(path))


if __name__ == "__main__":
    make(HERE / "blot.pdf", True)
    make(HERE / "clean.pdf", False)
