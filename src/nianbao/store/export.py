"""Tidy datasets out of a corpus: long (one row per cell), wide (one table per template table, a
column per cell named ``row__column``), a harmonised wide table (only the cells that mean the same in
the 2019 and 2021 templates), the documents and the findings — as CSV, XLSX, Parquet or JSON Lines,
with a codebook beside them (each column's key, Chinese label, table, unit, templates, and whether it
is comparable across templates). ``labels="zh"`` gives Chinese column headers."""
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


def column_name(row: str, column: str) -> str:
    """A wide table's column for one cell: ``new_requests__natural_person`` (no dots)."""
    return f"{row}__{column}"


def comparable(table: str, row: str, column: str) -> bool:
    """Whether a cell means the same in the 2019 and 2021 templates. Table 三 and table 四 do, but
    for the 2021 sub-rows of （六）其他处理; in table 二 only the 处理决定数量 of 行政许可, 行政处罚 and
    行政强制 — 2019 made/published vs 2021 issued/in force, and 2019 fee item counts vs 2021 fee
    amounts, are different figures and are never mapped onto each other."""
    if table == "active":
        return row in ("licensing", "penalty", "coercion") and column == "decisions"
    return not row.startswith("other_")


def _wide_columns(t: str) -> list:
    cols: list = []
    for tpl in ("2021", "2019"):
        for r in spec.table(tpl, t).rows:
            for c in r.columns:
                if (r.key, c.key) not in cols:
                    cols.append((r.key, c.key))
    return cols


def long_to_wide(rows: list, harmonised: bool = False) -> dict:
    """{table: (columns, rows)}: one row per report (file), one column per cell (``row__column``);
    ``harmonised``: one table of the cells comparable across templates (see :func:`comparable`)."""
    out = {}
    if harmonised:
        cols = [(t, r, c) for t in _WIDE_TABLES for r, c in _wide_columns(t) if comparable(t, r, c)]
        names = [f"{t}__{column_name(r, c)}" for t, r, c in cols]
        by_report: dict = {}
        for row in rows:
            rec = by_report.setdefault(row["file"], {"agency": row["agency"], "year": row["year"],
                                                     "template": row["template"], "file": row["file"]})
            rec[f"{row['table']}__{column_name(row['row'], row['column'])}"] = row["value"]
        header = ["agency", "year", "template", "file"] + names
        return {"harmonised": (header, [[r.get(h) for h in header] for r in by_report.values()])}
    for t in _WIDE_TABLES:
        cols = [column_name(r, c) for r, c in _wide_columns(t)]
        by_report: dict = {}
        for row in rows:
            if row["table"] != t:
                continue
            rec = by_report.setdefault(row["file"], {"agency": row["agency"], "year": row["year"],
                                                     "template": row["template"], "file": row["file"]})
            rec[column_name(row["row"], row["column"])] = row["value"]
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
        elif fmt == "json":  # JSON Lines, like every other command's JSON
            path = path.with_suffix(".jsonl")
            with path.open("w", encoding="utf-8") as f:
                for r in rows:
                    f.write(json.dumps(dict(zip(cols, r)), ensure_ascii=False, default=_json_number) + "\n")
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
    return {column_name(r.key, c.key) for tpl in ("2019", "2021") for t in _WIDE_TABLES
            for r in spec.table(tpl, t).rows for c in r.columns if c.money}


def _arrow_table(cols, rows):
    """Exact Parquet types: counts int64, money decimal128(20, 2) (or more places when a report wrote
    them); the long table's ``value`` mixes both, so it is decimal too."""
    import pyarrow as pa
    money = _money_columns()
    arrays = {}
    for i, c in enumerate(cols):
        vals = [r[i] for r in rows]
        numeric = c == "value" or "__" in c
        if not numeric or c in ("agency", "year", "template", "file"):
            arrays[c] = pa.array(vals)
            continue
        if c == "value" or c in money or c.split("__", 1)[-1] in money or any(isinstance(v, (Decimal, float)) for v in vals):
            places = max([2] + [-Decimal(str(v)).as_tuple().exponent for v in vals if v is not None])
            arrays[c] = pa.array([None if v is None else Decimal(str(v)) for v in vals],
                                 type=pa.decimal128(20 + places, places))
        else:
            arrays[c] = pa.array(vals, type=pa.int64())
    return pa.table(arrays)


