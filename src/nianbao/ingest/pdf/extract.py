"""pypdfium2 → characters and ruling lines of each page, in displayed-page coordinates.

Characters come with their loose boxes; rules are thin path objects, straight edges of stroked
paths and thin pieces of filled paths, inside form XObjects too (see :func:`extract_rules`).
Coordinates: ``(x0, top, x1, bottom)`` in PDF points, origin at the top left of the page as
displayed (``/Rotate`` and the crop box applied).
"""
from __future__ import annotations

import ctypes
from collections import deque
from ctypes import CFUNCTYPE, c_float, c_int, c_void_p
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Optional

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ...config import DEFAULT, Settings
from ...errors import InputError
from .arrays import PageChars, pages_lines

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _fast(fn, restype, *argtypes):
    """The same pdfium function, called through a plain-pointer prototype (far less ctypes work
    per call than the typed bindings; used in the per-character and per-object loops)."""
    return CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, c_void_p).value)


_page_get_object = _fast(pdfium_c.FPDFPage_GetObject, c_void_p, c_void_p, c_int)
_form_get_object = _fast(pdfium_c.FPDFFormObj_GetObject, c_void_p, c_void_p, ctypes.c_ulong)
_object_type = _fast(pdfium_c.FPDFPageObj_GetType, c_int, c_void_p)
_object_bounds = _fast(pdfium_c.FPDFPageObj_GetBounds, c_int, c_void_p, c_void_p, c_void_p, c_void_p, c_void_p)
_form_count_objects = _fast(pdfium_c.FPDFFormObj_CountObjects, c_int, c_void_p)
_load_page = _fast(pdfium_c.FPDF_LoadPage, c_void_p, c_void_p, c_int)
_close_page = _fast(pdfium_c.FPDF_ClosePage, None, c_void_p)
_load_textpage = _fast(pdfium_c.FPDFText_LoadPage, c_void_p, c_void_p)
_close_textpage = _fast(pdfium_c.FPDFText_ClosePage, None, c_void_p)
_page_rotation = _fast(pdfium_c.FPDFPage_GetRotation, c_int, c_void_p)
_crop_box = _fast(pdfium_c.FPDFPage_GetCropBox, c_int, c_void_p, c_void_p, c_void_p, c_void_p, c_void_p)
_media_box = _fast(pdfium_c.FPDFPage_GetMediaBox, c_int, c_void_p, c_void_p, c_void_p, c_void_p, c_void_p)
_count_objects = _fast(pdfium_c.FPDFPage_CountObjects, c_int, c_void_p)
_count_chars = _fast(pdfium_c.FPDFText_CountChars, c_int, c_void_p)
_get_text = _fast(pdfium_c.FPDFText_GetText, c_int, c_void_p, c_int, c_int, c_void_p)
_get_unicode = _fast(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, c_void_p, c_int)
_loose_char_box = _fast(pdfium_c.FPDFText_GetLooseCharBox, c_int, c_void_p, c_int, c_void_p)
_draw_mode = _fast(pdfium_c.FPDFPath_GetDrawMode, c_int, c_void_p, c_void_p, c_void_p)
_get_matrix = _fast(pdfium_c.FPDFPageObj_GetMatrix, c_int, c_void_p, c_void_p)
_count_segments = _fast(pdfium_c.FPDFPath_CountSegments, c_int, c_void_p)
_path_segment = _fast(pdfium_c.FPDFPath_GetPathSegment, c_void_p, c_void_p, c_int)
_segment_point = _fast(pdfium_c.FPDFPathSegment_GetPoint, c_int, c_void_p, c_void_p, c_void_p)
_segment_type = _fast(pdfium_c.FPDFPathSegment_GetType, c_int, c_void_p)
_segment_close = _fast(pdfium_c.FPDFPathSegment_GetClose, c_int, c_void_p)


def _address(handle) -> int:
    return ctypes.cast(handle, c_void_p).value


@dataclass
class Rule:
    """A ruling line: horizontal at y=``pos`` from x=``start`` to ``end``, or vertical at x=``pos``."""

    horizontal: bool
    pos: float
    start: float
    end: float


@dataclass
class PageContent:
    """What one page yields: its text lines and rules (its pdfium objects are closed by then)."""

    number: int
    height: float
    lines: list
    rules: list


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """Open the bytes with pdfium; failures become :class:`InputError`."""
    try:
        return pdfium.PdfDocument(bytes(data))
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise InputError("encrypted-pdf") from exc
        raise InputError("corrupt-pdf") from exc


