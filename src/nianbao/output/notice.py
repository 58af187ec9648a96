"""The correction notice (问题反馈单): one Word document addressed to a body, listing the problems
of its report(s) in Chinese — table, row, column, expected and actual values — and the basis of
each rule, ready to print and send: A4, 仿宋 body, 黑体 headings, page numbers.

:func:`notice_document` is the one generator: ``nianbao notice`` writes its result to a file and
the web app's review letter is meant to be the same document. Its ``dismissed`` argument is the
set of finding ids (:func:`nianbao.output.findings.finding_id`) a reviewer dismissed; they are
left out. (The ``--db`` option, reading those ids from the store's decision model, is the hook
marked ``DISMISSED-HOOK`` in ``cli.py``.)

Only findings about the report go into the notice: families S, C, A, T, Y. Parser diagnostics
(P) are about nianbao's reading of the file, not about the report; they are not sent to the body.
"""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .findings import (SEV_ZH, describe_cells, finding_id, group_findings, identity, place, source_span,
                       table_full_name)

BODY_FONT = "仿宋"
HEAD_FONT = "黑体"
SENT_FAMILIES = "SCATY"
NUMERALS = "一二三四五六七八九十"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = "Times New Roman"
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), "Times New Roman")
    fonts.set(qn("w:hAnsi"), "Times New Roman")


def _para(doc_or_cell, text: str = "", font: str = BODY_FONT, size: float = 16, bold: bool = False,
          align=None, indent: bool = False, space_after: float = 0, line: float | None = 28):
    p = doc_or_cell.add_paragraph()
    if text:
        _font(p.add_run(text), font, size, bold)
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if line:
        fmt.line_spacing = Pt(line)
    return p


def _page_number_footer(section) -> None:
    """“— 1 —” centred in the footer (a PAGE field)."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), BODY_FONT, 14)
    run = p.add_run()
    _font(run, BODY_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text.strip() == "PAGE" else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _font(p.add_run(" —"), BODY_FONT, 14)


def _cell_text(cell, text: str, bold: bool = False, size: float = 10.5, font: str = BODY_FONT, center=False) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    _font(p.add_run(text), font, size, bold)
    p.paragraph_format.line_spacing = Pt(size * 1.35)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _no_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _value(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (list, tuple)):
        shown = ["“”" if x == "" else str(x) for x in v]
        if shown and all(x in ("“”", "") for x in shown):
            return "空白"
        return "、".join(shown)
    if v == "数字":
        return "数字（无则填0）"
    return str(v)


def _basis(code: str) -> str:
    from ..rules.codes import explain
    e = explain(code)
    m = re.search(r"(?m)^依据：(.*)$", e.doc if e else "")
    return m.group(1).strip() if m else "年度报告格式"


def _rows_for(audited, dismissed) -> list:
    """(位置, 问题, 应为, 实为, code) for each group of the report's sent findings."""
    r = audited.report
    kept = [f for f in audited.findings if f.code[0] in SENT_FAMILIES and finding_id(f) not in dismissed]
    out = []
    for c in group_findings(kept, r):
        for g in c.groups:
            if g.table:
                where = table_full_name(g.table)
                cells = describe_cells(g.keys, r, relation=g.code[0] in "AY")
                where += f"：{cells}" if cells and g.code != "C101" else ""
            else:
                where = "报告全文"
            span = source_span(g.keys, r, g.findings[0].loc)
            if span:
                where += f"（原文{span}）"
            problem = g.summary(r)
            if c.cause and g is c.groups[0]:
                problem += f"。以上各项均涉及{place(c.cause, r)}，请首先核对该单元格"
            fs = g.findings
            if len(fs) == 1:
                exp, act = _value(fs[0].expected), _value(fs[0].actual)
            elif g.code == "C101":
                exp, act = "数字（无则填0）", "空白"
            else:
                exp = "；".join(_value(f.expected) for f in fs)
                act = "；".join(_value(f.actual) for f in fs)
            out.append((where, f"{problem}。".replace("。。", "。"), exp, act, g.code, g.severity))
    return out


