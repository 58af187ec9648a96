"""Scanned test documents made from real reports with known answers (nothing large is committed).

``make_scan(pdf, pages, defects)`` renders the chosen pages of a text-layer PDF with pypdfium2,
gives each page the defects of a scanner and a stamp — a slight rotation, blur, JPEG compression,
a red seal drawn over the table, a page put in turned by 90° or 180° — and wraps the JPEGs as an
image-only PDF (no text layer: what a scanner writes). ``make_image`` gives one page as a PNG or
JPEG file. Deterministic: the same call gives the same bytes.

Run ``python tests/scan_maker.py OUT_DIR`` to write the test scans for a look.
"""
from __future__ import annotations

import io
import math
import sys
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
HUAIAN = ROOT.parent / "shared" / "corpus" / "real" / "huaian-2024.pdf"
LONGNAN = ROOT / "tests" / "fixtures" / "longnan-lirenzhen-2020-lo.pdf"
HUAIAN_LO = ROOT / "tests" / "fixtures" / "huaian-2024-lo.pdf"  # the DOCX laid out by LibreOffice

# the pages with the title and the three tables, what each page suffers, the scan's dpi; the
# tests read the first, the benchmark and bench/accuracy.py all
SCANS = {
    "huaian-2024-scan": (HUAIAN, {0: ("turn90", "jpeg"), 2: ("skew+1.0", "jpeg"),
                                  3: ("skew-0.8", "seal", "blur", "jpeg"), 4: ("skew+0.6", "noise", "jpeg")}, 200),
    "longnan-lirenzhen-2020-scan": (LONGNAN, {0: ("jpeg",), 3: ("skew-1.0", "blur", "jpeg"),
                                              4: ("skew+1.2", "seal", "jpeg")}, 200),
    "longnan-lirenzhen-2020-scan150": (LONGNAN, {0: ("jpeg",), 1: ("skew-0.7", "noise", "jpeg"), 2: ("seal", "blur", "jpeg"),
                                                 3: ("skew+0.4", "jpeg"), 4: ("turn90", "jpeg"), 5: ("jpeg",)}, 150),
    "huaian-2024-lo-scan150": (HUAIAN_LO, {0: ("jpeg",), 1: ("skew+0.9", "noise", "jpeg"),
                                           2: ("turn180", "seal", "blur", "jpeg"), 3: ("skew-0.5", "jpeg")}, 150),
    # hairline rules, skewed by 1.5° both ways, blurred and noisy at 150 dpi: the rules between
    # the rows of table 三 fade in its label column (text close to them)
    "longnan-lirenzhen-2020-faint150": (LONGNAN, {0: ("jpeg",), 3: ("skew+1.5", "blur", "noise", "jpeg"),
                                                  4: ("skew-1.5", "blur", "noise", "jpeg"),
                                                  5: ("skew+1.5", "blur", "noise", "jpeg")}, 150),
}


def render(pdf_path: Path, index: int, dpi: int = 200) -> np.ndarray:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return pdf[index].render(scale=dpi / 72).to_numpy()[..., :3].copy()
    finally:
        pdf.close()


