"""The dashboards as plain data (the page renders them, ``/api/…`` returns them): the overview of
the store and one body over the years. Figures come from SQL aggregates
(:mod:`nianbao.store.aggregates`); a body's years load only that body's few reports."""
from __future__ import annotations

import copy
import threading
from urllib.parse import urlencode

from .. import spec
from ..parsing.meta import norm_agency
from ..rules.zh import TITLES
from ..store import aggregates
from ..store.review import Review
from .charts import bar_chart
from .plots import plots_data
from .similar import body_similarity
from .views import SEVERITY, fmt, label

STATUS_BARS = (("with_errors", "有错误", "error", "errors"), ("with_warnings", "仅有警告", "warning", "warnings"),
               ("clean", "无问题", "ok", "ok"), ("unreadable", "无法读取", "muted", "unreadable"))


def _href(path: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(params) if params else "")


def _pct(n, total) -> str:
    return f"{100 * n / total:.1f}%" if total else "—"


_CACHE: dict = {}  # database url → (fingerprint, overview): recomputed when the store changes
_CACHE_LOCK = threading.Lock()


def overview_data(review: Review) -> dict:
    """Every chart of the overview: ``{"charts": {id: {"title", "columns", "rows"}}, "waiting", "missing"}``;
    each chart's ``rows`` are its data table (and CSV), ``bars`` what the chart draws.

    The figures read the current reports through the store's current flag and its covering index
    (~0.2 s at 10⁵ reports on PostgreSQL); they are kept per database and computed again only when
    the store's :func:`~nianbao.store.aggregates.fingerprint` changes (a report, finding, decision,
    resolution or roster entry added, removed or changed)."""
    key = getattr(review.db, "url", id(review.db))
    fp = aggregates.fingerprint(review.db)
    with _CACHE_LOCK:
        got = _CACHE.get(key)
    if got is not None and got[0] == fp:
        return copy.deepcopy(got[1])
    data = _overview(review)
    with _CACHE_LOCK:
        _CACHE[key] = (fp, data)
    return copy.deepcopy(data)


def _overview(review: Review) -> dict:
    db = review.db
    years, status = aggregates.overview_counts(db)
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
        c["total_text"] = (f"共 {sum(r['findings'] for r in rules)} 个问题" if cid == "rules"
                           else f"共 {c['total']} {c['unit']}")
    return {"total": status["total"], "status": status, "charts": charts,
            "waiting": aggregates.awaiting_review(db), "missing": aggregates.missing_by_year(db)}


def overview_view(review: Review) -> dict:
    data = overview_data(review)
    for c in data["charts"].values():
        c["svg"] = bar_chart("chart-" + c["id"], c["bars"], c["title"], c["unit"],
                             width=760 if c["id"] == "rules" else 560)
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


# ---------------------------------------------------------------- one body over the years

def _delta(v, prev) -> dict | None:
    if v is None or prev is None:
        return None
    d = v - prev
    return {"abs": d, "abs_text": ("+" if d > 0 else "") + fmt(d),
            "pct": None if prev == 0 else round(100 * d / prev, 1),
            "pct_text": "" if prev == 0 else ("+" if d > 0 else "") + f"{100 * d / prev:.1f}%"}


def body_view(review: Review, name: str) -> dict:
    """Every year a body filed (its current reports, the body's name normalised as the cross-year
    rules pair them): the applications table's cells side by side, each with its change from the
    year before (absolute and %), and the reports' cross-year findings (Y…)."""
    norm = norm_agency(name.strip())
    rows = review.db.query("SELECT id, year, agency, template, errors, warnings FROM current_reports "
                           "WHERE agency_norm = ? AND year IS NOT NULL ORDER BY year", (norm,))
    years = [{"report_id": i, "year": y, "agency": a, "template": t, "errors": e, "warnings": w}
             for i, y, a, t, e, w in rows]
    keys: list = []
    values: dict = {}
    for y in years:
        report = review.corpus.report(y["report_id"])
        tpl = y["template"] if y["template"] in spec.TABLES else "2021"
        table = spec.table(tpl, "applications")
        for r in table.rows:
            for k in table.row_keys(r):
                if k not in keys:
                    keys.append(k)
        values[y["year"]] = {k: c.value for k, c in report.cells.items() if k.startswith("applications.")}
        y["cross_year"] = [{"id": f["id"], "code": f["code"], "title": TITLES.get(f["code"], f["name"]),
                            "severity": f["severity"], "severity_label": SEVERITY.get(f["severity"], f["severity"]),
                            "message": f["message"], "cells": [label(k, tpl) for k in f["keys"]],
                            "decision": f["decision"]["label"] if f["decision"] else None}
                           for f in review.findings(y["report_id"]) if f["cross_year"] or f["code"].startswith("Y")]
    cells = []
    for k in keys:
        series, prev, prev_year = [], None, None
        for y in years:
            v = values[y["year"]].get(k)
            consecutive = prev_year is not None and y["year"] == prev_year + 1
            series.append({"year": y["year"], "value": v, "shown": fmt(v),
                           "change": _delta(v, prev) if consecutive else None})
            prev, prev_year = v, y["year"]
        if any(s["value"] for s in series):
            tpl = years[-1]["template"] if years else "2021"
            cells.append({"key": k, "label": label(k, tpl), "years": series})
    return {"name": name.strip(), "norm": norm, "agency": years[-1]["agency"] if years else name.strip(),
            "years": years, "cells": cells,
            "plots": plots_data(review.db, body=norm) if years else None,
            "similarity": body_similarity(review.db, norm, [y["year"] for y in years])}


def bodies_list(review: Review, q: str = "") -> list:
    """The bodies of the store (by normalised name) with their years, for picking one."""
    rows = aggregates.by_agency(review.db)
    q = norm_agency(q.strip()) if q.strip() else ""
    return [r for r in rows if not q or q in norm_agency(r["agency"]) or q in (r["agency"] or "")]
