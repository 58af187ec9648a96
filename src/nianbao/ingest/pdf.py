"""Text-layer PDF → :class:`Document`, with pypdfium2.

Per page: read every ink character with its loose box and group them into lines; on pages where
some line has a column-wide gap, also read the ruling lines (thin path objects, straight edges of
stroked paths, thin pieces of filled paths, inside form XObjects too). Rules that touch each
other form a grid; each character goes to the grid cell under its centre, so a label that wraps
inside its cell stays one cell and a row-spanning label is emitted once, in the first visual row
it covers. Text outside grids becomes one ``para`` block per line, or a ``row`` block when big
gaps (or gaps between numbers) split the line into columns; a title or heading set in a large
font and centred over several lines (``龙南市里仁镇人民政府办公室2020年政府`` /
``信息公开工作年度报告``) is one ``para``. Page numbers and running headers in
the top/bottom margins are dropped. A ruled table that goes on over a page break keeps its table
index, and a row-spanning label cut by the break is rejoined.

Coordinates: ``bbox = (x0, top, x1, bottom)`` in PDF points, origin at the top left of the page
as displayed (``/Rotate`` and the crop box applied). ``Block.table`` counts tables from 0.
"""
from __future__ import annotations

import ctypes
import re
from bisect import bisect_left, bisect_right
from ctypes import CFUNCTYPE, c_float, c_int, c_void_p
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import InputError
from ..model.document import Block, Cell, Document, Location
from ..model.report import Diagnostic

SCANNED_MESSAGE = "扫描件 PDF 无文字层，暂不支持 OCR（scanned PDF without a text layer; OCR not supported yet）"

RULE_MAX_THICKNESS = 2.5  # points: a path thinner than this is a ruling line
RULE_MIN_LENGTH = 2.0
SNAP = 2.5  # points: rules this close lie on the same grid line / touch each other
SPACE_GAP = 0.15  # em: a wider gap between two chars (not both CJK) reads as a space
COLUMN_GAP = 2.0  # em: a wider gap separates two columns of an unruled table
MARGIN = 0.1  # share of the page height, top and bottom, where page numbers are dropped
TABLE_GAP = 0.6  # em: a page with a gap this wide in some line may hold a table
SAME_EDGE = 4.0  # points: tables with these left/right edges on two pages are one table
HEADING_SIZE = 1.2  # a line whose characters are this much taller than the body text is heading type

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—－~·•]*\s*\d{1,4}\s*[-–—－~·•]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|(?:page\s*)?\d{1,4}\s*of\s*\d{1,4})\s*$",
    re.IGNORECASE,
)
_ENUMERATOR = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．])")
_NUMBER = re.compile(r"^[-+−]?\d[\d,，]*(?:[.．]\d+)?%?$")
_DIGITS = re.compile(r"\d+")
_DIGIT_GAP = re.compile(r"\d \d")  # a visible gap between two digits (see join_chars)
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _fast(fn, restype, *argtypes):
    """The same pdfium function, called through a plain-pointer prototype (far less ctypes work
    per call than the typed bindings; used in the per-character and per-object loops)."""
    return CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, c_void_p).value)


_page_get_object = _fast(pdfium_c.FPDFPage_GetObject, c_void_p, c_void_p, c_int)
_form_get_object = _fast(pdfium_c.FPDFFormObj_GetObject, c_void_p, c_void_p, ctypes.c_ulong)
_object_type = _fast(pdfium_c.FPDFPageObj_GetType, c_int, c_void_p)
_object_bounds = _fast(pdfium_c.FPDFPageObj_GetBounds, c_int, c_void_p, c_void_p, c_void_p, c_void_p, c_void_p)
_loose_char_box = _fast(pdfium_c.FPDFText_GetLooseCharBox, c_int, c_void_p, c_int, c_void_p)


def _address(handle) -> int:
    return ctypes.cast(handle, c_void_p).value


# ---------------------------------------------------------------------------------------- model

