"""The plots of a filtered set of reports (one body, the bodies under a roster parent, a year, …) as
plain data: per chart its years, its series (each the sum of template cells, summed in SQL by
:func:`nianbao.store.aggregates.cell_sums`) and its data table. The page draws them with ECharts
(served from the package), the API returns the same data, the CSV is the data table.

Cells are the spec's keys (``table.row.column``); a chart that belongs to one template (规章 issued /
repealed / in force, fee amounts of the 2021 template, fee item counts of the 2019 template) counts
only that template's reports, and fee amounts (万元) and item counts (个) are never on one axis."""
from __future__ import annotations

from urllib.parse import urlencode

from .. import spec
from ..store import aggregates

_APP = [r.key for r in spec.APPLICATIONS_2021.rows]


def _total(*rows) -> list:
    return [f"applications.{r}.total" for r in rows]


REVIEW_OUTCOMES = ("upheld", "corrected", "other", "pending")
REVIEW_SHORT = {"review": "行政复议", "suit_direct": "直接起诉", "suit_after_review": "复议后起诉"}  # 诉讼: 未经复议 / 复议后
OUTCOMES = (
    ("予以公开", _total("granted")),
    ("部分公开", _total("partially_granted")),
    ("不予公开", _total(*[r for r in _APP if r.startswith("withheld_")])),
    ("无法提供", _total(*[r for r in _APP if r.startswith("unavailable_")])),
    ("不予处理", _total(*[r for r in _APP if r.startswith("not_processed_")])),
    ("其他处理", _total("other", *spec.OTHER_SUBROWS)),
)
# （六）其他处理's sub-rows count only where the document does not give the row's own total
UNLESS = {k: "applications.other.total" for k in _total(*spec.OTHER_SUBROWS)}


def _s(name, keys, *, stack=None, kind=None, scale=1, digits=0) -> dict:
    return {"name": name, "keys": list(keys), "stack": stack, "type": kind, "scale": scale, "digits": digits}


PLOTS = (
    {"id": "requests", "title": "本年新收和上年结转的政府信息公开申请", "kind": "line", "unit": "件", "template": None,
     "series": [_s("本年新收", _total("new_requests")), _s("上年结转", _total("carried_over"))]},
    {"id": "outcomes", "title": "申请的办理结果", "kind": "bar", "unit": "件", "template": None,
     "series": [_s(name, keys, stack="办理结果") for name, keys in OUTCOMES]},
    {"id": "review", "title": "行政复议、行政诉讼的结果", "kind": "bar", "unit": "件", "template": None,
     "series": [_s(f"{REVIEW_SHORT[g]}·{spec.REVIEW_COLUMN_LABELS[c]}", [f"review_litigation.{g}.{c}"], stack=g)
                for g in spec.REVIEW_GROUPS for c in REVIEW_OUTCOMES]},
    {"id": "regulations", "title": "规章：本年制发、废止及现行有效（2021 年版模板）", "kind": "bar", "unit": "件",
     "template": "2021",
     "series": [_s("本年制发", ["active.regulations.issued"]), _s("本年废止", ["active.regulations.repealed"]),
                _s("现行有效", ["active.regulations.in_force"], kind="line")]},
    {"id": "normative", "title": "行政规范性文件：本年制发、废止及现行有效（2021 年版模板）", "kind": "bar", "unit": "件",
     "template": "2021",
     "series": [_s("本年制发", ["active.normative_documents.issued"]),
                _s("本年废止", ["active.normative_documents.repealed"]),
                _s("现行有效", ["active.normative_documents.in_force"], kind="line")]},
    {"id": "fees-amount", "title": "行政事业性收费金额（2021 年版模板）", "kind": "bar", "unit": "万元", "template": "2021",
     "series": [_s("本年收费金额", ["active.fees.amount_yuan"], scale=10000, digits=2)]},
    {"id": "fees-items", "title": "行政事业性收费项目数（2019 年版模板）", "kind": "bar", "unit": "个", "template": "2019",
     "series": [_s("上一年项目数量", ["active.fees.previous"]), _s("本年增/减", ["active.fees.change"])]},
)
PLOT_IDS = tuple(p["id"] for p in PLOTS)
FILTERS = ("body", "agency", "parent", "year", "template")


