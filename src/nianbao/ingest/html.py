"""HTML → :class:`~nianbao.document.Document`.

Reports published as web pages: the article is usually wrapped in portal chrome (menus, metadata
boxes, footers) and often in layout tables. The walk keeps every piece of visible text in document
order: running text becomes ``para`` blocks, data tables become one ``row`` block per ``<tr>``.

Encoding: a BOM; else bytes that are valid UTF-8 are UTF-8 (a GBK page is practically never valid
UTF-8, while converted pages often keep a stale ``charset=gb2312``); else the declared charset
(``<meta charset>``, ``<meta http-equiv>``, XML declaration; GBK/GB2312 are read as GB18030; a
Western single-byte label is ignored); else detection (GB18030 when the text reads as simplified
Chinese, then charset-normalizer). Bytes that no encoding reads as text are an
:class:`~nianbao.errors.InputError` ``bad-encoding``.

Tables: a table is a *data* table unless one of its cells holds a nested table or several blocks of
long running text, or it has a single cell; other tables are layout and their cells are read as flow
content. Data-table cells are emitted once (a rowspan'd cell only in its first row), with ``col`` the
1-based grid column after rowspans/colspans. A cell's text is all its text joined with no separator
(``<br>`` and paragraph breaks inside a cell are dropped, so ``本年新<br>制作数量`` stays one label);
``&nbsp;`` becomes a space, surrounding whitespace is stripped, nothing else is changed. Blank cells
are kept as ``Cell(text="")``.
"""
from __future__ import annotations

import codecs
import re
from itertools import islice

from lxml import etree

from ..config import DEFAULT, Settings
from ..errors import InputError
from ..model.document import Block, Cell, Document, Location
from ._text import is_cjk

# Elements whose content is never report text.
_DROP = ("script", "style", "noscript", "head", "nav", "template", "iframe", "frame", "frameset",
         "select", "button", "textarea", "svg", "math", "object", "embed", "canvas", "title", "audio",
         "video", "map")

# Elements that start/end a paragraph in the flow (everything else is inline).
_BLOCK = frozenset((
    "html", "body", "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "ol", "p", "section",
    "summary", "ul", "legend", "caption", "tbody", "thead", "tfoot", "tr", "td", "th", "table",
    "pre", "listing", "xmp", "plaintext", "marquee", "noframes", "option", "optgroup", "col",
    "colgroup",
))
# Block elements counted when deciding whether a cell is a container of running text.
_TEXT_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "section", "article")
_CONTAINER_MIN_CHARS = 200  # a cell with this much text spread over >= 2 blocks is flow content

_GB = "gb18030"
_CHARSET_ALIASES = {
    "gbk": _GB, "gb2312": _GB, "gb_2312": _GB, "gb_2312-80": _GB, "gb2312-80": _GB, "x-gbk": _GB,
    "cp936": _GB, "ms936": _GB, "windows-936": _GB, "euc-cn": _GB, "x-euc-cn": _GB, "csgb2312": _GB,
    "iso-ir-58": _GB, "chinese": _GB, "gb18030": _GB, "gb-18030": _GB, "csiso58gb231280": _GB,
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-unicode20utf8": "utf-8",
    "unicode": "utf-8",
}
# Declared charsets that no Chinese report is really written in: detect instead (misconfigured servers).
_WESTERN = frozenset(("latin1", "iso8859-1", "iso-8859-1", "iso_8859-1", "ascii", "us-ascii",
                      "windows-1252", "cp1252", "l1", "iso-8859-15", "iso8859-15"))

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)

_WS_RUN = re.compile(r"\s+")
_NL_RUN = re.compile(r"[ \t\f\v]*[\r\n][ \t\r\n\f\v]*")
_BAD_CHAR = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd\ue000-\uf8ff]")
_LEADING_INT = re.compile(r"\s*\+?(\d+)")
_NOT_CONTROL = bytes(range(0x09, 0x0E)) + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))


# --------------------------------------------------------------------------------------- encoding