def notice_document(audits, dismissed=frozenset(), *, issuer: str = "", date: _dt.date | None = None):
    """A python-docx ``Document``: the correction notice to one body for its audited report(s)
    (``audits``: one :class:`~nianbao.audit.Audited` or a list of the same body's). Findings whose
    :func:`~nianbao.output.findings.finding_id` is in ``dismissed`` are left out."""
    if not isinstance(audits, (list, tuple)):
        audits = [audits]
    audits = sorted((a for a in audits if a.report is not None and a.error is None), key=lambda a: a.report.year or 0)
    dismissed = set(dismissed or ())
    body = next((a.report.agency for a in audits if a.report.agency), None) or "（未能识别机关名称）"

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    sec.footer_distance = Cm(2.4)
    _page_number_footer(sec)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _para(doc, "政府信息公开工作年度报告", HEAD_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, line=36)
    _para(doc, "问题反馈单", HEAD_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, line=36, space_after=16)
    _para(doc, f"{body}：")

    rows_by_report = [(a, _rows_for(a, dismissed)) for a in audits]
    total = sum(len(rows) for _, rows in rows_by_report)
    names = "、".join(f"《{_report_title(a.report)}》" for a in audits)
    if total:
        errors = sum(1 for _, rows in rows_by_report for row in rows if row[5] == "error")
        ask = ("请逐项核实，对确属错误的予以更正，并重新公开更正后的年度报告。" if errors
               else "请逐项核实，并视情况予以完善。")
        _para(doc, f"经对你单位公开的{names}进行核查，发现以下{total}项问题（表中“应为”“实为”为核查所依据的数值）。{ask}",
              indent=True)
    else:
        _para(doc, f"经对你单位公开的{names}进行核查，未发现需要更正的问题。", indent=True)

    codes_used: list = []
    for n, (a, rows) in enumerate(rows_by_report):
        if not rows:
            continue
        heading = f"{NUMERALS[n] if n < 10 else n + 1}、{identity(a.report).split(' ')[-1]}报告"
        _para(doc, heading, HEAD_FONT, 16, indent=True, space_after=4)
        table = doc.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = (Cm(1.0), Cm(3.7), Cm(6.0), Cm(1.8), Cm(1.8), Cm(1.4))  # 15.7 cm: the text width
        for col, w in zip(table.columns, widths):
            col.width = w
        for cell, text, w in zip(table.rows[0].cells, ("序号", "位置", "问题", "应为", "实为", "级别"), widths):
            _cell_text(cell, text, bold=True, font=HEAD_FONT, center=True)
            cell.width = w
        _repeat_header(table.rows[0])
        for i, (where, problem, exp, act, code, sev) in enumerate(rows, 1):
            cells = table.add_row().cells
            _no_split(table.rows[-1])
            for cell, text, w in zip(cells, (str(i), where, f"{problem}（{code}）", exp, act, SEV_ZH[sev]), widths):
                _cell_text(cell, text, center=cell is not cells[1] and cell is not cells[2])
                cell.width = w
            if code not in codes_used:
                codes_used.append(code)
        _para(doc, "", line=12)

    if codes_used:
        _para(doc, f"{NUMERALS[len(audits)] if len(audits) < 10 else ''}、核查依据", HEAD_FONT, 16, indent=True)
        from ..rules import RULES
        for code in codes_used:
            r = RULES.get(code)
            _para(doc, f"{code}（{r.title if r else code}）：{_basis(code)}", indent=True, size=14, line=24)
    _para(doc, "", line=20)
    _para(doc, "如对以上问题有异议，请在反馈整改情况时一并说明理由和依据。", indent=True)
    _para(doc, "", line=28)
    _para(doc, issuer or "（审核单位）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    when = date.strftime("%Y年%-m月%-d日") if date else "　　年　　月　　日"
    _para(doc, when, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


def _report_title(report) -> str:
    if report.title:
        return report.title
    return f"{identity(report).replace(' ', '')}政府信息公开工作年度报告"


def safe_filename(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip() or "未识别机关"


def write_notices(run, out_dir, dismissed=frozenset(), *, issuer: str = "", date=None) -> tuple:
    """One DOCX per body in ``out_dir`` (``问题反馈单-<机关>.docx``): ``(written paths, skipped)``,
    ``skipped`` being ``(name, reason)`` for inputs no notice can be addressed for."""
    from ..audit import body_key
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    bodies: dict = {}
    skipped = []
    for a in run:
        if a.report is None or a.error is not None or a.unreadable:
            skipped.append((a.name, "无法读取，未生成反馈单"))
        elif not a.report.agency:
            skipped.append((a.name, "未能识别机关名称，无法确定反馈单的收件单位"))
        else:
            bodies.setdefault(body_key(a.report), []).append(a)
    written = []
    used: set = set()
    for key, audits in bodies.items():
        name = safe_filename(audits[0].report.agency)
        fname, n = f"问题反馈单-{name}.docx", 1
        while fname in used:
            n += 1
            fname = f"问题反馈单-{name}-{n}.docx"
        used.add(fname)
        path = out / fname
        notice_document(audits, dismissed, issuer=issuer, date=date).save(path)
        written.append(path)
    return written, skipped
