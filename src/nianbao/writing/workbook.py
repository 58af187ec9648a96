"""The draft workbook: one sheet per table (表二、表三、表四) laid out as the official template,
input cells unlocked, totals as locked formulas, data validation; and reading it back.

Sheet 基本信息 holds the body and the year; the very hidden sheet 上年数据 keeps last year's
figures for the cross-year rules. A cell's place is fixed by the template's grid
(:mod:`.layout`): grid row ``r``, column ``c`` is sheet row ``TOP + r``, column ``c + 1``.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import spec
from ..parsing.sections import PART_TITLES
from . import layout
from .draft import IN_FORCE_ROWS, Draft, in_force
from .formula import FormulaError, evaluate

TOP = 3  # the grid's first sheet row (row 1: the report's title, row 2: the table's name)
INFO, PREVIOUS = "基本信息", "上年数据"
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
FORMULA_FILL = PatternFill("solid", fgColor="E7E6E6")
HEAD_FILL = PatternFill("solid", fgColor="C6D9F1")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
START_COL = 5  # 表二: the helper column 上年现行有效件数 (E), right of the template's four
OUTCOMES = [r for r in layout._APP_ROWS if r in spec.OUTCOME_ROWS]


def ref(table: str, key: str) -> str:
    """The sheet cell of a key, e.g. ``表三!D8``."""
    c = layout.grid(table).key_cells()[key]
    return f"{layout.SHEET_NAMES[table]}!{get_column_letter(c.col + 1)}{TOP + c.row}"


def key_ref(key: str) -> str:
    return ref(key.split(".")[0], key)


def _addr(g: layout.Grid, key: str) -> str:
    c = g.key_cells()[key]
    return f"{get_column_letter(c.col + 1)}{TOP + c.row}"


def _formulas(g: layout.Grid, draft: Draft) -> dict:
    """key → formula of the cells the template defines as sums (locked), and of 现行有效件数 when
    last year's figure is known (unlocked: the clerk may overwrite it)."""
    out: dict = {}
    if g.table == "applications":
        t = spec.APPLICATIONS_2021
        for r in layout._APP_ROWS:
            keys = t.row_keys(t.row(r))
            out[keys[6]] = f"=SUM({_addr(g, keys[0])}:{_addr(g, keys[5])})"
        for c in spec.APPLICANT_COLUMNS[:6]:
            out[f"applications.total.{c}"] = (f"=SUM({_addr(g, f'applications.{OUTCOMES[0]}.{c}')}:"
                                              f"{_addr(g, f'applications.{OUTCOMES[-1]}.{c}')})")
    elif g.table == "review_litigation":
        for grp in spec.REVIEW_GROUPS:
            keys = spec.REVIEW.row_keys(spec.REVIEW.row(grp))
            out[keys[4]] = f"=SUM({_addr(g, keys[0])}:{_addr(g, keys[3])})"
    return out


def _in_force_formula(g: layout.Grid, r: str) -> str:
    row = TOP + g.key_cells()[f"active.{r}.in_force"].row
    return f"={get_column_letter(START_COL)}{row}+{_addr(g, f'active.{r}.issued')}-{_addr(g, f'active.{r}.repealed')}"


def _validation(ws, money: bool):
    if money:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error, dv.prompt = "请填写不小于0的金额，单位：万元（可有小数）", "单位：万元"
    else:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error, dv.prompt = "请填写不小于0的整数；没有的填0", "整数，没有的填0"
    dv.errorTitle, dv.showErrorMessage, dv.showInputMessage = "数值不符合要求", True, True
    ws.add_data_validation(dv)
    return dv


