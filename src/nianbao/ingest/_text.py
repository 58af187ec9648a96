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


# ---------------------------------------------------------------- UTF-16 / UTF-32

_BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),  # UTF-32 first: its LE
         (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"))                  # BOM starts like UTF-16's


def _wide_guess(data: bytes):
    """UTF-16/32 without a BOM, told by where the NUL bytes fall in the first 4 KB (Chinese text in
    UTF-16 has few NULs; ASCII markup and digits in it have one in every other byte)."""
    head = data[:4096]
    n = len(head) - len(head) % 4
    if n < 8 or b"\x00" not in head[:n]:
        return None  # no NUL byte: neither UTF-16 nor UTF-32
    head = head[:n]

    def zeros(s: bytes) -> bool:
        return s.count(0) == len(s)

    if zeros(head[2::4]) and zeros(head[3::4]) and not zeros(head[0::4]):
        return "utf-32-le"
    if zeros(head[0::4]) and zeros(head[1::4]) and not zeros(head[3::4]):
        return "utf-32-be"
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = n // 2
    if odd >= 0.3 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def decode_wide(data: bytes):
    """The text of UTF-16 or UTF-32 bytes, with or without a BOM; None for anything else (the
    caller's decoder takes over). Bytes that are not valid in the encoding its BOM names raise
    :class:`~nianbao.errors.InputError` ``bad-encoding`` (never a traceback, never garbage)."""
    from ..errors import InputError
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            break
    else:
        enc, body = _wide_guess(data), data
        if enc is None:
            return None
    try:
        text = body.decode(enc)
    except UnicodeDecodeError:
        raise InputError("bad-encoding") from None
    if "\x00" in text[:4096]:
        raise InputError("bad-encoding")
    return text
