"""The dashboards as plain data (the page renders them, ``/api/…`` returns them): the overview of
the store and one body over the years. Figures come from SQL aggregates
(:mod:`nianbao.store.aggregates`); a body's years load only that body's few reports."""
from __future__ import annotations

from urllib.parse import urlencode

from .. import spec
from ..parsing.meta import norm_agency
from ..rules.zh import TITLES
from ..store import aggregates
from ..store.review import Review
from .charts import bar_chart
from .views import SEVERITY, fmt, label

STATUS_BARS = (("with_errors", "有错误", "error", "errors"), ("with_warnings", "仅有警告", "warning", "warnings"),
               ("clean", "无问题", "ok", "ok"), ("unreadable", "无法读取", "muted", "unreadable"))


def _href(path: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(params) if params else "")


def _pct(n, total) -> str:
    return f"{100 * n / total:.1f}%" if total else "—"


def overview_data(review: Review) -> dict:
    """Every chart of the overview: ``{"charts": {id: {"title", "columns", "rows"}}, "waiting", "missing"}``;
    each chart's ``rows`` are its data table (and CSV), ``bars`` what the chart draws."""
    db = review.db
    years = aggregates.by_year(db)
    status = aggregates.by_status(db)
    rules = aggregates.by_rule(db)
    charts = {
        "by-year": {
            "title": "报告数（按年度和模板）", "unit": "份",
            "columns": [("year", "年度"), ("template", "模板"), ("reports", "报告数"), ("with_errors", "有错误"),
                        ("with_warnings", "仅有警告"), ("clean", "无问题")],
            "rows": years,
            "bars": [{"label": f"{r['year'] or '未识别'} 年 · {r['template'] or '未识别'} 版", "value": r["reports"],
                      "href": _href("/reports", year=r["year"], template=r["template"])} for r in years]},
        "status": {
            "title": "报告状态占比", "unit": "份",
            "columns": [("status", "状态"), ("reports", "报告数"), ("share", "占比")],
            "rows": [{"status": zh, "key": k, "reports": status[k], "share": _pct(status[k], status["total"])}
                     for k, zh, _, _ in STATUS_BARS],
            "bars": [{"label": zh, "value": status[k], "kind": kind, "note": f"（{_pct(status[k], status['total'])}）",
                      "href": _href("/reports", status=s)} for k, zh, kind, s in STATUS_BARS]},
        "rules": {
            "title": "各规则发现的问题（涉及报告数）", "unit": "份",
            "columns": [("code", "规则"), ("title", "名称"), ("severity_label", "级别"), ("reports", "涉及报告数"),
                        ("findings", "问题数")],
            "rows": [{**r, "title": TITLES.get(r["code"], r["name"]), "severity_label": SEVERITY.get(r["severity"], r["severity"])}
                     for r in rules],
            "bars": [{"label": f"{r['code']} {TITLES.get(r['code'], r['name'])}", "value": r["reports"],
                      "kind": r["severity"], "href": _href("/reports", code=r["code"]),
                      "note": f"，问题 {r['findings']} 个"} for r in rules]},
    }
    for cid, c in charts.items():
        c["id"] = cid
        c["total"] = status["total"] if cid == "status" else sum(r["value"] for r in c["bars"])
    return {"total": status["total"], "status": status, "charts": charts,
            "waiting": aggregates.awaiting_review(db), "missing": aggregates.missing_by_year(db)}


def overview_view(review: Review) -> dict:
    data = overview_data(review)
    for c in data["charts"].values():
        c["svg"] = bar_chart("chart-" + c["id"], c["bars"], c["title"], c["unit"])
    return data


def chart_csv_rows(data: dict, chart_id: str):
    """(header, rows) of one chart's table, or of the waiting / missing lists."""
    if chart_id in data["charts"]:
        c = data["charts"][chart_id]
        return [zh for _, zh in c["columns"]], [[r.get(k) for k, _ in c["columns"]] for r in c["rows"]]
    if chart_id == "waiting":
        return (["报告编号", "机关", "年度", "文件", "未审核的错误数"],
                [[r["report_id"], r["agency"], r["year"], r["name"], r["undecided_errors"]] for r in data["waiting"]["rows"]])
    if chart_id == "missing":
        return (["年度", "机关", "层级", "上级"],
                [[y["year"], m["name"], m["level"], m["parent"]] for y in data["missing"] for m in y["missing"]])
    return None
