"""One pass over the Lexbor tree: paragraphs of flow text and the grid of each data table.

The walk visits the children of block elements and inline wrappers; a data table's cells are
read whole by Lexbor (one call per cell; a long table's rows without a span cell in one list),
site chrome (``script``, ``style``, ``nav``, ...) is skipped where it is met. Lexbor keeps no
source positions: a paragraph's line is where its first words are found in the source, searched
forward from the previous paragraph's (see :class:`Lines`).
"""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from ...config import DEFAULT
from ...errors import InputError
from ...model.document import Block, Cell, Location, table_row
from .._text import is_cjk

# Elements whose content is never report text.
DROP = ("script", "style", "noscript", "head", "nav", "template", "iframe", "frame", "frameset",
        "select", "button", "textarea", "svg", "math", "object", "embed", "canvas", "title", "audio",
        "video", "map")
# Elements that start/end a paragraph in the flow (everything else is inline).
BLOCK = (
    "html", "body", "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "ol", "p", "section",
    "summary", "ul", "legend", "caption", "tbody", "thead", "tfoot", "tr", "td", "th", "table",
    "pre", "listing", "xmp", "plaintext", "marquee", "noframes", "option", "optgroup", "col",
    "colgroup",
)
# Block elements counted when deciding whether a cell is a container of running text.
TEXT_BLOCKS = "p,div,h1,h2,h3,h4,h5,h6,li,blockquote,section,article"
CONTAINER_MIN_CHARS = 200  # a cell with this much text spread over >= 2 blocks is flow content
LONG_TABLE = 64  # rows: a table longer than any report table (its plain rows read in one go)
MAX_DEPTH = 180  # walk recursion bound (Python's limit is 1000 frames; ~2 frames per level)

# Lexbor's tag ids (compared as ints in the walk), read from nodes it makes
_probe = LexborHTMLParser(b"<p>x<!--c--></p>")
_p = _probe.body.first_child
_TEXT_ID = _p.first_child.tag_id
_COMMENT_ID = _p.first_child.next.tag_id
_ids = {name: _probe.create_node(name).tag_id for name in set(DROP + BLOCK) | {"br"}}
_DROP_IDS = frozenset(_ids[n] for n in DROP)
_BLOCK_IDS = frozenset(_ids[n] for n in BLOCK)
_PRE_IDS = frozenset(_ids[n] for n in ("pre", "listing", "xmp", "plaintext"))
_BR, _TABLE, _CAPTION = _ids["br"], _ids["table"], _ids["caption"]
_TR, _TD, _TH = _ids["tr"], _ids["td"], _ids["th"]
_SECTIONS = frozenset((_ids["tbody"], _ids["thead"], _ids["tfoot"]))
_CELL_IDS = frozenset((_TD, _TH))
del _probe, _p, _ids

_WS_RUN = re.compile(r"\s+")
_COLS: dict = {}  # (start, n) -> (start, ..., start + n - 1): the columns of a row of n cells without spans


def _line_loc(line: int) -> Location:
    return tuple.__new__(Location, (line, None, None, None, None, None, None))


_NL_RUN = re.compile(r"[ \t\f\v]*[\r\n][ \t\r\n\f\v]*")
_LEADING_INT = re.compile(r"\s*\+?(\d+)")


# ------------------------------------------------------------------------------------ text helpers

def _nl_repl(m: re.Match) -> str:
    """A line break in the source (with its indentation) is a space, except between two CJK
    characters where it is nothing (CSS segment-break rule: wrapped Chinese lines join)."""
    s = m.string
    a, b = m.start(), m.end()
    if a > 0 and b < len(s) and is_cjk(s[a - 1]) and is_cjk(s[b]):
        return ""
    return " "


def para_text(raw: str) -> str:
    if "\n" in raw or "\r" in raw:
        raw = _NL_RUN.sub(_nl_repl, raw)
    return _WS_RUN.sub(" ", raw).strip()


def _cell_nl_repl(m: re.Match) -> str:
    """Inside a table cell a line break (source formatting between the cell's paragraphs, or a
    wrapped label) joins with nothing, except between two ASCII letters/digits (``26\\n30`` must
    not read as 2630)."""
    s = m.string
    a, b = m.start(), m.end()
    if a > 0 and b < len(s) and s[a - 1].isascii() and s[a - 1].isalnum() \
            and s[b].isascii() and s[b].isalnum():
        return " "
    return ""