class Char:
    """One ink character: its text, loose box (top-left origin), height and CJK-ness."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "height", "cjk")

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float):
        self.text, self.x0, self.top, self.x1, self.bottom = text, x0, top, x1, bottom
        self.height = bottom - top
        self.cjk = "\u4e00" <= text <= "\u9fff" or (text >= "\u2014" and is_cjk(text))


class Line:
    """Characters sharing one baseline band, sorted left to right, with their box and text;
    ``widest`` is the widest gap between two neighbouring chars, in em."""

    __slots__ = ("chars", "bbox", "top", "text", "widest")

    def __init__(self, chars: list):
        self.chars, self.text, self.widest, self.bbox = _join_measure(chars)
        self.top = self.bbox[1]


@dataclass
class Rule:
    """A ruling line: horizontal at y=``pos`` from x=``start`` to ``end``, or vertical at x=``pos``."""

    horizontal: bool
    pos: float
    start: float
    end: float


@dataclass(eq=False)
class GridCell:
    """One cell of a ruled grid: bands r0..r1, columns c0..c1, its box and its characters."""

    r0: int
    r1: int
    c0: int
    c1: int
    bbox: tuple
    chars: list = field(default_factory=list)
    cell: Optional[Cell] = None  # the Cell emitted for it


@dataclass(eq=False)
class Grid:
    """A ruled table on one page: grid line positions (top-left origin) and its cells."""

    xs: list
    ys: list
    cells: list
    index: int = -1  # table index in the document

    @property
    def bbox(self) -> tuple:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


class LineGroup:
    """The lines of one title or heading wrapped over several centred lines (see
    :func:`merge_heading_lines`): read as one paragraph."""

    __slots__ = ("lines", "top")

    def __init__(self, lines: list):
        self.lines = lines
        self.top = lines[0].top


@dataclass
class PageContent:
    """What one page yields: its text lines and rules (its pdfium objects are closed by then)."""

    number: int
    height: float
    lines: list
    rules: list


# ------------------------------------------------------------------------------------- entry

def pdf_to_document(data: bytes) -> Document:
    """Read a PDF with a text layer into a :class:`Document` of ``para`` and ``row`` blocks.

    Raises :class:`InputError` (``corrupt-pdf``, ``encrypted-pdf``) when the file cannot be read;
    a scanned PDF (no text on any page) gives no blocks and one ``P001`` error diagnostic.
    """
    pdf = open_pdf(data)
    try:
        title = read_title(pdf)
        pages = [read_page(pdf, i) for i in range(len(pdf))]
    except pdfium.PdfiumError as exc:
        raise InputError("corrupt-pdf", "PDF 文件已损坏或无法打开", "corrupt or unreadable PDF") from exc
    finally:
        pdf.close()
    if not any(page.lines for page in pages):
        return Document(format="pdf", blocks=[], title=title,
                        diagnostics=[Diagnostic(code="P001", severity="error", message=SCANNED_MESSAGE)])
    return Document(format="pdf", blocks=pages_to_blocks(pages), title=title)


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """Open the bytes with pdfium; failures become :class:`InputError`."""
    try:
        return pdfium.PdfDocument(bytes(data))
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise InputError("encrypted-pdf", "PDF 文件已加密，需要密码才能打开",
                             "encrypted PDF: a password is needed to open it") from exc
        raise InputError("corrupt-pdf", "PDF 文件已损坏或无法打开", "corrupt or unreadable PDF") from exc


def read_title(pdf: pdfium.PdfDocument) -> Optional[str]:
    """The metadata Title, or None when it is missing or blank."""
    try:
        title = pdf.get_metadata_value("Title")
    except Exception:  # malformed metadata never stops ingest
        return None
    return (title or "").strip() or None


def read_page(pdf: pdfium.PdfDocument, index: int) -> PageContent:
    """Load page ``index``, take its text lines and rules, and close its pdfium objects.

    Rules are only looked for when some line has a gap wide enough to be a column gap: walking
    every page object costs about as much as reading the text, and prose pages have no tables.
    """
    page = pdf[index]
    try:
        crop = page.get_cropbox()
        rotation = page.get_rotation() % 360
        view = None if not (rotation or crop[0]) else view_mapping(rotation, crop)
        textpage = page.get_textpage()
        try:
            chars = extract_chars(textpage, crop[3])
        finally:
            textpage.close()
        if view is not None:
            reorient_chars(chars, view)
        lines = chars_to_lines(chars)
        rules = []
        if any(line.widest >= TABLE_GAP for line in lines):
            rules = extract_rules(page, crop[3])
            if view is not None:
                rules = reorient_rules(rules, view)
    finally:
        page.close()
    height = crop[2] - crop[0] if rotation in (90, 270) else crop[3] - crop[1]
    return PageContent(index + 1, height, lines, rules)


def view_mapping(rotation: int, crop: tuple):
    """A function mapping ``(x, distance below the crop box top)`` to the page as displayed:
    turned clockwise by ``rotation`` and with the crop box's top-left corner as origin."""
    left, bottom, right, top = crop
    height = top - bottom
    return {0: lambda x, t: (x - left, t), 90: lambda x, t: (height - t, x - left),
            180: lambda x, t: (right - x, height - t), 270: lambda x, t: (t, right - x)}[rotation]


def reorient_chars(chars: list, view) -> None:
    """Move the chars' boxes to displayed-page coordinates (see :func:`view_mapping`)."""
    for c in chars:
        (ax, at), (bx, bt) = view(c.x0, c.top), view(c.x1, c.bottom)
        c.x0, c.x1, c.top, c.bottom = min(ax, bx), max(ax, bx), min(at, bt), max(at, bt)
        c.height = c.bottom - c.top


