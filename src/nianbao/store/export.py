"""Tidy datasets out of a corpus: long (one row per cell) and wide (one table per template table),
as CSV, XLSX, Parquet or JSON."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from decimal import Decimal

from .. import spec
from ..output.safe import csv_cell, safe_row, sheet_name

FORMATS = ("csv", "xlsx", "parquet", "json")
LONG_COLUMNS = ["agency", "year", "template", "table", "row", "column", "value", "raw", "certain", "file"]
_WIDE_TABLES = ("active", "applications", "review_litigation")


def long_to_wide(rows: list) -> dict:
    """{table: (columns, rows)}: one row per report (file), one column per ``row.column`` cell."""
    out = {}
    for t in _WIDE_TABLES:
        cols: list = []
        seen = set()
        for tpl in ("2021", "2019"):
            for r in spec.table(tpl, t).rows:
                for c in r.columns:
                    k = f"{r.key}.{c.key}"
                    if k not in seen:
                        seen.add(k)
                        cols.append(k)
        by_report: dict = {}
        for row in rows:
            if row["table"] != t:
                continue
            rec = by_report.setdefault(row["file"], {"agency": row["agency"], "year": row["year"],
                                                     "template": row["template"], "file": row["file"]})
            rec[f"{row['row']}.{row['column']}"] = row["value"]
        used = [c for c in cols if any(c in r for r in by_report.values())]
        header = ["agency", "year", "template", "file"] + used
        out[t] = (header, [[r.get(h) for h in header] for r in by_report.values()])
    return out


def write_tables(tables: dict, out: Path, fmt: str) -> list:
    """Write {name: (columns, rows)} to ``out`` (a directory; an .xlsx file holds all sheets)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt}")
    out = Path(out)
    written = []
    if fmt == "xlsx":
        from openpyxl import Workbook
        path = out if out.suffix == ".xlsx" else out / "nianbao.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        wb = Workbook(write_only=True)
        used: set = set()
        for name, (cols, rows) in tables.items():
            ws = wb.create_sheet(sheet_name(name, used))
            ws.append(safe_row(cols))
            for r in rows:
                ws.append(safe_row(r))
        wb.save(path)
        return [path]
    out.mkdir(parents=True, exist_ok=True)
    for name, (cols, rows) in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            with path.open("w", newline="", encoding="utf-8-sig") as f:
                w = csv.writer(f)
                w.writerow([csv_cell(c) for c in cols])
                w.writerows([csv_cell(v) for v in r] for r in rows)
        elif fmt == "json":
            with path.open("w", encoding="utf-8") as f:
                json.dump([dict(zip(cols, r)) for r in rows], f, ensure_ascii=False, indent=1, default=_json_number)
        else:
            import pyarrow.parquet as pq
            pq.write_table(_arrow_table(cols, rows), path)
        written.append(path)
    return written


_COUNTS_OR_MONEY = ("value",)


def _json_number(v):
    if isinstance(v, Decimal):  # cents: the decimal's digits, as a JSON number
        return float(v) if v != v.to_integral_value() else int(v)
    raise TypeError(f"not JSON serialisable: {type(v).__name__}")


def _money_columns() -> set:
    return {f"{r.key}.{c.key}" for tpl in ("2019", "2021") for t in _WIDE_TABLES
            for r in spec.table(tpl, t).rows for c in r.columns if c.money}


def _arrow_table(cols, rows):
    """Exact Parquet types: counts int64, money decimal128(20, 2) (or more places when a report wrote
    them); the long table's ``value`` mixes both, so it is decimal too."""
    import pyarrow as pa
    money = _money_columns()
    arrays = {}
    for i, c in enumerate(cols):
        vals = [r[i] for r in rows]
        numeric = c == "value" or "." in c
        if not numeric or c in ("agency", "year", "template", "file"):
            arrays[c] = pa.array(vals)
            continue
        if c == "value" or c in money or any(isinstance(v, (Decimal, float)) for v in vals):
            places = max([2] + [-Decimal(str(v)).as_tuple().exponent for v in vals if v is not None])
            arrays[c] = pa.array([None if v is None else Decimal(str(v)) for v in vals],
                                 type=pa.decimal128(20 + places, places))
        else:
            arrays[c] = pa.array(vals, type=pa.int64())
    return pa.table(arrays)


def export(corpus, out, *, fmt: str = "csv", shape: str = "both", year=None, agency=None, template=None) -> list:
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            from .db import StoreError
            raise StoreError("导出 Parquet 需要安装 pyarrow：pip install 'nianbao[parquet]'（或改用 --format csv/xlsx/json）") from None
    rows = corpus.long_rows(year=year, agency=agency, template=template)
    tables = {}
    if shape in ("long", "both"):
        tables["cells_long"] = (LONG_COLUMNS, [[r[c] for c in LONG_COLUMNS] for r in rows])
    if shape in ("wide", "both"):
        tables.update(long_to_wide(rows))
    return write_tables(tables, out, fmt)
