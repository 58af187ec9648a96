"""Text normalisation and cell-value parsing (pure functions)."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ._t2s import SIMPLIFIED, TRADITIONAL

# Full-width ASCII variants → ASCII; ideographic space → space; dashes unified.
_FW = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FW.update({0x3000: 0x20, 0x00A0: 0x20, 0x2212: ord("-"), 0x3001: 0x3001})
_FW_TABLE = str.maketrans(_FW)


_FW_CHAR = {chr(k): chr(v) for k, v in _FW.items()}
_FW_ANY = re.compile("[\uff01-\uff5e\u3000\u00a0\u2212]")


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation → ASCII; NBSP and ideographic space → space.

    ``str.translate`` looks every character up in a dict (~50 ns each): a long text is searched for
    the few full-width characters it holds instead, each then replaced in one C pass."""
    if text.isascii():
        return text
    if len(text) < 24:
        return text.translate(_FW_TABLE)
    m = _FW_ANY.search(text)
    distinct = 0
    while m is not None:
        distinct += 1
        if distinct > 24:  # many kinds of full-width characters: one translation pass is cheaper
            return text.translate(_FW_TABLE)
        ch = m.group()
        text = text.replace(ch, _FW_CHAR[ch])
        m = _FW_ANY.search(text, m.start())
    return text


_T2S_TABLE = str.maketrans(TRADITIONAL, SIMPLIFIED)

# A pinyin reading inserted after a character by some mirror sites: 鎮(zhèn), 項（xiàng）.
# (the bracket first, then the look back at the character before it: the engine skips ahead to brackets)
_PINYIN = re.compile(r"[(（](?<=[\u3400-\u9fff][(（])[a-zü\u00e0-\u01dc\u01f9\u1e3f\u0300-\u030c]{1,7}[)）]")


_TRADITIONAL = frozenset(TRADITIONAL)
_TRADITIONAL_ASTRAL = frozenset(c for c in TRADITIONAL if ord(c) > 0xFFFF)