def reorient_rules(rules: list, view) -> list:
    """The rules in displayed-page coordinates (a rotation swaps horizontal and vertical)."""
    out = []
    for r in rules:
        a = view(r.start, r.pos) if r.horizontal else view(r.pos, r.start)
        b = view(r.end, r.pos) if r.horizontal else view(r.pos, r.end)
        if abs(a[1] - b[1]) < abs(a[0] - b[0]):
            out.append(Rule(True, a[1], min(a[0], b[0]), max(a[0], b[0])))
        else:
            out.append(Rule(False, a[0], min(a[1], b[1]), max(a[1], b[1])))
    return out


# --------------------------------------------------------------------------------- extraction

def extract_chars(textpage: pdfium.PdfTextPage, page_top: float) -> list:
    """Every character with ink, with its loose box flipped to a top-left origin.

    Spaces (real or generated by pdfium) are dropped: spacing is rebuilt from the gaps.
    """
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP: read them one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    raw = _address(textpage.raw)
    boxes = (c_float * (4 * count))()  # one FS_RECTF (left, top, right, bottom) per char
    base = ctypes.addressof(boxes)
    for i in range(count):
        _loose_char_box(raw, i, base + 16 * i)  # a failed call leaves zeros: skipped below
    values = iter(memoryview(boxes).cast("B").cast("f").tolist())
    chars = []
    append = chars.append
    for ch, left, top, right, bottom in zip(text, values, values, values, values):
        if right > left and ch > " " and ch.isprintable():  # no spaces, controls, markers
            append(Char(ch, left, page_top - top, right, page_top - bottom))
    return chars


def extract_rules(page: pdfium.PdfPage, page_top: float) -> list:
    """Ruling lines of the page: thin path objects and the straight edges of stroked paths."""
    rules: list = []
    _collect_rules(_address(page.raw), pdfium_c.FPDFPage_CountObjects(page.raw), _page_get_object,
                   _IDENTITY, page_top, rules, 0)
    return rules


def _collect_rules(parent: int, count: int, get_object, matrix: tuple, page_top: float, rules: list,
                   depth: int) -> None:
    """Walk the objects (descending into form XObjects with their matrix), adding the rules found."""
    path_type, form_type = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    for i in range(max(count, 0)):
        obj = get_object(parent, i)
        kind = _object_type(obj)
        if kind == path_type:
            path_rules(obj, matrix, page_top, rules)
        elif kind == form_type and depth < 8:
            form_matrix = _compose(_object_matrix(obj), matrix)
            count = pdfium_c.FPDFFormObj_CountObjects(ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT))
            _collect_rules(obj, count, _form_get_object, form_matrix, page_top, rules, depth + 1)


def path_rules(obj: int, matrix: tuple, page_top: float, rules: list) -> None:
    """Rules from one path object: the whole object when it is thin; else the straight edges of a
    stroked path and the thin pieces (sub-paths) of a filled one."""
    box = (c_float * 4)()
    a = ctypes.addressof(box)
    if not _object_bounds(obj, a, a + 4, a + 8, a + 12):  # left, bottom, right, top
        return
    if thin_rule(*_transform_box(matrix, *box), page_top, rules):
        return
    handle = ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT)
    fill, stroke = c_int(), c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(handle, fill, stroke) or not (fill.value or stroke.value):
        return
    for points in path_subpaths(handle, _compose(_object_matrix(obj), matrix)):
        if stroke.value:
            for (ax, ay, _), (bx, by, straight) in zip(points, points[1:]):
                if straight:
                    thin_rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), page_top, rules)
        if fill.value:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            thin_rule(min(xs), min(ys), max(xs), max(ys), page_top, rules)


def path_subpaths(handle, matrix: tuple) -> list:
    """The sub-paths of a path object as lists of ``(x, y, straight)`` page points, where
    ``straight`` tells whether a straight line leads to the point; closed sub-paths end at their
    start again."""
    subpaths: list = []
    fx, fy = c_float(), c_float()
    for i in range(max(pdfium_c.FPDFPath_CountSegments(handle), 0)):
        seg = pdfium_c.FPDFPath_GetPathSegment(handle, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, fx, fy):
            continue
        x, y = _apply(matrix, fx.value, fy.value)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([(x, y, False)])
        else:
            subpaths[-1].append((x, y, kind == pdfium_c.FPDF_SEGMENT_LINETO))
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            sx, sy, _ = subpaths[-1][0]
            subpaths[-1].append((sx, sy, True))
    return subpaths


