"""Charts drawn on the server as inline SVG (no script, no library, nothing from the internet; the
page's CSP allows it as it is markup). Each bar carries its data (``data-label``, ``data-value``) and,
when given, a link; the page shows the same numbers as a table one click away and as CSV."""
from __future__ import annotations

import csv
import io

from markupsafe import Markup, escape

from ..output.safe import csv_cell

WIDTH, LABEL_W, ROW_H, BAR_H, VALUE_W = 760, 250, 28, 18, 70
COLOURS = {"error": "#c0392b", "warning": "#d4a017", "info": "#1d6fa5", "ok": "#2e7d32", "muted": "#8a96a3",
           "": "#1d4e89"}


def _short(text: str, n: int = 17) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bar_chart(chart_id: str, rows: list, title: str, unit: str = "", width: int = WIDTH) -> Markup:
    """Horizontal bars: ``rows`` are dicts ``{"label", "value", "href"?, "kind"?, "note"?}``."""
    if not rows:
        return Markup(f'<p class="empty" id="{escape(chart_id)}">暂无数据</p>')
    top = max((r["value"] or 0) for r in rows) or 1
    label_w = LABEL_W if width >= WIDTH else 180
    area = width - label_w - VALUE_W
    height = ROW_H * len(rows) + 8
    out = [f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
           f"<title>{escape(title)}</title>"]
    for i, r in enumerate(rows):
        y = 4 + i * ROW_H
        v = r["value"] or 0
        w = max(1.0, area * v / top) if v else 0
        label = str(r["label"])
        colour = COLOURS.get(r.get("kind") or "", COLOURS[""])
        bar = (f'<g class="bar" data-label="{escape(label)}" data-value="{v}">'
               f'<title>{escape(label)}：{v}{escape(unit)}{escape(r.get("note") or "")}</title>'
               f'<rect class="hit" x="0" y="{y}" width="{width}" height="{ROW_H}" fill="transparent"/>'
               f'<text x="{label_w - 8}" y="{y + ROW_H / 2 + 5}" text-anchor="end" class="label">{escape(_short(label))}</text>'
               f'<rect x="{label_w}" y="{y + (ROW_H - BAR_H) / 2}" width="{w:.1f}" height="{BAR_H}" fill="{colour}" rx="2"/>'
               f'<text x="{label_w + w + 6:.1f}" y="{y + ROW_H / 2 + 5}" class="value">{v}{escape(unit)}</text></g>')
        if r.get("href"):
            bar = f'<a href="{escape(r["href"])}">{bar}</a>'
        out.append(bar)
    out.append("</svg>")
    return Markup("".join(out))


def csv_text(header: list, rows: list) -> str:
    """A CSV with a BOM (Excel opens it as UTF-8), every cell made safe against formula injection."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for row in rows:
        w.writerow([csv_cell("" if x is None else x) for x in row])
    return "\ufeff" + buf.getvalue()
