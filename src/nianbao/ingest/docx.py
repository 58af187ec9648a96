"""Word (.docx) → :class:`~nianbao.document.Document`.

The package is opened with :mod:`zipfile` (its declared sizes checked first), the main part found
from ``_rels/.rels``, and the body of ``word/document.xml`` read in one pass (:mod:`nianbao.ingest.docx_body`):
paragraphs and tables keep their document order (``w:p`` / ``w:tbl`` children of the body, also
inside content controls ``w:sdt`` and ``w:customXml``).

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
follow the row that holds it. The rows of a table after its 200th make their cells when first read
(:func:`~nianbao.model.document.table_row`).

``title``: the core-properties title when non-empty. A package whose main part is not found that
way (an unusual part name) is opened by python-docx; macro-enabled documents and templates are
read like any other. Anything else that does not open — not a zip, truncated, no Word main part —
is ``InputError("corrupt-docx")``. XML is parsed without entity expansion, network access or
lxml's huge-tree mode (so with libxml2's depth and size limits); a zip bomb is refused from the
central directory before any part is expanded.
"""
from __future__ import annotations

import io
import zipfile

from ..config import DEFAULT, Settings
from ..errors import InputError
from ..model.document import Document
from .docx_body import W_BODY, W_DOCUMENT, read_body

_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_XML = None


def _parser():
    """Every XML part is parsed without entity expansion or network access, and with libxml2's
    limits (depth, text node size) kept: no ``huge_tree``."""
    global _XML
    if _XML is None:
        from lxml import etree
        _XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return _XML


def _corrupt(e: Exception | None = None) -> InputError:
    err = InputError("corrupt-docx")
    err.__cause__ = e
    return err


def _check_package(z: zipfile.ZipFile, settings: Settings) -> None:
    """Refuse a zip bomb from the central directory, before any part is expanded: too many
    members, too many bytes in all, an XML part (``document.xml`` …) over ``max_xml_bytes``.
    (zipfile never returns more than a member declares, so the declared sizes bound the reads.)"""
    from .sources import check_zip
    check_zip(z, settings)
    for info in z.infolist():
        if info.file_size > settings.max_xml_bytes and info.filename.lower().endswith((".xml", ".rels")):
            raise InputError("zip-bomb", reason=f"{info.filename} 解压后 {info.file_size} 字节，上限 {settings.max_xml_bytes}",
                             detail=f"{info.filename}: {info.file_size} bytes, limit {settings.max_xml_bytes}")


def _main_part(z: zipfile.ZipFile):
    """``(name of the main part, title)`` of a plain .docx, else None (python-docx then looks)."""
    from lxml import etree
    try:
        rels = etree.fromstring(z.read("_rels/.rels"), _parser())
        target = next((r.get("Target") for r in rels.iter(_PKG_RELS) if r.get("Type") == _OFFICE_DOC), None)
        if not target:
            return None
        name = target.lstrip("/")
        z.getinfo(name)
        title = None
        if "docProps/core.xml" in z.NameToInfo:
            t = etree.fromstring(z.read("docProps/core.xml"), _parser()).find(_DC_TITLE)
            title = (t.text or "").strip() or None if t is not None else None
    except Exception:
        return None
    return name, title


def _core_title(package) -> str | None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    try:
        package.part_related_by(RT.CORE_PROPERTIES)  # (python-docx would invent 'Word Document')
        title = package.core_properties.title
    except Exception:  # no core-properties part, or an unreadable one
        return None
    title = (title or "").strip()
    return title or None


def _open_with_python_docx(data: bytes):
    """``(w:body element, title)`` of a package whose main part the zip reader did not find."""
    import docx  # python-docx
    from docx.opc.package import OpcPackage
    from docx.oxml import parse_xml

    try:
        doc = docx.Document(io.BytesIO(data))
        root, package = doc.element, doc.part.package
    except ValueError as e:
        # python-docx refuses other main-part content types; a macro-enabled document (.docm) or
        # a template (.dotx/.dotm) has the same body XML: read its main part directly
        try:
            package = OpcPackage.open(io.BytesIO(data))
            root = parse_xml(package.main_document_part.blob)
        except Exception:
            raise _corrupt(e) from e
    except Exception as e:  # zipfile.BadZipFile, KeyError (missing part), XML errors, ...
        raise _corrupt(e) from e
    body = root.find(W_BODY) if root.tag == W_DOCUMENT else None
    if body is None:
        raise _corrupt()
    return body, _core_title(package)


def docx_to_document(data: bytes, settings: Settings | None = None) -> Document:
    """Read a .docx report into a :class:`Document` (format ``"docx"``); ``settings``: the size
    and span caps (:class:`~nianbao.config.Settings`)."""
    settings = settings or DEFAULT
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except Exception as e:  # not a zip at all, or cut short
        raise _corrupt(e) from e
    body = None
    with z:
        _check_package(z, settings)
        main = _main_part(z)
        if main is not None:
            from lxml import etree
            name, title = main
            try:
                root = etree.fromstring(z.read(name), _parser())
            except Exception as e:  # XML errors, a member cut short or with a bad CRC, ...
                raise _corrupt(e) from e
            body = root.find(W_BODY) if root.tag == W_DOCUMENT else None
            if body is None:
                raise _corrupt()
    if body is None:  # unusual packages: let python-docx find the main part
        body, title = _open_with_python_docx(data)
    return Document(format="docx", blocks=read_body(body, settings.max_span), title=title, diagnostics=[])
