"""Compare bodies: a filtered set of reports (e.g. the townships under one county, one year) as one
table, a row per report, chosen cells as columns (read in SQL), sortable, exported to XLSX.

Unusual values are marked by a robust method stated on the page (:data:`METHOD`): for each share
(e.g. 予以公开 ÷ 办理总数), among the reports of the same year whose denominator is at least
``min_base``, a share outside median ± k × 1.4826 × MAD (the median absolute deviation, scaled to a
normal distribution's standard deviation) is marked high or low. Small bodies are not marked: a
share of 3 requests says little. Counts are not marked (they follow a body's size)."""
from __future__ import annotations

import io
import statistics

from .. import spec
from ..output.safe import safe_row
from ..store import aggregates
from .plots import OUTCOMES
from .views import label

HANDLED = "applications.total.total"
MEASURES = (  # (id, 中文名, keys summed)
    ("new_requests", "本年新收", ["applications.new_requests.total"]),
    ("carried_over", "上年结转", ["applications.carried_over.total"]),
    ("handled", "办理总计", [HANDLED]),
    *[(f"o{i}", name, keys) for i, (name, keys) in enumerate(OUTCOMES)],
    ("carried_forward", "结转下年度", ["applications.carried_forward.total"]),
    ("review", "行政复议", ["review_litigation.review.total"]),
    ("suits", "行政诉讼", ["review_litigation.suit_direct.total", "review_litigation.suit_after_review.total"]),
    ("corrected", "复议诉讼被纠正", [f"review_litigation.{g}.corrected" for g in spec.REVIEW_GROUPS]),
)
DEFAULT = ("new_requests", "carried_over", "handled", "o0", "o1", "o2", "o3", "o4", "o5", "review", "suits", "corrected")
SHARES = (  # (id, 中文名, numerator measure, denominator measure)
    ("share_granted", "予以公开率", "o0", "handled"),
    ("share_withheld", "不予公开率", "o2", "handled"),
    ("share_unavailable", "无法提供率", "o3", "handled"),
    ("share_corrected", "复议诉讼纠正率", "corrected", "review_suits"),
)
K, MIN_BASE = 3.0, 10
LIMIT = 2000  # rows at most (a page, a workbook); the groups' medians are over these
METHOD = ("异常值的判断方法：对每一个比率（如“予以公开率”＝予以公开件数 ÷ 办理总计），只在同一年度、分母不少于 {min_base} "
          "件的报告之间比较；先求这些报告比率的中位数 m 和绝对离差中位数 MAD（各值与 m 之差的绝对值的中位数），"
          "比率超出 m ± {k} × 1.4826 × MAD 的标为“偏高”或“偏低”（1.4826 使 MAD 与正态分布的标准差相当；"
          "MAD 为 0 时改用平均绝对离差 × 1.2533）。分母小于 {min_base} 件的报告不作判断（件数太少，比率不稳定）；"
          "件数本身随机关规模而变，不作判断。少于 5 份可比较的报告时不作判断。")


def _measure(values: dict, keys) -> float | None:
    got = [values[k] for k in keys if values.get(k) is not None]
    if not got:
        return None
    if keys == OUTCOMES[5][1] and values.get("applications.other.total") is not None:
        return values["applications.other.total"]  # the row's own total; its sub-rows are parts of it
    return sum(got)


def robust_band(values: list, k: float = K) -> tuple | None:
    """(median, low, high) of ``values``: median ± k × 1.4826 × MAD (MAD 0: 1.2533 × the mean absolute
    deviation); ``None`` below 5 values or when every value is the same."""
    if len(values) < 5:
        return None
    m = statistics.median(values)
    dev = [abs(v - m) for v in values]
    scale = 1.4826 * statistics.median(dev)
    if scale == 0:
        scale = 1.2533 * statistics.fmean(dev)
    if scale == 0:
        return None
    return m, m - k * scale, m + k * scale


