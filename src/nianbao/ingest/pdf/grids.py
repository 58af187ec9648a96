"""Ruling lines → grids: rules that touch form a grid, each character goes to the cell under its
centre; one row block per band that starts a cell."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import Optional

from ...config import DEFAULT, Settings
from ...model.document import Block, Cell, Location
from .lines import _NUMBER, Line, chars_to_lines, join_lines, split_numbers


class GridCell:
    """One cell of a ruled grid: bands r0..r1, columns c0..c1, its box and its characters;
    ``cell`` is the Cell emitted for it, ``lines`` its lines when made in bulk (see
    :func:`.arrays.assign`). A slotted class: a page's grids have hundreds of cells."""

    __slots__ = ("r0", "r1", "c0", "c1", "bbox", "chars", "cell", "lines")

    def __init__(self, r0: int, r1: int, c0: int, c1: int, bbox: tuple, chars: Optional[list] = None,
                 cell: Optional[Cell] = None, lines: Optional[list] = None):
        self.r0, self.r1, self.c0, self.c1, self.bbox = r0, r1, c0, c1, bbox
        self.chars = [] if chars is None else chars
        self.cell = cell
        self.lines = lines

    def __repr__(self) -> str:
        return f"GridCell(r0={self.r0}, r1={self.r1}, c0={self.c0}, c1={self.c1}, bbox={self.bbox})"


@dataclass(eq=False)
class Grid:
    """A ruled table on one page: grid line positions (top-left origin) and its cells."""

    xs: list
    ys: list
    cells: list
    index: int = -1  # table index in the document
    atom_cells: list = field(default_factory=list)  # atom (band * columns + column) → index in cells

    @property
    def bbox(self) -> tuple:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


def rules_to_grids(rules: list, settings: Settings = DEFAULT) -> list:
    """Cluster rules that touch into grids, top to bottom; keep those with two cells or more."""
    if len(rules) > settings.max_rules:  # a hatched or generated page: no table grid to trust
        return []
    hs = [r for r in rules if r.horizontal]
    vs = sorted((r for r in rules if not r.horizontal), key=attrgetter("pos"))
    snap = settings.snap
    v_pos = [v.pos for v in vs]
    v_reach = [(v.start - snap, v.end + snap) for v in vs]
    nh = len(hs)
    parent = list(range(nh + len(vs)))  # union-find: rules that touch go together
    for hi, h in enumerate(hs):
        pos = h.pos
        a = hi
        for vi in range(bisect_left(v_pos, h.start - snap), bisect_right(v_pos, h.end + snap)):
            low, high = v_reach[vi]
            if low <= pos <= high:
                b = nh + vi
                while parent[a] != a:
                    parent[a] = a = parent[parent[a]]
                while parent[b] != b:
                    parent[b] = b = parent[parent[b]]
                if a != b:
                    parent[a] = b
                    a = b
    members = hs + vs
    grids = [build_grid([members[i] for i in group], settings) for group in _groups(parent)]
    grids = [g for g in grids if g is not None and len(g.cells) >= 2]
    grids.sort(key=lambda g: g.ys[0])
    return grids


def _groups(parent: list) -> list:
    """The indices grouped by their union-find root: each group in index order, the groups in the
    order of their first index."""
    groups: dict = {}
    for i in range(len(parent)):
        root = i
        while parent[root] != root:
            root = parent[root]
        groups.setdefault(root, []).append(i)
    return list(groups.values())


def snap_positions(values: list, snap: float) -> list:
    """Merge sorted positions closer than ``snap`` to each other into their mean (rounded to 0.01)."""
    out: list = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= snap:
            out[-1].append(v)
        else:
            out.append([v])
    return [round(sum(g) / len(g), 2) for g in out]


