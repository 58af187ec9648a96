"""Plain text (Word/PDF conversions, web copies) → Document.

Text conversions of tables come in a few shapes, all handled here:

* one cell per line, each line starting with a tab, rows separated by an empty line;
* one row per line, cells separated by tabs (PDF exports; an empty field between two tabs is a
  *ghost*: it may or may not be a real cell);
* a cell continued on the next line without a tab (labels wrapped inside a cell);
* everything on one line (web copies): a single paragraph, split later by the table parser;
* pipe-delimited tables (Markdown conversions, web copies): ``a | b | c`` rows with or without
  outer pipes, ``|---|`` separator lines, one cell per line ending in `` |``, lone ``|`` lines
  between cells. The lines of such a region are read as one stream in which ``|`` separates cells
  (a line break inside a cell separates two cells when one side is a number); each cell becomes
  a cell of a ``row`` block of the line it starts on. Empty cells are kept (blank cells or
  padding: the table reader tells them apart by the template's column count).

Markdown headings (``# 标题``) and emphasis (``**粗体**``) are reduced to their text.
"""
from __future__ import annotations

import re

from charset_normalizer import from_bytes

from ..errors import InputError
from ..model.document import (
    Block,
    Cell,
    Document,
    LazyRow,
    Line,
    Location,
    line_location,
)


def decode_text(data: bytes) -> str:
    """Decode bytes: a UTF-8 BOM, then UTF-8, then GB18030, then charset detection (UTF-16/32
    arrive here already as UTF-8: :func:`nianbao.ingest._text.decode_wide`)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8" or _looks_chinese(text):
            return text
    best = from_bytes(data).best()
    if best is None:
        raise InputError("bad-encoding")
    return str(best)


def _looks_chinese(text: str) -> bool:
    cjk = sum(1 for ch in text[:4000] if "\u4e00" <= ch <= "\u9fff")
    return cjk >= 0.2 * max(1, len(text[:4000].strip()))


def text_to_document(text: str) -> Document:
    if "\x00" in text[:4096]:
        raise InputError("binary")
    lines = text.splitlines()
    if "|" in text:
        return Document(format="text", blocks=piped_lines_to_blocks(lines))
    return Document(format="text", blocks=lines_to_blocks(lines))


# ---------------------------------------------------------------- pipe-delimited tables

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")  # |---|:--:|
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# a pipe-less line sandwiched in a pipe table is a cell, unless it is a part heading (一、…)
_PART_NUMBERED = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
_NUMERIC = re.compile(r"^\s*[-+]?\d[\d,.，]*\s*(?:万元|元|项|件|个)?\s*$|^\s*[/／—-]\s*$")


def unmark(line: str) -> str:
    """A Markdown line's text: heading marks and emphasis dropped."""
    if "#" in line:
        line = _MD_HEADING.sub("", line)
    if "**" in line or "__" in line:
        line = _MD_EMPHASIS.sub(r"\2", line)
    return line


def pipe_regions(lines: list) -> list:
    """(start, end) line ranges forming pipe-delimited tables: consecutive lines holding a ``|``,
    with pipe-less lines between two of them when the line before ends with ``|`` or the line
    after starts with one (one cell per line between separator lines)."""
    has = [("|" in ln) for ln in lines]
    regions = []
    i, n = 0, len(lines)
    while i < n:
        if not has[i]:
            i += 1
            continue
        j = i + 1
        while j < n:
            if has[j]:
                j += 1
                continue
            # a run of pipe-less lines inside the table?
            k = j
            while k < n and not has[k] and lines[k].strip() and not _PART_NUMBERED.match(lines[k]) \
                    and k - j < 3:
                k += 1
            if k < n and has[k] and k > j and (lines[j - 1].rstrip().endswith("|") or lines[k].lstrip().startswith("|")):
                j = k
                continue
            break
        regions.append((i, j))
        i = j
    return regions


# a pipe region longer than this (no template table is) makes LazyRows: cells made when asked for
LAZY_ROWS = 200