def thin_rule(x0: float, y0: float, x1: float, y1: float, page_top: float, rules: list) -> bool:
    """Add the box (PDF coordinates) as a rule if it is thin and long enough; tell if it was thin."""
    w, h = x1 - x0, y1 - y0
    if min(w, h) > RULE_MAX_THICKNESS:
        return False
    if w >= h and w >= RULE_MIN_LENGTH:
        rules.append(Rule(True, page_top - (y0 + y1) / 2, x0, x1))
    elif h > w and h >= RULE_MIN_LENGTH:
        rules.append(Rule(False, (x0 + x1) / 2, page_top - y1, page_top - y0))
    return True


def _object_matrix(obj: int) -> tuple:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT), m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple, x: float, y: float) -> tuple:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _transform_box(m: tuple, x0: float, y0: float, x1: float, y1: float) -> tuple:
    if m == _IDENTITY:
        return x0, y0, x1, y1
    pts = [_apply(m, x, y) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


# ------------------------------------------------------------------------------------- text

def is_cjk(ch: str) -> bool:
    """CJK ideographs, kana and full-width forms/punctuation: never a space between two of these."""
    if ch < "\u2014":
        return False
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF or ch in "“”‘’…—·")


def join_chars(chars: list) -> str:
    """The text of a run of characters (left to right), with spaces where the gaps show them."""
    return _join_measure(chars)[1]


def _join_measure(chars: list) -> tuple:
    """For a run of chars sorted left to right: the chars without overprinted copies (a char
    printed again over itself for fake bold or shadow), their text, the widest gap between two
    of them (in em) and their bbox."""
    prev = chars[0]
    out = [prev.text]
    widest = 0.0
    top, bottom, x1 = prev.top, prev.bottom, prev.x1
    kept = None
    for k in range(1, len(chars)):
        c = chars[k]
        if c.text == prev.text and c.x0 - prev.x0 < 0.3 * (prev.x1 - prev.x0):
            if kept is None:
                kept = chars[:k]
            continue
        if kept is not None:
            kept.append(c)
        em = prev.height if prev.height < c.height else c.height
        gap = (c.x0 - prev.x1) / (em if em > 1.0 else 1.0)
        if gap > widest:
            widest = gap
        if gap > SPACE_GAP and not (prev.cjk and c.cjk):
            out.append(" ")
        out.append(c.text)
        if c.top < top:
            top = c.top
        if c.bottom > bottom:
            bottom = c.bottom
        if c.x1 > x1:
            x1 = c.x1
        prev = c
    return (chars if kept is None else kept), "".join(out), widest, (chars[0].x0, top, x1, bottom)


_x0_key = attrgetter("x0")
_top_key = attrgetter("top")


def chars_to_lines(chars: list) -> list:
    """Group characters into lines by vertical centre: lines top to bottom, chars left to right."""
    if len(chars) < 2:
        return [Line(chars)] if chars else []
    ordered = sorted(chars, key=_top_key)
    first = ordered[0]
    current = [first]
    groups = [current]
    centre, height, n = (first.top + first.bottom) * 0.5, first.height, 1
    for c in ordered[1:]:
        mid = (c.top + c.bottom) * 0.5
        h = c.height if c.height < height else height
        if mid - centre <= 0.45 * (h if h > 1.0 else 1.0):
            current.append(c)
            n += 1
            centre += (mid - centre) / n
        else:
            current = [c]
            groups.append(current)
            centre, height, n = mid, c.height, 1
    return [Line(sorted(g, key=_x0_key)) for g in groups]


def join_lines(lines: list, right_edge: Optional[float] = None) -> str:
    """Text of a cell's lines. Wrapped CJK joins directly; so does a number broken at a full line
    (one ending within two em of the cell's ``right_edge``); anything else joins with a space."""
    text = ""
    prev = None
    for line in lines:
        part = line.text
        if prev is not None:
            a, b, last = text[-1], part[0], prev.chars[-1]
            full = right_edge is not None and right_edge - last.x1 < 2 * max(last.height, 1.0)
            glue = is_cjk(a) or is_cjk(b) or (a.isdigit() and b.isdigit() and full)
            text += "" if glue else " "
        text += part
        prev = line
    return text


def line_segments(line: Line) -> list:
    """Split a line into column segments: at big gaps, and at any visible gap between two digits."""
    chars = line.chars
    segments = [[chars[0]]]
    for prev, c in zip(chars, chars[1:]):
        gap = c.x0 - prev.x1
        em = max(min(prev.height, c.height), 1.0)
        if gap > COLUMN_GAP * em or (gap > SPACE_GAP * em and prev.text.isdigit() and c.text.isdigit()):
            segments.append([c])
        else:
            segments[-1].append(c)
    return segments


