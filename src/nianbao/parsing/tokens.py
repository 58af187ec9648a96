"""Document blocks → a stream of label / number / blank tokens, each tagged with its part.

A table cell holding just a number becomes one ``num`` token; a cell or paragraph that mixes
labels and digits (web copies where a row's label and its cells run together: ``规章 000``) is
cut into ``label`` and ``num`` tokens, the latter marked ``fused`` (their digits may hold several
cells). Row-label numbering glued to the previous row's digits (``00000002.其他法律…``) goes back to
the label.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from ..model.document import Cell, Line
from .normalise import BLANK_MARKS, normalise_label, short_text_cache, to_halfwidth

_NUMRUN = re.compile(r"(?=[-+\d])(?<![\d.])[-+]?\d[\d ,.]*(?:亿元|万元|元|项|件|个)?")  # (lookahead: a quick first test)
_CELL_NUMBER = re.compile(r"(?:净?(?:增加|减少|增|减))?[-+]?\s*[\d][\d\s,，.]*\s*(?:亿元|万元|元|项|件|个|条|次|宗|份)?")


# words written in a value cell instead of a number (本年增/减: 未增未减): values, not labels
VALUE_WORDS = re.compile(r"未增未减|无增减|无增无减|未增减|无变化|未变化|持平|不变|增|减|若干")
_SIGNS = re.compile(r"[-+~－—–]+")  # signs alone, no space around them
_SIGN_CHARS = frozenset("-+~－—–")
_CHANGE_PREFIX = re.compile(r"(?:^|\s)\s*净?(?:增加|减少|增|减)\s*$")
_NOT_A_LABEL = re.compile(r"[\s|,，.。;；:：、]*")


class Token(NamedTuple):
    """One token (never changed once made: a tuple, made in the hot loops without the keyword
    handling of its generated ``__new__``). ``cell``: the cell it was cut from (a text file's
    paragraph line is its own cell: :class:`~nianbao.model.document.Line`)."""

    kind: str  # "label" | "num" | "blank" | "text" (a value cell that is not a number)
    text: str  # as written (half-width for num)
    cell: Cell
    block: int
    part: int  # the part (0 before the first heading) the token lies in
    in_row: bool  # comes from a table row block (not a paragraph)
    fused: bool = False  # a digit run that may hold several cells
    offset: int = 0  # char offset in the cell text


_new = tuple.__new__


def cell_kind(text: str) -> Optional[str]:
    """"num" / "blank" when a whole cell is one value, else None (labels, mixed text)."""
    t = to_halfwidth(text).strip()
    if t in BLANK_MARKS:
        return "blank"
    if _CELL_NUMBER.fullmatch(t) and not re.search(r"\d\s+\d", t):
        return "num"
    return None


def split_mixed(text: str):
    """Cut mixed text into (kind, text, offset) pieces: label text and digit runs."""
    t = to_halfwidth(text)
    pos = 0
    pieces = []
    for m in _NUMRUN.finditer(t):
        s, e = m.start(), m.end()
        run = t[s:e]
        # a run ending in "N." / "N、" before non-digits is the numbering of the next label
        tail = t[e: e + 1]
        if tail and tail in "年月日号%‰:：" or t[s - 1: s] in ("第", "列", "栏", "表"):
            continue  # dates, percentages, 第N…, generic headers 列1 … 列6: text, not a cell
        stripped = run.rstrip(" ,")
        if stripped.endswith(".") or tail == "、":
            core = stripped.rstrip(".")
            if core and core[-1].isdigit():
                cut = s + len(core) - 1
                run = t[s:cut]
                e = cut
        run = run.rstrip(" ,.")
        if not run or not (run[0].isdigit() or any(ch.isdigit() for ch in run)):
            continue
        if s > pos:
            pieces.append(("label", t[pos:s], pos))
        pieces.append(("num", run, s))
        pos = s + len(run)
    if pos < len(t):
        pieces.append(("label", t[pos:], pos))
    out = []
    for k, x, off in pieces:
        if k == "num" and out and out[-1][0] == "label" and out[-1][1].rstrip()[-1:] in _SIGN_CHARS \
                and _SIGNS.fullmatch(out[-1][1].strip()):
            # stray signs before a number (--3, 5-3, 3~5, “5 - 3”): an odd value or a blank
            # mark, never a label that would split the row
            lk, lx, loff = out.pop()
            if lx.endswith(" "):  # set apart by spaces: a cell of its own
                out.append(("blank" if lx.strip() in BLANK_MARKS else "text", lx.strip(), loff + lx.index(lx.strip())))
                out.append((k, x, off))
                continue
            first, sep, rest = x.partition(" ")  # a run of spaced numbers: only its first is glued
            glued = lx.lstrip() + first
            start = loff + len(lx) - len(lx.lstrip())
            if out and out[-1][0] in ("num", "text") and out[-1][2] + len(out[-1][1]) == start:
                pk, px, poff = out.pop()
                glued, start = px + glued, poff
            out.append(("text", glued, start))
            if rest:
                out.append(("num", rest, off + len(first) + 1))
            continue
        if k == "num" and out and out[-1][0] == "label" and out[-1][1].rstrip()[-1:] in "增加少减":
            m = _CHANGE_PREFIX.search(out[-1][1])
            if m and out[-1][2] + m.end() == off:  # 增加5 in a 本年增/减 cell: one signed value
                lk, lx, loff = out.pop()
                if m.start() and lx[: m.start()].strip():
                    out.append((lk, lx[: m.start()], loff))
                out.append(("num", lx[m.start():] + x, loff + m.start()))
                continue
        out.append(("text", x.strip(), off) if k == "label" and (len(x) <= 4 or len(x.strip()) <= 4)
                   and VALUE_WORDS.fullmatch(x.strip()) else (k, x, off))
    return out


def blocks_to_tokens(blocks: list, headings: list, grid_rows: bool = False, parts=None, seek=None) -> list:
    """Tokenise the blocks; paragraphs are cut at part headings (the heading itself dropped).
    ``parts``: only blocks lying in these parts are tokenised (the table reader reads parts
    二–四, and the part before a missing heading). ``seek``: {part: [regex, …]} for parts read
    only from a table's own header on (a missing heading's table, found by its header words:
    :func:`nianbao.parsing.rows.region_tokens`): their blocks before the first one holding a
    label whose normalised text one of the regexes finds make no tokens (the tokens kept are
    those from that block on; the blocks before it hold no such label)."""
    by_block: dict = {}
    for h in headings:
        by_block.setdefault(h.block, []).append(h)
    tokens: list = []
    add = tokens.append
    new = tuple.__new__  # a Token (NamedTuple) without its generated __new__'s keyword handling
    part = 0
    wanted = True if parts is None else part in parts
    seeking = seek.get(part) if seek else None
    hits: dict = {}  # block source → it holds a sought label
    for i, b in enumerate(blocks):
        if i not in by_block:
            if not wanted:
                continue
            if seeking is not None:
                key = b.source_key()
                hit = hits.get(key)
                if hit is None:
                    mine: list = []
                    _block_tokens(b, i, part, mine, grid_rows)
                    hit = any(t.kind == "label" and any(rx.search(normalise_label(t.text)) for rx in seeking)
                              for t in mine)
                    if len(hits) > 100000:
                        hits.clear()
                    hits[key] = hit
                if not hit:
                    continue
                seeking = None
            if b.kind == "para":  # a paragraph without a heading (the common case: inline)
                cell = b if type(b) is Line else b.cells[0]  # (a text line: its own cell)
                if cell.ghost:  # a line of spaces between paragraphs: perhaps an empty cell
                    add(Token("blank", "", cell, i, part, False))
                    continue
                text = cell.text
                for kind, t, off, fused in (_para_tokens(text) if len(text) <= 200 else _para_tokens.__wrapped__(text)):
                    add(new(Token, (kind, t, cell, i, part, False, fused, off)))
                continue
            cells = b.cells
            if len(cells) == 1:  # one cell per line: the row's tokens are the cell's (inline)
                cell = cells[0]
                if not cell.ghost:
                    for k, text, off, fused in _cell_info(cell.text)[0]:
                        add(new(Token, (k, text, cell, i, part, True, fused, off)))
                continue
            _row_tokens(b, i, part, tokens, grid_rows or b.grid)  # a row of several cells
            continue
        if b.kind == "row":
            _block_tokens(b, i, part, tokens, grid_rows)
            continue
        cell = b.cells[0]
        spans = []  # the paragraph cut at its headings
        start = 0
        for h in by_block[i]:
            spans.append((start, h.start, None))
            spans.append((h.start, h.end, h))
            start = h.end
        spans.append((start, len(cell.text), None))
        for s, e, h in spans:
            if h is not None:
                part = h.part
                wanted = True if parts is None else part in parts
                seeking = seek.get(part) if seek else None
                continue
            if not wanted:
                continue  # a part no table is read from (the headings of a one-line copy: one block)
            if cell.ghost:  # a line of spaces between paragraphs: perhaps an empty cell
                tokens.append(Token("blank", "", cell, i, part, False))
                continue
            if e <= s or not cell.text[s:e].strip():
                continue
            if e - s <= 6 and cell_kind(cell.text[s:e]) == "blank":  # only “/”: a blank cell
                tokens.append(Token("blank", to_halfwidth(cell.text[s:e]).strip(), cell, i, part, False, offset=s))
                continue
            piece = cell.text[s:e]
            for kind, text, off in (_para_pieces(piece) if len(piece) <= 200 else _para_pieces.__wrapped__(piece)):
                tokens.append(Token(kind, text, cell, i, part, False, kind == "num", s + off))
    return tokens


def _block_tokens(b, i: int, part: int, out: list, grid_rows: bool) -> None:
    """The tokens of block ``i`` (a row, or a paragraph without a heading) appended to ``out``."""
    add = out.append
    if b.kind == "row":
        cells = b.cells
        if len(cells) == 1:  # one cell per line: the row's tokens are the cell's (inline)
            cell = cells[0]
            if not cell.ghost:
                for k, text, off, fused in _cell_info(cell.text)[0]:
                    add(Token(k, text, cell, i, part, True, fused, off))
            return
        _row_tokens(b, i, part, out, grid_rows or b.grid)
        return
    cell = b if type(b) is Line else b.cells[0]  # (a text line: its own cell)
    if cell.ghost:  # a line of spaces between paragraphs: perhaps an empty cell
        add(Token("blank", "", cell, i, part, False))
        return
    text = cell.text
    for kind, t, off, fused in (_para_tokens(text) if len(text) <= 200 else _para_tokens.__wrapped__(text)):
        add(Token(kind, t, cell, i, part, False, fused, off))


@lru_cache(maxsize=8192)
def _para_tokens(text: str) -> tuple:
    """A paragraph's (kind, text, offset, fused) tokens, for a paragraph block without a heading
    (:func:`_block_tokens` and the inline path of :func:`blocks_to_tokens`; memoised for short
    texts)."""
    if not text or text.isspace():
        return ()
    if len(text) <= 6 and cell_kind(text) == "blank":  # only “/”: a blank cell
        return (("blank", to_halfwidth(text).strip(), 0, False),)
    pieces = _para_pieces(text) if len(text) <= 200 else _para_pieces.__wrapped__(text)
    return tuple((kind, t, off, kind == "num") for kind, t, off in pieces)


@lru_cache(maxsize=8192)
def _para_pieces(text: str) -> tuple:
    """A paragraph's tokens as (kind, text, offset): :func:`split_mixed` without the padding
    between a line's start and its number (no label). Memoised for short texts (table rows
    copied as lines repeat their labels and values)."""
    return tuple((kind, t, off) for kind, t, off in split_mixed(text)
                 if not (kind == "label" and _NOT_A_LABEL.fullmatch(t)))


def _row_tokens(block, i: int, part: int, out: list, grid_rows: bool) -> None:
    """Tokens of one table row. In a real grid row (HTML, DOCX, a pipe table's row) every cell
    after a number is one value cell: text there (“若干”, “见附件”, “增98”) is a value to read
    (or an unreadable one), not a label."""
    seen_num = False
    add = out.append
    for cell in block.cells:
        if cell.ghost:
            continue
        pieces, has_label, has_num = _cell_info(cell.text)
        if grid_rows and seen_num and has_label:
            add(Token("text", to_halfwidth(cell.text).strip(), cell, i, part, True))
            continue
        for k, text, off, fused in pieces:
            add(_new(Token, (k, text, cell, i, part, True, fused, off)))
        if has_num:
            seen_num = True


@short_text_cache(16384)
def cell_pieces(text: str) -> tuple:
    """A table cell's tokens as (kind, text, offset, fused): one value, or labels and digit runs."""
    kind = cell_kind(text)
    if kind is not None:
        return ((kind, to_halfwidth(text).strip(), 0, False),)
    return tuple((k, t, off, k == "num") for k, t, off in split_mixed(text) if k != "label" or t.strip())


@short_text_cache(16384)
def _cell_info(text: str) -> tuple:
    """(:func:`cell_pieces`, whether one is a label, whether one is a number)."""
    pieces = cell_pieces(text)
    return pieces, any(p[0] == "label" for p in pieces), any(p[0] == "num" for p in pieces)


__all__ = ["Token", "blocks_to_tokens", "split_mixed", "cell_kind"]
