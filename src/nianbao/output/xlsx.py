"""The audit workbook a reviewer can forward and print: 汇总 (one row per report, its status),
问题清单 (one row per rule per table, its cells listed), 问题明细 (one row per finding, with a
link to the cell), and — for up to :data:`SHEETS_UP_TO` reports, or on request — each report's
tables with the failing cells marked.

Every sheet prints on A4 landscape, fitted to the page width, with its header row repeated on
each page, page numbers in the footer, readable column widths and wrapped text; the finding
sheets have an autofilter.
"""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from .. import spec
from .findings import SEV_ZH, describe_cells, finding_table, group_findings, identity, place, source_span, status, \
    table_name
from .safe import safe_row, sheet_name, xlsx_cell

_FILL = {"error": PatternFill("solid", fgColor="F8CBAD"), "warning": PatternFill("solid", fgColor="FFE699"),
         "info": PatternFill("solid", fgColor="DDEBF7")}
_HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
_BOLD = Font(bold=True)
_LINK = Font(color="0563C1", underline="single")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_RED = Side(style="thick", color="C00000")
_CAUSE = Border(left=_RED, right=_RED, top=_RED, bottom=_RED)
_WRAP = Alignment(wrap_text=True, vertical="top")
_STATUS_FILL = {"有错误": _FILL["error"], "有警告": _FILL["warning"], "无法读取": _FILL["error"]}

SHEETS_UP_TO = 50
"""Without ``sheets=``, a batch of at most this many reports gets one sheet per report."""


def _cell_value(report, key):
    c = report.cells.get(key)
    if c is None:
        return None
    if not c.certain:
        return "?"
    return c.value