def read_title(pdf: pdfium.PdfDocument) -> Optional[str]:
    """The metadata Title, or None when it is missing or blank."""
    try:
        title = pdf.get_metadata_value("Title")
    except Exception:  # malformed metadata never stops ingest
        return None
    return (title or "").strip() or None


BATCH = 16  # pages held open together: their characters are laid out into lines in one go


def read_pages(pdf: pdfium.PdfDocument, settings: Settings = DEFAULT) -> list:
    """The text lines and rules of every page (:class:`PageContent`), pdfium objects closed.

    Pages are read in batches of :data:`BATCH`: their characters are grouped into lines in one
    bulk pass. Rules are only looked for when some line has a gap wide enough to be a column gap:
    walking every page object costs about as much as reading the text, and prose pages have no
    tables.
    """
    out: list = []
    for start in range(0, len(pdf), BATCH):
        out.extend(_read_batch(pdf, range(start, min(start + BATCH, len(pdf))), settings))
    return out


def read_page(pdf: pdfium.PdfDocument, index: int, settings: Settings = DEFAULT) -> PageContent:
    """:func:`read_pages` for page ``index`` alone."""
    return _read_batch(pdf, [index], settings)[0]


def _read_batch(pdf: pdfium.PdfDocument, indices, settings: Settings) -> list:
    doc = _address(pdf.raw)
    opened: list = []  # raw page handles (the pypdfium2 page objects cost more than they give here)
    try:
        found = []
        for index in indices:
            page = _load_page(doc, index)
            if not page:
                raise pdfium.PdfiumError("Failed to load page.")
            opened.append(page)
            crop = page_box(page)
            rotation = _page_rotation(page) % 4 * 90
            view = None if not (rotation or crop[0]) else view_mapping(rotation, crop)
            textpage = _load_textpage(page)
            if not textpage:
                raise pdfium.PdfiumError("Failed to load text page.")
            try:
                chars = page_chars(textpage)
            finally:
                _close_textpage(textpage)
            found.append((index, page, crop, rotation, view, chars))
        src, owner = batch_chars([(f[5], f[2][3], f[4]) for f in found])
        out = []
        for (index, page, crop, rotation, view, _), lines in zip(found, pages_lines(src, owner, len(found), settings)):
            rules = []
            if any(line.widest >= settings.table_gap for line in lines):
                rules = extract_rules(page, crop[3], settings)
                if view is not None:
                    rules = reorient_rules(rules, view)
            height = crop[2] - crop[0] if rotation in (90, 270) else crop[3] - crop[1]
            out.append(PageContent(index + 1, height, lines, rules))
        return out
    finally:
        for page in opened:
            _close_page(page)


def page_box(page: int) -> tuple:
    """The crop box of a raw page handle ``(left, bottom, right, top)``; the media box when it has
    none, and US Letter when it has neither (as ``PdfPage.get_cropbox``)."""
    box = (c_float * 4)()
    a = ctypes.addressof(box)
    if _crop_box(page, a, a + 4, a + 8, a + 12) or _media_box(page, a, a + 4, a + 8, a + 12):
        return tuple(box)
    return (0, 0, 612, 792)


def view_mapping(rotation: int, crop: tuple):
    """A function mapping ``(x, distance below the crop box top)`` to the page as displayed:
    turned clockwise by ``rotation`` and with the crop box's top-left corner as origin."""
    left, bottom, right, top = crop
    height = top - bottom
    return {0: lambda x, t: (x - left, t), 90: lambda x, t: (height - t, x - left),
            180: lambda x, t: (right - x, height - t), 270: lambda x, t: (t, right - x)}[rotation]


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


def page_chars(textpage: int) -> tuple:
    """The characters of a raw text page handle that are neither spaces (real or generated by
    pdfium) nor controls: their code points and loose boxes ``(left, top, right, bottom)`` as
    pdfium gives them (float32, PDF coordinates); see :func:`batch_chars`."""
    count = _count_chars(textpage)
    if count <= 0:
        return np.zeros(0, np.uint32), np.zeros((0, 4), np.float32)
    buf = (ctypes.c_ushort * (2 * count + 2))()  # room to spare: pdfium may write more than asked
    n = _get_text(textpage, 0, count, ctypes.addressof(buf))
    text = memoryview(buf).cast("B")[:2 * max(n - 1, 0)].tobytes().decode("utf-16-le", "ignore")
    if len(text) != count:  # characters outside the BMP, or text pdfium left out: one by one
        text = "".join(chr(_get_unicode(textpage, i)) for i in range(count))
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    at = np.flatnonzero(cp > 32)
    boxes = (c_float * (4 * count))()  # one FS_RECTF (left, top, right, bottom) per char
    # one call per char (a failed call leaves zeros: dropped later)
    deque(map(_loose_char_box, repeat(textpage, len(at)), at.tolist(), (ctypes.addressof(boxes) + 16 * at).tolist()),
          maxlen=0)
    return cp[at], np.frombuffer(boxes, dtype=np.float32).reshape(count, 4)[at]