def cell_text(s: str) -> str:
    s = s.strip()
    if "\n" in s or "\r" in s:
        s = _NL_RUN.sub(_cell_nl_repl, s)
    if "\xa0" in s:
        s = s.replace("\xa0", " ").strip()
    return s


def _span(v, default: int = 1) -> int:
    """colspan/rowspan attribute value (leading digits, as browsers read it)."""
    if not v:
        return default
    if v.isdecimal():  # (what \d+ matches whole: the common case, without the regex)
        return min(int(v[:7]), 1000000)
    m = _LEADING_INT.match(v)
    if m is None:
        return default
    return min(int(m.group(1)[:7]), 1000000)


def too_deep(depth: int) -> InputError:
    return InputError("too-deep", reason=f"元素嵌套超过 {depth} 层", detail=f"elements nested deeper than {depth} levels")


def flat_text(el, depth: int, max_depth: int) -> str:
    """All text below ``el`` without the chrome, walked without recursion (any depth); deeper
    than ``max_depth`` in all is ``too-deep``."""
    out = []
    stack = [el.iter(include_text=True)]
    while stack:
        for child in stack[-1]:
            tid = child.tag_id
            if tid == _TEXT_ID:
                out.append(child.text_content)
            elif tid in _DROP_IDS or tid == _COMMENT_ID:
                continue
            elif child.first_child is not None:
                stack.append(child.iter(include_text=True))
                if depth + len(stack) > max_depth:
                    raise too_deep(max_depth)
                break
        else:
            stack.pop()
    return "".join(out)


# ------------------------------------------------------------------------------------ source lines

_BODY = re.compile(rb"<body[\s>/]", re.I)
_KEY = re.compile(r"[^\s&<>\"'\xa0“”‘’…—·©®\ufffd]{1,12}")
_MAX_MISSES = 32  # a page whose text is not found literally (entities throughout): stop searching


class Lines:
    """Source lines of paragraphs: the first words of each are searched in the UTF-8 source from
    where the previous one was found (from ``<body>`` on), outside tags. Not found (written as
    character references): the previous paragraph's line."""

    __slots__ = ("raw", "pos", "line", "misses")

    def __init__(self, raw: bytes):
        self.raw = raw
        m = _BODY.search(raw, 0, 1 << 20)
        self.pos = m.start() if m else 0
        self.line = raw.count(b"\n", 0, self.pos) + 1
        self.misses = 0

    def find(self, text: str, span: int = 0) -> int:
        """The line of ``text``'s first words after the previous find; the search goes on after
        them. ``span``: find ``text``'s last words instead, within ``span`` bytes (the end of a
        paragraph or table, so that the next one is searched after it), never a miss."""
        if self.misses >= _MAX_MISSES:
            return self.line
        if span:
            text = text.rstrip()
            keys = _KEY.findall(text, max(0, len(text) - 64))
            key = keys[-1][-6:] if keys else None
        else:
            text = text.lstrip()
            m = _KEY.search(text, 0, 64)
            key = m.group() if m else None
        if not key:
            return self.line
        key = key.encode()
        raw, pos = self.raw, self.pos
        stop = pos + span if span else len(raw)
        for _ in range(4):
            p = raw.find(key, pos, stop)
            if p < 0:
                break
            lt = raw.rfind(b"<", pos, p)
            if lt < 0 or raw.rfind(b">", lt, p) >= 0:  # not inside a tag
                self.line += raw.count(b"\n", self.pos, p)
                self.pos = p + len(key)
                return self.line
            pos = p + 1
        if not span:
            self.misses += 1
        return self.line


# ------------------------------------------------------------------------------------------ walker

