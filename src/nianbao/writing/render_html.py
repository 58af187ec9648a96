"""The report as a web page: the template's tables from its own grid (rowspan/colspan as merged
in the template), 仿宋/黑体 typography, printable on A4."""
from __future__ import annotations

from html import escape

from .. import spec
from ..parsing.sections import PART_TITLES
from . import layout
from .draft import Draft, cell_text
from .narrative import Narrative

CSS = """
@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }
body { max-width: 16cm; margin: 2em auto; font: 16pt/28pt "仿宋", "仿宋_GB2312", FangSong, STFangsong, serif; color: #000; }
h1 { font: bold 22pt/36pt "方正小标宋简体", "宋体", SimSun, serif; text-align: center; margin: 0 0 28pt; }
h2 { font: 16pt/28pt "黑体", SimHei, sans-serif; margin: 0; text-indent: 2em; }
h3 { font: 16pt/28pt "楷体", "楷体_GB2312", KaiTi, serif; margin: 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
table { border-collapse: collapse; margin: 6pt auto 14pt; font: 10pt/1.4 "宋体", SimSun, serif; }
td { border: 1px solid #000; padding: 2pt 3pt; text-align: center; vertical-align: middle; }
td.head { background: #c6d9f1; text-align: left; }
td.label-long { text-align: left; }
"""


def _table(g: layout.Grid, values: dict) -> str:
    total = sum(g.widths)
    out = [f'<table data-table="{g.table}" style="width:{min(100, round(total / 96))}%">', "<colgroup>"]
    out += [f'<col style="width:{w / total * 100:.2f}%">' for w in g.widths]
    out.append("</colgroup>")
    by_row: dict = {}
    for c in g.cells:
        by_row.setdefault(c.row, []).append(c)
    for r in range(g.n_rows):
        out.append("<tr>")
        for c in by_row.get(r, []):
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            if c.key:
                out.append(f'<td{span} data-key="{c.key}">{escape(cell_text(c.key, values.get(c.key)))}</td>')
            else:
                cls = ' class="head"' if c.text.startswith("第二十条") else (' class="label-long"' if len(c.text) > 14 else "")
                out.append(f"<td{span}{cls}>{escape(c.text)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def _paras(items) -> list:
    return [f"<h3>{escape(i[1])}</h3>" if isinstance(i, tuple) else f"<p>{escape(i)}</p>" for i in items]


def render_html(draft: Draft, narrative: Narrative, out=None) -> str:
    """The complete report as an HTML page (also written to ``out``, UTF-8, when given)."""
    body = [f"<h1>{escape(draft.agency)}<br>{escape(draft.title[len(draft.agency):])}</h1>"]
    body += _paras(narrative.preamble)
    tables = {g.table: g for g in layout.grids()}
    for n in range(1, 7):
        body.append(f"<h2>{spec.part_numeral(n)}、{PART_TITLES[n]}</h2>")
        body += _paras(narrative.parts.get(n, []))
        for t in spec.TABLES[layout.TEMPLATE]:
            if t.part == n:
                body.append(_table(tables[t.key], draft.values))
    page = ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(draft.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
    if out is not None:
        with open(out, "w", encoding="utf-8") as f:
            f.write(page)
    return page
