"""The report's narrative parts: from a Markdown file, or last year's texts as a marked draft.

Markdown: a heading (``#``/``##``) naming a part — by its numeral (``## 一、总体情况``,
``## 五``) or its title — starts that part; the paragraphs under it are its text. ``###``
headings inside a part are sub-headings (（一）主动公开 …). Text before the first part heading is
the preamble (本报告根据《中华人民共和国政府信息公开条例》…). Parts 二、三、四 may hold a few
sentences printed before their table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import spec
from ..parsing.sections import PART_TITLES

NARRATIVE_PARTS = (1, 5, 6)  # the parts the template leaves to words (（文字描述）)
DRAFT_MARK = "【草稿：沿用上年原文，须改写】"  # short: the copy must still read as 雷同 (Y103)
PLACEHOLDER = "（文字描述，待填写）"


@dataclass
class Narrative:
    preamble: list = field(default_factory=list)  # paragraphs
    parts: dict = field(default_factory=dict)  # part number -> list of paragraphs; "### x" → ("h", x)
    warnings: list = field(default_factory=list)

    def text(self, n: int) -> str:
        """A part's text as the parser reads it back (sub-headings are lines of their own)."""
        return "\n".join(p[1] if isinstance(p, tuple) else p for p in self.parts.get(n, []))

    def texts(self) -> dict:
        return {n: self.text(n) for n in range(1, 7)}


_NUM = {c: i + 1 for i, c in enumerate(spec.PART_NUMERALS)}


def _part_of(heading: str):
    h = re.sub(r"\s+", "", heading)
    m = re.match(r"^([一二三四五六])[、.．]?", h)
    if m:
        return _NUM[m.group(1)]
    for n, title in PART_TITLES.items():
        if title in h:
            return n
    return None


def parse_markdown(text: str) -> Narrative:
    """Split a Markdown text into the preamble and the six parts (see the module doc)."""
    out = Narrative()
    current = None
    para: list = []

    def flush():
        if para:
            s = "".join(x.strip() for x in para).strip()
            if s:
                (out.preamble if current is None else out.parts.setdefault(current, [])).append(s)
            para.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        m = re.match(r"^(#{1,6})\s*(.*?)\s*#*\s*$", line)
        if m:
            flush()
            level, title = len(m.group(1)), m.group(2)
            n = _part_of(title) if level <= 2 else None
            if n is not None:
                current = n
                out.parts.setdefault(n, [])
            elif current is not None:
                out.parts[current].append(("h", title))
            elif level > 1:  # a heading before any part: kept as a preamble paragraph
                out.preamble.append(title)
            continue  # a level-1 heading before the parts is the document title: the data's wins
        if not line.strip():
            flush()
        else:
            para.append(line)
    flush()
    for n in NARRATIVE_PARTS:
        if not out.parts.get(n):
            out.warnings.append(f"第{spec.part_numeral(n)}部分“{PART_TITLES[n]}”没有文字，已留占位“{PLACEHOLDER}”")
            out.parts[n] = [PLACEHOLDER]
    return out


def from_previous(report) -> Narrative:
    """Last year's narrative parts (a parsed ``Report``) as a draft to rewrite, each marked."""
    out = Narrative()
    for n in NARRATIVE_PARTS:
        p = report.part(n)
        paras = [s.strip() for s in (p.text if p else "").split("\n") if s.strip()]
        out.parts[n] = [DRAFT_MARK] + (paras or [PLACEHOLDER])
    out.warnings.append("文字部分沿用了上一年度报告的原文（已标注【草稿】）：发布前须改写，"
                        "否则 nianbao check 会按 Y103 认定与上年雷同")
    return out


def placeholders() -> Narrative:
    out = Narrative()
    for n in NARRATIVE_PARTS:
        out.parts[n] = [PLACEHOLDER]
    out.warnings.append("没有提供文字部分（--text）：第一、五、六部分为占位文字，发布前须填写")
    return out