@lru_cache(maxsize=1)
def _traditional_bmp():
    """A character class of the Traditional characters of the Basic Multilingual Plane (the regex
    engine tests such a class with a bitmap, ~5 ns a character; a set test costs ~30 ns)."""
    codes = sorted({ord(c) for c in TRADITIONAL if ord(c) <= 0xFFFF})
    ranges: list = []
    for o in codes:
        if ranges and ranges[-1][1] == o - 1:
            ranges[-1][1] = o
        else:
            ranges.append([o, o])
    return re.compile("[" + "".join(re.escape(chr(a)) + ("" if a == b else "-" + re.escape(chr(b)))
                                    for a, b in ranges) + "]")


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds a character :func:`to_simplified` changes."""
    if text.isascii():
        return False
    if _traditional_bmp().search(text) is not None:
        return True
    # characters beyond the BMP (rare): a UTF-16 encoding longer than two bytes a character
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text) and \
        not _TRADITIONAL_ASTRAL.isdisjoint(text)


def to_simplified(text: str) -> str:
    """Traditional characters → Simplified, one to one (same length, offsets kept)."""
    return text.translate(_T2S_TABLE) if has_traditional(text) else text


def strip_pinyin(text: str) -> str:
    """Drop pinyin glosses written in brackets right after a CJK character (``鎮(zhèn)`` → ``鎮``)."""
    if "(" not in text and "（" not in text:
        return text
    return _PINYIN.sub("", text)


def fold(text: str) -> str:
    """Text for matching: Simplified characters, no pinyin glosses (lengths may change)."""
    return to_simplified(strip_pinyin(text))


def fold_with_offsets(text: str):
    """``fold(text)`` and, for each of its characters plus the end, the offset in ``text`` (a
    ``range`` when folding kept every character in place)."""
    if ("(" not in text and "（" not in text) or not _PINYIN.search(text):
        return to_simplified(text), range(len(text) + 1)
    offsets = []
    parts = []
    pos = 0
    for m in _PINYIN.finditer(text) if ("(" in text or "（" in text) else ():
        parts.append(text[pos: m.start()])
        offsets.extend(range(pos, m.start()))
        pos = m.end()
    parts.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    offsets.append(len(text))
    return to_simplified("".join(parts)), offsets


SHORT_TEXT = 200
"""Texts up to this length are memoised (labels, cells and heading lines recur report after report);
a longer one (a long table region's joined labels run to megabytes) is computed each time, so a
memo of a few thousand entries stays a few MB in a worker that reads many documents."""


def short_text_cache(maxsize: int):
    """``lru_cache(maxsize)`` for a function of one text, used for texts of at most
    :data:`SHORT_TEXT` characters; of the longer ones only the last is remembered (a long region's
    labels are asked for again by the next step); ``__wrapped__`` is the function itself."""
    def decorate(fn):
        cached = lru_cache(maxsize=maxsize)(fn)
        last = [None, None]  # the last long text and its result

        def call(text: str):
            if len(text) <= SHORT_TEXT:
                return cached(text)
            if text is not last[0] and text != last[0]:
                last[:] = None, fn(text)  # (no text kept while it is computed: it may raise)
                last[0] = text
            return last[1]
        call.__wrapped__ = fn
        call.__doc__, call.__name__, call.__qualname__ = fn.__doc__, fn.__name__, fn.__qualname__
        return call
    return decorate


_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_QUOTES = "\"'“”‘’「」『』"


@short_text_cache(8192)
def normalise_label(text: str) -> str:
    """Label text for matching: half-width, no whitespace, no quotes, unified brackets."""
    t = to_halfwidth(fold(text))
    # bookmarks, then every white-space character (``str.split``'s are those of ``\s``) and quote
    # (the bookmarks first: none begins with a white space or quote, and a bookmark's spaces and
    # quotes go with it; a label of the region of a long table runs to megabytes)
    if "[bookmark:" in t:
        t = _BOOKMARK.sub("", t)
    t = "".join(t.split())
    for q in _QUOTES:
        if q in t:
            t = t.replace(q, "")
    t = t.replace("规范性档案", "规范性文件")  # mirror sites' Taiwan wording of 文件
    return t.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")


BLANK_MARKS = {"", "/", "-", "—", "——", "－", "无", "／", "\\", "–", "空", "×"}

_UNIT_RX = re.compile(r"(亿元|万元|元|项|件|个|条|次|人|宗|家|份)$")
_CHANGE_WORD = re.compile(r"净?(?:增加|减少|增|减)(?=\d)")
_UNIT_FACTOR = {"亿元": 100000000, "万元": 10000, "元": 1}


class ValueError_(Exception):
    """A cell text that is not a number (message in Chinese)."""


def is_blank(raw: str) -> bool:
    # folding keeps lengths and whitespace: a text longer than every blank mark is none of them
    if len(raw) > 2 and len(raw.strip()) > 2:
        return False
    return _is_blank(raw)


@lru_cache(maxsize=4096)
def _is_blank(raw: str) -> bool:
    return to_halfwidth(to_simplified(raw)).strip() in BLANK_MARKS


MAX_VALUE = 10 ** 12
"""A count (or an amount in yuan) this large is no report's: the cell is unreadable (P205). Below it
every value fits int64, and an amount in fen (× 100) too."""


@lru_cache(maxsize=4096)
def parse_number(raw: str, *, money: bool = False, unit: int = 1, signed: bool = False):
    """Parse one cell's text into (value, unit_seen).

    Counts return ``int``; money returns yuan (``int`` when whole, else ``float``) using the unit
    written in the cell (元/万元/亿元) or else ``unit`` (the column header's). Blank marks give
    ``None``. Raises :class:`ValueError_` for anything else.
    """
    t = to_halfwidth(to_simplified(raw)).strip()  # 萬元 → 万元, 無 → 无
    if t in BLANK_MARKS:
        return None, None
    t = t.replace(" ", "")
    if signed and t[:1] in "增减净":
        m = _CHANGE_WORD.match(t)
        if m:  # 增98 / 减少3 in a 本年增/减 cell
            t = ("-" if "减" in m.group(0) else "+") + t[m.end():]
    m = _UNIT_RX.search(t)
    suffix = None
    if m:
        suffix = m.group(1)
        t = t[: m.start()]
    # thousands separators: 1,234,567
    if re.fullmatch(r"[-+]?\d{1,3}([,，]\d{3})+(\.\d+)?", t):
        t = t.replace(",", "").replace("，", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", t):
        raise ValueError_(f"无法识别的数值“{raw.strip()}”")
    if len(t.split(".")[0].lstrip("+-").lstrip("0")) > 13:  # cheap guard before any arithmetic
        raise ValueError_(f"数值过大，不可信“{raw.strip()[:40]}”")
    if t[0] in "+-" and not signed:
        if t[0] == "-" and t.lstrip("-") != "0":
            # a negative count is kept as written; the rules report it
            pass
    try:
        d = Decimal(t)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        raise ValueError_(f"无法识别的数值“{raw.strip()}”")
    if money:
        if suffix in _UNIT_FACTOR:
            d = d * _UNIT_FACTOR[suffix]
        else:
            d = d * unit
        if abs(d) >= MAX_VALUE:
            raise ValueError_(f"数值过大，不可信“{raw.strip()[:40]}”")
        return _num(d), suffix
    if suffix in _UNIT_FACTOR:
        raise ValueError_(f"计数单元格写有金额单位“{raw.strip()}”")
    if "." in t:  # 2.0 is a decimal written in a count, not the count 2
        raise ValueError_(f"计数单元格出现小数“{raw.strip()}”")
    if abs(d) >= MAX_VALUE:
        raise ValueError_(f"数值过大，不可信“{raw.strip()[:40]}”")
    return int(d), suffix


def _num(d: Decimal):
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def edit_distance(a: str, b: str, bound: int) -> int:
    """Damerau–Levenshtein (optimal string alignment) distance, or bound+1 when larger."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]