def region_to_blocks(lines: list, start: int) -> list:
    """One pipe table's lines → row blocks (see the module doc)."""
    blocks: list = []
    append = blocks.append
    line_loc = _line
    new = _tuple_new
    # a long region's rows are LazyRows: their cells are made when a reader asks for them (the
    # rows before a table's header are not tokenised: see parsing.tokens.blocks_to_tokens)
    row_block = LazyRow if len(lines) > LAZY_ROWS else _row_block
    # the line holding cells last: (line number, index of its first field that starts a cell, its
    # fields split at the pipes). Its last field is the cell left open, which the next line may go
    # on with (its text grows) or take to itself: the line becomes a block when a later line has
    # cells of its own, or at the end; no record of every line is kept.
    pending = None
    row_line = False  # the line before was a row of several cells (``| a | b |``)
    for n, raw in enumerate(lines, start=start + 1):
        if "---" in raw and _MD_RULE.match(raw):
            continue
        line = unmark(raw) if ("#" in raw or "**" in raw or "__" in raw) else raw
        fields = line.split("|")
        nf = len(fields)
        first = 0
        if pending is not None:
            # the line goes on with the cell left open by the line before
            open_fields = pending[2]
            field = fields[0]
            current = open_fields[-1]
            open_empty = not current or current.isspace()
            if open_empty and row_line and nf > 2 and not field.strip():
                open_fields.pop()  # ``… |`` then ``| …``: the row ended, no cell between
                first = 1
            elif open_empty:
                open_fields.pop()  # the empty open cell is this line's first
            elif not (field.strip() and (_NUMERIC.match(field) or _NUMERIC.match(current))):
                open_fields[-1] = current + field
                first = 1
        row_line = nf > 2
        if first >= nf:
            continue  # no cell of its own: the pending line stays open
        if pending is not None:  # the pending line is complete: its block
            pn, pfirst, pfields = pending
            if len(pfields) == pfirst + 1 and pfirst <= 1:  # one cell (inline; no grid)
                loc = new(Location, (pn, None, None, None, None, None, len(pfields[0]) + 1)) if pfirst else line_loc(pn)
                append(Block("row", [Cell(pfields[pfirst].strip(), loc)], None, False))
            elif len(pfields) > pfirst:
                append(row_block(pn, pfirst, pfields))
        pending = (n, first, fields)
    if pending is not None and len(pending[2]) > pending[1]:
        append(row_block(*pending))
    # the empty field before a leading pipe, the empty field after the closing pipe
    for at in (0, -1):
        if blocks:
            block = blocks[at]
            if not block.cells[at].text:
                block.cells.pop(at)
                if block.cells:
                    block.grid = len(block.cells) > 1
                else:
                    blocks.pop(at)
    return blocks


def _row_block(n: int, first: int, fields: list) -> Block:
    """The block of line ``n``'s cells: its fields from ``first`` on (a grid row when several)."""
    pos = 0
    for f in fields[:first]:
        pos += len(f) + 1
    row = []
    add = row.append
    for f in fields[first:] if first else fields:
        add(Cell(f.strip(), _tuple_new(Location, (n, None, None, None, None, None, pos)) if pos else _line(n)))
        pos += len(f) + 1
    return Block("row", row, None, len(row) > 1)


_tuple_new = tuple.__new__  # a Location without the keyword handling of its generated __new__


def piped_lines_to_blocks(lines: list) -> list:
    """Lines → blocks, pipe-delimited table regions read as tables, the rest as usual."""
    blocks: list = []
    prev = 0
    for s, e in pipe_regions(lines):
        blocks.extend(lines_to_blocks(lines[prev:s], first=prev + 1))
        blocks.extend(region_to_blocks(lines[s:e], s))
        prev = e
    blocks.extend(lines_to_blocks(lines[prev:], first=prev + 1))
    return blocks


# page numbers of a PDF conversion (“- 3 -”, “— 3 —”, “第 3 页 共 6 页”, “3/6”) are not text; a
# bare number is kept (it may be a cell)
_PAGE_FURNITURE = re.compile(r"^[\s\f]*(?:[-–—－]+\s*\d{1,4}\s*[-–—－]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
                             r"|\d{1,4}\s*[/／]\s*\d{1,4})[\s\f]*$")


_FURNITURE_FIRST = frozenset("-–—－第")  # how a page number line starts, when not with a digit


_line = line_location  # ``Location(n)``, shared for the first lines


def lines_to_blocks(lines: list, first: int = 1) -> list:
    """Group lines into paragraphs and table rows (see the module doc)."""
    blocks: list = []
    row: list = []  # cells of the row being built (one-cell-per-line shape)
    last_was_cell = False
    tail: list = []  # continuation lines of row[-1], joined once (no quadratic string building)

    def close_cell():
        if tail:
            prev = row[-1]
            row[-1] = Cell(prev.text + "".join(tail), prev.loc)
            tail.clear()

    def flush():
        nonlocal row
        close_cell()
        if row:
            blocks.append(Block("row", row))
            row = []

    append = blocks.append
    for n, line in enumerate(lines, start=first):
        if "#" in line or "**" in line:
            line = unmark(line)
        if "\t" in line:
            body = line[1:] if line.startswith("\t") else line
            if "\t" in body:  # several cells on one line: a row of its own
                flush()
                fields = body.split("\t")
                loc = _line(n)
                cells = [Cell(f, loc, not f.strip()) for f in fields]
                # a field of whitespace only between tabs is still uncertain
                blocks.append(Block("row", cells))
                last_was_cell = False
            else:
                if tail:
                    close_cell()
                row.append(Cell(body, _line(n)))
                last_was_cell = True
            continue
        bare = line.strip()
        if not bare or (bare[0] in _FURNITURE_FIRST or bare[0].isdigit()) and _PAGE_FURNITURE.match(line):
            if row:  # the row ends (flush, inline)
                if tail:
                    close_cell()
                blocks.append(Block("row", row))
                row = []
            if line and not line.strip() and not last_was_cell and blocks and blocks[-1].kind == "para":
                # a line of spaces only, between paragraphs: maybe an empty cell of a table copied
                # one cell per paragraph, maybe layout — a ghost, for the table reader to decide
                blocks.append(Block("para", [Cell("", _line(n), True)]))
            last_was_cell = False
            continue
        if last_was_cell and row:
            tail.append(bare)
            continue
        if row:
            flush()
        append(Line(line, n))  # (one object per paragraph line: its cell and location made when asked for)
    flush()
    return blocks
