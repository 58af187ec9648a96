"""Pages → blocks in reading order: page furniture dropped, wrapped headings joined, unruled rows
split into columns, a ruled table going on over a page break kept as one table."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ...config import DEFAULT, Settings
from ...model.document import Block, Cell
from .._text import PAGE_NUMBER as _PAGE_NUMBER
from .grids import Grid, assign_pages, grid_rows, page_location, rules_to_grids
from .lines import (
    _DIGIT_GAP,
    _NUMBER,
    Line,
    _bbox,
    is_row_like,
    join_chars,
    join_lines,
    line_segments,
)

_ENUMERATOR = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．])")
_DIGITS = re.compile(r"\d+")


class LineGroup:
    """The lines of one title or heading wrapped over several centred lines (see
    :func:`merge_heading_lines`): read as one paragraph."""

    __slots__ = ("lines", "top")

    def __init__(self, lines: list):
        self.lines = lines
        self.top = lines[0].top


@dataclass
class LayoutState:
    """What reading order carries from block to block and from page to page: the next table
    index (tables are numbered from 1, as in HTML/DOCX), the grid that closed the previous page,
    the index of the unruled table being read (if any), and the reader's settings."""

    settings: Settings = DEFAULT
    next_table: int = 1
    last_grid: Optional[Grid] = None
    unruled: Optional[int] = None

    def new_table(self) -> int:
        self.next_table += 1
        return self.next_table - 1


def in_margin(line: Line, page_height: float, settings: Settings = DEFAULT) -> bool:
    """Whether the line lies in the top or bottom margin band of the page."""
    margin = settings.margin
    return line.bbox[3] < page_height * margin or line.top > page_height * (1 - margin)


def is_furniture(line: Line, page_height: float, running: frozenset = frozenset(),
                 settings: Settings = DEFAULT) -> bool:
    """A page number (``- 4 -``, ``— 4 —``, ``第 4 页``, ``4/6``) or a running header/footer
    (its text, digits masked, in ``running``) in the top or bottom margin."""
    return in_margin(line, page_height, settings) and (_PAGE_NUMBER.match(line.text) is not None
                                             or _DIGITS.sub("#", line.text) in running)


