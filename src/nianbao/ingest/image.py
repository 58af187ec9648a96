"""Image files (PNG, JPEG, TIFF; recognised by content) → :class:`Document`, by OCR.

Each image (each frame of a multi-page TIFF) is one page, read by :mod:`nianbao.ingest.ocr` and
laid out like a PDF page (``pdf.layout``). The image's resolution is not trusted (scanners write
anything): a page is taken to be A4 wide. Without the ``ocr`` extra, or when nothing is
recognised, the document is empty with P001.
"""
from __future__ import annotations

from typing import Optional

from ..config import DEFAULT, Settings
from ..errors import InputError
from ..model.codes import diag
from ..model.document import Document
from .pdf.layout import pages_to_blocks

SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


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


def image_to_document(data: bytes, settings: Optional[Settings] = None) -> Document:
    """OCR an image file into a :class:`Document` of format ``image``."""
    settings = settings or DEFAULT
    from . import ocr
    if not ocr.available():
        return Document(format="image", blocks=[], diagnostics=[diag("P001")])
    frames = decode(data)
    pages = ocr.ocr_pages(data, [(k, k + 1, (lambda f=f: f), None) for k, f in enumerate(frames)], settings)
    if not any(p.lines for p in pages):
        return Document(format="image", blocks=[], diagnostics=[diag("P001")])
    blocks = pages_to_blocks(pages, settings)
    ocr.mark_confidence(blocks, pages)
    return Document(format="image", blocks=blocks)
