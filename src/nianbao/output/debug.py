"""``parse --debug``: what the parser saw, block by block, with locations and part headings."""
from __future__ import annotations

from .. import spec


def document_to_debug(doc, headings) -> str:
    """What the parser saw: every block (paragraph or table row) with its location, and where the
    part headings were found. ``·`` marks an empty cell, ``∅`` a ghost field (uncertain cell)."""
    at = {h.block: h for h in headings}
    out = [f"格式：{doc.format}　标题（容器）：{doc.title or '无'}　块数：{len(doc.blocks)}"]
    for i, b in enumerate(doc.blocks):
        if i in at:
            h = at[i]
            out.append(f"══ 第{spec.part_numeral(h.part)}部分标题：{h.title}")
        loc = b.cells[0].loc.describe() if b.cells else ""
        if b.kind == "para":
            text = b.cells[0].text
            out.append(f"[段 {loc}] {text[:120]}{'…' if len(text) > 120 else ''}")
        else:
            cells = " | ".join("∅" if c.ghost else (c.text.strip() or "·") for c in b.cells)
            out.append(f"[行 {loc}] {cells}")
    return "\n".join(out)
