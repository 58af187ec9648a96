"""Characters → lines: grouping by baseline, joining with the spaces the gaps show, column segments."""
from __future__ import annotations

import re
from operator import attrgetter
from typing import Optional

from ...config import DEFAULT, Settings
from .._text import is_cjk_wide

_NUMBER = re.compile(r"^[-+−]?\d[\d,，]*(?:[.．]\d+)?%?$")
_DIGIT_GAP = re.compile(r"\d \d")  # a visible gap between two digits (see join_chars)


class Char:
    """One ink character: its text, loose box (top-left origin), height and CJK-ness."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "height", "cjk")

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float):
        self.text, self.x0, self.top, self.x1, self.bottom = text, x0, top, x1, bottom
        self.height = bottom - top
        self.cjk = is_cjk_char(text)


def is_cjk_char(text: str) -> bool:
    """Whether a character is CJK-wide (no space is read in a gap between two of these)."""
    return "\u4e00" <= text <= "\u9fff" or (text >= "\u2014" and is_cjk_wide(text))


class Line:
    """Characters sharing one baseline band, sorted left to right, with their box and text;
    ``widest`` is the widest gap between two neighbouring chars, in em; ``size`` the median
    character height (None until asked, see :func:`line_size`), ``count`` the number of chars and
    ``tail`` the right edge and height of the last one.

    A line of a text-layer page is made in bulk (:mod:`.arrays`): it keeps its page's character
    arrays and indices, and makes its :class:`Char` objects only when ``chars`` is read.
    """

    __slots__ = ("_chars", "bbox", "top", "text", "widest", "size", "count", "tail", "_src", "_idx")

    def __init__(self, chars: list, settings: Settings = DEFAULT):
        kept, self.text, self.widest, self.bbox = _join_measure(chars, settings.space_gap)
        self._chars = kept
        self.top = self.bbox[1]
        self.size = None
        self.count = len(kept)
        self.tail = (kept[-1].x1, kept[-1].height)
        self._src = self._idx = None

    @property
    def chars(self) -> list:
        if self._chars is None:
            self._chars = self._src.chars(self._idx)
        return self._chars


def join_chars(chars: list, settings: Settings = DEFAULT) -> str:
    """The text of a run of characters (left to right), with spaces where the gaps show them."""
    return _join_measure(chars, settings.space_gap)[1]


def _join_measure(chars: list, space_gap: float) -> tuple:
    """For a run of chars sorted left to right: the chars without overprinted copies (a char
    printed again over itself for fake bold or shadow), their text, the widest gap between two
    of them (in em) and their bbox."""
    prev = chars[0]
    out = [prev.text]
    widest = 0.0
    top, bottom, x1 = prev.top, prev.bottom, prev.x1
    kept = None
    for k in range(1, len(chars)):
        c = chars[k]
        if c.text == prev.text and c.x0 - prev.x0 < 0.3 * (prev.x1 - prev.x0):
            if kept is None:
                kept = chars[:k]
            continue
        if kept is not None:
            kept.append(c)
        em = prev.height if prev.height < c.height else c.height
        gap = (c.x0 - prev.x1) / (em if em > 1.0 else 1.0)
        if gap > widest:
            widest = gap
        if gap > space_gap and not (prev.cjk and c.cjk):
            out.append(" ")
        out.append(c.text)
        if c.top < top:
            top = c.top
        if c.bottom > bottom:
            bottom = c.bottom
        if c.x1 > x1:
            x1 = c.x1
        prev = c
    return (chars if kept is None else kept), "".join(out), widest, (chars[0].x0, top, x1, bottom)


_x0_key = attrgetter("x0")
_top_key = attrgetter("top")


def chars_to_lines(chars: list, settings: Settings = DEFAULT) -> list:
    """Group characters into lines by vertical centre: lines top to bottom, chars left to right."""
    if len(chars) < 2:
        return [Line(chars, settings)] if chars else []
    ordered = sorted(chars, key=_top_key)
    first = ordered[0]
    current = [first]
    groups = [current]
    centre, height, n = (first.top + first.bottom) * 0.5, first.height, 1
    for c in ordered[1:]:
        mid = (c.top + c.bottom) * 0.5
        h = c.height if c.height < height else height
        if mid - centre <= 0.45 * (h if h > 1.0 else 1.0):
            current.append(c)
            n += 1
            centre += (mid - centre) / n
        else:
            current = [c]
            groups.append(current)
            centre, height, n = mid, c.height, 1
    return [Line(sorted(g, key=_x0_key), settings) for g in groups]


def join_lines(lines: list, right_edge: Optional[float] = None) -> str:
    """Text of a cell's lines. Wrapped CJK joins directly; so does a number broken at a full line
    (one ending within two em of the cell's ``right_edge``); anything else joins with a space."""
    text = ""
    prev = None
    for line in lines:
        part = line.text
        if prev is not None:
            a, b, (last_x1, last_height) = text[-1], part[0], prev.tail
            full = right_edge is not None and right_edge - last_x1 < 2 * max(last_height, 1.0)
            glue = is_cjk_wide(a) or is_cjk_wide(b) or (a.isdigit() and b.isdigit() and full)
            text += "" if glue else " "
        text += part
        prev = line
    return text


def line_segments(line: Line, settings: Settings = DEFAULT) -> list:
    """Split a line into column segments: at big gaps, and at any visible gap between two digits."""
    chars = line.chars
    segments = [[chars[0]]]
    for prev, c in zip(chars, chars[1:]):
        gap = c.x0 - prev.x1
        em = max(min(prev.height, c.height), 1.0)
        if gap > settings.column_gap * em or (gap > settings.space_gap * em and prev.text.isdigit() and c.text.isdigit()):
            segments.append([c])
        else:
            segments[-1].append(c)
    return segments


def is_row_like(segments: list, settings: Settings = DEFAULT) -> bool:
    """A line reads as a table row when it has a big gap or at least two separate numbers."""
    if len(segments) < 2:
        return False
    if sum(1 for s in segments if _NUMBER.match(join_chars(s, settings))) >= 2:
        return True
    return any(b[0].x0 - a[-1].x1 > settings.column_gap * max(min(a[-1].height, b[0].height), 1.0)
               for a, b in zip(segments, segments[1:]))


def split_numbers(text: str) -> list:
    """``'3001 53 0'`` inside one ruled cell → one cell per number (and the label before them),
    when the cell holds two numbers or more and nothing but numbers after its label."""
    tokens = text.split(" ")
    if sum(1 for t in tokens if _NUMBER.match(t)) < 2:
        return [text]
    k = 0
    while not _NUMBER.match(tokens[k]):
        k += 1
    if not all(_NUMBER.match(t) for t in tokens[k:]):
        return [text]
    return ([" ".join(tokens[:k])] if k else []) + tokens[k:]


def _bbox(chars: list) -> tuple:
    x0, top, x1, bottom = chars[0].x0, chars[0].top, chars[0].x1, chars[0].bottom
    for c in chars:
        if c.x0 < x0:
            x0 = c.x0
        if c.top < top:
            top = c.top
        if c.x1 > x1:
            x1 = c.x1
        if c.bottom > bottom:
            bottom = c.bottom
    return (x0, top, x1, bottom)