def build_grid(rules: list, settings: Settings = DEFAULT) -> Optional[Grid]:
    """Grid lines and cells of one cluster of rules: a cell is a set of atoms no rule separates."""
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    if len(hs) < 2 or len(vs) < 2:
        return None
    xs = snap_positions([v.pos for v in vs] + [min(h.start for h in hs), max(h.end for h in hs)], settings.snap)
    ys = snap_positions([h.pos for h in hs] + [min(v.start for v in vs), max(v.end for v in vs)], settings.snap)
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1 or nr * nc > settings.max_grid_cells:
        return None
    v_walls = rule_coverage(vs, xs, ys, settings.snap)  # v_walls[j][i]: a rule at xs[j] separates band i
    h_walls = rule_coverage(hs, ys, xs, settings.snap)  # h_walls[i][j]: a rule at ys[i] separates column j
    cells = []
    groups = atom_groups(nr, nc, v_walls, h_walls)
    for atoms in groups:
        if len(atoms) == 1:
            r0, c0 = divmod(atoms[0], nc)
            r1, c1 = r0, c0
        else:
            cols = [k % nc for k in atoms]
            r0, r1, c0, c1 = atoms[0] // nc, atoms[-1] // nc, min(cols), max(cols)  # atoms come in order
        cells.append(GridCell(r0, r1, c0, c1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    ranks = sorted(range(len(cells)), key=lambda k: (cells[k].r0, cells[k].c0))
    atom_cells = [0] * (nr * nc)
    for rank, k in enumerate(ranks):
        for atom in groups[k]:
            atom_cells[atom] = rank
    return Grid(xs, ys, [cells[k] for k in ranks], atom_cells=atom_cells)


def atom_groups(nr: int, nc: int, v_walls: list, h_walls: list) -> list:
    """The atoms (band * columns + column) of an ``nr`` × ``nc`` grid grouped into cells: two
    neighbouring atoms are in one cell when no rule separates them (``v_walls[j][i]``: a rule at
    column line j in band i; ``h_walls[i][j]``: a rule at band line i in column j). Each group in
    index order, the groups in the order of their first atom (as :func:`connected_groups`)."""
    label = [0] * (nr * nc)  # a provisional cell per atom, merged through ``parent``
    parent: list = []

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    k = 0
    for i in range(nr):
        above = h_walls[i]
        for j in range(nc):
            left = j > 0 and not v_walls[j][i]
            up = i > 0 and not above[j]
            if left and up:
                a, b = find(label[k - 1]), find(label[k - nc])
                if a != b:
                    parent[max(a, b)] = min(a, b)
                label[k] = min(a, b)
            elif left:
                label[k] = label[k - 1]
            elif up:
                label[k] = label[k - nc]
            else:
                label[k] = len(parent)
                parent.append(len(parent))
            k += 1
    groups: dict = {}
    for k, lab in enumerate(label):
        groups.setdefault(find(lab), []).append(k)
    return list(groups.values())


def connected_groups(n: int, links) -> list:
    """Indices ``0..n-1`` grouped by the ``(a, b)`` links that join them (union-find); each group
    in index order, the groups in the order of their first index."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        parent[find(a)] = find(b)
    groups: dict = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def rule_coverage(rules: list, positions: list, across: list, snap: float) -> list:
    """For each grid line at ``positions``, which of the intervals between ``across`` lines its
    rules cover (an interval counts as covered when a rule reaches over its middle)."""
    mids = [(a + b) / 2 for a, b in zip(across, across[1:])]
    covered = [[False] * len(mids) for _ in positions]
    last = len(positions) - 1
    for r in rules:
        k = bisect_left(positions, r.pos)
        if k > last or (k > 0 and abs(positions[k - 1] - r.pos) <= abs(positions[k] - r.pos)):
            k -= 1  # the nearer of the two neighbours (the lower one on a tie)
        if abs(positions[k] - r.pos) <= snap:
            row = covered[k]
            for m in range(bisect_left(mids, r.start - snap), bisect_right(mids, r.end + snap)):
                row[m] = True
    return covered


def assign_lines(grids: list, lines: list, settings: Settings = DEFAULT) -> list:
    """Put the chars of lines that reach into a grid into its cells (by the char's centre);
    return the lines outside the grids, a line cut by a grid keeping the chars left outside."""
    if not grids:
        return lines
    src = _shared_source(lines)
    if src is not None:
        from .arrays import assign
        return assign(src, [(grids, lines)], settings)[0]
    entries = [(g.bbox, g.xs, g.ys, len(g.xs) - 1, cell_lookup(g)) for g in grids]
    rest = []
    for line in lines:
        x0, top, x1, bottom = line.bbox
        hits = [e for e in entries if e[0][0] < x1 and x0 < e[0][2] and e[0][1] < bottom and top < e[0][3]]
        if not hits:
            rest.append(line)
            continue
        outside = []
        for c in line.chars:
            cx, cy = (c.x0 + c.x1) * 0.5, (c.top + c.bottom) * 0.5
            for (gx0, gtop, gx1, gbottom), xs, ys, nc, lookup in hits:
                if gx0 < cx < gx1 and gtop < cy < gbottom:
                    lookup[(bisect_right(ys, cy) - 1) * nc + bisect_right(xs, cx) - 1].chars.append(c)
                    break
            else:
                outside.append(c)
        if outside:
            rest.append(Line(outside, settings))
    return rest


def assign_pages(pages: list, settings: Settings = DEFAULT) -> list:
    """:func:`assign_lines` for each ``(grids, lines)`` of ``pages``; the pages whose lines were
    made in bulk together (one batch of a text-layer PDF) are done in one bulk pass."""
    out: list = [None] * len(pages)
    bulk: dict = {}
    for k, (grids, lines) in enumerate(pages):
        src = _shared_source(lines) if grids else None
        if src is None:
            out[k] = assign_lines(grids, lines, settings)
        else:
            bulk.setdefault(id(src), (src, []))[1].append(k)
    if bulk:
        from .arrays import assign
        for src, ks in bulk.values():
            for k, rest in zip(ks, assign(src, [pages[k] for k in ks], settings)):
                out[k] = rest
    return out


def _shared_source(lines: list):
    """The character arrays all the lines were made from in bulk, or None."""
    src = lines[0]._src if lines else None
    return src if src is not None and all(ln._src is src for ln in lines) else None


def cell_lookup(grid: Grid) -> dict:
    """Atom index (band * columns + column) → the grid cell covering it."""
    nc = len(grid.xs) - 1
    lookup = {}
    for cell in grid.cells:
        for i in range(cell.r0, cell.r1 + 1):
            for j in range(cell.c0, cell.c1 + 1):
                lookup[i * nc + j] = cell
    return lookup


def grid_rows(grid: Grid, page: int, settings: Settings = DEFAULT) -> list:
    """One row block per grid band that starts a cell; a cell appears only in its first band.

    An empty cell gives ``Cell("")`` so that the row keeps its column count; a row of empty cells
    only is left out. A band that holds several visual rows (no rules between them: some cell
    stacks numbers line over line) is cut into those rows, see :func:`stacked_rows`; a number
    wrapped inside a narrow cell (``300`` over ``1``, as Word and LibreOffice print ``3001`` in a
    cell too narrow for it) is not such a stack and reads as one number.
    """
    rows = []
    new_loc = tuple.__new__
    for _, band_cells in groupby(grid.cells, key=_r0):  # the cells come sorted by band, then column
        cells_lines = [(gc, gc.lines if gc.lines is not None else chars_to_lines(gc.chars, settings) if gc.chars else [])
                       for gc in band_cells]  # left to right
        stacked = [lines for gc, lines in cells_lines if len(lines) >= 2 and not wrapped_number(lines, gc.bbox)]
        subrows = stacked_rows(stacked) if stacked else []
        if subrows:
            rows.extend(Block("row", cells, table=grid.index) for cells in split_band(cells_lines, subrows, page)
                        if any(c.text for c in cells))
            continue
        cells = []
        filled = False
        for gc, lines in cells_lines:
            loc = new_loc(Location, (None, None, None, None, page, gc.bbox, *_LOC_TAIL))  # grid lines are rounded already
            if not lines:
                gc.cell = cell = Cell("", loc)
                cells.append(cell)
                continue
            filled = True
            text = lines[0].text if len(lines) == 1 else join_lines(lines, gc.bbox[2])
            gc.cell = cell = Cell(text, loc)
            parts = split_numbers(text) if len(lines) == 1 and " " in text else None
            if parts is None or len(parts) == 1:
                cells.append(cell)
            else:
                cells.extend([Cell(p, loc) for p in parts])
        if filled and any(c.text for c in cells):
            rows.append(Block("row", cells, table=grid.index))
    return rows


_r0 = attrgetter("r0")


def page_location(page: int, bbox: tuple) -> Location:
    """``Location(page=page, bbox=bbox)``, made as a plain tuple (one per cell: the keywords and
    the named tuple's ``__new__`` cost)."""
    return tuple.__new__(Location, (None, None, None, None, page, bbox, *_LOC_TAIL))


assert Location._fields[4:6] == ("page", "bbox")
assert all(Location._field_defaults.get(f, 0) is None for f in Location._fields[:4])
_LOC_TAIL = tuple(Location._field_defaults[f] for f in Location._fields[6:])  # the defaults after bbox


def wrapped_number(lines: list, bbox: tuple) -> bool:
    """Whether a cell's lines are one number wrapped at the cell's width: two lines or more, all
    digits, every line but the last filling the cell from its left edge to its right edge (within
    two em: the cell padding and the digit that did not fit), the whole a number."""
    if len(lines) < 2 or not all(ln.text.isdigit() for ln in lines):
        return False
    for ln in lines[:-1]:
        em = max(ln.bbox[3] - ln.bbox[1], 1.0)
        if ln.bbox[0] - bbox[0] >= 2 * em or bbox[2] - ln.bbox[2] >= 2 * em:
            return False
    return _NUMBER.match("".join(ln.text for ln in lines)) is not None


def stacked_rows(cells_lines: list) -> list:
    """Centres of the visual rows of a band whose cells stack numbers line over line (a table
    without rules between its rows), or ``[]`` when no cell holds two number lines."""
    numeric = [line for lines in cells_lines if len(lines) >= 2 and all(_NUMBER.match(ln.text) for ln in lines)
               for line in lines]
    if not numeric:
        return []
    centres: list = []
    for line in sorted(numeric, key=attrgetter("top")):
        mid = (line.bbox[1] + line.bbox[3]) / 2
        if not centres or mid - centres[-1] > 0.5 * (line.bbox[3] - line.bbox[1]):
            centres.append(mid)
    return centres if len(centres) >= 2 else []


def split_band(cells_lines: list, centres: list, page: int) -> list:
    """Cells of the visual rows at ``centres``: each line of a cell goes to the last row starting
    at or above it; a text cell with fewer lines than rows (a row-spanning label) stays whole in
    the row of its first line. A cell with nothing in a row gives ``Cell("")`` there."""
    rows: list = [[] for _ in centres]
    for gc, lines in cells_lines:
        gc.cell = None  # not rejoined over a page break
        loc = page_location(page, gc.bbox)
        per_row: list = [[] for _ in centres]
        for line in lines:
            mid = (line.bbox[1] + line.bbox[3]) / 2
            k = bisect_right(centres, mid + 0.5 * (line.bbox[3] - line.bbox[1])) - 1
            per_row[max(k, 0)].append(line)
        if lines and len(lines) < len(centres) and not any(_NUMBER.match(ln.text) for ln in lines):
            first = next(k for k, got in enumerate(per_row) if got)
            rows[first].append(Cell(join_lines(lines, gc.bbox[2]), loc))
            continue
        for k, got in enumerate(per_row):
            rows[k].append(Cell(join_lines(got, gc.bbox[2]), loc))
    return rows