class Walker:
    """Paragraph blocks and table rows, in document order."""

    __slots__ = ("blocks", "buf", "first", "last", "ntables", "depth", "max_span", "max_depth", "lines")

    def __init__(self, raw: bytes, max_span: int = DEFAULT.max_span, max_depth: int = DEFAULT.max_html_depth):
        self.blocks: list = []
        self.buf: list = []
        self.first = self.last = None
        self.ntables = 0
        self.depth = 0
        self.max_span = max_span
        self.max_depth = max_depth
        self.lines = Lines(raw)

    # paragraph buffer ---------------------------------------------------------------------
    def add(self, text):
        if not self.buf:
            if not text or text.isspace():
                return
            self.first = text
        elif text.isspace():
            self.buf.append(text)
            return
        self.last = text
        self.buf.append(text)

    def flush(self):
        if self.buf:
            text = para_text("".join(self.buf))
            self.buf = []
            if text:
                line = self.lines.find(self.first)
                if self.last is not self.first:  # the next paragraph is searched after this one
                    self.lines.find(self.last, 16 * len(text) + 4096)
                self.blocks.append(Block("para", [Cell(text, _line_loc(line))]))

    # flow ---------------------------------------------------------------------------------
    def walk(self, el):
        self.depth += 1
        if self.depth > self.max_depth:
            raise too_deep(self.max_depth)
        deep = self.depth >= MAX_DEPTH
        add = self.add
        for child in el.iter(include_text=True):
            tid = child.tag_id
            if tid == _TEXT_ID:
                add(child.text_content)
            elif tid in _DROP_IDS or tid == _COMMENT_ID:
                continue
            elif tid == _BR:
                if self.buf:
                    self.flush()
            elif tid == _TABLE:
                if self.buf:
                    self.flush()
                if deep:
                    self.block(child, tid)
                else:
                    self.table(child)
            elif tid in _BLOCK_IDS:
                self.block(child, tid)
            else:  # inline
                first = child.first_child
                if first is None:
                    continue
                if first.next is None and first.tag_id == _TEXT_ID:  # a leaf: its one text
                    add(first.text_content)
                elif deep:
                    add(self.deep_text(child))
                else:
                    self.walk(child)
        self.depth -= 1

    def block(self, el, tid):
        """A block element: its text is a paragraph of its own (split at <br> / inner blocks)."""
        if self.buf:
            self.flush()
        if tid in _PRE_IDS:
            self.pre(el)
        elif self.depth < MAX_DEPTH:
            self.walk(el)
        else:
            self.add(self.deep_text(el))
        if self.buf:
            self.flush()

    def deep_text(self, el) -> str:
        """The text of an element past the walk's recursion bound, read whole by Lexbor (chrome
        that deep is read too); nested deeper than ``max_depth`` in all is ``too-deep``."""
        limit = self.max_depth - self.depth
        stack = [el.iter()]
        while stack:
            for child in stack[-1]:
                if child.first_child is not None:
                    stack.append(child.iter())
                    if len(stack) > limit:
                        raise too_deep(self.max_depth)
                    break
            else:
                stack.pop()
        return el.text_lexbor()

    def pre(self, el):
        text = flat_text(el, self.depth, self.max_depth).replace("\r\n", "\n").replace("\r", "\n")
        line = None
        for i, ln in enumerate(text.split("\n")):
            t = _WS_RUN.sub(" ", ln).strip()
            if t:
                if line is None:
                    line = self.lines.find(t) - i
                self.blocks.append(Block("para", [Cell(t, Location(line=line + i))]))

    # tables -------------------------------------------------------------------------------
    def table(self, tbl):
        chrome = False
        nodes = tbl.traverse()
        next(nodes)  # the table itself
        for n in nodes:
            tid = n.tag_id
            if tid in _DROP_IDS:
                chrome = True
            elif tid == _TABLE:  # a table holding another table lays out the page: flow content
                self.walk(tbl)
                return
        rows = []
        for ch in tbl.iter():
            tid = ch.tag_id
            if tid == _TR:
                rows.append(ch)
            elif tid in _SECTIONS:
                rows.extend(tr for tr in ch.iter() if tr.tag_id == _TR)
        nrows = len(rows)
        span_nodes = tbl.css("[rowspan],[colspan]")
        spans = {n.mem_id for n in span_nodes}
        # a long table's rows without a span cell are read whole (for a report's short tables the
        # cell-by-cell loop below is as fast)
        fast = nrows > LONG_TABLE and not chrome
        span_rows = {n.parent.mem_id for n in span_nodes} if fast else None  # the rows holding them
        # grid column -> last row a rowspan from above covers it; cost per cell is its colspan
        # (≤ max_span) and per row the columns skipped (≤ max_span): linear in the table's size,
        # whatever rowspan="0" or rowspan="99999" a page throws at it
        covered: dict = {}
        cover_end = 0  # the last row any rowspan covers
        prefix, prefix_end = 0, 0  # columns 1..prefix are all covered down to row prefix_end
        max_col = self.max_span
        tn = self.ntables + 1
        out_rows = []
        n_cells = 0
        last = None  # the last non-blank cell text
        limit, cell_ids = CONTAINER_MIN_CHARS, _CELL_IDS
        cell_, loc_, new, td_, th_ = Cell, Location, tuple.__new__, _TD, _TH  # locals: per-cell lookups
        for r, tr in enumerate(rows, 1):
            start = 0
            if r > cover_end and covered:
                covered.clear()  # every span from above ended
            if fast and (not span_rows or tr.mem_id not in span_rows):
                if r > cover_end:
                    start = 1
                elif len(covered) <= 8:  # (a few columns spanned from above: looked at each)
                    start = prefix + 1 if prefix_end >= r else 1
                    for col, end in covered.items():
                        if end >= r and col >= start:
                            start = 0
                            break
            if start:
                # no span in the row and no column from `start` on spanned from above: its
                # cells take columns start, start + 1, ... in order; read in one go, the checks
                # of the loop below made on the row's joined text
                texts = [td.text_lexbor().strip() for td in tr.iter() if td.tag_id in cell_ids]
                if not texts:
                    continue
                keep = max_col - start + 1  # the cells up to the span cap (the one past it is read)
                if len(texts) > keep + 1:
                    texts = texts[: keep + 1]
                joined = "".join(texts)
                if "\n" in joined or "\r" in joined or "\xa0" in joined:
                    texts = [cell_text(t) for t in texts]
                if len(joined) >= limit:
                    tds = None
                    for i, text in enumerate(texts):
                        if len(text) >= limit:
                            if tds is None:
                                tds = [td for td in tr.iter() if td.tag_id in cell_ids]
                            if _is_text_container(tds[i]):
                                self.walk(tbl)  # a cell of running text: the table lays out an article
                                return
                for text in reversed(texts):
                    if text:
                        last = text
                        break
                if len(texts) > keep:
                    texts = texts[:keep]
                    if not texts:
                        continue
                n = len(texts)
                cols = _COLS.get((start, n))
                if cols is None:
                    cols = tuple(range(start, start + n))
                    if start <= 64 and n <= 64:  # (the usual shapes: a bounded cache)
                        _COLS[(start, n)] = cols
                out_rows.append(table_row(tn, r, texts, cols))
                n_cells += n
                continue
            c = prefix + 1 if prefix_end >= r else 1
            out = []
            for td in tr.iter():
                tid = td.tag_id
                if tid != td_ and tid != th_:
                    continue
                text = flat_text(td, self.depth, self.max_depth) if chrome else td.text_lexbor()
                if text:
                    text = text.strip()
                    if "\n" in text or "\r" in text or "\xa0" in text:
                        text = cell_text(text)
                    if len(text) >= limit and _is_text_container(td):
                        self.walk(tbl)  # a cell of running text: the table only lays out an article
                        return
                    if text:
                        last = text
                if covered:
                    while c <= max_col and covered.get(c, 0) >= r:
                        c += 1
                if c > max_col:  # columns past the span cap: no report table is that wide
                    break
                out.append(cell_(text, new(loc_, (None, tn, r, c, None, None, None))))
                if spans and td.mem_id in spans:
                    attrs = td.attrs
                    cs = attrs.get("colspan")
                    cs = min(max(_span(cs), 1), max_col) if cs else 1
                    rs = attrs.get("rowspan")
                    if rs:
                        rs = _span(rs)
                        if rs == 0:  # rowspan="0": to the end of the table
                            rs = nrows - r + 1
                        rs = min(rs, nrows - r + 1)
                        if rs > 1:
                            end = r + rs - 1
                            if end > cover_end:
                                cover_end = end
                            for col in range(c, min(c + cs, max_col + 1)):
                                if covered.get(col, 0) < end:
                                    covered[col] = end
                            if c == prefix + 1 or (c == 1 and prefix_end < r):
                                if c == 1:
                                    prefix, prefix_end = 0, end
                                prefix_end = min(prefix_end, end) if prefix else end
                                prefix = min(c + cs - 1, max_col)
                    c += cs
                else:
                    c += 1
            if out:
                n_cells += len(out)
                out_rows.append(Block("row", out, tn))
        if n_cells <= 1:  # a single framed box is not a data table
            self.walk(tbl)
            return
        for ch in tbl.iter():
            if ch.tag_id == _CAPTION:
                self.block(ch, _CAPTION)
                break
        self.ntables = tn
        self.blocks.extend(out_rows)
        if last is not None:  # the next paragraph is searched after the table's last words
            self.lines.find(last, 16384)


def _is_text_container(td) -> bool:
    n = 0
    for b in td.css(TEXT_BLOCKS):
        if b.text_lexbor().strip():
            n += 1
            if n >= 2:
                return True
    return False
