"""HTML → :class:`~nianbao.document.Document`.

Reports published as web pages: the article is usually wrapped in portal chrome (menus, metadata
boxes, footers) and often in layout tables. The page is parsed by Lexbor (selectolax), the HTML5
tree builder browsers follow; the walk (:mod:`.walk`) keeps every piece of visible text in
document order: running text becomes ``para`` blocks, data tables become one ``row`` block per
``<tr>``. Encoding: :mod:`.decode`.

Tables: a table is a *data* table unless one of its cells holds a nested table or several blocks of
long running text, or it has a single cell; other tables are layout and their cells are read as flow
content. Data-table cells are emitted once (a rowspan'd cell only in its first row), with ``col`` the
1-based grid column after rowspans/colspans. A cell's text is all its text joined with no separator
(``<br>`` and paragraph breaks inside a cell are dropped, so ``本年新<br>制作数量`` stays one label);
``&nbsp;`` becomes a space, surrounding whitespace is stripped, nothing else is changed. Blank cells
are kept as ``Cell(text="")``. The rows of a table after its 200th make their cells when first read
(:func:`~nianbao.model.document.table_row`).

Limits: markup that would make the tree builder superlinear (thousands of elements left open) is
refused before parsing (:mod:`.guard`); elements nested deeper than ``max_html_depth`` are
``too-deep``; spans are capped at ``max_span`` and cost linear time.
"""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from ...config import DEFAULT, Settings
from ...model.document import Document
from .decode import decode_html
from .guard import check_nesting
from .walk import Walker

__all__ = ["decode_html", "html_to_document"]

_WS_RUN = re.compile(r"\s+")
_TITLE_ID = LexborHTMLParser(b"").create_node("title").tag_id


def _title(tree) -> str | None:
    t = None
    head = tree.head
    if head is not None:
        for ch in head.iter():
            if ch.tag_id == _TITLE_ID:
                t = ch
                break
    if t is None:
        t = tree.css_first("title")
        if t is None:
            return None
    text = _WS_RUN.sub(" ", t.text_lexbor()).strip()
    return text or None


def html_to_document(data: bytes, settings: Settings | None = None) -> Document:
    """Read an HTML report page into a :class:`Document` (format ``"html"``); ``settings``: the
    span and depth caps (:class:`~nianbao.config.Settings`)."""
    settings = settings or DEFAULT
    text, encoding = decode_html(data)
    raw = data if encoding == "utf-8" else text.encode("utf-8")  # valid UTF-8: Lexbor reads the bytes
    if b"\x00" in raw:
        raw = raw.replace(b"\x00", b"")
    check_nesting(raw, settings.max_html_depth)
    tree = LexborHTMLParser(raw)
    title = _title(tree)
    w = Walker(raw, settings.max_span, settings.max_html_depth)
    w.walk(tree.root)
    w.flush()
    return Document(format="html", blocks=w.blocks, title=title, diagnostics=[])