def is_row_like(segments: list) -> bool:
    """A line reads as a table row when it has a big gap or at least two separate numbers."""
    if len(segments) < 2:
        return False
    if sum(1 for s in segments if _NUMBER.match(join_chars(s))) >= 2:
        return True
    return any(b[0].x0 - a[-1].x1 > COLUMN_GAP * max(min(a[-1].height, b[0].height), 1.0)
               for a, b in zip(segments, segments[1:]))


def split_numbers(text: str) -> list:
    """``'3001 53 0'`` inside one ruled cell → one cell per number (and the label before them),
    when the cell holds two numbers or more and nothing but numbers after its label."""
    tokens = text.split(" ")
    if sum(1 for t in tokens if _NUMBER.match(t)) < 2:
        return [text]
    k = 0
    while not _NUMBER.match(tokens[k]):
        k += 1
    if not all(_NUMBER.match(t) for t in tokens[k:]):
        return [text]
    return ([" ".join(tokens[:k])] if k else []) + tokens[k:]


# ------------------------------------------------------------------------------------ grids

def rules_to_grids(rules: list) -> list:
    """Cluster rules that touch into grids, top to bottom; keep those with two cells or more."""
    hs = [r for r in rules if r.horizontal]
    vs = sorted((r for r in rules if not r.horizontal), key=attrgetter("pos"))
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    v_pos = [v.pos for v in vs]
    for hi, h in enumerate(hs):
        for vi in range(bisect_left(v_pos, h.start - SNAP), bisect_right(v_pos, h.end + SNAP)):
            v = vs[vi]
            if v.start - SNAP <= h.pos <= v.end + SNAP:
                parent[find(hi)] = find(len(hs) + vi)
    groups: dict = {}
    for i in range(len(parent)):
        groups.setdefault(find(i), []).append(hs[i] if i < len(hs) else vs[i - len(hs)])
    grids = [build_grid(members) for members in groups.values()]
    grids = [g for g in grids if g is not None and len(g.cells) >= 2]
    grids.sort(key=lambda g: g.ys[0])
    return grids


def snap_positions(values: list) -> list:
    """Merge sorted positions closer than SNAP to each other into their mean (rounded to 0.01)."""
    out: list = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [round(sum(g) / len(g), 2) for g in out]


