"""The official 2021 template's three tables as a grid, read from the blank template itself
(``data/2021-blank.docx``), and where each cell key sits in it.

Every output of ``nianbao write`` (the workbook, the DOCX, the HTML page) lays the tables out
from this one grid, so none of them redraws the template: merged header cells, the 勾稽关系 note,
labels and units are the template's own.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .. import spec

TEMPLATE = "2021"
TABLE_KEYS = ("active", "applications", "review_litigation")
SHEET_NAMES = {"active": "表二", "applications": "表三", "review_litigation": "表四"}

# The template's rows that hold figures: (table index, template row index) → spec row key.
# Table 二 repeats a header block per article of 《条例》第二十条; table 三 lists its rows in the
# spec's order from row 3; table 四 holds its fifteen figures in row 3.
_ACTIVE_ROWS = {2: "regulations", 3: "normative_documents", 6: "licensing", 9: "penalty",
                10: "coercion", 13: "fees"}
_APP_ROWS = [r.key for r in spec.expected_rows(spec.APPLICATIONS_2021, TEMPLATE)]


@dataclass(frozen=True)
class GridCell:
    row: int  # template row (w:tr) index
    col: int  # grid column
    rowspan: int
    colspan: int
    text: str  # the template's text, paragraphs joined
    tc_index: int  # index of the w:tc in its w:tr
    key: str | None = None  # the cell key when the cell holds a figure


@dataclass(frozen=True)
class Grid:
    table: str  # spec table key
    index: int  # the table's position in the template (0, 1, 2)
    widths: tuple  # grid column widths (twips)
    n_rows: int
    cells: tuple  # GridCell, in row order, only the top-left cell of a merge

    def key_cells(self) -> dict:
        return {c.key: c for c in self.cells if c.key}


def template_bytes() -> bytes:
    """The official blank 2021 template shipped with the package."""
    return resources.files(__package__).joinpath("data/2021-blank.docx").read_bytes()


def open_template():
    import io

    import docx
    return docx.Document(io.BytesIO(template_bytes()))


def _w(tag):
    from docx.oxml.ns import qn
    return qn(f"w:{tag}")


def _keys_of_row(ti: int, ri: int) -> list:
    if ti == 0:
        rkey = _ACTIVE_ROWS.get(ri)
        if rkey is None:
            return []
        t = spec.ACTIVE_2021
        return t.row_keys(t.row(rkey))
    if ti == 1:
        if 3 <= ri < 3 + len(_APP_ROWS):
            t = spec.APPLICATIONS_2021
            return t.row_keys(t.row(_APP_ROWS[ri - 3]))
        return []
    if ri == 3:
        return list(spec.REVIEW.keys())
    return []


def table_grid(tbl, ti: int) -> Grid:
    """The grid of one template table (a python-docx ``Table``): merges resolved, figure cells keyed."""
    widths = tuple(int(g.get(_w("w"))) for g in tbl._tbl.tblGrid.findall(_w("gridCol")))
    raw = []  # (row, col, span, vmerge, text, tc_index)
    for ri, tr in enumerate(tbl._tbl.tr_lst):
        col = 0
        for i, tc in enumerate(tr.tc_lst):
            pr = tc.tcPr
            gs = pr.find(_w("gridSpan")) if pr is not None else None
            vm = pr.find(_w("vMerge")) if pr is not None else None
            span = int(gs.get(_w("val"))) if gs is not None else 1
            vmerge = None if vm is None else (vm.get(_w("val")) or "continue")
            text = "".join("".join(t.text or "" for t in p.iter(_w("t"))) for p in tc.findall(_w("p")))
            raw.append((ri, col, span, vmerge, text.replace("\u3000", "").strip(), i))
            col += span
    cont = {(r, c) for r, c, s, v, t, i in raw if v == "continue"}
    cells = []
    by_row: dict = {}
    for r, c, s, v, t, i in raw:
        if v == "continue":
            continue
        n = 1
        while (r + n, c) in cont:
            n += 1
        by_row.setdefault(r, []).append(GridCell(r, c, n, s, t, i))
    n_rows = len(tbl._tbl.tr_lst)
    for r in range(n_rows):
        row = by_row.get(r, [])
        keys = _keys_of_row(ti, r)
        if keys:  # the figure cells are the row's last cells, one per key
            head, tail = row[: len(row) - len(keys)], row[len(row) - len(keys):]
            row = head + [GridCell(c.row, c.col, c.rowspan, c.colspan, "", c.tc_index, k)
                          for c, k in zip(tail, keys)]
        cells.extend(row)
    return Grid(TABLE_KEYS[ti], ti, widths, n_rows, tuple(cells))


@lru_cache(maxsize=1)
def grids() -> tuple:
    """The three tables' grids (表二, 表三, 表四)."""
    doc = open_template()
    return tuple(table_grid(t, i) for i, t in enumerate(doc.tables))


def grid(table: str) -> Grid:
    return next(g for g in grids() if g.table == table)


def keys() -> list:
    """Every cell key of the 2021 template (其他处理 divided), in table order."""
    return spec.all_keys(TEMPLATE)