def _sheet(wb, g: layout.Grid, draft: Draft) -> None:
    ws = wb.create_sheet(layout.SHEET_NAMES[g.table])
    t = spec.table(layout.TEMPLATE, g.table)
    width = len(g.widths)
    ws.merge_cells(start_row=1, end_row=1, start_column=1, end_column=width)
    ws.cell(1, 1, draft.title).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = CENTER
    ws.cell(2, 1, t.name).font = Font(bold=True, size=12)
    ws.row_dimensions[1].height = 30
    for i, w in enumerate(g.widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = max(round(w / 105), 10)
    counts, money = _validation(ws, False), _validation(ws, True)
    formulas = _formulas(g, draft)
    for c in g.cells:
        cell = ws.cell(TOP + c.row, c.col + 1)
        if c.rowspan > 1 or c.colspan > 1:
            ws.merge_cells(start_row=TOP + c.row, end_row=TOP + c.row + c.rowspan - 1,
                           start_column=c.col + 1, end_column=c.col + c.colspan)
        for rr in range(c.rowspan):  # borders on every cell of a merge
            for cc in range(c.colspan):
                ws.cell(TOP + c.row + rr, c.col + 1 + cc).border = BORDER
        cell.alignment = CENTER
        if c.key is None:
            cell.value = c.text
            if c.text.startswith("第二十条"):
                cell.fill, cell.alignment = HEAD_FILL, LEFT
            elif len(c.text) > 14:
                cell.alignment = LEFT
            continue
        value = draft.values.get(c.key)
        if c.key in formulas:
            cell.value, cell.fill = formulas[c.key], FORMULA_FILL
            continue
        col = spec.column_of(c.key, layout.TEMPLATE)
        if col.money and value is not None:
            value = float(Decimal(str(value)) / 10000)
        rkey = c.key.split(".")[1]
        if c.key.endswith(".in_force") and rkey in draft.starts:
            value = _in_force_formula(g, rkey)
        cell.value, cell.fill = value, INPUT_FILL
        cell.protection = Protection(locked=False)
        (money if col.money else counts).add(cell)
        if col.money:
            cell.number_format = "0.######"
    for r in range(g.n_rows):  # long labels: room for their lines
        longest = max((len(c.text) / max(sum(g.widths[c.col:c.col + c.colspan]) / 210, 1)
                       for c in g.cells if c.row == r and c.rowspan == 1 and c.text), default=1)
        ws.row_dimensions[TOP + r].height = max(18, 15 * (int(longest) + 1))
    if g.table == "active":  # last year's 现行有效件数, the start of this year's
        head = ws.cell(TOP + 1, START_COL, "上年现行有效件数（上年报告，用于计算现行有效件数）")
        head.alignment, head.font, head.border = CENTER, Font(italic=True), BORDER
        ws.column_dimensions[get_column_letter(START_COL)].width = 24
        for r in IN_FORCE_ROWS:
            cell = ws.cell(TOP + g.key_cells()[f"active.{r}.in_force"].row, START_COL, draft.starts.get(r))
            cell.fill, cell.border, cell.alignment = INPUT_FILL, BORDER, CENTER
            cell.protection = Protection(locked=False)
            counts.add(cell)
    if g.table == "applications":  # the 勾稽关系 as a check line under the table
        row = TOP + g.n_rows
        ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=3)
        ws.cell(row, 1, "核对：第一项＋第二项－（七）总计－第四项（每列应为0）").alignment = LEFT
        for c in spec.APPLICANT_COLUMNS:
            a = {r: _addr(g, f"applications.{r}.{c}") for r in ("new_requests", "carried_over", "total", "carried_forward")}
            cell = ws.cell(row, g.key_cells()[f"applications.total.{c}"].col + 1,
                           f"={a['new_requests']}+{a['carried_over']}-{a['total']}-{a['carried_forward']}")
            cell.fill, cell.border, cell.alignment = FORMULA_FILL, BORDER, CENTER
        ws.row_dimensions[row].height = 30
    ws.freeze_panes = ws.cell(TOP + (3 if g.table != "active" else 0), 1)
    ws.protection.sheet = True  # no password: it guards the layout, not a secret
    ws.page_setup.orientation = "landscape" if width > 4 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_workbook(draft: Draft, out) -> None:
    """The workbook to fill in (``out``: a path or a binary file)."""
    wb = Workbook()
    info = wb.active
    info.title = INFO
    rows = [("机关名称", draft.agency), ("年度", draft.year), ("模板", "2021年版（国办公开办函〔2021〕30号）"),
            ("上年报告", f"{draft.previous_agency or draft.agency}{draft.previous_year}年度" if draft.previous else "无")]
    info.cell(1, 1, draft.title).font = Font(bold=True, size=14)
    for i, (k, v) in enumerate(rows, start=3):
        info.cell(i, 1, k).font = Font(bold=True)
        info.cell(i, 2, v)
        if i < 5:
            info.cell(i, 2).fill = INPUT_FILL
            info.cell(i, 2).protection = Protection(locked=False)
    notes = ["填写说明：", "1. 黄色单元格填数字，没有的填0，不要留空；灰色单元格是合计，自动计算，不能修改。",
             "2. 表二“本年收费金额”以万元为单位，可有小数。",
             "3. 上年结转、上年现行有效件数已按上一年度报告预填，请核对。",
             "4. 填好后运行：nianbao write check 本文件.xlsx —— 没有错误再生成报告：nianbao write render。",
             "5. 各部分文字另写在 Markdown 文件中：" + "、".join(f"{spec.part_numeral(n)}、{PART_TITLES[n]}" for n in (1, 5, 6))]
    for i, n in enumerate(notes, start=9):
        info.cell(i, 1, n)
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 14, 60
    info.protection.sheet = True
    for g in layout.grids():
        _sheet(wb, g, draft)
    prev = wb.create_sheet(PREVIOUS)
    prev.sheet_state = "veryHidden"
    if draft.previous is not None:
        prev.append(["agency", draft.previous_agency or draft.agency])
        prev.append(["year", draft.previous_year])
        for k, v in draft.previous.items():
            prev.append([k, v])
    prev.protection.sheet = True
    wb.save(out)