def seal(img: np.ndarray, centre: tuple, radius: int) -> None:
    """A red round seal (ring, star, arc of strokes) stamped over the page: red ink multiplies
    with the print under it (black stays black, white paper turns red)."""
    over = np.full_like(img, 255)
    red = (40, 40, 220)
    cv2.circle(over, centre, radius, red, max(3, radius // 14))
    cx, cy = centre
    star = []
    for k in range(10):
        r = radius * (0.32 if k % 2 else 0.13)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((int(cx + r * math.cos(a)), int(cy + r * math.sin(a))))
    cv2.fillPoly(over, [np.array(star, np.int32)], red)
    for k in range(14):  # the agency's name round the ring, as strokes
        a = math.pi * (0.85 + k * 1.3 / 13)
        x, y = int(cx + 0.72 * radius * math.cos(a)), int(cy + 0.72 * radius * math.sin(a))
        cv2.rectangle(over, (x - radius // 14, y - radius // 14), (x + radius // 14, y + radius // 14), red, 2)
    img[:] = (img.astype(np.uint16) * over.astype(np.uint16) // 255).astype(np.uint8)


def damage(img: np.ndarray, defects: tuple, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    for d in defects:
        if d.startswith("skew"):
            h, w = img.shape[:2]
            m = cv2.getRotationMatrix2D((w / 2, h / 2), float(d[4:]), 1.0)
            img = cv2.warpAffine(img, m, (w, h), borderValue=(250, 250, 250))
        elif d == "seal":
            h, w = img.shape[:2]
            seal(img, (int(w * 0.62), int(h * 0.45)), int(w * 0.11))
        elif d == "blur":
            img = cv2.GaussianBlur(img, (3, 3), 0.8)
        elif d == "noise":
            img = np.clip(img.astype(np.int16) + rng.normal(0, 8, img.shape).astype(np.int16), 0, 255).astype(np.uint8)
        elif d == "turn90":
            img = cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE)
        elif d == "turn180":
            img = cv2.rotate(img, cv2.ROTATE_180)
    return img


def jpeg(img: np.ndarray, quality: int = 55) -> bytes:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


def make_scan(pdf_path: Path, pages: dict, dpi: int = 200) -> bytes:
    """An image-only PDF of ``pages`` (index → defects) of ``pdf_path``."""
    out = pdfium.PdfDocument.new()
    for n, (index, defects) in enumerate(sorted(pages.items())):
        img = damage(render(pdf_path, index, dpi), defects, seed=n)
        h, w = img.shape[:2]
        page = out.new_page(w * 72 / dpi, h * 72 / dpi)
        image = pdfium.PdfImage.new(out)
        image.load_jpeg(io.BytesIO(jpeg(img, 55 if "jpeg" in defects else 95)), inline=True)
        image.set_matrix(pdfium.PdfMatrix().scale(w * 72 / dpi, h * 72 / dpi))
        page.insert_obj(image)
        page.gen_content()
    buffer = io.BytesIO()
    out.save(buffer)
    out.close()
    return buffer.getvalue()


def make_image(pdf_path: Path, index: int, fmt: str = ".png", defects: tuple = (), dpi: int = 150,
               margin: float = 0.0, stated: bool = False, blank: tuple = ()) -> bytes:
    """One page as an image file; ``margin``: white added left and right (a fraction of the page
    width: a scanner bed wider than the page); ``stated``: the file states its resolution;
    ``blank``: boxes (points) whose insides are wiped white (a cell left blank)."""
    img = render(pdf_path, index, dpi)
    for x0, top, x1, bottom in blank:
        f = dpi / 72
        img[int(top * f) + 4:int(bottom * f) - 3, int(x0 * f) + 4:int(x1 * f) - 3] = 255
    img = damage(img, defects, seed=index)
    if margin:
        pad = int(img.shape[1] * margin)
        img = cv2.copyMakeBorder(img, 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=(255, 255, 255))
    if stated:
        from PIL import Image
        out = io.BytesIO()
        Image.fromarray(img[..., ::-1]).save(out, "JPEG" if fmt == ".jpg" else "PNG", dpi=(dpi, dpi), quality=60)
        return out.getvalue()
    ok, buf = cv2.imencode(fmt, img, [cv2.IMWRITE_JPEG_QUALITY, 60] if fmt == ".jpg" else [])
    assert ok
    return buf.tobytes()


def scans() -> dict:
    """name → (PDF bytes, the answer file of its source)."""
    out = {}
    for name, (src, pages, dpi) in SCANS.items():
        out[name] = (make_scan(src, pages, dpi), src.with_name(src.stem + ".expected.json"))
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    for name, (data, _) in scans().items():
        (target / f"{name}.pdf").write_bytes(data)
        print(target / f"{name}.pdf", len(data))