def batch_chars(pages: list) -> tuple:
    """The characters with ink of several pages as one :class:`PageChars`, with the page (its
    position in ``pages``) of each char. ``pages``: ``[((code points, boxes), page top, view)]``
    from :func:`page_chars`, the crop box top and :func:`view_mapping` (or None) of each page.

    Boxes are flipped to a top-left origin and turned as the page is displayed; characters that
    are not printable, or without a box of positive width and finite height, are dropped.
    """
    sizes = [len(cp) for (cp, _), _, _ in pages]
    cp = np.concatenate([c for (c, _), _, _ in pages])
    box = np.concatenate([b for (_, b), _, _ in pages]).astype(np.float64)
    page_top = np.repeat(np.array([top for _, top, _ in pages], dtype=np.float64), sizes)
    left, top, right, bottom = box[:, 0], page_top - box[:, 1], box[:, 2], page_top - box[:, 3]
    owner = np.repeat(np.arange(len(pages)), sizes)
    keep = (right > left) & np.isfinite(left) & np.isfinite(right) & np.isfinite(top) & np.isfinite(bottom)
    keep &= printable(cp)  # not markers, controls, unassigned code points
    start = 0
    for size, (_, _, view) in zip(sizes, pages):
        if view is not None:  # displayed-page coordinates (see view_mapping)
            part = slice(start, start + size)
            (ax, at), (bx, bt) = view(left[part], top[part]), view(right[part], bottom[part])
            left[part], right[part] = np.minimum(ax, bx), np.maximum(ax, bx)
            top[part], bottom[part] = np.minimum(at, bt), np.maximum(at, bt)
        start += size
    if not keep.all():
        cp, left, top, right, bottom, owner = cp[keep], left[keep], top[keep], right[keep], bottom[keep], owner[keep]
    return PageChars(cp, left, top, right, bottom), owner


_PRINTABLE = np.zeros(0x10000, dtype=np.int8)  # per BMP code point: 1 printable, -1 not, 0 not asked yet


def printable(cp: np.ndarray) -> np.ndarray:
    """``chr(c).isprintable()`` for each code point, from a table of the BMP filled in as code
    points come (a page has hundreds of distinct characters: asking each one every time cost
    more than laying out the page's lines)."""
    bmp = cp < 0x10000
    status = np.zeros(len(cp), dtype=np.int8)
    status[bmp] = _PRINTABLE[cp[bmp]]
    unknown = status == 0
    if unknown.any():
        asked = np.unique(cp[unknown])
        answers = np.array([1 if chr(c).isprintable() else -1 for c in asked.tolist()], dtype=np.int8)
        status[unknown] = answers[np.searchsorted(asked, cp[unknown])]
        kept = asked < 0x10000
        _PRINTABLE[asked[kept]] = answers[kept]
    return status > 0


def extract_rules(page: int, page_top: float, settings: Settings = DEFAULT) -> list:
    """Ruling lines of the page (a raw page handle): thin path objects and the straight edges of
    stroked paths."""
    rules: list = []
    _collect_rules(page, _count_objects(page), _page_get_object, _IDENTITY, page_top, rules, 0, settings)
    return rules


