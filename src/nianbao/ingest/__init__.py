"""Bytes → :class:`nianbao.document.Document`, one module per format. Only ingest reads input."""
from __future__ import annotations

from ..config import DEFAULT, Settings
from ..errors import InputError
from ..model.document import Document


PDF_SIGNATURE = b"%PDF-"
PNG_SIGNATURE, JPEG_SIGNATURE = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"
TIFF_SIGNATURES = (b"II*\x00", b"MM\x00*")
IMAGE_SIGNATURES = (PNG_SIGNATURE, JPEG_SIGNATURE, *TIFF_SIGNATURES)
"""How a file of each format read by its content begins (one statement of each, for the sniffing
here, the image reader and the pool's guess of OCR work in :mod:`nianbao.isolation`)."""


def sniff_format(data: bytes, filename: str | None = None) -> str:
    """Decide the format from the content (the file name only breaks ties)."""
    head = data[:2048].lstrip()
    if data.startswith(PDF_SIGNATURE):
        return "pdf"
    if data.startswith(IMAGE_SIGNATURES):
        return "image"  # a scan: PNG, JPEG, TIFF (read by OCR)
    if data[:4] == b"PK\x03\x04":
        if b"OFD.xml" in data[:65536] or b"OFD.xml" in data[-65536:]:
            return "ofd"
        if b"word/" in data[:65536] or (filename or "").lower().endswith(".docx"):
            return "docx"
        raise InputError("unsupported-zip")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"  # Word 97–2003 .doc, Kingsoft .wps (or a spreadsheet: refused by ingest.legacy)
    low = head[:1024].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml", b"<meta", b"<head", b"<body")) or b"<table" in data[:200000].lower() \
            or (filename or "").lower().endswith((".html", ".htm", ".shtml")):
        return "html"
    return "text"


def bytes_to_document(data: bytes, filename: str | None = None, settings: Settings | None = None) -> Document:
    """Read the bytes of one report into a :class:`Document`; ``settings`` (default
    :data:`nianbao.config.DEFAULT`) sets the size cap and the readers' tolerances."""
    settings = settings or DEFAULT
    MAX_BYTES = settings.max_bytes  # upper case: the too-big check and message below stay as they were
    if not data or (not data[:4096].strip() and not data.strip()):
        raise InputError("empty")
    if len(data) > MAX_BYTES:
        raise InputError("too-big", size=len(data), mb=len(data) // 1048576, limit_mb=MAX_BYTES // 1048576)
    from ._text import decode_wide
    wide = decode_wide(data)  # UTF-16/32 (with or without BOM): sniffed and read as text
    if wide is not None:
        data = wide.encode("utf-8")
        if not wide.strip():
            raise InputError("no-content")
    doc = _read(data, filename, settings)
    if not doc.blocks and not any(d.severity == "error" for d in doc.diagnostics):
        # never an empty success: nothing read (a BOM only, pages without area, markup cut off)
        raise InputError("no-content")
    return doc


def _read(data: bytes, filename: str | None, settings: Settings) -> Document:
    fmt = sniff_format(data, filename)
    if fmt == "pdf":
        from .pdf import pdf_to_document
        return pdf_to_document(data, settings)
    if fmt == "image":
        from .image import image_to_document
        return image_to_document(data, settings)
    if fmt == "ofd":
        from .ofd import ofd_to_document
        return ofd_to_document(data, settings)
    if fmt == "ole":
        from .legacy import legacy_to_document
        return legacy_to_document(data, settings)
    if fmt == "docx":
        from .docx import docx_to_document
        return docx_to_document(data, settings)
    if fmt == "html":
        from .html import html_to_document
        return html_to_document(data, settings)
    from .text import decode_text, text_to_document
    try:
        text = decode_text(data)
    except (UnicodeDecodeError, LookupError):  # e.g. a stray BOM before bytes of no encoding
        raise InputError("bad-encoding") from None
    return text_to_document(text)
