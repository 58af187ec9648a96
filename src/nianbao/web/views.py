"""What a page shows, as plain data: the same dicts are rendered by a template and returned by the
JSON twin under ``/api/``. Every figure comes from the store (:class:`~nianbao.store.review.Review`)."""
from __future__ import annotations

from decimal import Decimal

from .. import spec
from ..model.document import Location
from ..rules.registry import FAMILIES
from ..store.review import DECISIONS, STATUSES, Review
from . import layout

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
_RANK = {"error": 0, "warning": 1, "info": 2}
TABLE_NAMES = {t.key: t.name for t in spec.TABLES["2021"]}
PART_NAMES = {1: "总体情况", 2: "主动公开政府信息情况", 3: "收到和处理政府信息公开申请情况",
              4: "政府信息公开行政复议、行政诉讼情况", 5: "存在的主要问题及改进情况", 6: "其他需要报告的事项"}


def fmt(v) -> str:
    """A number as the report prints it (no exponent, no trailing .0)."""
    if v is None:
        return ""
    if isinstance(v, float):
        v = Decimal(repr(v))
    if isinstance(v, Decimal):
        v = v.normalize()
        return str(int(v)) if v == v.to_integral_value() else format(v, "f")
    return str(v)


def _unit(key: str) -> tuple:
    """(divisor, unit) a money cell is shown in: 万元 where the template's header prints it, else 元."""
    try:
        col = spec.column_of(key)
    except KeyError:
        return 1, None
    if not col.money:
        return 1, None
    return (10000, "万元") if col.unit_printed else (1, "元")


def _scaled(v, scale: int) -> str:
    if v is None or scale == 1:
        return fmt(v)
    return fmt(Decimal(repr(v) if isinstance(v, float) else str(v)) / scale)


def label(key: str, template) -> str:
    try:
        return spec.label_of(key, template or "2021")
    except (KeyError, StopIteration, ValueError):
        return key


def loc_text(loc) -> str:
    return Location.from_dict(loc).describe() if loc else ""


def report_view(review: Review, report_id: int) -> dict:
    """Everything the report page shows."""
    meta = review.report_row(report_id)
    report = review.corpus.report(report_id)
    findings = review.findings(report_id)
    corrections = {c["key"]: c for c in review.corrections(report_id, latest=True)}
    tpl = report.template
    by_key: dict = {}
    for f in findings:
        for k in f["keys"]:
            by_key.setdefault(k, []).append(f)
    cells = {}
    for key in set(report.cells) | set(by_key) | set(corrections):
        c = report.cells.get(key)
        fs = sorted(by_key.get(key, []), key=lambda f: _RANK[f["severity"]])
        corr = corrections.get(key)
        scale, unit = _unit(key)
        cells[key] = {
            "key": key, "label": label(key, tpl),
            "value": None if c is None else c.value, "raw": None if c is None else c.raw,
            "certain": True if c is None else c.certain, "loc": c.loc.to_dict() if c is not None and c.loc else None,
            "loc_text": c.loc.describe() if c is not None and c.loc else "",
            "severity": fs[0]["severity"] if fs else None, "codes": sorted({f["code"] for f in fs}),
            "decided": bool(fs) and all(f["decision"] for f in fs),
            "correction": corr, "unit": unit,
            "shown": _scaled(corr["value"], scale) if corr else (
                "" if c is None else _scaled(c.value, scale) if c.certain or c.value is not None else "?"),
            "original_shown": _scaled(c.value, scale) if c is not None and c.value is not None else "",
        }
    present_rows = {k.rsplit(".", 1)[0] for k in report.cells}
    tables = []
    for t in layout.tables(tpl, present_rows):
        t["found"] = t["key"] in report.tables
        for row in t["body"]:
            for slot in row:
                if "key" in slot:
                    slot["cell"] = cells.get(slot["key"])
        tables.append(t)
    errors = [f for f in findings if f["severity"] == "error"]
    return {
        "report": {**meta, "file": meta["name"], "reviewed": bool(errors) and all(f["decision"] for f in errors),
                   "undecided_errors": sum(1 for f in errors if not f["decision"])},
        "parts": [{"number": p.number, "numeral": spec.part_numeral(p.number), "title": p.title or PART_NAMES.get(p.number, ""),
                   "text": p.text} for p in report.parts],
        "missing_parts": [f"{spec.part_numeral(n)}、{PART_NAMES[n]}" for n in range(1, 7) if report.part(n) is None],
        "tables": tables,
        "cells": cells,
        "findings": findings,
        "groups": group_findings(findings, tpl),
        "corrections": review.corrections(report_id),
    }


def group_findings(findings: list, template) -> list:
    """Findings grouped per rule, then per table: [{code, name, severity, family, tables: [{name, items}]}]."""
    by_code: dict = {}
    for f in findings:
        g = by_code.setdefault(f["code"], {"code": f["code"], "name": f["name"], "severity": f["severity"],
                                           "family": FAMILIES.get(f["code"][0], ""), "tables": {}, "count": 0,
                                           "decided": 0})
        if _RANK[f["severity"]] < _RANK[g["severity"]]:
            g["severity"] = f["severity"]
        tkey = f["keys"][0].split(".")[0] if f["keys"] else ""
        g["tables"].setdefault(tkey, []).append({
            **f, "cells": [{"key": k, "label": label(k, template)} for k in f["keys"]],
            "loc_text": loc_text(f["loc"]), "severity_label": SEVERITY[f["severity"]],
            "expected_text": _show(f["expected"]), "actual_text": _show(f["actual"]) if f["code"] != "P206" else "",
            "candidates": f["actual"] if f["code"] == "P206" and isinstance(f["actual"], list) else []})
        g["count"] += 1
        g["decided"] += bool(f["decision"])
    out = []
    for g in sorted(by_code.values(), key=lambda g: (_RANK[g["severity"]], g["code"])):
        g["tables"] = [{"key": k, "name": TABLE_NAMES.get(k, "全文"), "items": v} for k, v in g["tables"].items()]
        g["severity_label"] = SEVERITY[g["severity"]]
        out.append(g)
    return out


def _show(v) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return "、".join(_show(x) for x in v)
    if isinstance(v, dict):
        return "，".join(f"{k}：{_show(x)}" for k, x in v.items())
    return fmt(v) if isinstance(v, (int, float, Decimal)) else str(v)


def cells_view(review: Review, report_id: int) -> list:
    v = report_view(review, report_id)
    return sorted(v["cells"].values(), key=lambda c: c["key"])


def list_view(review: Review, **filters) -> dict:
    data = review.list_reports(**filters)
    data["facets"] = review.facets()
    data["statuses"] = STATUSES
    data["pages"] = max(1, -(-data["total"] // data["per_page"]))
    return data


def decision_labels() -> dict:
    return dict(DECISIONS)
