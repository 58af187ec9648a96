"""The audit workbook a reviewer can forward: summary, findings, and each report's tables with the
failing cells marked."""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from .. import spec
from .safe import safe_row, sheet_name

_FILL = {"error": PatternFill("solid", fgColor="F8CBAD"), "warning": PatternFill("solid", fgColor="FFE699"),
         "info": PatternFill("solid", fgColor="DDEBF7")}
_SEV = {"error": "错误", "warning": "警告", "info": "提示"}
_BOLD = Font(bold=True)


def _cell_value(report, key):
    c = report.cells.get(key)
    if c is None:
        return None
    if not c.certain:
        return "?"
    return c.value


def audits_to_workbook(audits, path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(safe_row(["文件", "机关", "年度", "模板", "错误", "警告", "提示", "状态"]))
    for a in audits:
        if a.report is None or a.error is not None:
            ws.append(safe_row([a.name, None, None, None, None, None, None, f"无法读取：{a.error.zh}（{a.error.code}）"]))
            continue
        r = a.report
        ws.append(safe_row([a.name, r.agency, r.year, r.template, a.count("error"), a.count("warning"), a.count("info"),
                   "有错误" if a.count("error") else "通过"]))
    _header(ws)

    wf = wb.create_sheet("问题清单")
    wf.append(safe_row(["文件", "机关", "年度", "代码", "规则", "级别", "位置", "单元格", "应为", "实为", "说明", "单元格键"]))
    for a in audits:
        for f in a.findings:
            template = a.report.template if a.report else None
            wf.append(safe_row([a.name, f.agency, f.year, f.code, f.name, _SEV[f.severity],
                       f.loc.describe() if f.loc else None, "、".join(_label(k, template) for k in f.keys) or None,
                       _text(f.expected), _text(f.actual), f.message, "、".join(f.keys) or None]))
            wf.cell(wf.max_row, 6).fill = _FILL[f.severity]
    _header(wf)

    for n, a in enumerate(a for a in audits if a.report is not None and a.error is None):
        _report_sheet(wb, a, n + 1)
    wb.save(path)


def _label(key: str, template) -> str:
    try:
        return spec.label_of(key, template or "2021")
    except (KeyError, StopIteration, ValueError):
        return key


def _text(v):
    if v is None or isinstance(v, (int, float, str)):
        return v
    return str(v)


def _header(ws):
    for c in ws[1]:
        c.font = _BOLD
    ws.freeze_panes = "A2"
    for col in ws.columns:
        width = max(len(str(c.value or "")) for c in col[:200])
        ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width * 1.6))


def _report_sheet(wb, a, n):
    r = a.report
    title = f"{n}-{(r.agency or '未识别')[:20]}{r.year or ''}"
    ws = wb.create_sheet(sheet_name(title, {n.lower() for n in wb.sheetnames}))
    ws.append(safe_row([f"{r.agency or ''} {r.year or ''}年度报告（{r.template or '?'}版）", a.name]))
    ws["A1"].font = _BOLD
    worst = {}
    for f in a.findings:
        for k in f.keys:
            if k not in worst or "ewi".index(f.severity[0]) < "ewi".index(worst[k].severity[0]):
                worst[k] = f
    for t in spec.TABLES.get(r.template or "2021", spec.TABLES["2021"]):
        ws.append(safe_row([]))
        ws.append(safe_row([t.title]))
        ws.cell(ws.max_row, 1).font = _BOLD
        if t.key not in r.tables:
            ws.append(safe_row(["（未找到）"]))
            continue
        if t.single_row:
            ws.append(safe_row([""]) + [spec.REVIEW_COLUMN_LABELS[c] for c in spec.REVIEW_COLUMNS])
        for row in t.rows:
            keys = [f"{t.key}.{row.key}.{c.key}" for c in row.columns]
            if not any(k in r.cells for k in keys):
                continue
            if not t.single_row and (t.key == "active" or row is t.rows[0]):
                ws.append(safe_row([""]) + [c.label for c in row.columns])
            ws.append(safe_row([row.label]) + [_cell_value(r, k) for k in keys])
            for i, k in enumerate(keys):
                f = worst.get(k)
                if f is not None:
                    cell = ws.cell(ws.max_row, i + 2)
                    cell.fill = _FILL[f.severity]
                    cell.comment = Comment(f"{f.code} {f.message}", "nianbao")
    ws.column_dimensions["A"].width = 48
    for row in ws.iter_rows():
        for c in row:
            c.alignment = Alignment(wrap_text=False)
