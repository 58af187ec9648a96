"""Image files (PNG, JPEG, TIFF; recognised by content) → :class:`Document`, by OCR.

Each image (each frame of a multi-page TIFF) is one page, read by :mod:`nianbao.ingest.ocr` and
laid out like a PDF page (``pdf.layout``). The image's resolution (PNG ``pHYs``, JPEG JFIF/EXIF,
TIFF tags) sizes the page when it gives a paper-sized page (:func:`resolutions`: editors write
72 or 96 dpi into anything); otherwise the page is taken to be A4 wide. Without the ``ocr``
extra, or when nothing is recognised, the document is empty with P001.
"""
from __future__ import annotations

from typing import Optional

from ..config import DEFAULT, Settings
from ..errors import InputError
from ..model.codes import diag
from ..model.document import Document
from . import IMAGE_SIGNATURES as SIGNATURES
from .pdf.layout import pages_to_blocks


def is_image(data: bytes) -> bool:
    """PNG, JPEG or TIFF by its signature."""
    return data.startswith(SIGNATURES)


def decode(data: bytes) -> list:
    """The frames of the image as BGR arrays (every page of a TIFF)."""
    import cv2
    import numpy as np
    buf = np.frombuffer(data, dtype=np.uint8)
    frames: list = []
    if data.startswith((b"II*\x00", b"MM\x00*")):
        ok, many = cv2.imdecodemulti(buf, cv2.IMREAD_COLOR)
        frames = list(many) if ok else []
    else:
        one = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        frames = [one] if one is not None else []
    if not frames:
        raise InputError("corrupt-image")
    return frames


# a page whose shorter side is within these inches (A6 to A3) has a believable resolution
PAPER_INCHES = (3.5, 12.5)


def resolutions(data: bytes, sizes: list) -> list:
    """The resolution (dots per inch) of each frame of sizes ``(width, height)`` in pixels, as
    the file states it, or None where it states none or one that makes no paper-sized page (a
    1240-pixel-wide scan marked 72 dpi would be 17 inches wide)."""
    import io

    from PIL import Image, ImageSequence
    stated: list = []
    try:
        with Image.open(io.BytesIO(data)) as img:
            for frame in ImageSequence.Iterator(img):
                dpi = frame.info.get("dpi")
                try:
                    stated.append(round(float(dpi[0]), 1) if dpi else None)  # PNG: per metre
                except (TypeError, ValueError, IndexError):
                    stated.append(None)
    except Exception:  # Pillow cannot read it (cv2 could): no stated resolution
        stated = []
    out = []
    for k, (w, h) in enumerate(sizes):
        dpi = stated[k] if k < len(stated) else None
        if dpi and dpi > 1 and PAPER_INCHES[0] <= min(w, h) / dpi <= PAPER_INCHES[1]:
            out.append(dpi)
        else:
            out.append(None)
    return out


def image_to_document(data: bytes, settings: Optional[Settings] = None) -> Document:
    """OCR an image file into a :class:`Document` of format ``image``."""
    settings = settings or DEFAULT
    from . import ocr
    if not ocr.available():
        return Document(format="image", blocks=[], diagnostics=[diag("P001")])
    frames = decode(data)
    dpis = resolutions(data, [(f.shape[1], f.shape[0]) for f in frames])
    pages = ocr.ocr_pages(data, [(k, k + 1, (lambda f=f: f), dpi) for k, (f, dpi) in enumerate(zip(frames, dpis))],
                          settings)
    if not any(p.lines for p in pages):
        return Document(format="image", blocks=[], diagnostics=[diag("P001")])
    blocks = pages_to_blocks(pages, settings)
    found = ocr.mark_confidence(blocks, pages)
    return Document(format="image", blocks=blocks, diagnostics=found)
