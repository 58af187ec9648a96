"""Synthetic plain-text reports: ``render_text`` and ``encode_text`` (see the package doc)."""
from __future__ import annotations

import random

from .layout import _INTRO, _layouts, _narrative, _slots, _Style, _title

TEXT_SHAPES = ("cells", "rows")


# ================================================================================== text

def _text_table_cells(layout: list, values: dict, template: str, style: _Style) -> list:
    """seeds/000 shape: every cell on its own line led by a tab; rows separated by blank lines."""
    lines = []
    for slots in _slots(layout):
        is_header = all(s is None or s[0] == "h" for s in slots)
        for j, slot in enumerate(slots):
            if slot is None:
                if is_header or any(s is not None for s in slots[j:]):
                    lines.append("\t")
                continue
            kind, text, _, _ = slot
            lines.append("\t" + (style.cell(text, values[text], template) if kind == "v" else text))
        lines.append("")
    lines.append("")
    return lines


def _text_table_rows(layout: list, values: dict, template: str, style: _Style, rng: random.Random) -> list:
    """seeds/004 shape: one row per line, cells separated by tabs (every cell present)."""
    pad = rng.random() < 0.5  # PDF exports leave an empty field for each spanned column
    lines = []
    for slots in _slots(layout):
        fields = []
        for slot in slots:
            if slot is None:
                fields.append("")
                continue
            kind, text, cs, _ = slot
            fields.append(style.cell(text, values[text], template) if kind == "v" else text)
            if pad:
                fields.extend([""] * (cs - 1))
        if len(fields) == 1:
            fields.append("")
        lines.append("\t".join(fields))
    lines.append("")
    return lines


_HEADINGS = {n: f"{'一二三四五六'[n - 1]}、{t}" for n, t in
             ((1, "总体情况"), (2, "主动公开政府信息情况"), (3, "收到和处理政府信息公开申请情况"),
              (4, "政府信息公开行政复议、行政诉讼情况"), (5, "存在的主要问题及改进情况"), (6, "其他需要报告的事项"))}


def render_text(values: dict, *, agency: str, year: int, template: str, rng: random.Random,
                shape: str | None = None) -> str:
    """The report as plain text (a Word/PDF conversion). ``shape``: ``"cells"`` or ``"rows"``."""
    shape = shape or rng.choice(TEXT_SHAPES)
    if shape not in TEXT_SHAPES:
        raise ValueError(f"unknown text shape {shape!r}")
    style = _Style(rng, blank_mark=shape == "rows")
    narrative = _narrative(values, agency, year, template, rng)
    layouts = _layouts(template)
    indent = rng.choice(("", "", "　　"))
    gap = shape == "rows"  # seeds/004 separates paragraphs by empty lines, seeds/000 does not
    out: list = []

    def para(text):
        out.append(indent + text)
        if gap:
            out.append("")

    if rng.random() < 0.15:
        para(agency + rng.choice(("便函", "文件")))
    if rng.random() < 0.1:
        para(agency)
        para(f"{year}年政府信息公开工作年度报告")
    else:
        para(_title(agency, year, rng))
    if rng.random() < 0.5:
        para(_INTRO.format(y=year, a=agency))
    for n in range(1, 7):
        para(_HEADINGS[n])
        if n in narrative:
            for p in narrative[n]:
                para(p)
        else:
            lines = (_text_table_cells(layouts[n], values, template, style) if shape == "cells"
                     else _text_table_rows(layouts[n], values, template, style, rng))
            out.extend(lines)
    if rng.random() < 0.7:
        out.append("")
        para(agency)
        para(f"{year + 1}年{rng.randint(1, 2)}月{rng.randint(1, 28)}日")
    newline = "\r\n" if rng.random() < 0.2 else "\n"  # Windows conversions
    return newline.join(out) + newline


def encode_text(text: str, encoding: str = "utf-8") -> bytes:
    """Bytes of a text report: ``"utf-8"``, ``"utf-8-sig"`` (with BOM) or ``"gbk"``/``"gb18030"``."""
    return text.encode(encoding)