# ------------------------------------------------------------------------------------ reading

class ReadProblem(ValueError):
    """A cell that is no number (its key, the text, why)."""


def _number(v):
    if isinstance(v, bool):
        raise ValueError("不是数字")
    if isinstance(v, (int, float)):
        return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    s = str(v).strip().replace(",", "").replace("，", "")
    try:
        return Decimal(s)
    except InvalidOperation:
        raise ValueError("不是数字") from None


def read_workbook(path) -> tuple:
    """``(Draft, problems)`` from a filled workbook; ``problems`` lists ``(key, raw, reason)`` for
    cells that hold no number. Formulas are computed here (see :mod:`.formula`)."""
    wb = load_workbook(path)
    try:
        cached = load_workbook(path, data_only=True)
    except Exception:  # pragma: no cover - the same file just opened
        cached = None
    info = wb[INFO]
    agency = str(info["B3"].value or "").strip()
    try:
        year = int(info["B4"].value)
    except (TypeError, ValueError):
        raise ValueError(f"“{INFO}”表的年度不是数字：{info['B4'].value!r}") from None
    values, problems, starts = {}, [], {}
    for g in layout.grids():
        ws = wb[layout.SHEET_NAMES[g.table]]
        cws = cached[layout.SHEET_NAMES[g.table]] if cached is not None else None
        memo: dict = {}

        def value_at(r, c, depth=0, ws=ws, cws=cws, memo=memo):
            if (r, c) in memo:
                if memo[(r, c)] is None:
                    raise FormulaError("循环引用")
                return memo[(r, c)]
            memo[(r, c)] = None
            v = ws.cell(r, c).value
            if v is None or v == "":
                out = Decimal(0)
            elif isinstance(v, str) and v.startswith("="):
                try:
                    out = evaluate(v, lambda rr, cc: value_at(rr, cc, depth + 1), depth)
                except FormulaError:
                    cv = cws.cell(r, c).value if cws is not None else None
                    if cv is None:
                        raise
                    out = _number(cv)
            else:
                out = _number(v)
            memo[(r, c)] = out
            return out

        for key, c in g.key_cells().items():
            raw = ws.cell(TOP + c.row, c.col + 1).value
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                values[key] = None
                continue
            try:
                d = value_at(TOP + c.row, c.col + 1)
            except (ValueError, FormulaError) as e:
                problems.append((key, str(raw), f"公式无法计算：{e}" if isinstance(e, FormulaError) else str(e)))
                values[key] = None
                continue
            if spec.column_of(key, layout.TEMPLATE).money:
                d = d * 10000
                values[key] = int(d) if d == d.to_integral_value() else float(d)
            elif d != d.to_integral_value():
                problems.append((key, str(raw), "计数应为整数"))
                values[key] = None
            else:
                values[key] = int(d)
        if g.table == "active":
            for r in IN_FORCE_ROWS:
                v = ws.cell(TOP + g.key_cells()[f"active.{r}.in_force"].row, START_COL).value
                if v not in (None, ""):
                    try:
                        starts[r] = int(_number(v))
                    except ValueError:
                        pass
    draft = Draft(agency, year, values, starts=starts)
    if PREVIOUS in wb.sheetnames:
        rows = {r[0]: r[1] for r in wb[PREVIOUS].iter_rows(values_only=True) if r and r[0]}
        if "year" in rows:
            draft.previous_agency, draft.previous_year = rows.pop("agency", None), int(rows.pop("year"))
            draft.previous = rows
    return draft, problems


__all__ = ["write_workbook", "read_workbook", "ref", "key_ref", "in_force"]
