"""Word (.docx) → :class:`~nianbao.document.Document`.

python-docx opens the package; the body XML is then walked directly so that paragraphs and tables
keep their document order (``w:p`` / ``w:tbl`` children of the body, also inside content controls
``w:sdt`` and ``w:customXml``).

Paragraphs: the text of every ``w:t`` (runs, hyperlinks, insertions, fields' results, smart tags);
deleted and moved-away text (``w:del``, ``w:moveFrom``) and the VML fallback copy of text boxes
(``mc:Fallback``) are skipped. ``w:tab`` is a tab character; a line break (``w:br``/``w:cr``) splits
the paragraph into separate ``para`` blocks (as ``<br>`` does in HTML). ``Location(line=k)``: k is
the 1-based index of the paragraph among the body's paragraphs (empty ones count, so k points back
into the document).

Tables: one ``row`` block per ``w:tr``; one Cell per ``w:tc`` with ``col`` its 1-based grid column
(``w:gridBefore`` and ``w:gridSpan`` advance the grid). A vertically merged continuation cell
(``w:vMerge`` without ``val="restart"``) and a horizontally merged continuation (old ``w:hMerge``)
emit no cell — the label stays in its first row only — but still take their grid columns. A cell's
text is its paragraphs' text joined with no separator, stripped (a cell holding only spaces or
ideographic spaces is ``""``). A table nested in a cell is numbered after its parent and its rows
follow the row that holds it.

``title``: the core-properties title when non-empty. Macro-enabled documents and templates (whose
main part python-docx refuses) are read from their main part directly. Anything else that does not
open — not a zip, truncated, no Word main part — is ``InputError("corrupt-docx")``.
"""
from __future__ import annotations

import io

from ..config import DEFAULT, Settings
from ..errors import InputError
from ..model.document import Block, Cell, Document, Location

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

W_P = _W + "p"
W_TBL = _W + "tbl"
W_TR = _W + "tr"
W_TC = _W + "tc"
W_T = _W + "t"
W_TAB = _W + "tab"
W_BR = _W + "br"
W_CR = _W + "cr"
W_NBHYPHEN = _W + "noBreakHyphen"
W_SDT = _W + "sdt"
W_SDTCONTENT = _W + "sdtContent"
W_CUSTOMXML = _W + "customXml"
W_TCPR = _W + "tcPr"
W_TRPR = _W + "trPr"
W_GRIDSPAN = _W + "gridSpan"
W_GRIDBEFORE = _W + "gridBefore"
W_VMERGE = _W + "vMerge"
W_HMERGE = _W + "hMerge"
W_VAL = _W + "val"
W_DEL = _W + "del"
W_MOVEFROM = _W + "moveFrom"
MC_FALLBACK = _MC + "Fallback"

_SKIP = frozenset((W_DEL, W_MOVEFROM, MC_FALLBACK))
_WRAPPERS = frozenset((W_SDT, W_CUSTOMXML))
_TEXT_TAGS = (W_T, W_TAB, W_BR, W_CR, W_NBHYPHEN)


def _int_val(el, default: int) -> int:
    if el is None:
        return default
    v = el.get(W_VAL)
    if not v:
        return default
    try:
        return int(v.strip())
    except ValueError:
        digits = ""
        for ch in v.strip():
            if ch.isdigit():
                digits += ch
            else:
                break
        return int(digits) if digits else default


def _children(el):
    """Direct content children of a container, looking through w:sdt / w:customXml wrappers."""
    for ch in el:
        tag = ch.tag
        if tag in _WRAPPERS:
            if tag == W_SDT:
                content = ch.find(W_SDTCONTENT)
                if content is not None:
                    yield from _children(content)
            else:
                yield from _children(ch)
        else:
            yield ch


class _Reader:
    __slots__ = ("blocks", "ntables", "npara", "check_skip", "max_span")

    def __init__(self, body, max_span: int = DEFAULT.max_span):
        self.blocks: list = []
        self.max_span = max_span
        self.ntables = 0
        self.npara = 0
        # ancestors need checking only if the document has tracked deletions / moves / fallbacks
        self.check_skip = next(body.iter(W_DEL, W_MOVEFROM, MC_FALLBACK), None) is not None

    def _skipped(self, el, stop) -> bool:
        p = el.getparent()
        while p is not None and p is not stop:
            if p.tag in _SKIP:
                return True
            p = p.getparent()
        return False

    def para_segments(self, p, in_cell: bool) -> list:
        """The paragraph's text, split at line breaks (in a cell: breaks join with nothing)."""
        segs = []
        cur = []
        check = self.check_skip
        for el in p.iter(*_TEXT_TAGS):
            if check and self._skipped(el, p):
                continue
            tag = el.tag
            if tag == W_T:
                if el.text:
                    cur.append(el.text)
            elif tag == W_TAB:
                # a w:tab inside w:pPr/w:tabs is a tab stop definition, not a character
                if el.getparent().tag != _W + "tabs":
                    cur.append("\t")
            elif tag == W_NBHYPHEN:
                cur.append("-")
            elif not in_cell:  # w:br / w:cr
                if el.get(_W + "type") in (None, "textWrapping", "page", "column"):
                    segs.append("".join(cur))
                    cur = []
        segs.append("".join(cur))
        return segs

    def body(self, container):
        for el in _children(container):
            tag = el.tag
            if tag == W_P:
                self.npara += 1
                line = self.npara
                for seg in self.para_segments(el, False):
                    text = seg.strip()
                    if text:
                        self.blocks.append(Block("para", [Cell(text, Location(line=line))]))
            elif tag == W_TBL:
                self.table(el)

    def table(self, tbl):
        self.ntables += 1
        tn = self.ntables
        blocks = self.blocks
        r = 0
        for tr in _children(tbl):
            if tr.tag != W_TR:
                continue
            r += 1
            c = 1
            out = []
            nested = []
            for tc in _children(tr):
                tag = tc.tag
                if tag == W_TC:
                    text, span, cont = self.cell(tc, nested)
                    if not cont:
                        out.append(Cell(text, Location(table=tn, row=r, col=c)))
                    c += span
                elif tag == W_TRPR:  # comes before the cells
                    for pr in tc:
                        if pr.tag == W_GRIDBEFORE:
                            c += max(_int_val(pr, 0), 0)
            if out:
                blocks.append(Block("row", out, table=tn))
            for t in nested:
                self.table(t)

    def cell(self, tc, nested: list):
        """``(text, grid span, is a merge continuation)``; nested tables are appended to ``nested``."""
        span = 1
        cont = False
        parts = []
        for el in _children(tc):
            tag = el.tag
            if tag == W_P:
                parts.extend(self.para_segments(el, True))
            elif tag == W_TCPR:
                for pr in el:
                    ptag = pr.tag
                    if ptag == W_GRIDSPAN:
                        span = min(max(_int_val(pr, 1), 1), self.max_span)
                    elif ptag == W_VMERGE or ptag == W_HMERGE:
                        if pr.get(W_VAL) != "restart":
                            cont = True
            elif tag == W_TBL:
                nested.append(el)
        return "".join(parts).strip(), span, cont


