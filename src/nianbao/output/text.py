"""Human (Chinese) rendering of a parsed report: the three tables with diagnostics under them."""
from __future__ import annotations

import unicodedata

from .. import spec
from ..model.report import Report
from ..rules.parser import diagnostic_message

_SEV = {"error": "错误", "warning": "警告", "info": "提示"}


def display_width(text: str) -> int:
    """Columns a text takes on a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a display width (CJK characters take two columns)."""
    while display_width(text) > width:
        text = text[:-1]
    fill = " " * (width - display_width(text))
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
           f"机关：{report.agency or '未能识别'}　年度：{report.year or '未能识别'}　"
           f"模板：{report.template + '年版' if report.template else '未能判断'}",
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
            from .findings import source_position
            pos = source_position(d.loc)
            where = f"［原文{pos}］" if pos else ""
            out.append(f"  {d.code} {_SEV.get(d.severity, d.severity)}{where} {diagnostic_message(d)}")
    else:
        out.append("诊断：无")
    return "\n".join(out)


def _header(a) -> list:
    from .findings import error_zh, identity, status
    if a.report is None or a.error is not None:
        return [f"\n{a.name}", f"  无法读取：{error_zh(a.error) if a.error is not None else '原因不明'}"]
    r = a.report
    tpl = f"{r.template}年版格式" if r.template else "格式版本未能判断"
    if a.unreadable:
        return [f"\n{a.name}", "  无法读取：PDF 是扫描件，没有文字层（暂不支持文字识别），请索取可复制文字的版本"]
    return [f"\n{a.name}", f"  {identity(r)}（{tpl}）：{status(a)}　"
                            f"错误{a.count('error')} 警告{a.count('warning')} 提示{a.count('info')}"]


def _where(f, report) -> str:
    from .findings import place, source_position
    if f.keys:
        p = place(f.keys[0], report)
        more = f"等{len(f.keys)}格" if len(f.keys) > 1 else ""
        return f"［{p.table}“{p.row}”行“{p.column}”列{more}" + (f"，原文{p.source}" if p.source else "") + "］"
    pos = source_position(f.loc)
    return f"［原文{pos}］" if pos else ""


def audited_to_lines(a, fmt: str = "grouped") -> list:
    """One audited input in Chinese: ``grouped`` (one line per rule per table, findings sharing a
    cell together) or ``text`` (one line per finding)."""
    from .findings import SEV_ORDER, SEV_ZH, group_findings, place, source_span, table_name
    out = _header(a)
    if a.report is None or a.error is not None or a.unreadable:
        return out
    r = a.report
    if fmt == "text":
        for f in sorted(a.findings, key=lambda f: (SEV_ORDER[f.severity], f.code)):
            out.append(f"    {f.code} {SEV_ZH[f.severity]}{_where(f, r)} {f.message}")
        return out
    table = object()
    for c in group_findings(a.findings, r):
        if c.table != table:
            table = c.table
            out.append(f"  {table_name(table) if table else '全文'}")
        lead = "    "
        if len(c.groups) > 1:
            out.append(f"    以下{len(c.groups)}项涉及相同单元格，宜一并核对"
                       + (f"；可能的原因：{place(c.cause, r)}，它是各项不平衡关系唯一的共同单元格" if c.cause else "")
                       + "：")
            lead = "      "
        for g in c.groups:
            span = source_span(g.keys, r, g.findings[0].loc)
            out.append(f"{lead}{g.code} {SEV_ZH[g.severity]}" + (f"［原文{span}］" if span else "")
                       + f" {g.summary(r)}")
    return out


def audit_run_to_text(run, fmt: str = "grouped", statistics: bool = False) -> str:
    """An :class:`~nianbao.audit.AuditRun` in Chinese: one block per input (grouped findings, or
    one line per finding with ``fmt="text"``), then the totals."""
    out = []
    for a in run.tasks:
        out.extend(audited_to_lines(a, fmt))
    if statistics:
        out.append("")
        out.extend(statistics_lines(run))
    out.append("\n" + totals_line(run))
    return "\n".join(out)


def statistics_lines(run) -> list:
    """``--statistics``: how many findings of each rule, most first (like ruff's)."""
    from ..rules import RULES
    from .findings import SEV_ZH
    counts: dict = {}
    for a in run.tasks:
        for f in a.findings:
            counts[f.code] = counts.get(f.code, 0) + 1
    if not counts:
        return ["各规则问题数：无"]
    out = ["各规则问题数："]
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        r = RULES.get(code)
        out.append(f"  {n:>5}  {code}  {SEV_ZH[r.severity] if r else ''}  {r.title if r else code}")
    return out


def totals_line(run) -> str:
    from .findings import status
    st = run.stats
    verdicts = [status(a) for a in run.tasks]
    n = {v: verdicts.count(v) for v in ("无法读取", "有错误", "有警告", "有提示", "通过")}
    return (f"共 {st['inputs']} 份：读取 {st['inputs'] - n['无法读取']} 份，无法读取 {n['无法读取']} 份；"
            f"有错误 {n['有错误']} 份，有警告 {n['有警告']} 份，仅有提示 {n['有提示']} 份，通过 {n['通过']} 份。")