def build_grid(rules: list) -> Optional[Grid]:
    """Grid lines and cells of one cluster of rules: a cell is a set of atoms no rule separates."""
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    if len(hs) < 2 or len(vs) < 2:
        return None
    xs = snap_positions([v.pos for v in vs] + [min(h.start for h in hs), max(h.end for h in hs)])
    ys = snap_positions([h.pos for h in hs] + [min(v.start for v in vs), max(v.end for v in vs)])
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1:
        return None
    v_walls = rule_coverage(vs, xs, ys)  # v_walls[j][i]: a rule at xs[j] separates band i
    h_walls = rule_coverage(hs, ys, xs)  # h_walls[i][j]: a rule at ys[i] separates column j
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(nr):
        for j in range(nc):
            k = i * nc + j
            if j + 1 < nc and not v_walls[j + 1][i]:
                parent[find(k + 1)] = find(k)
            if i + 1 < nr and not h_walls[i + 1][j]:
                parent[find(k + nc)] = find(k)
    spans: dict = {}
    for k in range(nr * nc):
        i, j = divmod(k, nc)
        s = spans.get(find(k))
        if s is None:
            spans[find(k)] = [i, i, j, j]
        else:
            s[1], s[2], s[3] = i, min(s[2], j), max(s[3], j)  # rows come in order
    cells = [GridCell(r0, r1, c0, c1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
             for r0, r1, c0, c1 in spans.values()]
    cells.sort(key=lambda c: (c.r0, c.c0))
    return Grid(xs, ys, cells)


def rule_coverage(rules: list, positions: list, across: list) -> list:
    """For each grid line at ``positions``, which of the intervals between ``across`` lines its
    rules cover (an interval counts as covered when a rule reaches over its middle)."""
    mids = [(a + b) / 2 for a, b in zip(across, across[1:])]
    covered = [[False] * len(mids) for _ in positions]
    for r in rules:
        k = bisect_left(positions, r.pos)
        k = min((i for i in (k - 1, k) if 0 <= i < len(positions)), key=lambda i: abs(positions[i] - r.pos))
        if abs(positions[k] - r.pos) <= SNAP:
            row = covered[k]
            for m in range(bisect_left(mids, r.start - SNAP), bisect_right(mids, r.end + SNAP)):
                row[m] = True
    return covered


def assign_lines(grids: list, lines: list) -> list:
    """Put the chars of lines that reach into a grid into its cells (by the char's centre);
    return the lines outside the grids, a line cut by a grid keeping the chars left outside."""
    if not grids:
        return lines
    entries = [(g.bbox, g.xs, g.ys, len(g.xs) - 1, cell_lookup(g)) for g in grids]
    rest = []
    for line in lines:
        x0, top, x1, bottom = line.bbox
        hits = [e for e in entries if e[0][0] < x1 and x0 < e[0][2] and e[0][1] < bottom and top < e[0][3]]
        if not hits:
            rest.append(line)
            continue
        outside = []
        for c in line.chars:
            cx, cy = (c.x0 + c.x1) * 0.5, (c.top + c.bottom) * 0.5
            for (gx0, gtop, gx1, gbottom), xs, ys, nc, lookup in hits:
                if gx0 < cx < gx1 and gtop < cy < gbottom:
                    lookup[(bisect_right(ys, cy) - 1) * nc + bisect_right(xs, cx) - 1].chars.append(c)
                    break
            else:
                outside.append(c)
        if outside:
            rest.append(Line(outside))
    return rest


def cell_lookup(grid: Grid) -> dict:
    """Atom index (band * columns + column) → the grid cell covering it."""
    nc = len(grid.xs) - 1
    lookup = {}
    for cell in grid.cells:
        for i in range(cell.r0, cell.r1 + 1):
            for j in range(cell.c0, cell.c1 + 1):
                lookup[i * nc + j] = cell
    return lookup


def grid_rows(grid: Grid, page: int) -> list:
    """One row block per grid band that starts a cell; a cell appears only in its first band.

    An empty cell gives ``Cell("")`` so that the row keeps its column count; a row of empty cells
    only is left out. A band that holds several visual rows (no rules between them: some cell
    stacks numbers line over line) is cut into those rows, see :func:`stacked_rows`; a number
    wrapped inside a narrow cell (``300`` over ``1``, as Word and LibreOffice print ``3001`` in a
    cell too narrow for it) is not such a stack and reads as one number.
    """
    by_band: dict = {}
    for gc in grid.cells:
        by_band.setdefault(gc.r0, []).append(gc)
    rows = []
    for band in sorted(by_band):
        cells_lines = [(gc, chars_to_lines(gc.chars)) for gc in by_band[band]]  # left to right
        subrows = stacked_rows([lines for gc, lines in cells_lines if not wrapped_number(lines, gc.bbox)])
        if subrows:
            rows.extend(Block("row", cells, table=grid.index) for cells in split_band(cells_lines, subrows, page)
                        if any(c.text for c in cells))
            continue
        cells = []
        for gc, lines in cells_lines:
            loc = Location(page=page, bbox=gc.bbox)  # grid lines are rounded already
            gc.cell = Cell(join_lines(lines, gc.bbox[2]), loc)
            parts = split_numbers(gc.cell.text) if len(lines) == 1 and " " in gc.cell.text else [gc.cell.text]
            cells.extend([gc.cell] if len(parts) == 1 else [Cell(p, loc) for p in parts])
        if any(c.text for c in cells):
            rows.append(Block("row", cells, table=grid.index))
    return rows


def wrapped_number(lines: list, bbox: tuple) -> bool:
    """Whether a cell's lines are one number wrapped at the cell's width: two lines or more, all
    digits, every line but the last filling the cell from its left edge to its right edge (within
    two em: the cell padding and the digit that did not fit), the whole a number."""
    if len(lines) < 2 or not all(ln.text.isdigit() for ln in lines):
        return False
    for ln in lines[:-1]:
        em = max(ln.bbox[3] - ln.bbox[1], 1.0)
        if ln.bbox[0] - bbox[0] >= 2 * em or bbox[2] - ln.bbox[2] >= 2 * em:
            return False
    return _NUMBER.match("".join(ln.text for ln in lines)) is not None


def stacked_rows(cells_lines: list) -> list:
    """Centres of the visual rows of a band whose cells stack numbers line over line (a table
    without rules between its rows), or ``[]`` when no cell holds two number lines."""
    numeric = [line for lines in cells_lines if len(lines) >= 2 and all(_NUMBER.match(ln.text) for ln in lines)
               for line in lines]
    if not numeric:
        return []
    centres: list = []
    for line in sorted(numeric, key=attrgetter("top")):
        mid = (line.bbox[1] + line.bbox[3]) / 2
        if not centres or mid - centres[-1] > 0.5 * (line.bbox[3] - line.bbox[1]):
            centres.append(mid)
    return centres if len(centres) >= 2 else []


def split_band(cells_lines: list, centres: list, page: int) -> list:
    """Cells of the visual rows at ``centres``: each line of a cell goes to the last row starting
    at or above it; a text cell with fewer lines than rows (a row-spanning label) stays whole in
    the row of its first line. A cell with nothing in a row gives ``Cell("")`` there."""
    rows: list = [[] for _ in centres]
    for gc, lines in cells_lines:
        gc.cell = None  # not rejoined over a page break
        loc = Location(page=page, bbox=gc.bbox)
        per_row: list = [[] for _ in centres]
        for line in lines:
            mid = (line.bbox[1] + line.bbox[3]) / 2
            k = bisect_right(centres, mid + 0.5 * (line.bbox[3] - line.bbox[1])) - 1
            per_row[max(k, 0)].append(line)
        if lines and len(lines) < len(centres) and not any(_NUMBER.match(ln.text) for ln in lines):
            first = next(k for k, got in enumerate(per_row) if got)
            rows[first].append(Cell(join_lines(lines, gc.bbox[2]), loc))
            continue
        for k, got in enumerate(per_row):
            rows[k].append(Cell(join_lines(got, gc.bbox[2]), loc))
    return rows


# ------------------------------------------------------------------------------------ pages

def in_margin(line: Line, page_height: float) -> bool:
    """Whether the line lies in the top or bottom margin band of the page."""
    return line.bbox[3] < page_height * MARGIN or line.top > page_height * (1 - MARGIN)


def is_furniture(line: Line, page_height: float, running: frozenset = frozenset()) -> bool:
    """A page number (``- 4 -``, ``— 4 —``, ``第 4 页``, ``4/6``) or a running header/footer
    (its text, digits masked, in ``running``) in the top or bottom margin."""
    return in_margin(line, page_height) and (_PAGE_NUMBER.match(line.text) is not None
                                             or _DIGITS.sub("#", line.text) in running)


def running_lines(laid_out: list) -> frozenset:
    """Texts (digits masked) of margin lines that come back on at least half of the pages, three
    at least: running headers and footers."""
    if len(laid_out) < 3:
        return frozenset()
    counts: dict = {}
    for page, _, lines in laid_out:
        for text in {_DIGITS.sub("#", ln.text) for ln in lines if in_margin(ln, page.height)}:
            counts[text] = counts.get(text, 0) + 1
    need = max(3, (len(laid_out) + 1) // 2)
    return frozenset(text for text, n in counts.items() if n >= need)


def pages_to_blocks(pages: list) -> list:
    """Lay out every page, drop the page furniture, and chain the pages' blocks; a table going on
    over a page break keeps its index."""
    laid_out = []
    for page in pages:
        grids = rules_to_grids(page.rules)
        lines = assign_lines(grids, page.lines)
        laid_out.append((page, [g for g in grids if any(gc.chars for gc in g.cells)], lines))
    running = running_lines(laid_out)
    body = body_size([ln for _, _, lines in laid_out for ln in lines])
    blocks: list = []
    state = {"next_table": 1, "last_grid": None, "unruled": None}  # tables numbered from 1, as in HTML/DOCX
    for page, grids, lines in laid_out:
        lines = [ln for ln in lines if not is_furniture(ln, page.height, running)]
        blocks.extend(page_blocks(page.number, grids, merge_heading_lines(lines, body), state))
    return blocks


def line_size(line: Line) -> float:
    """The median character height of a line (the loose boxes of digits and of CJK characters
    from different fonts differ; the median is the line's type size)."""
    heights = sorted(c.height for c in line.chars)
    return heights[len(heights) // 2]


def body_size(lines: list) -> float:
    """The type size of the body text: the line size that half of the characters outside the
    grids reach (0 when there is no text)."""
    sized = sorted((line_size(ln), len(ln.chars)) for ln in lines)
    half = sum(n for _, n in sized) / 2
    seen = 0
    for size, n in sized:
        seen += n
        if seen >= half:
            return size
    return 0.0


def merge_heading_lines(lines: list, body: float) -> list:
    """Lines of one page, with each title or heading wrapped over several lines made one
    :class:`LineGroup`. Two lines go together when both are paragraph text (not table rows) in
    a type at least ``HEADING_SIZE`` times the body's, of the same size (within 15 %), one right
    under the other (at most one em apart), centred on the same axis (within half an em) and of
    different widths (by one em at least: justified lines of a paragraph are of equal width)."""
    if body <= 0 or len(lines) < 2:
        return lines
    out: list = []
    prev_size = 0.0
    for line in lines:
        size = line_size(line)
        last = out[-1] if out else None
        if last is not None and size >= HEADING_SIZE * body and prev_size >= HEADING_SIZE * body \
                and abs(size - prev_size) <= 0.15 * max(size, prev_size):
            above = last.lines[-1] if isinstance(last, LineGroup) else last
            (ax0, _, ax1, abottom), (bx0, btop, bx1, _) = above.bbox, line.bbox
            em = max(size, prev_size)
            if (0 <= btop - abottom <= em and abs((ax0 + ax1) - (bx0 + bx1)) / 2 <= 0.5 * em
                    and abs((ax1 - ax0) - (bx1 - bx0)) >= em and is_para_line(above) and is_para_line(line)):
                out[-1] = LineGroup((last.lines if isinstance(last, LineGroup) else [last]) + [line])
                prev_size = size
                continue
        out.append(line)
        prev_size = size
    return out


def is_para_line(line: Line) -> bool:
    """Whether :func:`line_block` reads the line as a paragraph (not as a row of a table)."""
    splits = line.widest > COLUMN_GAP or _DIGIT_GAP.search(line.text) is not None
    return not (splits and is_row_like(line_segments(line)))


def page_blocks(page: int, grids: list, lines: list, state: dict) -> list:
    """Blocks of one page in reading order (top to bottom)."""
    items = sorted([(g.ys[0], 0, g) for g in grids] + [(ln.top, 1, ln) for ln in lines], key=lambda t: t[:2])
    out: list = []
    for k, (_, _, item) in enumerate(items):
        if isinstance(item, Grid):
            out.extend(grid_blocks(item, page, state, opens_page=(k == 0)))
        elif isinstance(item, LineGroup):
            state["unruled"] = None
            bbox = _union([ln.bbox for ln in item.lines])
            out.append(Block("para", [Cell(join_lines(item.lines), Location(page=page, bbox=_round(bbox)))]))
        else:
            out.append(line_block(item, page, state))
    state["last_grid"] = items[-1][2] if items and isinstance(items[-1][2], Grid) else None
    return out


def grid_blocks(grid: Grid, page: int, state: dict, opens_page: bool) -> list:
    """Row blocks of a grid. A grid opening the page with the left/right edges of the grid that
    closed the previous page continues that table."""
    prev = state["last_grid"] if opens_page else None
    if prev is not None and abs(prev.xs[0] - grid.xs[0]) <= SAME_EDGE and abs(prev.xs[-1] - grid.xs[-1]) <= SAME_EDGE:
        grid.index = prev.index
    else:
        prev = None
        grid.index = state["next_table"]
        state["next_table"] += 1
    state["unruled"] = None
    rows = grid_rows(grid, page)
    if prev is not None and rows:
        merge_continued_cells(prev, grid, rows)
    return rows


def merge_continued_cells(prev: Grid, grid: Grid, rows: list) -> None:
    """Rejoin row-spanning labels cut by a page break (e.g. ``（四）无`` | ``法提供``).

    A cell opening the new page's grid that spans several bands, has the column edges of a cell
    closing the previous page's grid, and is empty or text that neither is a number nor starts
    with an enumerator (``2.``, ``（五）``), is appended to that cell and leaves its row.
    """
    last_band = len(prev.ys) - 2
    closing = [p for p in prev.cells if p.r1 == last_band and p.cell is not None and p.cell.text
               and not _NUMBER.match(p.cell.text)]
    first = rows[0]
    for gc in grid.cells:
        if gc.r0 != 0 or gc.r1 == 0 or not any(c is gc.cell for c in first.cells):
            continue
        text = gc.cell.text
        if _NUMBER.match(text) or _ENUMERATOR.match(text):
            continue
        match = next((p for p in closing if abs(p.bbox[0] - gc.bbox[0]) <= SAME_EDGE
                      and abs(p.bbox[2] - gc.bbox[2]) <= SAME_EDGE), None)
        if match is not None:
            match.cell.text += text
            first.cells = [c for c in first.cells if c is not gc.cell]
    if not any(c.text for c in first.cells):
        rows.pop(0)


def line_block(line: Line, page: int, state: dict) -> Block:
    """A para block, or a row block of an unruled table when the line splits into columns."""
    splits = line.widest > COLUMN_GAP or _DIGIT_GAP.search(line.text) is not None
    segments = line_segments(line) if splits else [line.chars]
    if not is_row_like(segments):
        state["unruled"] = None
        return Block("para", [Cell(line.text, Location(page=page, bbox=_round(line.bbox)))])
    if state["unruled"] is None:
        state["unruled"] = state["next_table"]
        state["next_table"] += 1
    cells = [Cell(join_chars(s), Location(page=page, bbox=_round(_bbox(s)))) for s in segments]
    return Block("row", cells, table=state["unruled"])


def _bbox(chars: list) -> tuple:
    x0, top, x1, bottom = chars[0].x0, chars[0].top, chars[0].x1, chars[0].bottom
    for c in chars:
        if c.x0 < x0:
            x0 = c.x0
        if c.top < top:
            top = c.top
        if c.x1 > x1:
            x1 = c.x1
        if c.bottom > bottom:
            bottom = c.bottom
    return (x0, top, x1, bottom)


def _union(boxes: list) -> tuple:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _round(bbox: tuple) -> tuple:
    x0, top, x1, bottom = bbox
    return (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))
