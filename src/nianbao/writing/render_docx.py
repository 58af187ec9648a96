"""The report as a Word document, built on the official blank 2021 template (``data/``): its
three tables are filled, never redrawn; title, part headings and texts take 公文 typography on A4
(title 宋体 二号 bold, headings 黑体 三号, text 仿宋 三号, 28 pt lines, two-character indents)."""
from __future__ import annotations

import io
import re
from copy import deepcopy

from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from .. import spec
from ..parsing.sections import PART_TITLES
from . import layout
from .draft import Draft, cell_text
from .narrative import Narrative

TITLE_FONT, HEADING_FONT, BODY_FONT, SUBHEADING_FONT = "宋体", "黑体", "仿宋", "楷体"
TITLE_SIZE, BODY_SIZE = Pt(22), Pt(16)  # 二号, 三号
LINE = Pt(28)


def _font(run, name: str, size, bold: bool = False) -> None:
    run.font.size = size
    run.font.bold = bold
    run.font.name = name
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.attrib.pop(qn("w:hint"), None)


def _layout(p: Paragraph, *, indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY) -> None:
    f = p.paragraph_format
    f.alignment = align
    f.first_line_indent = Pt(32) if indent else Pt(0)
    f.left_indent = Pt(0)
    f.space_before = Pt(0)
    f.space_after = Pt(0)
    f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    f.line_spacing = LINE
    ppr = p._p.get_or_add_pPr()
    sp = ppr.find(qn("w:spacing"))
    if sp is not None:  # the template's auto spacing would override the exact lines
        for a in ("w:beforeAutospacing", "w:afterAutospacing"):
            sp.attrib.pop(qn(a), None)


def _set_text(p: Paragraph, text: str, font: str, size, bold: bool = False) -> None:
    for r in list(p._p.iter(qn("w:r"))):
        r.getparent().remove(r)
    _font(p.add_run(text), font, size, bold)


def _new_paragraph_after(anchor) -> Paragraph:
    """A fresh paragraph right after ``anchor`` (a paragraph or table element)."""
    el = anchor.makeelement(qn("w:p"), {})
    anchor.addnext(el)
    return Paragraph(el, None)


def _text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def _heading_number(text: str):
    m = re.match(r"^\s*([一二三四五六])、", text)
    return spec.PART_NUMERALS.index(m.group(1)) + 1 if m else None


def _write_paragraphs(anchor, paras: list):
    for item in paras:
        p = _new_paragraph_after(anchor)
        if isinstance(item, tuple):  # a sub-heading: 楷体
            _layout(p)
            p.paragraph_format.keep_with_next = True
            _set_text(p, item[1], SUBHEADING_FONT, BODY_SIZE)
        else:
            _layout(p)
            _set_text(p, item, BODY_FONT, BODY_SIZE)
        anchor = p._p
    return anchor


def _fill_table(tbl, g: layout.Grid, values: dict) -> None:
    rows = tbl._tbl.tr_lst
    label_rpr = None
    for c in g.cells:  # the template's own cell type (宋体 10 pt) for the figures
        if not c.key and c.text:
            r = rows[c.row].tc_lst[c.tc_index].find(".//" + qn("w:r"))
            if r is not None and r.find(qn("w:rPr")) is not None:
                label_rpr = r.find(qn("w:rPr"))
                break
    for c in g.cells:
        if not c.key:
            continue
        cell = _Cell(rows[c.row].tc_lst[c.tc_index], tbl)
        p = cell.paragraphs[0]
        for extra in cell.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        for r in list(p._p.iter(qn("w:r"))):
            r.getparent().remove(r)
        run = p.add_run(cell_text(c.key, values.get(c.key)))
        if label_rpr is not None:
            run._r.insert(0, deepcopy(label_rpr))
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER  # the template leaves some cells top-aligned


def render_docx(draft: Draft, narrative: Narrative, out=None) -> bytes:
    """The complete report as DOCX bytes (also written to ``out`` when given)."""
    doc = layout.open_template()
    body = doc.element.body
    for tbl, g in zip(doc.tables, layout.grids()):
        _fill_table(tbl, g, draft.values)

    paras = [Paragraph(el, doc._body) for el in body if el.tag == qn("w:p")]
    template_lines = [p._p for p in paras if not p.text.strip() or p.text.strip().startswith("（文字描述")]
    title = next(p for p in paras if "年度报告" in p.text)
    _layout(title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    _set_text(title, draft.agency, TITLE_FONT, TITLE_SIZE, bold=True)  # two lines: body, then year
    title.runs[0].add_break()
    title.runs[0].add_text(draft.title[len(draft.agency):])
    after_title = _new_paragraph_after(title._p)  # one blank line under the title
    _layout(after_title, indent=False)
    _write_paragraphs(after_title._p, narrative.preamble)

    for p in paras:
        n = _heading_number(p.text)
        if n is None or p is title:
            continue
        _layout(p)
        p.paragraph_format.keep_with_next = True
        _set_text(p, f"{spec.part_numeral(n)}、{PART_TITLES[n]}", HEADING_FONT, BODY_SIZE)
        _write_paragraphs(p._p, narrative.parts.get(n, []))

    for el in template_lines:  # the template's placeholders and spacer lines go
        prev = el.getprevious()
        if prev is None or prev.tag != qn("w:tbl") or _text_of(el).strip():
            body.remove(el)  # but one blank line stays under each table
    doc.core_properties.title = draft.title
    doc.core_properties.author = draft.agency
    doc.core_properties.subject = "政府信息公开工作年度报告"
    buf = io.BytesIO()
    doc.save(buf)
    data = buf.getvalue()
    if out is not None:
        with open(out, "wb") as f:
            f.write(data)
    return data