def _core_title(package) -> str | None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    try:
        package.part_related_by(RT.CORE_PROPERTIES)  # (python-docx would invent 'Word Document')
        title = package.core_properties.title
    except Exception:  # no core-properties part, or an unreadable one
        return None
    title = (title or "").strip()
    return title or None


def _corrupt(e: Exception | None = None) -> InputError:
    err = InputError("corrupt-docx")
    err.__cause__ = e
    return err


def _open(data: bytes):
    """``(w:body element, OPC package)`` of a WordprocessingML package."""
    import docx  # python-docx
    from docx.opc.package import OpcPackage
    from docx.oxml import parse_xml

    try:
        doc = docx.Document(io.BytesIO(data))
        return doc.element.body, doc.part.package
    except ValueError as e:
        # python-docx refuses other main-part content types; a macro-enabled document (.docm) or
        # a template (.dotx/.dotm) has the same body XML: read its main part directly
        try:
            package = OpcPackage.open(io.BytesIO(data))
            root = parse_xml(package.main_document_part.blob)
        except Exception:
            raise _corrupt(e) from e
        if root.tag != _W + "document":
            raise _corrupt(e) from e
        return root.find(_W + "body"), package
    except Exception as e:  # zipfile.BadZipFile, KeyError (missing part), XML errors, ...
        raise _corrupt(e) from e


_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_XML = None


def _fast_open(data: bytes):
    """``(body, title)`` read straight from the zip with lxml (python-docx's object model is not
    needed to read text and tables, and building it costs more than the reading itself).
    Returns None when the package is anything but a plain, well-formed .docx."""
    import zipfile

    from lxml import etree
    global _XML
    if _XML is None:
        _XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            rels = etree.fromstring(z.read("_rels/.rels"), _XML)
            target = next((r.get("Target") for r in rels.iter(_PKG_RELS) if r.get("Type") == _OFFICE_DOC), None)
            if not target:
                return None
            root = etree.fromstring(z.read(target.lstrip("/")), _XML)
            title = None
            if "docProps/core.xml" in z.namelist():
                t = etree.fromstring(z.read("docProps/core.xml"), _XML).find(_DC_TITLE)
                title = (t.text or "").strip() or None if t is not None else None
    except Exception:
        return None
    if root.tag != _W + "document":
        return None
    body = root.find(_W + "body")
    return (body, title) if body is not None else None


def _check_package(data: bytes, settings: Settings) -> None:
    """Refuse a zip bomb from the central directory, before any part is expanded: too many
    members, too many bytes in all, an XML part (``document.xml`` …) over ``max_xml_bytes``.
    (zipfile never returns more than a member declares, so the declared sizes bound the reads.)"""
    import zipfile

    from .sources import check_zip
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except Exception:
        return  # not a zip at all: the readers report corrupt-docx
    with z:
        check_zip(z, settings)
        for info in z.infolist():
            if info.file_size > settings.max_xml_bytes and info.filename.lower().endswith((".xml", ".rels")):
                raise InputError("zip-bomb", reason=f"{info.filename} 解压后 {info.file_size} 字节，上限 {settings.max_xml_bytes}",
                                 detail=f"{info.filename}: {info.file_size} bytes, limit {settings.max_xml_bytes}")


def docx_to_document(data: bytes, settings: Settings | None = None) -> Document:
    """Read a .docx report into a :class:`Document` (format ``"docx"``); ``settings``: the span
    cap (:class:`~nianbao.config.Settings`)."""
    _check_package(data, settings or DEFAULT)
    fast = _fast_open(data)
    if fast is not None:
        body, title = fast
    else:  # unusual packages (.docm, .dotx, odd part names): let python-docx find the main part
        body, package = _open(data)
        if body is None:
            raise _corrupt()
        title = _core_title(package)
    reader = _Reader(body, (settings or DEFAULT).max_span)
    reader.body(body)
    return Document(format="docx", blocks=reader.blocks, title=title, diagnostics=[])
