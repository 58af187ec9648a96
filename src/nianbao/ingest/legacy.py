"""Legacy office files (OLE compound files): Word 97–2003 ``.doc`` and Kingsoft ``.wps`` →
:class:`Document`, by converting them to DOCX with LibreOffice headless in a temporary directory
(with a time limit) and reading that DOCX. The kind is decided by content — the OLE directory's
stream names — never by the file name; spreadsheets and presentations are out of scope.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from ..config import DEFAULT, Settings
from ..errors import InputError
from ..model.document import Document

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# stream names in the OLE directory (UTF-16LE): a word-processing document or something else
_WORD = ("WordDocument".encode("utf-16-le"),)
_SHEET = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_SLIDES = ("PowerPoint Document".encode("utf-16-le"),)


def ole_kind(data: bytes) -> str:
    """"word" (a .doc, or a .wps that keeps Word's streams), "sheet" (.xls/.et), "slides" (.ppt/
    .dps), "wps" (Kingsoft Writer's own streams) or "other"."""
    if any(s in data for s in _WORD):
        return "word"
    if any(s in data for s in _SHEET):
        return "sheet"
    if any(s in data for s in _SLIDES):
        return "slides"
    if "WpsDocument".encode("utf-16-le") in data or b"Kingsoft" in data[:65536]:
        return "wps"
    return "other"


def soffice() -> Optional[str]:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def legacy_to_docx(data: bytes, settings: Settings = DEFAULT) -> bytes:
    """Convert a legacy Word/WPS file's bytes to DOCX bytes with LibreOffice headless."""
    program = soffice()
    if program is None:
        raise InputError("needs-libreoffice")
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        cmd = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        env = dict(os.environ, HOME=tmp)
        try:
            subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=settings.convert_timeout, env=env, check=False, start_new_session=True)
        except subprocess.TimeoutExpired:
            raise InputError("convert-failed", reason="转换超时") from None
        out = Path(tmp) / "in.docx"
        if not out.exists() or out.stat().st_size == 0:
            raise InputError("convert-failed", reason="LibreOffice 未能转换该文件（可能已损坏）")
        return out.read_bytes()


def legacy_to_document(data: bytes, settings: Optional[Settings] = None) -> Document:
    """Read a .doc/.wps report (see the module doc); the record's format is ``doc`` or ``wps``."""
    settings = settings or DEFAULT
    kind = ole_kind(data)
    if kind in ("sheet", "slides", "other"):
        raise InputError("unsupported-office", kind={"sheet": "电子表格（.xls/.et）", "slides": "演示文稿（.ppt/.dps）",
                                                      "other": "未知的 Office 文件"}[kind])
    from .docx import docx_to_document
    doc = docx_to_document(legacy_to_docx(data, settings), settings)
    doc.format = "wps" if kind == "wps" else "doc"
    return doc
