"""Human (Chinese) rendering of a parsed report: the three tables with diagnostics under them."""
from __future__ import annotations

from . import spec
from .model import Report

_SEV = {"error": "错误", "warning": "警告", "info": "提示"}


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


def report_to_text(report: Report) -> str:
    out = [f"文件：{report.file}（{report.format}）",
           f"机关：{report.agency or '未识别'}　年度：{report.year or '未识别'}　模板：{report.template or '未识别'}版",
           "部分：" + "、".join("一二三四五六"[p.number - 1] for p in report.parts)]
    tables = spec.TABLES.get(report.template or "2021", spec.TABLES["2021"])
    for t in tables:
        out.append("")
        out.append(f"【{t.title}】" + ("" if t.key in report.tables else "（未找到）"))
        if t.key not in report.tables:
            continue
        if t.single_row:
            out.append("　" * 6 + "".join(f"{spec.REVIEW_COLUMN_LABELS[c]:>6}" for c in spec.REVIEW_COLUMNS))
            for r in t.rows:
                out.append(f"{r.label:　<12}" + "".join(f"{_fmt(report, f'{t.key}.{r.key}.{c.key}'):>10}" for c in r.columns))
            continue
        for r in t.rows:
            keys = [f"{t.key}.{r.key}.{c.key}" for c in r.columns]
            if not any(k in report.cells for k in keys):
                continue
            vals = "  ".join(f"{c.label}={_fmt(report, k)}" if t.key == "active" else f"{_fmt(report, k):>6}"
                             for c, k in zip(r.columns, keys))
            out.append(f"  {r.label[:22]:　<22} {vals}")
    out.append("")
    if report.diagnostics:
        out.append(f"诊断（{len(report.diagnostics)}）：")
        for d in report.diagnostics:
            where = f"［{d.loc.describe()}］" if d.loc is not None and d.loc.describe() else ""
            out.append(f"  {d.code} {_SEV.get(d.severity, d.severity)}{where} {d.message}")
    else:
        out.append("诊断：无")
    return "\n".join(out)


def document_to_debug(doc, headings) -> str:
    """What the parser saw: every block (paragraph or table row) with its location, and where the
    part headings were found. ``·`` marks an empty cell, ``∅`` a ghost field (uncertain cell)."""
    at = {h.block: h for h in headings}
    out = [f"格式：{doc.format}　标题（容器）：{doc.title or '无'}　块数：{len(doc.blocks)}"]
    for i, b in enumerate(doc.blocks):
        if i in at:
            h = at[i]
            out.append(f"══ 第{'一二三四五六'[h.part - 1]}部分标题：{h.title}")
        loc = b.cells[0].loc.describe() if b.cells else ""
        if b.kind == "para":
            text = b.cells[0].text
            out.append(f"[段 {loc}] {text[:120]}{'…' if len(text) > 120 else ''}")
        else:
            cells = " | ".join("∅" if c.ghost else (c.text.strip() or "·") for c in b.cells)
            out.append(f"[行 {loc}] {cells}")
    return "\n".join(out)
