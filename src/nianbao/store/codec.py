"""A report as the rows the store keeps, and back: made once, on the worker, sent compactly.

A worker turns its report into plain tuples (cells, parts, findings) and JSON text, so the
writing process only adds ids and inserts them: no full record to unpickle, no per-cell dicts.
The rows are the compact schema's (migration 5): a cell is its key, its exact value, its raw text
only where that differs from the value's digits, flags (certain; raw is NULL) and its location; a
report's cells travel as one JSON text (:func:`cell_set`), the row SQLite keeps (migration 12).
Reading back (:func:`cell_from_row`) gives the parser's ``CellValue`` again, equal to ``parse``'s.
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal

CERTAIN = 1
RAW_NULL = 2  # the raw text itself is None (never dropped for being equal to the value)


def j(v):
    return None if v is None else json.dumps(v, ensure_ascii=False)


def exact(v):
    """A cell value as exact decimal text (``value_exact``): ints as they are; a float from the
    parser (money with cents) by its shortest repr, which is the decimal the report wrote (values
    are below 10¹² with at most a few decimals, well within a double's 15 exact digits)."""
    if v is None:
        return None
    if isinstance(v, float):
        return str(Decimal(repr(v)))
    return str(int(v))


def _number(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def from_exact(text, fallback=None, *, decimal: bool = False):
    """``value_exact`` back as int (whole) or, for a fraction, float (``decimal=True``: Decimal)."""
    if text is None:
        return _number(fallback)
    d = Decimal(str(text))
    if d == d.to_integral_value():
        return int(d)
    return d.normalize() if decimal else float(d)


def cell_row(key: str, cell) -> tuple:
    """(key, value_exact, raw or None, flags, line, table, row, col, page, bbox, char) of a CellValue."""
    v, raw = cell.value, cell.raw
    flags = (CERTAIN if cell.certain else 0) | (RAW_NULL if raw is None else 0)
    if raw is not None and type(v) is int and raw == str(v):
        raw = None  # the digits as written: the value says it
    loc = cell.loc
    if loc is None:
        return (key, exact(v), raw, flags, None, None, None, None, None, None, None)
    bbox = loc.bbox
    return (key, exact(v), raw, flags, loc.line, loc.table, loc.row, loc.col, loc.page,
            None if bbox is None else ",".join(str(x) for x in bbox), loc.char)


def cell_from_row(value_exact, raw, flags, line, table, row, col, page, bbox, char):
    """The CellValue of a stored row (the inverse of :func:`cell_row`, key aside)."""
    from ..model.document import Location
    from ..model.report import CellValue
    value = from_exact(value_exact)
    if raw is None and not flags & RAW_NULL and value is not None:
        raw = str(value)
    if line is None and table is None and row is None and col is None and page is None and bbox is None \
            and char is None:
        loc = None
    else:
        loc = Location(line, table, row, col, page,
                       None if bbox is None else tuple(float(x) for x in bbox.split(",")), char)
    return CellValue(value, raw, loc, bool(flags & CERTAIN))


def cell_set(cells: dict) -> tuple:
    """A report's cells as ``(keys, cells)``: the keys in order, and the cells as one JSON array
    text, a cell ``[value, flags, line, table, row, col, raw, page, bbox, char]`` without its
    trailing nulls (an integer value as a JSON number, a fraction as its exact digits, as text;
    raw as in :func:`cell_row`); () when there are no cells. SQLite keeps the text as it is
    (``cell_sets``, migration 12), under the id of the list of keys: one row per report, and one
    ``json.dumps`` on the worker."""
    if not cells:
        return ()
    rows: list = []
    add = rows.append
    for cell in cells.values():
        v, raw, loc = cell.value, cell.raw, cell.loc
        flags = (CERTAIN if cell.certain else 0) | (RAW_NULL if raw is None else 0)
        if type(v) is int:
            if raw is not None and raw == str(v):
                raw = None  # the digits as written: the value says it
        elif v is not None:
            v = exact(v)
        if loc is None:
            add((v, flags) if raw is None else (v, flags, None, None, None, None, raw))
            continue
        page, bbox, char = loc.page, loc.bbox, loc.char
        if raw is None and page is None and bbox is None and char is None:  # the usual shapes, made at once
            table, row, col = loc.table, loc.row, loc.col
            add((v, flags, loc.line) if table is None and row is None and col is None
                else (v, flags, loc.line, table, row, col))
            continue
        cell_list = [v, flags, loc.line, loc.table, loc.row, loc.col, raw, page,
                     None if bbox is None else ",".join(str(x) for x in bbox), char]
        while cell_list[-1] is None:
            cell_list.pop()
        add(cell_list)
    return tuple(cells), _dumps(rows)


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def set_columns(keys: tuple, text: str) -> tuple:
    """The cells of :func:`cell_set` as columns (key, value_exact, raw, flags, line, table, row, col,
    page, bbox, char — each a tuple, one element per cell; a column NULL in every cell as one None):
    the rows PostgreSQL's ``cell_sets`` arrays are made from."""
    pad = (None,) * 10
    cells = [(*c, *pad[len(c):]) for c in json.loads(text)]
    value, flags, line, table, row, col, raw, page, bbox, char = zip(*cells)
    value = tuple(v if v is None or type(v) is str else str(v) for v in value)
    cols = (keys, value, raw, flags, line, table, row, col, page, bbox, char)
    return tuple(None if optional and col.count(None) == len(col) else col for optional, col in zip(OPTIONAL, cols))


OPTIONAL = (False, False, True, False, True, True, True, True, True, True, True)
"""Of :func:`cell_row`'s columns, those that are often NULL in every cell of a report."""


def cell_columns(cells: dict) -> tuple:
    """A report's cells as columns (key, value_exact, raw, flags, line, table, row, col, page, bbox,
    char — each a tuple, one element per cell), a column NULL in every cell as one None; () when
    there are no cells: the rows PostgreSQL's ``cell_sets`` arrays are made from, made on the worker."""
    if not cells:
        return ()
    cols = zip(*(cell_row(k, c) for k, c in cells.items()))
    return tuple(None if optional and col.count(None) == len(col) else col for optional, col in zip(OPTIONAL, cols))


def columns_cells(cols: tuple) -> dict:
    """{key: CellValue} of :func:`cell_columns`' columns (their inverse)."""
    n = len(cols[0])
    return {key: cell_from_row(*row)
            for key, *row in zip(*(col if col is not None else (None,) * n for col in cols))}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def encode_report(report, findings, cells: str | None = None) -> dict:
    """The compact result of one parsed and audited report (the worker's part of the writing).
    ``cells``: the shape the store keeps them in (``migrations.CELL_SETS``): ``"arrays"``
    (PostgreSQL: :func:`cell_columns`), else one JSON text (:func:`cell_set`)."""
    rec = report.to_dict(full=False)
    rec.pop("cells")
    labels = j(dict(report.labels))
    counts = {s: 0 for s in ("error", "warning", "info")}
    rows = []
    for f in findings:
        d = f.to_dict()
        counts[d["severity"]] = counts.get(d["severity"], 0) + 1
        rows.append((d["code"], d["name"], d["severity"], d["message"], j(d["keys"]), j(d["loc"]),
                     j(d["expected"]), j(d["actual"])))
    return {
        "format": report.format,
        "meta": (report.agency, report.year, report.template, report.title),
        "record": j(rec),  # the record without cells, parts and labels (they have their tables)
        "labels": (digest(labels), labels),
        "cells": cell_columns(report.cells) if cells == "arrays" else cell_set(report.cells),
        "parts": [(p.number, p.title, p.text, j(p.loc.to_dict()) if p.loc is not None else None)
                  for p in report.parts],
        "findings": rows,
        "counts": (counts["error"], counts["warning"], counts["info"]),
    }