def running_lines(laid_out: list, settings: Settings = DEFAULT) -> frozenset:
    """Texts (digits masked) of margin lines that come back on at least half of the pages, three
    at least: running headers and footers."""
    if len(laid_out) < 3:
        return frozenset()
    counts: dict = {}
    for page, _, lines in laid_out:
        for text in {_DIGITS.sub("#", ln.text) for ln in lines if in_margin(ln, page.height, settings)}:
            counts[text] = counts.get(text, 0) + 1
    need = max(3, (len(laid_out) + 1) // 2)
    return frozenset(text for text, n in counts.items() if n >= need)


def pages_to_blocks(pages: list, settings: Settings = DEFAULT) -> list:
    """Lay out every page, drop the page furniture, and chain the pages' blocks; a table going on
    over a page break keeps its index."""
    all_grids = [rules_to_grids(page.rules, settings) for page in pages]
    rests = assign_pages([(grids, page.lines) for grids, page in zip(all_grids, pages)], settings)
    laid_out = [(page, [g for g in grids if any(gc.chars or gc.lines for gc in g.cells)], lines)
                for page, grids, lines in zip(pages, all_grids, rests)]
    running = running_lines(laid_out, settings)
    body = body_size([ln for _, _, lines in laid_out for ln in lines])
    blocks: list = []
    state = LayoutState(settings)
    for page, grids, lines in laid_out:
        lines = [ln for ln in lines if not is_furniture(ln, page.height, running, settings)]
        blocks.extend(page_blocks(page.number, grids, merge_heading_lines(lines, body, settings), state))
    return blocks


def line_size(line: Line) -> float:
    """The median character height of a line (the loose boxes of digits and of CJK characters
    from different fonts differ; the median is the line's type size)."""
    if line.size is None:
        if line._chars is None:  # made in bulk: the heights from the arrays (the same values)
            heights = sorted(line._src.h[line._idx].tolist())
        else:
            heights = sorted(c.height for c in line.chars)
        line.size = heights[len(heights) // 2]
    return line.size


def body_size(lines: list) -> float:
    """The type size of the body text: the line size that half of the characters outside the
    grids reach (0 when there is no text)."""
    sized = sorted((line_size(ln), ln.count) for ln in lines)
    half = sum(n for _, n in sized) / 2
    seen = 0
    for size, n in sized:
        seen += n
        if seen >= half:
            return size
    return 0.0


def merge_heading_lines(lines: list, body: float, settings: Settings = DEFAULT) -> list:
    """Lines of one page, with each title or heading wrapped over several lines made one
    :class:`LineGroup`. Two lines go together when both are paragraph text (not table rows) in
    a type at least ``settings.heading_size`` times the body's, of the same size (within 15 %), one right
    under the other (at most one em apart), centred on the same axis (within half an em) and of
    different widths (by one em at least: justified lines of a paragraph are of equal width)."""
    if body <= 0 or len(lines) < 2:
        return lines
    out: list = []
    prev_size = 0.0
    heading = settings.heading_size * body
    for line in lines:
        size = line_size(line)
        last = out[-1] if out else None
        if last is not None and size >= heading and prev_size >= heading \
                and abs(size - prev_size) <= 0.15 * max(size, prev_size):
            above = last.lines[-1] if isinstance(last, LineGroup) else last
            (ax0, _, ax1, abottom), (bx0, btop, bx1, _) = above.bbox, line.bbox
            em = max(size, prev_size)
            if (0 <= btop - abottom <= em and abs((ax0 + ax1) - (bx0 + bx1)) / 2 <= 0.5 * em
                    and abs((ax1 - ax0) - (bx1 - bx0)) >= em and is_para_line(above, settings) and is_para_line(line, settings)):
                out[-1] = LineGroup((last.lines if isinstance(last, LineGroup) else [last]) + [line])
                prev_size = size
                continue
        out.append(line)
        prev_size = size
    return out


def is_para_line(line: Line, settings: Settings = DEFAULT) -> bool:
    """Whether :func:`line_block` reads the line as a paragraph (not as a row of a table)."""
    splits = line.widest > settings.column_gap or _DIGIT_GAP.search(line.text) is not None
    return not (splits and is_row_like(line_segments(line, settings), settings))


def page_blocks(page: int, grids: list, lines: list, state: LayoutState) -> list:
    """Blocks of one page in reading order (top to bottom)."""
    items = sorted([(g.ys[0], 0, g) for g in grids] + [(ln.top, 1, ln) for ln in lines], key=lambda t: t[:2])
    out: list = []
    for k, (_, _, item) in enumerate(items):
        if isinstance(item, Grid):
            out.extend(grid_blocks(item, page, state, opens_page=(k == 0)))
        elif isinstance(item, LineGroup):
            state.unruled = None
            bbox = _union([ln.bbox for ln in item.lines])
            out.append(Block("para", [Cell(join_lines(item.lines), page_location(page, _round(bbox)))]))
        else:
            out.append(line_block(item, page, state))
    state.last_grid = items[-1][2] if items and isinstance(items[-1][2], Grid) else None
    return out


def grid_blocks(grid: Grid, page: int, state: LayoutState, opens_page: bool) -> list:
    """Row blocks of a grid. A grid opening the page with the left/right edges of the grid that
    closed the previous page continues that table."""
    prev = state.last_grid if opens_page else None
    same_edge = state.settings.same_edge
    if prev is not None and abs(prev.xs[0] - grid.xs[0]) <= same_edge and abs(prev.xs[-1] - grid.xs[-1]) <= same_edge:
        grid.index = prev.index
    else:
        prev = None
        grid.index = state.new_table()
    state.unruled = None
    rows = grid_rows(grid, page, state.settings)
    if prev is not None and rows:
        merge_continued_cells(prev, grid, rows, same_edge)
    return rows


def merge_continued_cells(prev: Grid, grid: Grid, rows: list, same_edge: float) -> None:
    """Rejoin row-spanning labels cut by a page break (e.g. ``（四）无`` | ``法提供``).

    A cell opening the new page's grid that spans several bands, has the column edges of a cell
    closing the previous page's grid, and is empty or text that neither is a number nor starts
    with an enumerator (``2.``, ``（五）``), is appended to that cell and leaves its row.
    """
    last_band = len(prev.ys) - 2
    closing = [p for p in prev.cells if p.r1 == last_band and p.cell is not None and p.cell.text
               and not _NUMBER.match(p.cell.text)]
    first = rows[0]
    for gc in grid.cells:
        if gc.r0 != 0 or gc.r1 == 0 or not any(c is gc.cell for c in first.cells):
            continue
        text = gc.cell.text
        if _NUMBER.match(text) or _ENUMERATOR.match(text):
            continue
        match = next((p for p in closing if abs(p.bbox[0] - gc.bbox[0]) <= same_edge
                      and abs(p.bbox[2] - gc.bbox[2]) <= same_edge), None)
        if match is not None:
            match.cell.text += text
            first.cells = [c for c in first.cells if c is not gc.cell]
    if not any(c.text for c in first.cells):
        rows.pop(0)


def line_block(line: Line, page: int, state: LayoutState) -> Block:
    """A para block, or a row block of an unruled table when the line splits into columns."""
    settings = state.settings
    splits = line.widest > settings.column_gap or _DIGIT_GAP.search(line.text) is not None
    segments = line_segments(line, settings) if splits else None
    if segments is None or not is_row_like(segments, settings):
        state.unruled = None
        return Block("para", [Cell(line.text, page_location(page, _round(line.bbox)))])
    if state.unruled is None:
        state.unruled = state.new_table()
    cells = [Cell(join_chars(s, settings), page_location(page, _round(_bbox(s)))) for s in segments]
    return Block("row", cells, table=state.unruled)


def _union(boxes: list) -> tuple:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _round(bbox: tuple) -> tuple:
    x0, top, x1, bottom = bbox
    return (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))