def plots_data(db, **filters) -> dict:
    """Every plot of the set ``filters`` (see :func:`nianbao.store.aggregates.report_set`):
    ``{"filters", "reports", "plots": [{"id", "title", "unit", "years", "series": [{"name", "values"}],
    "columns", "rows", "note"}]}``. A year's value is ``None`` where no report of the set has the cells."""
    filters = {k: v for k, v in filters.items() if k in FILTERS and v not in (None, "")}
    where, params = aggregates.report_set(db, **filters)
    counts = aggregates.reports_by_year(db, where, params)
    keys = {k for p in PLOTS for s in p["series"] for k in s["keys"]}
    sums = aggregates.cell_sums(db, keys, where, params, unless=UNLESS)
    plots = []
    for p in PLOTS:
        tpl = p["template"]
        n_by_year = {y: (sum(t.values()) if tpl is None else t.get(tpl, 0)) for y, t in sorted(counts.items())}
        years = [y for y, n in n_by_year.items() if n]
        series = []
        for s in p["series"]:
            values = []
            for y in years:
                got = [sums[(y, k)][0] for k in s["keys"] if (y, k) in sums and sums[(y, k)][0] is not None]
                v = sum(got) if got else None
                if v is not None and s["scale"] != 1:
                    v = round(v / s["scale"], s["digits"])
                values.append(v)
            series.append({"name": s["name"], "type": s["type"] or p["kind"], "stack": s["stack"], "keys": s["keys"],
                           "values": values})
        columns = [("year", "年度"), ("reports", "报告数")] + [(f"s{i}", f"{s['name']}（{p['unit']}）")
                                                            for i, s in enumerate(series)]
        rows = [{"year": y, "reports": n_by_year[y], **{f"s{i}": s["values"][j] for i, s in enumerate(series)}}
                for j, y in enumerate(years)]
        note = (f"只计 {tpl} 年版模板的报告（另一版模板没有这些栏目）。" if tpl else "") + (
            "各年为该年报告的合计；“报告数”为参与合计的报告份数。")
        plots.append({"id": p["id"], "title": p["title"], "unit": p["unit"], "kind": p["kind"], "template": tpl,
                      "years": years, "series": series, "columns": columns, "rows": rows, "note": note})
    total = sum(sum(t.values()) for t in counts.values())
    if filters.get("parent"):  # the report list has no roster filter: a year of the set opens its compare table
        listed = {k: v for k, v in filters.items() if k in ("parent", "agency", "template")}
        href = "/compare?" + urlencode(listed)
    else:
        listed = {k: v for k, v in (("agency", filters.get("agency") or filters.get("body")),
                                    ("template", filters.get("template"))) if v}
        href = "/reports?" + urlencode(listed)
    return {"filters": filters, "reports": total, "plots": plots, "query": urlencode(filters), "list_href": href}


def plot_csv_rows(data: dict, plot_id: str):
    p = next((p for p in data["plots"] if p["id"] == plot_id), None)
    if p is None:
        return None
    return [zh for _, zh in p["columns"]], [[r.get(k) for k, _ in p["columns"]] for r in p["rows"]]


def describe(filters: dict) -> str:
    """The set in words (a page's heading)."""
    parts = []
    if filters.get("body"):
        parts.append(filters["body"])
    if filters.get("agency"):
        parts.append(f"名称含“{filters['agency']}”的机关")
    if filters.get("parent"):
        parts.append(f"“{filters['parent']}”下属机关（按名录）")
    if filters.get("year"):
        parts.append(f"{filters['year']} 年")
    if filters.get("template"):
        parts.append(f"{filters['template']} 年版模板")
    return "，".join(parts) or "全部报告"