def _text(v):
    if v is None or isinstance(v, (int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        if v and all(isinstance(x, str) and not x.strip() for x in v):
            return "空白"
        return "；".join("／".join(map(str, x)) if isinstance(x, (list, tuple)) else (str(x).strip() or "空白")
                        for x in v)
    return str(v)


def audits_to_workbook(audits, path, sheets=None) -> None:
    """Write the workbook of an :class:`~nianbao.audit.AuditRun` (or a list of ``Audited``).
    ``sheets``: one sheet per report (default: when there are at most :data:`SHEETS_UP_TO`)."""
    from ..rules import RULES
    tasks = list(audits)
    readable = [a for a in tasks if a.report is not None and a.error is None and not a.unreadable]
    if sheets is None:
        sheets = len(readable) <= SHEETS_UP_TO
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    wg = wb.create_sheet("问题清单")
    wd = wb.create_sheet("问题明细")

    cells_at: dict = {}  # (task index, key) → (sheet title, coordinate)
    sheet_of: dict = {}
    if sheets:
        for n, a in enumerate(readable, 1):
            sheet_of[id(a)] = _report_sheet(wb, a, n, cells_at)

    ws.append(safe_row(["序号", "文件", "机关", "年度", "格式版本", "状态", "错误", "警告", "提示", "报告表"]))
    for n, a in enumerate(tasks, 1):
        st = status(a)
        if a.report is None or a.error is not None or a.unreadable:
            from .findings import error_zh
            why = error_zh(a.error) if a.error is not None else "PDF 是扫描件，没有文字层"
            ws.append(safe_row([n, a.name, None, None, None, f"{st}：{why}", None, None, None, None]))
        else:
            r = a.report
            ws.append(safe_row([n, a.name, r.agency or "（未能识别）", r.year, f"{r.template}年版" if r.template else None,
                                st, a.count("error"), a.count("warning"), a.count("info"), None]))
            if id(a) in sheet_of:
                _link(ws.cell(ws.max_row, 10), sheet_of[id(a)], "A1", "查看")
        fill = _STATUS_FILL.get(st)
        if fill:
            ws.cell(ws.max_row, 6).fill = fill
    _finish(ws, {"A": 5, "B": 44, "C": 28, "D": 7, "E": 10, "F": 30, "G": 6, "H": 6, "I": 6, "J": 8})

    wg.append(safe_row(["序号", "机关", "年度", "表", "代码", "规则", "级别", "问题数", "涉及单元格", "原文位置",
                        "说明", "可能的原因", "文件"]))
    wd.append(safe_row(["序号", "机关", "年度", "表", "行", "列", "原文位置", "代码", "规则", "级别", "应为", "实为",
                        "说明", "单元格", "文件", "单元格键"]))
    for a in readable:
        r = a.report
        who = r.agency or "（未能识别）"
        for c in group_findings(a.findings, r):
            for g in c.groups:
                cause = str(place(c.cause, r)) if c.cause else None
                span = source_span(g.keys, r, g.findings[0].loc)
                wg.append(safe_row([wg.max_row, who, r.year, table_name(g.table) if g.table else "全文", g.code,
                                    g.title, SEV_ZH[g.severity], len(g.findings),
                                    describe_cells(g.keys, r, relation=g.code[0] in "AY") or None, span or None, g.summary(r), cause, a.name]))
                wg.cell(wg.max_row, 7).fill = _FILL[g.severity]
                first = next((k for k in g.keys if (id(a), k) in cells_at), None)
                if first:
                    _link(wg.cell(wg.max_row, 5), *cells_at[(id(a), first)], g.code)
        for f in a.findings:
            p = place(f.keys[0], r) if f.keys else None
            t = finding_table(f)
            rule = RULES.get(f.code)
            wd.append(safe_row([wd.max_row, who, r.year, table_name(t) if t else (p.table if p else "全文"),
                                _several([place(k, r).row for k in f.keys]), _several([place(k, r).column for k in f.keys]),
                                (p.source if p and p.source else source_span(f.keys, r, f.loc)) or None,
                                f.code, rule.title if rule else f.code, SEV_ZH[f.severity],
                                _text(f.expected), _text(f.actual), f.message,
                                describe_cells(f.keys, r, relation=f.code[0] in "AY") or None, a.name, "、".join(f.keys) or None]))
            wd.cell(wd.max_row, 10).fill = _FILL[f.severity]
            first = next((k for k in f.keys if (id(a), k) in cells_at), None)
            if first:
                _link(wd.cell(wd.max_row, 8), *cells_at[(id(a), first)], f.code)
    _finish(wg, {"A": 5, "B": 16, "C": 6, "D": 5, "E": 6, "F": 14, "G": 5, "H": 5, "I": 28, "J": 11, "K": 48,
                 "L": 22, "M": 30}, print_to="L")
    _finish(wd, {"A": 5, "B": 16, "C": 6, "D": 5, "E": 20, "F": 10, "G": 10, "H": 6, "I": 14, "J": 5, "K": 10,
                 "L": 10, "M": 44, "N": 30, "O": 30, "P": 30}, print_to="M")
    wb.save(path)


def _several(labels) -> str | None:
    """One label, a few joined, or “first等n项”."""
    labels = list(dict.fromkeys(labels))
    if not labels:
        return None
    return "、".join(labels) if len(labels) <= 3 else f"{labels[0]}等{len(labels)}项"


def _link(cell, sheet: str, coord: str, text) -> None:
    cell.value = xlsx_cell(text)
    cell.hyperlink = f"#'{sheet}'!{coord}"
    cell.font = _LINK


def _print_setup(ws, title_rows: str = "1:1", landscape: bool = True) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddHeader.center.text = "&A"
    ws.print_options.horizontalCentered = True


def _display_width(text) -> int:
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _fit_rows(ws, widths: dict, first: int = 2, line_height: float = 15.0, last: str | None = None) -> None:
    """Row heights for wrapped text (spreadsheets do not grow a row that openpyxl wrote), from the
    columns up to ``last`` (the printed ones)."""
    if last:
        widths = {k: v for k, v in widths.items() if len(k) == len(last) and k <= last}
    for row in ws.iter_rows(min_row=first):
        lines = 1
        for c in row:
            w = widths.get(c.column_letter)
            if c.value is None or not w:
                continue
            per_line = max(1.0, w * 0.9)
            lines = max(lines, sum(-(-_display_width(part) // per_line) or 1 for part in str(c.value).split("\n")))
        ws.row_dimensions[row[0].row].height = line_height * min(lines, 30) + 3


def _finish(ws, widths: dict, print_to: str | None = None) -> None:
    """Header row bold and shaded, frozen, autofiltered; column widths; every cell wrapped and
    rows tall enough; A4 landscape print setup (``print_to``: the last printed column, the
    columns after it are for filtering and machines)."""
    for c in ws[1]:
        c.font = _BOLD
        c.fill = _HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        c.border = _BOX
    ws.freeze_panes = "A2"
    for col, w in widths.items():
        ws.column_dimensions[col].width = w
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.border = _BOX
            c.alignment = _WRAP
    _fit_rows(ws, widths, last=print_to)
    ws.row_dimensions[1].height = 30
    last = get_column_letter(ws.max_column)
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 1)}"
    _print_setup(ws)
    ws.print_area = f"A1:{print_to or last}{max(ws.max_row, 1)}"


def _report_sheet(wb, a, n, cells_at) -> str:
    """One report's three tables, failing cells filled and commented; returns the sheet title."""
    r = a.report
    title = f"{n}-{(r.agency or '未识别')[:20]}{r.year or ''}"
    ws = wb.create_sheet(sheet_name(title, {s.lower() for s in wb.sheetnames}))
    ws.append(safe_row([f"{identity(r)}政府信息公开工作年度报告（{r.template or '?'}年版格式）"]))
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(safe_row([f"文件：{a.name}"]))
    worst: dict = {}
    for f in a.findings:
        for k in f.keys:
            if k not in worst or "ewi".index(f.severity[0]) < "ewi".index(worst[k].severity[0]):
                worst[k] = f
    causes = {c.cause for c in group_findings(a.findings, r) if c.cause}
    width = 2
    for t in spec.TABLES.get(r.template or "2021", spec.TABLES["2021"]):
        ws.append(safe_row([]))
        ws.append(safe_row([f"{table_name(t.key)}　{t.title}"]))
        ws.cell(ws.max_row, 1).font = _BOLD
        if t.key not in r.tables:
            ws.append(safe_row(["（未找到此表）"]))
            continue
        if t.single_row:
            ws.append(safe_row([""]) + [spec.REVIEW_COLUMN_LABELS[c] for c in spec.REVIEW_COLUMNS])
            _head(ws, len(spec.REVIEW_COLUMNS) + 1)
        for row in t.rows:
            keys = [f"{t.key}.{row.key}.{c.key}" for c in row.columns]
            if not any(k in r.cells for k in keys):
                continue
            if not t.single_row and (t.key == "active" or row is t.rows[0]):
                ws.append(safe_row(["信息内容" if t.key == "active" else ""]) + [c.label for c in row.columns])
                _head(ws, len(row.columns) + 1)
            label = spec.REVIEW_GROUP_LABELS.get(row.key, row.label) if t.single_row else row.label
            ws.append(safe_row([label]) + [_cell_value(r, k) for k in keys])
            width = max(width, len(keys) + 1)
            for i, k in enumerate(keys):
                cell = ws.cell(ws.max_row, i + 2)
                cell.border = _BOX
                cells_at[(id(a), k)] = (ws.title, cell.coordinate)
                f = worst.get(k)
                if f is not None:
                    cell.fill = _FILL[f.severity]
                    note = f"{f.code} {f.message}"
                    if k in causes:
                        cell.border = _CAUSE
                        cell.font = _BOLD
                        note = "可能的原因：各项不平衡关系唯一的共同单元格。\n" + note
                    cell.comment = Comment(note, "nianbao", width=300, height=120)
            ws.cell(ws.max_row, 1).border = _BOX
            ws.cell(ws.max_row, 1).alignment = _WRAP
    ws.column_dimensions["A"].width = 46
    for i in range(2, width + 1):
        ws.column_dimensions[get_column_letter(i)].width = 13
    _print_setup(ws, title_rows="1:1", landscape=True)
    return ws.title


def _head(ws, n: int) -> None:
    for c in ws[ws.max_row][:n]:
        c.font = _BOLD
        c.fill = _HEAD_FILL
        c.border = _BOX
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
