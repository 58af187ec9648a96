"""The encoding of an HTML page: BOM, valid UTF-8, the declared charset, then detection.

A BOM; else bytes that are valid UTF-8 are UTF-8 (a GBK page is practically never valid UTF-8,
while converted pages often keep a stale ``charset=gb2312``); else the declared charset
(``<meta charset>``, ``<meta http-equiv>``, XML declaration; GBK/GB2312 are read as GB18030; a
Western single-byte label is ignored); else detection (GB18030 when the text reads as simplified
Chinese, then charset-normalizer). Bytes that no encoding reads as text are an
:class:`~nianbao.errors.InputError` ``bad-encoding``.
"""
from __future__ import annotations

import codecs
import re

from ...errors import InputError

_GB = "gb18030"
_CHARSET_ALIASES = {
    "gbk": _GB, "gb2312": _GB, "gb_2312": _GB, "gb_2312-80": _GB, "gb2312-80": _GB, "x-gbk": _GB,
    "cp936": _GB, "ms936": _GB, "windows-936": _GB, "euc-cn": _GB, "x-euc-cn": _GB, "csgb2312": _GB,
    "iso-ir-58": _GB, "chinese": _GB, "gb18030": _GB, "gb-18030": _GB, "csiso58gb231280": _GB,
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-unicode20utf8": "utf-8",
    "unicode": "utf-8",
}
# Declared charsets that no Chinese report is really written in: detect instead (misconfigured servers).
_WESTERN = frozenset(("latin1", "iso8859-1", "iso-8859-1", "iso_8859-1", "ascii", "us-ascii",
                      "windows-1252", "cp1252", "l1", "iso-8859-15", "iso8859-15"))

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)

_BAD_CHAR = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd\ue000-\uf8ff]")
_NOT_CONTROL = bytes(range(0x09, 0x0E)) + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))


# --------------------------------------------------------------------------------------- encoding

def _norm_charset(name: bytes | str | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    key = name.strip().lower()
    if key in _CHARSET_ALIASES:
        return _CHARSET_ALIASES[key]
    if key in _WESTERN:
        return None
    try:
        real = codecs.lookup(key).name
    except LookupError:
        return None
    if real in ("gbk", "gb2312", "gb18030"):
        return _GB
    if real in ("latin-1", "iso8859-1", "ascii", "cp1252", "iso8859-15"):
        return None
    return real


def _declared_charset(data: bytes) -> str | None:
    head = data[:65536]
    m = _XML_DECL.match(head)
    if m:
        cs = _norm_charset(m.group(1))
        if cs:
            return cs
    m = _META_CHARSET.search(head)
    if m:
        return _norm_charset(m.group(1))
    return None


def _plausible_chinese(text: str) -> bool:
    """Text decoded as GB18030 reads as simplified Chinese: nearly every non-ASCII character is in
    GB2312 (mainland text almost always is; Big5 or random bytes read as GBK mostly are not)."""
    sample = text[:60000]
    n_non_ascii = len(sample) - len(sample.encode("ascii", errors="ignore"))
    if n_non_ascii == 0:
        return True
    # characters outside GB2312 become b"?": count those beyond the '?' already in the text
    bad = sample.encode("gb2312", errors="replace").count(b"?") - sample.count("?")
    return bad <= n_non_ascii // 20


def _garbage_text(text: str) -> bool:
    """Decoded text with many control / replacement / private-use characters is not text."""
    sample = text[:200000]
    if _BAD_CHAR.search(sample) is None:
        return False
    bad = sum(1 for _ in _BAD_CHAR.finditer(sample))
    return bad > max(8, len(sample) // 100)


def decode_html(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise ``InputError("bad-encoding")`` when nothing reads it."""
    # 1. byte-order mark
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                     (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data.decode(enc) if enc == "utf-8-sig" else data[len(bom):].decode(enc)
            except UnicodeDecodeError:
                break
            if _garbage_text(text):
                break
            return text, enc
    # bytes read with an ASCII-compatible encoding that hold many C0 control characters (or, as
    # UTF-8, many U+FFFD replacement characters left by an earlier bad conversion) are not text
    controls = len(data.translate(None, _NOT_CONTROL))
    limit = max(8, len(data) // 200)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        # 2. valid UTF-8 is UTF-8 whatever the page declares: GBK text is practically never valid
        #    UTF-8, while pages converted to UTF-8 often keep a stale charset=gb2312
        if controls + text.count("\ufffd") <= limit:
            return text, "utf-8"
    elif controls + data.count(b"\xef") <= limit or controls + data.count(b"\xef\xbf\xbd") <= limit:
        # (U+FFFD left as UTF-8 bytes starts with 0xEF: the single-byte count settles most pages)
        # 3. the declared charset
        declared = _declared_charset(data)
        if declared and declared != "utf-8":
            try:
                return data.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                pass
        # 4. GB18030 when the text reads as simplified Chinese
        try:
            text = data.decode(_GB)
            if _plausible_chinese(text):
                return text, _GB
        except UnicodeDecodeError:
            pass
    # 5. anything else charset-normalizer can read (Big5, UTF-16 without BOM, ...)
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - detector failure is treated as "unknown"
        best = None
    if best is not None:
        enc = _norm_charset(best.encoding) or best.encoding
        try:
            text = data.decode(enc)
            if not _garbage_text(text):
                return text, enc
        except (UnicodeDecodeError, LookupError):
            pass
    raise InputError("bad-encoding")