def _collect_rules(parent: int, count: int, get_object, matrix: tuple, page_top: float, rules: list,
                   depth: int, settings: Settings) -> None:
    """Walk the objects (descending into form XObjects with their matrix), adding the rules found.

    The objects, their types and the bounds of the paths are read in bulk (``map`` over the
    pdfium calls: text-layer pages often hold one text object per character)."""
    n = max(count, 0)
    objs = list(map(get_object, repeat(parent, n), range(n)))
    kinds = np.fromiter(map(_object_type, objs), dtype=np.int32, count=n)
    at_paths = np.flatnonzero(kinds == pdfium_c.FPDF_PAGEOBJ_PATH).tolist()
    at_forms = np.flatnonzero(kinds == pdfium_c.FPDF_PAGEOBJ_FORM).tolist() if depth < 8 else []
    paths = [objs[i] for i in at_paths]
    boxes: list = []
    if paths:
        buf = (c_float * (4 * len(paths)))()  # left, bottom, right, top per path
        a = ctypes.addressof(buf)
        end = a + 16 * len(paths)
        found = list(map(_object_bounds, paths, range(a, end, 16), range(a + 4, end, 16), range(a + 8, end, 16),
                         range(a + 12, end, 16)))
        values = iter(memoryview(buf).cast("B").cast("f").tolist())
        boxes = list(zip(found, values, values, values, values))
    plain = matrix == _IDENTITY  # a thin path is a rule from its bounds alone (see path_rules)
    items = zip(at_paths, paths, boxes)
    if at_forms:  # in content order with the forms
        items = sorted([*items, *((i, objs[i], None) for i in at_forms)], key=itemgetter(0))
    for _, obj, box in items:
        if box is None:
            form_matrix = _compose(_object_matrix(obj), matrix)
            count = _form_count_objects(obj)
            _collect_rules(obj, count, _form_get_object, form_matrix, page_top, rules, depth + 1, settings)
            continue
        ok, x0, y0, x1, y1 = box
        if ok and (not plain or not thin_rule(x0, y0, x1, y1, page_top, rules, settings)):
            path_rules(obj, matrix, page_top, rules, settings, (x0, y0, x1, y1))


def path_rules(obj: int, matrix: tuple, page_top: float, rules: list, settings: Settings = DEFAULT,
               bounds: Optional[tuple] = None) -> None:
    """Rules from one path object: the whole object when it is thin; else the straight edges of a
    stroked path and the thin pieces (sub-paths) of a filled one. ``bounds``: the object's
    (left, bottom, right, top), when already read."""
    if bounds is None:
        box = (c_float * 4)()
        a = ctypes.addressof(box)
        if not _object_bounds(obj, a, a + 4, a + 8, a + 12):  # left, bottom, right, top
            return
        bounds = tuple(box)
    if thin_rule(*_transform_box(matrix, *bounds), page_top, rules, settings):
        return
    mode = (c_int * 2)()  # fill mode, stroke
    a = ctypes.addressof(mode)
    if not _draw_mode(obj, a, a + 4) or not (mode[0] or mode[1]):
        return
    fill, stroke = mode
    for points in path_subpaths(obj, _compose(_object_matrix(obj), matrix)):
        if stroke:
            for (ax, ay, _), (bx, by, straight) in zip(points, points[1:]):
                if straight:
                    thin_rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), page_top, rules, settings)
        if fill:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            thin_rule(min(xs), min(ys), max(xs), max(ys), page_top, rules, settings)


def path_subpaths(obj: int, matrix: tuple) -> list:
    """The sub-paths of a path object (a raw handle) as lists of ``(x, y, straight)`` page points,
    where ``straight`` tells whether a straight line leads to the point; closed sub-paths end at
    their start again."""
    subpaths: list = []
    point = (c_float * 2)()
    px = ctypes.addressof(point)
    moveto, lineto = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
    for i in range(max(_count_segments(obj), 0)):
        seg = _path_segment(obj, i)
        if not seg or not _segment_point(seg, px, px + 4):
            continue
        x, y = _apply(matrix, point[0], point[1])
        kind = _segment_type(seg)
        if kind == moveto or not subpaths:
            subpaths.append([(x, y, False)])
        else:
            subpaths[-1].append((x, y, kind == lineto))
        if _segment_close(seg):
            sx, sy, _ = subpaths[-1][0]
            subpaths[-1].append((sx, sy, True))
    return subpaths


def thin_rule(x0: float, y0: float, x1: float, y1: float, page_top: float, rules: list,
              settings: Settings = DEFAULT) -> bool:
    """Add the box (PDF coordinates) as a rule if it is thin and long enough; tell if it was thin."""
    w, h = x1 - x0, y1 - y0
    if min(w, h) > settings.rule_max_thickness:
        return False
    if w >= h and w >= settings.rule_min_length:
        rules.append(Rule(True, page_top - (y0 + y1) / 2, x0, x1))
    elif h > w and h >= settings.rule_min_length:
        rules.append(Rule(False, (x0 + x1) / 2, page_top - y1, page_top - y0))
    return True


def _object_matrix(obj: int) -> tuple:
    m = (c_float * 6)()  # FS_MATRIX: a, b, c, d, e, f
    if not _get_matrix(obj, ctypes.addressof(m)):
        return _IDENTITY
    return tuple(m)


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
