"""Text helpers shared by the ingest readers: CJK character tests and page-number patterns."""
from __future__ import annotations

import re


def is_cjk(ch: str) -> bool:
    """CJK ideographs (with extensions and compatibility forms), radicals, kana, CJK symbols and
    full-width forms: a line break between two of these is no space (HTML)."""
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF \
        or 0x20000 <= o <= 0x3FFFF


def is_cjk_wide(ch: str) -> bool:
    """:func:`is_cjk`, CJK vertical/compatibility forms (U+FE30–FE4F) and the Chinese quotes,
    ellipsis and dash ``“”‘’…—``: never a space between two of these (PDF)."""
    if ch < "\u2014":
        return False
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF or ch in "“”‘’…—")


# Page numbers. The pieces are shared; each reader decides what else is furniture (the PDF reader
# drops a bare number in the page margin, a text conversion keeps it: it may be a cell).
NTH_PAGE = r"第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"  # 第 3 页 / 第 3 页 共 6 页
N_OF_M = r"\d{1,4}\s*[/／]\s*\d{1,4}"  # 3/6

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—－~·•]*\s*\d{1,4}\s*[-–—－~·•]*"
    r"|" + NTH_PAGE +
    r"|" + N_OF_M +
    r"|(?:page\s*)?\d{1,4}\s*of\s*\d{1,4})\s*$",
    re.IGNORECASE,
)
"""A line that is only a page number: ``- 4 -``, ``— 4 —``, ``4``, ``第 4 页``, ``4/6``, ``page 4 of 6``."""
