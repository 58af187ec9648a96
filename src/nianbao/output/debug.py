"""``parse --debug``: what the parser saw — every block with its location and the part headings,
then for each table the reader's intermediate results (its region, the groups of a label run and
its values, the row each group took and how, the candidate readings, what no row took)."""
from __future__ import annotations

from .. import spec

_HOW = {"label": "按标签", "variant": "近似标签", "aligned": "按位置"}


def document_to_debug(doc, headings) -> str:
    """Every block (paragraph or table row) with its location, and where the part headings were
    found. ``·`` marks an empty cell, ``∅`` a ghost field (uncertain cell)."""
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


def _values(tokens) -> str:
    return " ".join({"blank": "·"}.get(t.kind, t.text) or "·" for t in tokens)


def reading_to_debug(reading, template: str) -> list:
    """One table's reading as lines of text."""
    table = spec.table(template, reading.table)
    state = "已找到" if reading.found else ("不完整" if reading.reads else "未找到")
    out = [f"══ 表 {table.name}（{state}）：区域 {len(reading.tokens)} 个词元，{len(reading.groups)} 组"]
    rows = {r.key: r for r in table.rows}
    for key, read in reading.reads.items():
        label = rows[key].label if key in rows else "（整行十五个数值）"
        written = "".join(t.text for t in read.group.labels)[-24:] if read.group and read.group.labels else ""
        n = len(read.candidates)
        out.append(f"  {label[:20]:<20} ← “{written}”［{_values(read.group.values)}］ "
                   f"{_HOW.get(read.placed, read.placed)}，{'拆分' if read.split else ''}候选 {n} 种"
                   + ("，无法读取" if n == 0 else ""))
    for g in reading.unplaced:
        out.append(f"  未对应任何行：“{''.join(t.text for t in g.labels)[-24:]}”［{_values(g.values)}］")
    return out


def trace_to_debug(trace: dict, report) -> str:
    """The whole debug view of one parse (see :func:`nianbao.parse`'s ``trace``)."""
    out = [document_to_debug(trace["document"], trace.get("headings", []))]
    for table in spec.TABLES.get(report.template or "2021", ()):
        reading = trace.get(table.key)
        if reading is not None:
            out.extend(reading_to_debug(reading, report.template))
    return "\n".join(out)