def _norm_charset(name: bytes | str | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    key = name.strip().lower()
    if key in _CHARSET_ALIASES:
        return _CHARSET_ALIASES[key]
    if key in _WESTERN:
        return None
    try:
        real = codecs.lookup(key).name
    except LookupError:
        return None
    if real in ("gbk", "gb2312", "gb18030"):
        return _GB
    if real in ("latin-1", "iso8859-1", "ascii", "cp1252", "iso8859-15"):
        return None
    return real


def _declared_charset(data: bytes) -> str | None:
    head = data[:65536]
    m = _XML_DECL.match(head)
    if m:
        cs = _norm_charset(m.group(1))
        if cs:
            return cs
    m = _META_CHARSET.search(head)
    if m:
        return _norm_charset(m.group(1))
    return None


def _plausible_chinese(text: str) -> bool:
    """Text decoded as GB18030 reads as simplified Chinese: nearly every non-ASCII character is in
    GB2312 (mainland text almost always is; Big5 or random bytes read as GBK mostly are not)."""
    sample = text[:60000]
    n_non_ascii = len(sample) - len(sample.encode("ascii", errors="ignore"))
    if n_non_ascii == 0:
        return True
    # characters outside GB2312 become b"?": count those beyond the '?' already in the text
    bad = sample.encode("gb2312", errors="replace").count(b"?") - sample.count("?")
    return bad <= n_non_ascii // 20


def _garbage_bytes(data: bytes) -> bool:
    """Bytes read with an ASCII-compatible encoding hold many C0 control characters (or, as
    UTF-8, many U+FFFD replacement characters left by an earlier bad conversion): not text."""
    bad = len(data.translate(None, _NOT_CONTROL)) + data.count(b"\xef\xbf\xbd")
    return bad > max(8, len(data) // 200)


def _garbage_text(text: str) -> bool:
    """Decoded text with many control / replacement / private-use characters is not text."""
    sample = text[:200000]
    if _BAD_CHAR.search(sample) is None:
        return False
    bad = sum(1 for _ in _BAD_CHAR.finditer(sample))
    return bad > max(8, len(sample) // 100)


def decode_html(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise ``InputError("bad-encoding")`` when nothing reads it."""
    # 1. byte-order mark
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                     (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data.decode(enc) if enc == "utf-8-sig" else data[len(bom):].decode(enc)
            except UnicodeDecodeError:
                break
            if _garbage_text(text):
                break
            return text, enc
    if not _garbage_bytes(data):
        # 2. valid UTF-8 is UTF-8 whatever the page declares: GBK text is practically never valid
        #    UTF-8, while pages converted to UTF-8 often keep a stale charset=gb2312
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        # 3. the declared charset
        declared = _declared_charset(data)
        if declared and declared != "utf-8":
            try:
                return data.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                pass
        # 4. GB18030 when the text reads as simplified Chinese
        try:
            text = data.decode(_GB)
            if _plausible_chinese(text):
                return text, _GB
        except UnicodeDecodeError:
            pass
    # 5. anything else charset-normalizer can read (Big5, UTF-16 without BOM, ...)
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - detector failure is treated as "unknown"
        best = None
    if best is not None:
        enc = _norm_charset(best.encoding) or best.encoding
        try:
            text = data.decode(enc)
            if not _garbage_text(text):
                return text, enc
        except (UnicodeDecodeError, LookupError):
            pass
    raise InputError("bad-encoding")


# ------------------------------------------------------------------------------------ text helpers

def _nl_repl(m: re.Match) -> str:
    """A line break in the source (with its indentation) is a space, except between two CJK
    characters where it is nothing (CSS segment-break rule: wrapped Chinese lines join)."""
    s = m.string
    a, b = m.start(), m.end()
    if a > 0 and b < len(s) and is_cjk(s[a - 1]) and is_cjk(s[b]):
        return ""
    return " "


def _para_text(raw: str) -> str:
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


def _text_of(el) -> str:
    """All text inside ``el`` (not its tail), in one libxml2 call."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _cell_text(td) -> str:
    s = _text_of(td).strip()
    if "\n" in s or "\r" in s:
        s = _NL_RUN.sub(_cell_nl_repl, s)
    if "\xa0" in s:
        s = s.replace("\xa0", " ").strip()
    return s


def _span(v, default: int = 1) -> int:
    """colspan/rowspan attribute value (leading digits, as browsers read it)."""
    if not v:
        return default
    m = _LEADING_INT.match(v)
    if m is None:
        return default
    return min(int(m.group(1)[:7]), 1000000)


# ------------------------------------------------------------------------------------------ walker

_STRUCT = tuple(sorted(_BLOCK | {"br"}))
_CELL_TAGS = frozenset(("td", "th"))
_MAX_DEPTH = 180  # walk recursion bound (Python's limit is 1000 frames; ~2 frames per level)
_NOTHING = frozenset()


class _Walker:
    """One pass over the cleaned tree. ``structured`` holds the elements that contain a block,
    ``<br>`` or table somewhere below them: only those are walked child by child; any other
    element's text is taken whole by libxml2."""

    __slots__ = ("blocks", "buf", "line", "ntables", "npara", "structured", "depth", "max_span")

    def __init__(self, root, max_span: int = DEFAULT.max_span):
        self.blocks: list = []
        self.buf: list = []
        self.line = None
        self.ntables = 0
        self.npara = 0
        structured = set()
        for el in root.iter(*_STRUCT):
            p = el.getparent()
            while p is not None and p not in structured:
                structured.add(p)
                p = p.getparent()
        self.structured = structured
        self.depth = 0
        self.max_span = max_span

    # paragraph buffer ---------------------------------------------------------------------
    def add(self, text, line):
        if not self.buf:
            if text.isspace():
                return
            if line is not None:
                lead = len(text) - len(text.lstrip())
                if lead:  # text starting after line breaks starts on a later line
                    line += text.count("\n", 0, lead)
            self.line = line
        self.buf.append(text)

    def flush(self):
        if self.buf:
            text = _para_text("".join(self.buf))
            self.buf = []
            if text:
                self.npara += 1
                line = self.line if self.line else self.npara
                self.blocks.append(Block("para", [Cell(text, Location(line=line))]))
        self.line = None

    # flow ---------------------------------------------------------------------------------
    def walk(self, el):
        self.depth += 1
        # past _MAX_DEPTH (unclosed <font>/<div> pile-ups) every element is read whole, so the
        # recursion stays bounded
        structured = self.structured if self.depth < _MAX_DEPTH else _NOTHING
        for child in el:
            tag = child.tag
            if tag.__class__ is not str:  # comment / processing instruction / entity
                if child.tail:
                    self.add(child.tail, child.sourceline)
                continue
            if tag == "br":
                self.flush()
            elif tag == "table":
                self.flush()
                if self.depth < _MAX_DEPTH:
                    self.table(child)
                else:
                    self.block(child, tag)
            elif tag in _BLOCK:
                self.block(child, tag)
            elif child in structured:
                if child.text:
                    self.add(child.text, child.sourceline)
                self.walk(child)
            elif len(child):
                self.add(_text_of(child), child.sourceline)
            elif child.text:
                self.add(child.text, child.sourceline)
            if child.tail:
                self.add(child.tail, child.sourceline)
        self.depth -= 1

    def block(self, el, tag):
        """A block element: its text is a paragraph of its own (split at <br> / inner blocks)."""
        self.flush()
        if tag == "pre" or tag == "listing" or tag == "xmp" or tag == "plaintext":
            self.pre(el)
        elif el in self.structured and self.depth < _MAX_DEPTH:
            if el.text:
                self.add(el.text, el.sourceline)
            self.walk(el)
        elif len(el):
            self.add(_text_of(el), el.sourceline)
        elif el.text:
            self.add(el.text, el.sourceline)
        self.flush()

    def pre(self, el):
        line0 = el.sourceline
        text = _text_of(el).replace("\r\n", "\n").replace("\r", "\n")
        for i, ln in enumerate(text.split("\n")):
            t = _WS_RUN.sub(" ", ln).strip()
            if t:
                self.npara += 1
                line = (line0 + i) if line0 else self.npara
                self.blocks.append(Block("para", [Cell(t, Location(line=line))]))

    # tables -------------------------------------------------------------------------------
    def table(self, tbl):
        # a table holding another table lays out the page: read it as flow content
        if next(islice(tbl.iter("table"), 1, None), None) is not None:
            self.walk(tbl)
            return
        rows = []
        for ch in tbl:
            tag = ch.tag
            if tag == "tr":
                rows.append(ch)
            elif tag == "tbody" or tag == "thead" or tag == "tfoot":
                rows.extend(tr for tr in ch if tr.tag == "tr")
        nrows = len(rows)
        # grid column -> last row a rowspan from above covers it; cost per cell is its colspan
        # (≤ max_span) and per row the columns skipped (≤ max_span): linear in the table's size,
        # whatever rowspan="0" or rowspan="99999" a page throws at it
        covered: dict = {}
        prefix, prefix_end = 0, 0  # columns 1..prefix are all covered down to row prefix_end
        max_col = self.max_span
        grid = []  # per row: [(text, grid column), ...]
        n_cells = 0
        cell_tags = _CELL_TAGS
        for r, tr in enumerate(rows, 1):
            c = prefix + 1 if prefix_end >= r else 1
            out = []
            for td in tr:
                if td.tag not in cell_tags:
                    continue
                text = _cell_text(td)
                if len(text) >= _CONTAINER_MIN_CHARS and _is_text_container(td):
                    self.walk(tbl)  # a cell of running text: the table only lays out an article
                    return
                if covered:
                    while c <= max_col and covered.get(c, 0) >= r:
                        c += 1
                if c > max_col:  # columns past the span cap: no report table is that wide
                    break
                cs = td.get("colspan")
                cs = min(max(_span(cs), 1), self.max_span) if cs else 1
                rs = td.get("rowspan")
                if rs:
                    rs = _span(rs)
                    if rs == 0:  # rowspan="0": to the end of the table
                        rs = nrows - r + 1
                    rs = min(rs, nrows - r + 1)
                    if rs > 1:
                        end = r + rs - 1
                        for col in range(c, min(c + cs, max_col + 1)):
                            if covered.get(col, 0) < end:
                                covered[col] = end
                        if c == prefix + 1 or (c == 1 and prefix_end < r):
                            if c == 1:
                                prefix, prefix_end = 0, end
                            prefix_end = min(prefix_end, end) if prefix else end
                            prefix = min(c + cs - 1, max_col)
                out.append((text, c))
                c += cs
            n_cells += len(out)
            grid.append(out)
        if n_cells <= 1:  # a single framed box is not a data table
            self.walk(tbl)
            return
        for ch in tbl:
            if ch.tag == "caption":
                self.block(ch, "caption")
                break
        self.ntables += 1
        tn = self.ntables
        blocks = self.blocks
        for r, out in enumerate(grid, 1):
            if out:
                blocks.append(Block("row", [Cell(t, Location(table=tn, row=r, col=c)) for t, c in out], table=tn))


def _is_text_container(td) -> bool:
    n = 0
    for b in td.iterdescendants(*_TEXT_BLOCKS):
        if _text_of(b).strip():
            n += 1
            if n >= 2:
                return True
    return False


# ---------------------------------------------------------------------------------------- public

def _title(root) -> str | None:
    t = root.find(".//title")
    if t is None:
        return None
    text = _WS_RUN.sub(" ", _text_of(t)).strip()
    return text or None


def html_to_document(data: bytes, settings: Settings | None = None) -> Document:
    """Read an HTML report page into a :class:`Document` (format ``"html"``); ``settings``: the
    span cap (:class:`~nianbao.config.Settings`)."""
    text, encoding = decode_html(data)
    if encoding == "utf-8":
        raw = data  # valid UTF-8 without BOM: libxml2 reads the bytes directly
    else:
        raw = text.encode("utf-8")
    if b"\x00" in raw:
        raw = raw.replace(b"\x00", b"")
    # huge_tree: libxml2 otherwise gives up past 256 levels of nesting, which pages full of unclosed
    # <font>/<div> tags reach, and drops the rest of the page
    # (only up to its own size cap: huge_tree lifts libxml2's other limits too)
    settings = settings or DEFAULT
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                              collect_ids=False, no_network=True, default_doctype=False,
                              huge_tree=len(raw) <= settings.max_huge_tree_bytes)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError:
        root = None
    for e in parser.error_log:
        # libxml2 stopped reading (nesting past its depth limit, a node past its size limit): the
        # rest of the page is lost, so the record would be silently partial
        if e.level_name == "FATAL" and ("depth" in e.message.lower() or "huge" in e.message.lower()):
            raise InputError("too-deep", reason=e.message.strip()[:200], detail=e.message.strip()[:200])
    if root is None:
        return Document(format="html", blocks=[], title=None, diagnostics=[])
    title = _title(root)
    etree.strip_elements(root, *_DROP, with_tail=False)
    w = _Walker(root, (settings or DEFAULT).max_span)
    if root.text:
        w.add(root.text, root.sourceline)
    w.walk(root)
    w.flush()
    return Document(format="html", blocks=w.blocks, title=title, diagnostics=[])