_HEADERS_ZH = {"agency": "机关", "year": "年度", "template": "模板", "file": "文件", "table": "表", "row": "行",
               "column": "列", "value": "数值", "raw": "原文", "certain": "确定", "sha256": "SHA-256",
               "title": "标题", "format": "格式", "status": "状态", "errors": "错误", "warnings": "警告",
               "infos": "提示", "version": "版本", "current": "当前版本", "code": "代码", "name": "规则",
               "severity": "级别", "message": "说明", "keys": "单元格", "expected": "应为", "actual": "实为",
               "source_url": "来源", "published": "发布日期", "index_no": "索引号"}
_TABLE_ZH = {"active": "表二", "applications": "表三", "review_litigation": "表四"}


def _cell_label(table: str, row: str, column: str) -> str:
    for tpl in ("2021", "2019"):
        try:
            return f"{_TABLE_ZH[table]}/{spec.label_of(f'{table}.{row}.{column}', tpl)}"
        except (StopIteration, KeyError):
            continue
    return f"{table}.{row}.{column}"


def codebook() -> tuple:
    """(columns, rows): every cell column of the wide and harmonised tables, described."""
    rows = []
    for t in _WIDE_TABLES:
        for r, c in _wide_columns(t):
            tpls = [tpl for tpl in ("2019", "2021") if any(x.key == r and any(y.key == c for y in x.columns)
                                                           for x in spec.table(tpl, t).rows)]
            col = spec.column_of(f"{t}.{r}.{c}", tpls[-1])
            unit = "元" if col.money else "件"
            rows.append([t, column_name(r, c), f"{t}__{column_name(r, c)}" if comparable(t, r, c) else None,
                         f"{t}.{r}.{c}", _cell_label(t, r, c), unit, ",".join(tpls),
                         "是" if comparable(t, r, c) else "否"])
    return (["table", "column", "harmonised_column", "key", "label_zh", "unit", "templates", "comparable"], rows)


def _zh(tables: dict) -> dict:
    """The same tables with Chinese column headers (cell columns by their template labels)."""
    out = {}
    for name, (cols, rows) in tables.items():
        zh = []
        for c in cols:
            if "__" in c:
                parts = c.split("__")
                t = parts[0] if len(parts) == 3 else name
                r, col = parts[-2], parts[-1]
                zh.append(_cell_label(t, r, col))
            else:
                zh.append(_HEADERS_ZH.get(c, c))
        out[name] = (zh, rows)
    return out


def export(corpus, out, *, fmt: str = "csv", shape: str = "both", year=None, agency=None, template=None,
           labels: str = "key") -> list:
    """Write the datasets (see the module doc) to ``out``; ``out == "-"`` streams the long table to
    standard output (CSV, or JSON Lines with ``fmt="json"``). Returns the paths written."""
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            from .db import StoreError
            raise StoreError("导出 Parquet 需要安装 pyarrow：pip install 'nianbao[parquet]'（或改用 --format csv/xlsx/json）") from None
    rows = corpus.long_rows(year=year, agency=agency, template=template)
    tables = {}
    if shape in ("long", "both") or str(out) == "-":
        tables["cells_long"] = (LONG_COLUMNS, [[r[c] for c in LONG_COLUMNS] for r in rows])
    if str(out) == "-":
        return _stream(tables["cells_long"] if labels == "key" else _zh(tables)["cells_long"], fmt)
    if shape in ("wide", "both"):
        tables.update(long_to_wide(rows))
        tables.update(long_to_wide(rows, harmonised=True))
    docs = corpus.document_details(year=year, agency=agency, template=template)
    from .provenance import provenance_of
    sources = provenance_of(corpus.db)
    for d in docs:
        d.update(sources.get(d["sha256"], {}))
    doc_cols = ["sha256", "file", "agency", "year", "template", "title", "format", "status", "errors",
                "warnings", "infos", "version", "current", "source_url", "published", "index_no"]
    tables["documents"] = (doc_cols, [[d.get(c) for c in doc_cols] for d in docs])
    shown = {d["file"] for d in docs}
    find_cols = ["file", "agency", "year", "code", "name", "severity", "message", "keys", "expected", "actual"]
    tables["findings"] = (find_cols, [[f[c] for c in find_cols] for f in corpus.findings() if f["file"] in shown])
    if labels == "zh":
        tables = _zh(tables)
    tables["codebook"] = codebook()
    return write_tables(tables, out, fmt)


def _stream(table: tuple, fmt: str) -> list:
    import sys
    cols, rows = table
    if fmt == "json":
        for r in rows:
            sys.stdout.write(json.dumps(dict(zip(cols, r)), ensure_ascii=False, default=_json_number) + "\n")
    else:
        w = csv.writer(sys.stdout)
        w.writerow([csv_cell(c) for c in cols])
        w.writerows([csv_cell(v) for v in r] for r in rows)
    return []
