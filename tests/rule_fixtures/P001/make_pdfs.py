"""Regenerate the P001 fixtures: the same one-page "scan" of a township report, without and with
a text layer.

* ``scanned.pdf`` (fail): made with pypdfium2 — a page holding only an image (grey bars where the
  scanner saw lines of text), no text objects: what a scanner writes.
* ``scanned-ocr.pdf`` (pass): the same page image plus an invisible text layer (render mode 3,
  as OCR software writes it) with the report's first lines, in the PDF's built-in Chinese font
  STSong-Light (UniGB-UCS2-H) so no font file is needed.

Run: ``python tests/rule_fixtures/P001/make_pdfs.py``.
"""
from __future__ import annotations

import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

HERE = Path(__file__).resolve().parent
W, H = 595, 842  # A4 in points
PX_W, PX_H = 298, 421  # the scan: 36 dpi grey
LINES = [
    "抚远镇人民政府2020年政府信息公开工作年度报告",
    "一、总体情况",
    "2020年度本单位在深化政府信息公开内容、加强政府信息公开",
    "基础性工作等方面取得了新的进展。",
    "二、主动公开政府信息情况",
]
TOP, STEP = 60, 28  # first line's distance from the page top and line pitch, in points


def bars():
    """(x0, y0, x1, y1) in scan pixels, y from the top: one dark bar per line of text."""
    for i, line in enumerate(LINES):
        y = (TOP + i * STEP) // 2
        yield 36, y, min(PX_W - 36, 36 + len(line) * 6), y + 7


def raster() -> bytes:
    rows = [bytearray(b"\xf4" * PX_W) for _ in range(PX_H)]  # off-white paper
    for x0, y0, x1, y1 in bars():
        for y in range(y0, y1):
            rows[y][x0:x1] = b"\x30" * (x1 - x0)
    return b"".join(bytes(r) for r in rows)


def make_scanned(path: Path) -> None:
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(W, H)
    bitmap = pdfium.PdfBitmap.new_native(PX_W, PX_H, pdfium_c.FPDFBitmap_BGR)
    bitmap.fill_rect((0xf4, 0xf4, 0xf4, 0xff), 0, 0, PX_W, PX_H)
    for x0, y0, x1, y1 in bars():
        bitmap.fill_rect((0x30, 0x30, 0x30, 0xff), x0, y0, x1 - x0, y1 - y0)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(W, H))
    page.insert_obj(image)
    page.gen_content()
    pdf.save(str(path))


def make_ocr(path: Path) -> None:
    img = zlib.compress(raster())
    text = ["q", f"{W} 0 0 {H} 0 0 cm", "/Im1 Do", "Q", "BT", "3 Tr", "/F1 12 Tf"]
    for i, line in enumerate(LINES):
        text.append(f"1 0 0 1 72 {H - TOP - i * STEP} Tm <{line.encode('utf-16-be').hex().upper()}> Tj")
    text.append("ET")
    content = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {W} {H}] /Contents 4 0 R "
        f"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 7 0 R >> >> >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 8 0 R "
        b"/DW 1000 >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (PX_W, PX_H, len(img))
        + img + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        b"<< /Title <FEFF" + LINES[0].encode("utf-16-be").hex().upper().encode() + b"> >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, len(objects), xref)
    path.write_bytes(bytes(out))


if __name__ == "__main__":
    make_scanned(HERE / "scanned.pdf")
    make_ocr(HERE / "scanned-ocr.pdf")