def compare_data(db, filters: dict, chosen=None, *, sort: str = "agency", desc: bool = False,
                 k: float = K, min_base: int = MIN_BASE) -> dict:
    """The table of a set: ``{"columns": [{"id", "name", "kind"}], "rows": [{"agency", "year", …,
    "cells": {id: value}, "marks": {id: "high"|"low"}}], "bands": {year: {share: (m, lo, hi, n)}}, "method"}``.
    ``chosen``: measure ids (:data:`MEASURES`) and/or cell keys of the spec (``table.row.column``)."""
    where, params = aggregates.report_set(db, **filters)
    measures = {m: (name, keys) for m, name, keys in MEASURES}
    chosen = [c for c in (chosen or DEFAULT) if c in measures or _is_key(c)] or list(DEFAULT)
    cols = [{"id": c, "name": measures[c][0] if c in measures else label(c, "2021"), "kind": "count",
             "keys": measures[c][1] if c in measures else [c]} for c in dict.fromkeys(chosen)]
    needed = {k for c in cols for k in c["keys"]} | {k for _, _, keys in MEASURES for k in keys}
    reports = aggregates.cells_by_body(db, needed, where, params, limit=LIMIT)
    total = sum(sum(t.values()) for t in aggregates.reports_by_year(db, where, params).values())
    rows = []
    for r in reports:
        v = r["values"]
        m = {mid: _measure(v, keys) for mid, _, keys in MEASURES}
        m["review_suits"] = sum(x for x in (m["review"], m["suits"]) if x is not None) if (
            m["review"] is not None or m["suits"] is not None) else None
        cells = {c["id"]: (m[c["id"]] if c["id"] in measures else v.get(c["id"])) for c in cols}
        bases = {}
        for sid, _, num, den in SHARES:
            base = m[den]
            bases[sid] = base
            cells[sid] = None if not base or m[num] is None else round(m[num] / base, 4)
        rows.append({"report_id": r["report_id"], "agency": r["agency"], "year": r["year"], "template": r["template"],
                     "errors": r["errors"], "warnings": r["warnings"], "cells": cells, "bases": bases, "marks": {}})
    bands: dict = {}
    for year in sorted({r["year"] for r in rows}):
        group = [r for r in rows if r["year"] == year]
        for sid, _, _, _ in SHARES:
            eligible = [r for r in group if r["cells"][sid] is not None and (r["bases"][sid] or 0) >= min_base]
            band = robust_band([r["cells"][sid] for r in eligible], k)
            if band is not None:  # a share lies in [0, 1]: the band is shown within it
                band = (band[0], max(0.0, band[1]), min(1.0, band[2]))
            bands.setdefault(year, {})[sid] = None if band is None else {
                "median": round(band[0], 4), "low": round(band[1], 4), "high": round(band[2], 4), "n": len(eligible)}
            if band is None:
                continue
            for r in eligible:
                x = r["cells"][sid]
                if x > band[2]:
                    r["marks"][sid] = "high"
                elif x < band[1]:
                    r["marks"][sid] = "low"
    cols += [{"id": sid, "name": name, "kind": "share", "keys": []} for sid, name, _, _ in SHARES]
    _sort(rows, sort, desc)
    return {"filters": filters, "total": total, "limit": LIMIT, "chosen": [c["id"] for c in cols if c["kind"] == "count"], "columns": cols,
            "rows": rows, "bands": bands, "sort": sort, "desc": desc, "k": k, "min_base": min_base,
            "method": METHOD.format(k=k, min_base=min_base), "unusual": sum(len(r["marks"]) for r in rows),
            "measures": [{"id": m, "name": n} for m, n, _ in MEASURES]}


def _is_key(c: str) -> bool:
    parts = c.split(".")
    return len(parts) == 3 and any(c in spec.all_keys(t) for t in spec.TEMPLATES)


def _sort(rows: list, sort: str, desc: bool) -> None:
    if sort in ("agency", "year", "errors", "warnings"):
        def key(r):
            return r[sort] if r[sort] is not None else ""
    else:
        def key(r):
            v = r["cells"].get(sort)
            return (v is None) != desc, v if v is not None else 0  # empty cells last either way
    rows.sort(key=key, reverse=desc)


def share_text(v) -> str:
    return "" if v is None else f"{100 * v:.1f}%"


def table_rows(data: dict):
    """(header, rows) of the table as shown (for the XLSX): counts as numbers, shares as fractions."""
    header = ["机关", "年度", "模板", "错误", "警告"] + [c["name"] for c in data["columns"]] + ["异常值"]
    names = {c["id"]: c["name"] for c in data["columns"]}
    out = []
    for r in data["rows"]:
        marks = "；".join(f"{names[s]}{'偏高' if m == 'high' else '偏低'}" for s, m in r["marks"].items())
        out.append([r["agency"], r["year"], r["template"], r["errors"], r["warnings"]]
                   + [r["cells"].get(c["id"]) for c in data["columns"]] + [marks])
    return header, out


def to_xlsx(data: dict, title: str) -> bytes:
    """The table as an XLSX workbook (every text cell neutralised against formulas), the shares as
    percentages, the unusual ones filled, and the method on a sheet of its own."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "机关对比"
    ws.append(safe_row([f"机关对比：{title}"]))
    header, rows = table_rows(data)
    ws.append(safe_row(header))
    for c in ws[2]:
        c.font = Font(bold=True)
    share_cols = {i + 6 for i, c in enumerate(data["columns"]) if c["kind"] == "share"}
    fill = {"high": PatternFill("solid", fgColor="F8D7D3"), "low": PatternFill("solid", fgColor="D6E4F0")}
    for r, row in zip(data["rows"], rows):
        ws.append(safe_row(row))
        for i, c in enumerate(data["columns"]):
            cell = ws.cell(row=ws.max_row, column=i + 6)
            if i + 6 in share_cols:
                cell.number_format = "0.0%"
            if c["id"] in r["marks"]:
                cell.fill = fill[r["marks"][c["id"]]]
    ws.freeze_panes = "C3"
    ws.column_dimensions["A"].width = 28
    m = wb.create_sheet("判断方法")
    m.append(safe_row([data["method"]]))
    m.append(safe_row(["年度", "比率", "参与比较的报告数", "中位数", "下限", "上限"]))
    names = {c["id"]: c["name"] for c in data["columns"]}
    for year, bands in data["bands"].items():
        for sid, b in bands.items():
            if b:
                m.append(safe_row([year, names[sid], b["n"], b["median"], b["low"], b["high"]]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
