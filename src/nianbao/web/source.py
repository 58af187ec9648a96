"""Where a figure came from, shown from the document's original bytes (kept by the store):

* PDF: the page rendered with pypdfium2, the cell's box (``loc.page`` + ``loc.bbox``, PDF points,
  origin top-left) drawn on it;
* HTML / DOCX: the source table re-read by nianbao's own reader and drawn as plain text cells —
  nothing of the source's markup passes (no scripts, styles, links or images) — with the cell's
  row and column highlighted;
* text: the lines around the cell's line.
"""
from __future__ import annotations

import struct
import zlib

from ..ingest import bytes_to_document
from ..store.review import Review
from .deps import WebError

CONTEXT_LINES = 8
RENDER_SCALE = 1.6


def original_bytes(review: Review, sha256: str):
    """The document's original bytes from the store, or None when the store has not kept them."""
    corpus = review.corpus
    for name in ("original", "original_bytes", "document_bytes"):
        fn = getattr(corpus, name, None)
        if fn is not None:
            try:
                data = fn(sha256)
            except (KeyError, LookupError, FileNotFoundError):
                return None
            return data if isinstance(data, (bytes, bytearray, memoryview)) else None
    return None


def _target(review: Review, report_id: int, key: str | None, finding_id: int | None) -> tuple:
    """(loc, keys, what) for a cell key or a finding."""
    if finding_id is not None:
        f = next((f for f in review.findings(report_id) if f["id"] == finding_id), None)
        if f is None:
            raise WebError(404, "not-found", "这份报告没有这个问题：请刷新页面")
        loc = f["loc"]
        if not loc and f["keys"]:
            loc = _cell_loc(review, report_id, f["keys"][0])
        return loc, f["keys"], f"{f['code']} {f['message']}"
    if not key:
        raise WebError(400, "no-target", "请指定单元格（key）或问题（finding）")
    return _cell_loc(review, report_id, key), [key], key


def _cell_loc(review: Review, report_id: int, key: str):
    c = review.corpus.report(report_id).cells.get(key)
    return c.loc.to_dict() if c is not None and c.loc else None


def source_view(review: Review, report_id: int, key: str | None = None, finding_id: int | None = None) -> dict:
    meta = review.report_row(report_id)
    loc, keys, what = _target(review, report_id, key, finding_id)
    base = {"report_id": report_id, "keys": keys, "loc": loc, "format": meta["format"], "what": what}
    if not loc:
        return {**base, "kind": "none", "message": "解析器没有记录这一项在原文中的位置（例如整张表缺失的问题）。"}
    data = original_bytes(review, meta["sha256"])
    if data is None:
        return {**base, "kind": "none", "message": "原始文件未保存在库中，无法显示原文（位置：" + _describe(loc) + "）。"}
    data = bytes(data)
    if meta["format"] == "pdf" and loc.get("page"):
        out = {**base, "kind": "pdf", "page": loc["page"], "bbox": loc.get("bbox"),
               "image": f"/reports/{report_id}/page/{loc['page']}.png"}
        if loc.get("bbox"):
            out["image"] += "?box=" + ",".join(f"{x:g}" for x in loc["bbox"])
        return out
    if meta["format"] in ("html", "docx") and loc.get("table") is not None:
        return {**base, "kind": "table", **_table(data, meta["name"], loc)}
    return {**base, "kind": "text", "lines": _lines(data, meta["name"], loc)}


def _describe(loc) -> str:
    from ..model.document import Location
    return Location.from_dict(loc).describe()


def _table(data: bytes, name: str, loc: dict) -> dict:
    """The source table as a grid of plain-text cells, each at its own row and column (a merged
    cell's other slots left empty); the renderer escapes the text."""
    doc = bytes_to_document(data, filename=name)
    grid: dict = {}
    for b in doc.blocks:
        if b.kind != "row" or not b.cells or b.cells[0].loc.table != loc["table"]:
            continue
        for c in b.cells:
            grid.setdefault(c.loc.row, {})[c.loc.col] = c.text
    cols = sorted({col for r in grid.values() for col in r if col is not None})
    want_r, want_c = loc.get("row"), loc.get("col")
    rows = [[{"text": grid[r].get(col, ""), "row": r, "col": col, "hit": r == want_r and col == want_c,
              "line": r == want_r or col == want_c} for col in cols] for r in sorted(grid, key=lambda x: (x is None, x))]
    return {"table": loc["table"], "row": want_r, "col": want_c, "rows": rows}


def _lines(data: bytes, name: str, loc: dict) -> list:
    from ..ingest._text import decode_wide
    from ..ingest.text import decode_text
    wide = decode_wide(data)
    if wide is not None:
        text = wide
    elif data[:5] == b"%PDF-" or data[:4] == b"PK\x03\x04":
        doc = bytes_to_document(data, filename=name)
        text = "\n".join(b.text for b in doc.blocks)
    else:
        text = decode_text(data)
    lines = text.splitlines()
    n = loc.get("line") or 1
    lo, hi = max(1, n - CONTEXT_LINES), min(len(lines), n + CONTEXT_LINES)
    return [{"n": i, "text": lines[i - 1], "hit": i == n, "char": loc.get("char") if i == n else None}
            for i in range(lo, hi + 1)]


# ---------------------------------------------------------------- PDF page images

def render_page(data: bytes, page: int, box=None, scale: float = RENDER_SCALE) -> bytes:
    """Page ``page`` (1-based) as PNG, ``box`` (x0, top, x1, bottom in points) outlined in red."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(data)
    try:
        if not 1 <= page <= len(pdf):
            raise WebError(404, "no-page", f"原文没有第 {page} 页")
        p = pdf[page - 1]
        bitmap = p.render(scale=scale, rev_byteorder=True, fill_color=(255, 255, 255, 255))
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        channels = 4 if bitmap.format == pdfium.raw.FPDFBitmap_BGRA else 3
        buf = bytearray(bytes(bitmap.buffer))
        if box:
            _outline(buf, width, height, stride, channels, [round(v * scale) for v in box])
        rows = [bytes(buf[y * stride: y * stride + width * channels]) for y in range(height)]
        p.close()
    finally:
        pdf.close()
    return _png(rows, width, height, channels)


def _outline(buf, width, height, stride, channels, box, thick: int = 3, pad: int = 3):
    x0, y0, x1, y1 = box
    x0, y0, x1, y1 = max(0, x0 - pad), max(0, y0 - pad), min(width - 1, x1 + pad), min(height - 1, y1 + pad)
    red = bytes((220, 20, 20, 255)[:channels])

    def dot(x, y):
        if 0 <= x < width and 0 <= y < height:
            i = y * stride + x * channels
            buf[i: i + channels] = red
    for t in range(thick):
        for x in range(x0, x1 + 1):
            dot(x, y0 - t)
            dot(x, y1 + t)
        for y in range(y0, y1 + 1):
            dot(x0 - t, y)
            dot(x1 + t, y)


def _png(rows: list, width: int, height: int, channels: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    color = 6 if channels == 4 else 2
    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
