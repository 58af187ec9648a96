"""OFD (GB/T 33190, the national fixed-layout format government OA systems export) → Document.

An OFD file is a zip of XML parts: ``OFD.xml`` names the document root (``DocBody/DocRoot``); the
document lists its pages (``Pages/Page@BaseLoc``) and template pages (``CommonData/TemplatePage``),
and each page's ``Content`` holds layers of objects. Text objects (``TextObject``) carry a boundary
box, an optional transformation (``CTM``), a font size, and runs of text (``TextCode``) placed at
``X``/``Y`` with per-character advances ``DeltaX``/``DeltaY`` (which may use the compressed
``g N v`` notation: N times the advance v). Path objects (``PathObject``) draw the table rules
(``AbbreviatedData``: ``M x y L x y … C``). Page blocks (``PageBlock``) nest objects; template
pages are drawn under (``Background``) or over the page's own content.

The characters and rules found are laid out by the same code as PDF pages (``pdf.lines``,
``pdf.layout``): lines, ruled grids, headings, page furniture. Units are millimetres with the
origin at the top left; they are converted to PDF points. A page without any text but with
images is a scan (P001, for OCR). Glyph-index-only text (``CGTransform`` with private-use codes)
cannot be read without the embedded font and is skipped.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import Optional

from lxml import etree

from ..config import DEFAULT, Settings
from ..errors import InputError
from ..model.codes import diag
from ..model.document import Document
from .pdf.extract import PageContent, Rule
from .pdf.layout import pages_to_blocks
from .pdf.lines import Char, chars_to_lines

MM = 72 / 25.4  # points per millimetre
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[MLQBACS]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _floats(text: Optional[str]) -> list:
    return [float(x) for x in _NUM.findall(text or "")]


def deltas(text: Optional[str]) -> list:
    """``DeltaX``/``DeltaY`` as a list of advances, the ``g N v`` notation expanded."""
    out: list = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            i += 3
        else:
            try:
                out.append(float(tokens[i]))
            except ValueError:
                pass
            i += 1
    return out


class _Package:
    """The zip, with the caps of ``Settings`` applied before anything is expanded."""

    def __init__(self, data: bytes, settings: Settings):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError) as e:
            raise InputError("corrupt-ofd", reason=str(e) or "压缩包无法打开") from None
        if len(infos) > settings.max_zip_members or sum(i.file_size for i in infos) > settings.max_expanded_bytes:
            raise InputError("zip-bomb")
        self.names = {i.filename.lstrip("/"): i for i in infos}
        self.settings = settings

    def xml(self, name: str):
        info = self.names.get(name.lstrip("/"))
        if info is None:
            raise InputError("corrupt-ofd", reason=f"缺少部件 {name}")
        if info.file_size > self.settings.max_xml_bytes:
            raise InputError("zip-bomb")
        try:
            return etree.fromstring(self.zip.read(info), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as e:
            raise InputError("corrupt-ofd", reason=f"{name}: {e}") from None


def _child(el, name: str):
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def _resolve(base: str, loc: str) -> str:
    """A ``BaseLoc`` relative to the part that names it (or absolute from the package root)."""
    if loc.startswith("/"):
        return loc.lstrip("/")
    return posixpath.normpath(posixpath.join(base, loc))


def _ctm(el) -> tuple:
    v = _floats(el.get("CTM"))
    return tuple(v) if len(v) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _apply(m: tuple, x: float, y: float) -> tuple:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


class _Page:
    """Characters, rules and image count collected from one page's objects (millimetres)."""

    def __init__(self):
        self.chars: list = []
        self.rules: list = []
        self.images = 0

    def objects(self, parent) -> None:
        for el in parent:
            name = _local(el.tag)
            if name == "TextObject":
                self.text(el)
            elif name == "PathObject":
                self.path(el)
            elif name == "ImageObject":
                self.images += 1
            elif name in ("PageBlock", "Layer", "CompositeObject"):
                self.objects(el)

    def text(self, el) -> None:
        box = _floats(el.get("Boundary"))
        if len(box) < 4:
            return
        bx, by = box[0], box[1]
        m = _ctm(el)
        size = float(el.get("Size") or 3.5)
        yscale = (m[2] ** 2 + m[3] ** 2) ** 0.5 or 1.0
        xscale = (m[0] ** 2 + m[1] ** 2) ** 0.5 or 1.0
        height = size * yscale
        x = y = 0.0
        for code in _children(el, "TextCode"):
            text = code.text or ""
            if _PRIVATE_USE.search(text):
                continue  # glyph indices only (CGTransform): unreadable without the font
            if code.get("X") is not None:
                x = float(code.get("X"))
            if code.get("Y") is not None:
                y = float(code.get("Y"))
            dx, dy = deltas(code.get("DeltaX")), deltas(code.get("DeltaY"))
            cx, cy = x, y
            for i, ch in enumerate(text):
                adv = dx[i] if i < len(dx) else (size if ord(ch) > 0x2E80 else size * 0.5)
                px, py = _apply(m, cx, cy)
                px, py = bx + px, by + py  # the baseline point on the page
                if not ch.isspace():
                    # the ink of one character: its advance, but never wider than the character
                    # itself (the advance to the next run may cross a gap or a cell border)
                    em = size if ord(ch) > 0x2E80 else size * 0.6
                    w = min(adv, em) * xscale if adv > 0 else em * xscale
                    self.chars.append(Char(ch, px * MM, (py - 0.86 * height) * MM, (px + w) * MM,
                                           (py + 0.14 * height) * MM))
                cx += adv
                if i < len(dy):
                    cy += dy[i]
            x, y = cx, cy

    def path(self, el) -> None:
        box = _floats(el.get("Boundary"))
        data = _child(el, "AbbreviatedData")
        if len(box) < 4 or data is None or el.get("Stroke") == "false":
            return
        bx, by = box[0], box[1]
        m = _ctm(el)
        width = float(el.get("LineWidth") or 0.353) * MM
        points: list = []
        start = cur = None
        tokens = _PATH_TOKEN.findall(data.text or "")
        i = 0
        while i < len(tokens):
            op = tokens[i]
            i += 1
            if op in ("M", "L") and i + 1 < len(tokens) + 1:
                try:
                    x, y = float(tokens[i]), float(tokens[i + 1])
                except (IndexError, ValueError):
                    break
                i += 2
                p = _apply(m, x, y)
                p = (bx + p[0], by + p[1])
                if op == "L" and cur is not None:
                    points.append((cur, p))
                else:
                    start = p
                cur = p
            elif op == "C":
                if cur is not None and start is not None:
                    points.append((cur, start))
                cur = start
            elif op in ("Q", "B", "A"):  # curves: not table rules; skip their operands
                n = {"Q": 4, "B": 6, "A": 7}[op]
                if i + n <= len(tokens):
                    cur = (bx + float(tokens[i + n - 2]), by + float(tokens[i + n - 1]))
                i += n
        for (x0, y0), (x1, y1) in points:
            x0, y0, x1, y1 = x0 * MM, y0 * MM, x1 * MM, y1 * MM
            if abs(y1 - y0) <= width and abs(x1 - x0) > 0:
                self.rules.append(Rule(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
            elif abs(x1 - x0) <= width and abs(y1 - y0) > 0:
                self.rules.append(Rule(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _page_height(el, default: float) -> float:
    area = _child(el, "Area") if el is not None else None
    box = _child(area, "PhysicalBox") if area is not None else None
    v = _floats(box.text if box is not None else None)
    return v[3] if len(v) == 4 else default


def ofd_to_document(data: bytes, settings: Optional[Settings] = None) -> Document:
    """Read an OFD report (see the module doc) into a :class:`Document` of format ``ofd``."""
    settings = settings or DEFAULT
    pkg = _Package(data, settings)
    root = pkg.xml("OFD.xml")
    body = _child(root, "DocBody")
    doc_root = _child(body, "DocRoot") if body is not None else None
    if doc_root is None or not (doc_root.text or "").strip():
        raise InputError("corrupt-ofd", reason="OFD.xml 未指明文档根节点")
    doc_path = _resolve("", doc_root.text.strip())
    base = posixpath.dirname(doc_path)
    document = pkg.xml(doc_path)
    common = _child(document, "CommonData")
    default_height = _page_height(common, 297.0)
    templates = {}
    for t in _children(common, "TemplatePage") if common is not None else []:
        templates[t.get("ID")] = _resolve(base, t.get("BaseLoc", ""))
    info = _child(body, "DocInfo") if body is not None else None
    title_el = _child(info, "Title") if info is not None else None
    title = (title_el.text or "").strip() or None if title_el is not None else None

    pages = []
    images = 0
    pages_el = _child(document, "Pages")
    for n, page_ref in enumerate(_children(pages_el, "Page") if pages_el is not None else [], start=1):
        path = _resolve(base, page_ref.get("BaseLoc", ""))
        page_xml = pkg.xml(path)
        page = _Page()
        below, above = [], []
        for t in _children(page_xml, "Template"):
            loc = templates.get(t.get("TemplateID"))
            if loc:
                (above if t.get("ZOrder") == "Foreground" else below).append(loc)
        for loc in below:
            content = _child(pkg.xml(loc), "Content")
            if content is not None:
                page.objects(content)
        content = _child(page_xml, "Content")
        if content is not None:
            page.objects(content)
        for loc in above:
            content = _child(pkg.xml(loc), "Content")
            if content is not None:
                page.objects(content)
        images += page.images
        height = _page_height(page_xml, default_height) * MM
        lines = chars_to_lines(page.chars, settings)
        pages.append(PageContent(n, height, lines, page.rules))
    if not pages:
        raise InputError("corrupt-ofd", reason="没有页面")
    if not any(p.lines for p in pages):
        return Document(format="ofd", blocks=[], title=title, diagnostics=[diag("P001")] if images else [])
    return Document(format="ofd", blocks=pages_to_blocks(pages, settings), title=title)
