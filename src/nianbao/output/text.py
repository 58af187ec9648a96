"""Human (Chinese) rendering of a parsed report: the three tables with diagnostics under them."""
from __future__ import annotations

import unicodedata

from .. import spec
from ..model.report import Report

_SEV = {"error": "错误", "warning": "警告", "info": "提示"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a display width (CJK characters take two columns)."""
    while _width(text) > width:
        text = text[:-1]
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _fmt(report: Report, key: str) -> str:
    c = report.cells.get(key)
    if c is None:
        return "·"
    if not c.certain:
        return "?"
    if c.value is None:
        return "空"
    v = c.value
    return f"{v:,.2f}" if isinstance(v, float) else str(v)


def _known(report: Report, key: str) -> bool:
    c = report.cells.get(key)
    return c is not None and c.certain and c.value is not None


def report_to_text(report: Report) -> str:
    out = [f"文件：{report.file}（{report.format}）",
           f"机关：{report.agency or '未识别'}　年度：{report.year or '未识别'}　模板：{report.template or '未识别'}版",
           "部分：" + "、".join(spec.part_numeral(p.number) for p in report.parts)]
    tables = spec.TABLES.get(report.template or "2021", spec.TABLES["2021"])
    for t in tables:
        out.append("")
        out.append(f"【{t.title}】" + ("" if t.key in report.tables else "（未找到）"))
        if t.key not in report.tables:
            continue
        if t.single_row:
            out.append(_pad("", 30) + "".join(_pad(spec.REVIEW_COLUMN_LABELS[c], 10, True) for c in spec.REVIEW_COLUMNS))
            for r in t.rows:
                out.append(_pad(r.label, 30) + "".join(_pad(_fmt(report, k), 10, True) for k in t.row_keys(r)))
            continue
        if t.key == "applications":
            out.append(_pad("", 46) + "".join(_pad(spec.APPLICANT_COLUMN_LABELS[c], 14, True)
                                              for c in spec.APPLICANT_COLUMNS))
        for r in t.rows:
            keys = t.row_keys(r)
            if not any(k in report.cells for k in keys):
                continue
            if t.key == "active":
                vals = "  ".join(f"{c.label}={_fmt(report, k)}" + ("元" if c.money and _known(report, k) else "")
                                 for c, k in zip(r.columns, keys))
                out.append(f"  {_pad(r.label, 24)}{vals}")
            else:
                out.append(f"  {_pad(r.label, 44)}" + "".join(_pad(_fmt(report, k), 14, True) for k in keys))
    out.append("")
    if report.diagnostics:
        out.append(f"诊断（{len(report.diagnostics)}）：")
        for d in report.diagnostics:
            where = f"［{d.loc.describe()}］" if d.loc is not None and d.loc.describe() else ""
            out.append(f"  {d.code} {_SEV.get(d.severity, d.severity)}{where} {d.message}")
    else:
        out.append("诊断：无")
    return "\n".join(out)


_ORDER = {"error": 0, "warning": 1, "info": 2}


def audit_run_to_text(run) -> str:
    """An :class:`~nianbao.audit.AuditRun` in Chinese: one block per readable input, an
    “无法读取” line per unreadable one, and the totals."""
    out = []
    for a in run.tasks:
        if a.report is None or a.error is not None:
            reason = a.reason or {}
            out.append(f"\n{a.name}：无法读取（{reason.get('code')}）：{reason.get('message')}")
            continue
        r = a.report
        out.append(f"\n{a.name}：{r.agency or '未识别机关'} {r.year or '?'}年度（{r.template or '?'}版）"
                   f" 错误{a.count('error')} 警告{a.count('warning')} 提示{a.count('info')}")
        for f in sorted(a.findings, key=lambda f: (_ORDER[f.severity], f.code)):
            where = f"［{f.loc.describe()}］" if f.loc is not None and f.loc.describe() else ""
            out.append(f"  {f.code} {_SEV[f.severity]}{where} {f.message}")
    st = run.stats
    out.append(f"\n共 {st['inputs']} 份：读取 {st['read']} 份，无法读取 {st['inputs'] - st['read']} 份，"
               f"有错误 {st['with_errors']} 份。")
    return "\n".join(out)
