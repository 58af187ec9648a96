"""Rows of named fields (the store's aggregates) as JSON, CSV or an aligned table with Chinese
headers — ``nianbao stats --by``."""
from __future__ import annotations

import csv
import io
import json

from .safe import csv_cell
from .text import display_width

_SEV = {"error": "错误", "warning": "警告", "info": "提示"}
FIELDS_ZH = {"year": "年度", "template": "模板", "reports": "报告数", "with_errors": "有错误", "with_warnings": "有警告",
             "clean": "无问题", "agency": "机关", "first_year": "最早年度", "last_year": "最近年度", "errors": "错误数",
             "warnings": "警告数", "code": "代码", "title": "规则", "name": "英文名", "severity": "级别",
             "findings": "问题数", "parent": "上级机关", "bodies": "名录机关数", "filed": "已报送",
             "reports_with_errors": "有错误的报告"}


def rows_to_text(rows: list, fmt: str) -> str:
    """``fmt``: "json" (objects with named fields), "csv", or "table" (aligned, Chinese headers)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n"
    if not rows:
        return "（没有数据）\n"
    cols = list(rows[0])
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        w.writerows([csv_cell(r[c]) for c in cols] for r in rows)
        return buf.getvalue()
    cells = [[FIELDS_ZH.get(c, c) for c in cols]] + [
        ["" if r[c] is None else (_SEV.get(r[c], r[c]) if c == "severity" else str(r[c])) for c in cols] for r in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(cols))]
    return "".join("  ".join(v + " " * (w - display_width(v)) for v, w in zip(row, widths)).rstrip() + "\n"
                   for row in cells)
