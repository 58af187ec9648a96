"""Offline OCR of page images (rapidocr-onnxruntime, PP-OCRv4 models shipped in its wheel).

Used for PDF pages without a text layer and for image files (PNG/JPEG/TIFF). Optional: install
with ``pip install 'nianbao[ocr]'``; without it :func:`available` is False and a scan gives P001.

One page image → characters with boxes and confidences, and ruling lines, in PDF points with the
origin at the top left — what ``pdf.layout.pages_to_blocks`` consumes for text-layer pages:

1. grey image, red seal filtered out (:func:`.grid_image.remove_seal`);
2. text lines detected on a reduced copy (``ocr_det_side``: the detector needs far fewer pixels
   than the recogniser);
3. orientation: lines taller than wide mean a page turned by 90°; the angle classifier on a
   sample of lines tells 0° from 180°; the page is turned upright and detected again;
4. skew: the angle of the long table lines (or of the text lines) straightens image and boxes;
5. the table grid from the image (:func:`.grid_image.find_rules`; faded hairlines recovered),
   and the page with its rules painted out, from which the tables' text is read; a grid whose
   rules still stop inside it is noted as broken (:func:`.grid_image.broken_grids`): its
   cells get confidence 0 and the page a P215 (:func:`mark_confidence`);
6. line boxes cut where a rule crosses them (:func:`.grid_image.split_at_rules`: two cells'
   numbers taken for one line);
7. each line recognised (CTC, per-character positions and confidences) from a crop that keeps
   to its box; a recognised line's box is split into per-character boxes at the positions the
   decoder gives, as tall as the line's ink;
8. a grid cell with ink and no text recognised in it (a lone ``0`` the detector missed) is
   recognised on its own; a grid cell without any ink is noted as blank paper.

Each character keeps its confidence (:class:`OcrChar`); the cells built from them carry the lowest
(``Cell.confidence``), so the table reader marks a value whose digits the engine was unsure of as
uncertain (P214). Results are cached on disk by document SHA-256 and engine/model/settings version
(:func:`cache_dir`), so checking a scan again never runs OCR again.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Optional

from ..config import DEFAULT, Settings
from .ocr_cache import Cache, Seed, cache_dir, cache_key, engine_version, seeded  # noqa: F401 (public here)
from .pdf.extract import PageContent, Rule
from .pdf.lines import Char, chars_to_lines

PIPELINE = 9  # bump when anything here changes what a page yields (invalidates the cache)
INSTALL_HINT = "pip install 'nianbao[ocr]'"


class OcrChar(Char):
    """A recognised character: a :class:`Char` with the engine's confidence (0–1)."""

    __slots__ = ("conf",)

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float, conf: float = 1.0):
        super().__init__(text, x0, top, x1, bottom)
        self.conf = conf


def available() -> bool:
    """Whether the OCR extra (rapidocr-onnxruntime, OpenCV) is installed."""
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:  # ImportError, or OpenCV without its system libraries (libGL)
        return False
    return True


def scan_pages(data) -> int:
    """How many pages of ``data`` OCR may have to read, judged from the bytes alone (the parent
    of the workers never parses an input): an image file is one page (a TIFF one per frame mark);
    a PDF without any font is a scan, one page per page object; anything else 0."""
    import re
    if not isinstance(data, (bytes, bytearray)):
        return 0
    from . import JPEG_SIGNATURE, PDF_SIGNATURE, PNG_SIGNATURE, TIFF_SIGNATURES
    if data.startswith((PNG_SIGNATURE, JPEG_SIGNATURE)):
        return 1
    if data.startswith(TIFF_SIGNATURES):
        return max(1, min(data.count(b"\x00\x01\x11\x01"), 500))  # rough: strip offsets tags
    if data.startswith(PDF_SIGNATURE) and b"/Font" not in data:
        return max(1, len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)))
    return 0


# ---------------------------------------------------------------- engine

_ENGINES: dict = {}
_LOCK = threading.Lock()


def engine(settings: Settings = DEFAULT):
    """The rapidocr engine of this process for ``settings.ocr_threads`` threads (made once)."""
    threads = int(settings.ocr_threads)
    with _LOCK:
        eng = _ENGINES.get(threads)
        if eng is None:
            import logging

            from rapidocr_onnxruntime import RapidOCR
            logging.getLogger("RapidOCR").setLevel(logging.WARNING)
            eng = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)
            eng.text_det.limit_type, eng.text_det.limit_side_len = "min", 32  # we size the input
            # no 320-pixel minimum width per line: a lone "0" is recognised at its own width
            eng.text_rec.rec_image_shape = [3, 48, 48]
            _ENGINES[threads] = eng
    return eng


@dataclass
class OcrPage(PageContent):
    """A page read by OCR: a :class:`PageContent` with the boxes (points) of its table cells
    that show no ink at all, and of its tables whose grid the image gave incomplete
    (:func:`.grid_image.broken_grids`)."""

    blank: list = field(default_factory=list)
    broken: list = field(default_factory=list)


def page_content(page: dict, number: int, settings: Settings = DEFAULT) -> OcrPage:
    """Cached page data → the :class:`PageContent` the PDF layout reads."""
    chars = [OcrChar(t, x0, top, x1, bottom, conf) for t, x0, top, x1, bottom, conf in page["chars"]]
    rules = [Rule(bool(h), pos, start, end) for h, pos, start, end in page["rules"]]
    return OcrPage(number, page["height"], chars_to_lines(chars, settings), rules, page.get("blank", []),
                   page.get("broken", []))


# ---------------------------------------------------------------- one page

def recognise(image, settings: Settings = DEFAULT, dpi: Optional[float] = None) -> dict:
    """OCR of one page image (a BGR or grey ``numpy`` array): ``{"height", "width", "chars":
    [[text, x0, top, x1, bottom, conf]], "rules": [[horizontal, pos, start, end]], "angle",
    "turned"}`` in PDF points. ``dpi``: the image's resolution; unknown (None), the page is taken
    to be A4-wide (595 pt) and the image is brought to ``ocr_dpi``."""
    import cv2
    import numpy as np

    from . import grid_image as gi

    gray = gi.remove_seal(np.asarray(image))
    h, w = gray.shape[:2]
    target = settings.ocr_dpi
    if dpi is None:
        dpi = w / (595 / 72) if w <= h else w / (842 / 72)  # A4, portrait or landscape
    if abs(dpi - target) > 5:  # bring the image to the resolution the engine reads best at
        f = target / dpi
        gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)
        dpi = target
    eng = engine(settings)
    boxes = _detect(eng, gray, settings)
    turned = _orientation(eng, gray, boxes)
    if turned:
        gray = cv2.rotate(gray, {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
                                 270: cv2.ROTATE_90_COUNTERCLOCKWISE}[turned])
        boxes = _detect(eng, gray, settings)
    angle = gi.skew_angle(gray)
    if angle == 0.0 and len(boxes):
        angle = _text_skew(boxes)
    if abs(angle) >= 0.1:
        gray, m = gi.rotate(gray, angle)
        if len(boxes):
            pts = boxes.reshape(-1, 2)
            boxes = (np.hstack([pts, np.ones((len(pts), 1))]) @ m.T).reshape(-1, 4, 2)
    scale = 72.0 / dpi
    heights = boxes[:, :, 1].max(axis=1) - boxes[:, :, 1].min(axis=1) if len(boxes) else []
    rules, clean = gi.find_rules(gray, scale, float(np.median(heights)) if len(heights) else 0.0)
    boxes = gi.split_at_rules(boxes, rules, scale)
    from .pdf.grids import rules_to_grids
    grids = rules_to_grids(rules, settings)
    broken = gi.broken_grids(grids, rules, settings.snap)
    chars = _read_lines(eng, gray, clean, boxes, scale, [g.bbox for g in grids])
    found, blank = _read_empty_cells(eng, clean, grids, chars, scale)
    chars += found
    return {"height": float(gray.shape[0] * scale), "width": float(gray.shape[1] * scale),
            "chars": [[c.text] + [round(float(v), 2) for v in (c.x0, c.top, c.x1, c.bottom)] + [round(float(c.conf), 4)]
                      for c in chars],
            "rules": [[int(r.horizontal)] + [round(float(v), 2) for v in (r.pos, r.start, r.end)] for r in rules],
            "blank": [[round(float(v), 2) for v in box] for box in blank],
            "broken": [[round(float(v), 2) for v in box[:4]] + [int(box[4])] for box in broken],
            "angle": round(float(angle), 3), "turned": turned}


def _detect(eng, gray, settings: Settings):
    """Text line boxes (n × 4 × 2: top-left, top-right, bottom-right, bottom-left) in ``gray``'s
    pixels, detected on a copy whose longest side is ``ocr_det_side``."""
    import cv2
    import numpy as np
    h, w = gray.shape[:2]
    f = min(1.0, settings.ocr_det_side / max(h, w))
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    boxes, _ = eng.text_det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    if boxes is None or len(boxes) == 0:
        return np.zeros((0, 4, 2), dtype=np.float64)
    return np.asarray(boxes, dtype=np.float64) / f


def _crop(gray, box, pad: int = 2):
    """The box's piece of the page cut to its ink, with a white margin of a quarter of the ink
    height round it (the recogniser reads lines whose text fills most of their height; ink
    outside the box, a neighbouring row's, stays out), as a BGR image, and its rectangle in page
    pixels (the ink's, widened by the margin)."""
    import cv2
    import numpy as np
    h, w = gray.shape[:2]
    x0, y0 = np.floor(box.min(axis=0)).astype(int) - pad
    x1, y1 = np.ceil(box.max(axis=0)).astype(int) + pad
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1 - x0 < 3 or y1 - y0 < 3:
        return None, None
    piece = gray[y0:y1, x0:x1]
    lo, hi = int(piece.min()), int(piece.max())
    ys, xs = np.nonzero(piece < min(160, lo + 0.5 * (hi - lo)))
    if len(xs) and hi - lo > 40:
        ix0, ix1, iy0, iy1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
        m = max(2, (iy1 - iy0) // 4)
        a0, b0 = max(ix0 - m, 0), max(iy0 - m, 0)
        a1, b1 = min(ix1 + m, piece.shape[1]), min(iy1 + m, piece.shape[0])
        piece = cv2.copyMakeBorder(piece[b0:b1, a0:a1], b0 - (iy0 - m), iy1 + m - b1, a0 - (ix0 - m),
                                   ix1 + m - a1, cv2.BORDER_CONSTANT, value=hi)
        x0, y0, x1, y1 = x0 + ix0 - m, y0 + iy0 - m, x0 + ix1 + m, y0 + iy1 + m
    return cv2.cvtColor(piece, cv2.COLOR_GRAY2BGR), (x0, y0, x1, y1)


def _orientation(eng, gray, boxes) -> int:
    """Degrees (0, 90, 180, 270) to turn the page clockwise to make it upright: lines taller than
    wide mean a quarter turn; the angle classifier on the longest lines decides which way."""
    import cv2
    import numpy as np
    if len(boxes) < 3:
        return 0
    wh = [(np.linalg.norm(b[1] - b[0]), np.linalg.norm(b[3] - b[0])) for b in boxes]
    long = [i for i, (bw, bh) in enumerate(wh) if max(bw, bh) >= 3 * min(bw, bh)]
    if not long:
        return 0
    vertical = sum(1 for i in long if wh[i][1] > wh[i][0]) > len(long) / 2
    sample = sorted(long, key=lambda i: -max(wh[i]))[:12]
    crops = []
    h, w = gray.shape[:2]
    for i in sample:  # the box as detected (the classifier reads a line with its surroundings)
        x0, y0 = np.maximum(np.floor(boxes[i].min(axis=0)).astype(int) - 2, 0)
        x1, y1 = np.ceil(boxes[i].max(axis=0)).astype(int) + 2
        crop = cv2.cvtColor(gray[y0:min(y1, h), x0:min(x1, w)], cv2.COLOR_GRAY2BGR)
        if crop.shape[0] >= 3 and crop.shape[1] >= 3:
            crops.append(cv2.rotate(crop, cv2.ROTATE_90_CLOCKWISE) if vertical else crop)
    if not crops:
        return 0
    _, labels, _ = eng.text_cls(crops)
    flipped = sum(1 for label, score in labels if label == "180" and score > 0.7)
    upright = sum(1 for label, score in labels if label == "0" and score > 0.7)
    upside_down = flipped > upright
    if vertical:
        return 270 if upside_down else 90
    return 180 if upside_down else 0


def _text_skew(boxes) -> float:
    """Median angle (degrees, positive: down to the right) of the long text lines' top edges."""
    import math

    import numpy as np
    angles = []
    for b in boxes:
        dx, dy = b[1] - b[0]
        if dx > 4 * np.linalg.norm(b[3] - b[0]):
            angles.append(math.degrees(math.atan2(dy, dx)))
    return float(np.median(angles)) if len(angles) >= 3 else 0.0


# a line none of whose characters the engine is even this sure of is not text (a blot, a bar):
# dropped; a table cell left with that ink is then uncertain (mark_confidence)
GARBAGE = 0.5
BLANK_DOTS = 3  # ink pixels a grid cell may show (JPEG specks) and still be blank paper

_DIGITLIKE = frozenset("0123456789０１２３４５６７８９oO〇○。°lI|,.，%")
_NUMERIC = "0123456789.,"


def _recognise_crops(eng, crops: list) -> list:
    """(text, per-char centres as fractions of the crop width, per-char confidences) per crop.

    Greedy CTC decoding of the recogniser's per-column probabilities; each character's confidence
    is its best column's probability. A crop read as digits and digit look-alikes only (``o`` for
    ``0``, ``l`` for ``1``: a lone number in a table cell has no context) is decoded again over the
    digits alone, each confidence then relative to the digits' probabilities (a ``3`` the engine
    took for an ``8`` as readily stays unsure).
    """
    import numpy as np
    if not crops:
        return []
    rec = eng.text_rec
    alphabet = rec.postprocess_op.character
    numeric = [alphabet.index(ch) for ch in _NUMERIC if ch in alphabet]
    _, img_h, img_w = rec.rec_image_shape
    ratios = [c.shape[1] / float(c.shape[0]) for c in crops]
    order = np.argsort(ratios)
    out: list = [("", [], [])] * len(crops)
    batch = rec.rec_batch_num
    for start in range(0, len(crops), batch):
        idx = order[start:start + batch]
        widest = max([img_w / img_h] + [ratios[i] for i in idx])
        norm = np.concatenate([rec.resize_norm_img(crops[i], widest)[np.newaxis, :] for i in idx]).astype(np.float32)
        preds = rec.session(norm)[0]  # batch × columns × classes (softmax)
        for k, i in enumerate(idx):
            probs = preds[k]
            used = max(1.0, probs.shape[0] * ratios[i] / widest)  # columns covering the crop
            text, cols, confs, runs = _greedy(probs, alphabet)
            if text and all(ch in _DIGITLIKE for ch in text):
                text, confs = _as_digits(probs, runs, numeric, alphabet)
            out[i] = (text, [min(1.0, (c + 0.5) / used) for c in cols], confs)
    return out


def _greedy(probs, alphabet) -> tuple:
    """Greedy CTC decoding: (text, column of each char, confidence of each char, the columns of
    each char); class 0 is the blank, a run of one class is one character."""
    best = probs.argmax(axis=1)
    text, cols, confs, runs = [], [], [], []
    prev = 0
    for t, c in enumerate(best.tolist()):
        if c != prev and c != 0:
            text.append(alphabet[c])
            cols.append(t)
            confs.append(float(probs[t, c]))
            runs.append([t])
        elif c == prev and c != 0:
            confs[-1] = max(confs[-1], float(probs[t, c]))
            runs[-1].append(t)
        prev = c
    return "".join(text), cols, confs, runs


_LOOKALIKE = {"0": "0０oO〇○。", "1": "1１lI|"}


_GROUPS: dict = {}


def _digit_groups(numeric: tuple, alphabet) -> list:
    """Each number character with the alphabet indices of its look-alikes (made once)."""
    key = (numeric, id(alphabet))
    groups = _GROUPS.get(key)
    if groups is None:
        groups = []
        for j in numeric:
            ch = alphabet[j]
            same = _LOOKALIKE.get(ch, ch + (chr(ord(ch) + 0xFEE0) if ch.isdigit() else ""))
            groups.append((ch, [k for k, a in enumerate(alphabet) if a in same]))
        _GROUPS[key] = groups
    return groups


def _as_digits(probs, runs: list, numeric: list, alphabet) -> tuple:
    """Each character (its run of columns) read again as the likeliest number character, a digit
    taking the probability of its look-alikes (``o`` for ``0``, ``l`` for ``1``, full-width forms);
    its confidence is that summed probability."""
    groups = _digit_groups(tuple(numeric), alphabet)
    text, confs = [], []
    for run in runs:
        best, conf = "", -1.0
        for ch, members in groups:
            p = float(probs[run][:, members].sum(axis=1).max())
            if p > conf:
                best, conf = ch, p
        text.append(best)
        confs.append(conf)
    return "".join(text), confs


def _chars_of(text: str, centres: list, confs: list, rect: tuple, scale: float) -> list:
    """A recognised line's box split into per-character boxes around the decoder's positions:
    a character is as wide as its kind (CJK one em, others half), and touches its neighbour
    unless the two stand apart by more than a third of an em (a gap the reader should see). The
    boxes are as tall as the line's ink."""
    x0, y0, x1, y1 = rect
    width, height = x1 - x0, y1 - y0
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    xs = [x0 + centres[i] * width for i in keep]
    halves = [(0.34 if ord(text[i]) > 0x2E80 else 0.2) * height for i in keep]  # height: 1.5 × the ink's
    top, bottom = y0 + height / 6, y1 - height / 6  # the ink's: two lines of one cell stay apart
    chars = []
    for k, i in enumerate(keep):
        left, right = xs[k] - halves[k], xs[k] + halves[k]
        if k > 0 and xs[k] - xs[k - 1] < halves[k] + halves[k - 1] + height / 3:
            left = (xs[k - 1] + xs[k]) / 2
        if k + 1 < len(xs) and xs[k + 1] - xs[k] < halves[k] + halves[k + 1] + height / 3:
            right = (xs[k] + xs[k + 1]) / 2
        chars.append(OcrChar(text[i], left * scale, top * scale, right * scale, bottom * scale, confs[i]))
    return chars


def _read_lines(eng, gray, clean, boxes, scale: float, tables: list) -> list:
    """The characters of the text line ``boxes``: read from the page with its rules painted out
    (``clean``) inside a table (``tables``: grid boxes in points), from the page as it is
    outside (a title's long strokes taken for a rule are not painted out of it)."""
    crops, rects = [], []
    for b in boxes:
        x, y = b.mean(axis=0) * scale
        inside = any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in tables)
        crop, rect = _crop(clean if inside else gray, b)
        if crop is not None:
            crops.append(crop)
            rects.append(rect)
    return _read_crops(eng, crops, rects, scale)


def _read_crops(eng, crops: list, rects: list, scale: float) -> list:
    """The characters recognised in ``crops`` (taken at ``rects``), garbage lines left out."""
    chars = []
    for (text, centres, confs), rect in zip(_recognise_crops(eng, crops), rects):
        if text.strip() and max(confs) >= GARBAGE:
            chars.extend(_chars_of(text, centres, confs, rect, scale))
    return chars


def _read_empty_cells(eng, gray, grids: list, chars: list, scale: float) -> tuple:
    """Recognise the grid cells that hold ink but no recognised character: (their characters,
    the boxes in points of the cells without any ink — blank on paper, not a digit missed)."""
    import cv2
    import numpy as np

    from . import grid_image as gi
    if not grids:
        return [], []
    ink = gi.binarise(gray)
    centres = [((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2) for c in chars]
    crops, rects, blank = [], [], []
    for grid in grids:
        for gc in grid.cells:
            bx0, btop, bx1, bbottom = gc.bbox
            px = [int(round(v / scale)) for v in gc.bbox]
            inside = [c for c, (x, y) in zip(chars, centres) if bx0 < x < bx1 and btop < y < bbottom]
            if inside:
                _unread_ink(ink, px, inside, scale)
                continue
            area = ink[px[1] + 3:px[3] - 2, px[0] + 3:px[2] - 2]
            if area.size == 0:
                continue
            dots = cv2.countNonZero(area)
            if dots <= BLANK_DOTS:
                blank.append(gc.bbox)
            if dots < 12:
                continue
            ys, xs = np.nonzero(area)
            box = np.array([[xs.min(), ys.min()], [xs.max(), ys.max()]], dtype=np.float64) + [px[0] + 3, px[1] + 3]
            if box[1][1] - box[0][1] < 5:  # a speck or a stray line end, not a character
                continue
            crop, rect = _crop(gray, box, pad=4)
            if crop is not None:
                crops.append(crop)
                rects.append(rect)
    return _read_crops(eng, crops, rects, scale), blank


def _unread_ink(ink, px: list, inside: list, scale: float) -> None:
    """Ink in a cell beside the characters recognised in it (a digit the engine dropped, a blot)
    leaves the cell's reading in doubt: its characters' confidence drops to 0.5 at most."""
    import cv2
    import numpy as np
    area = ink[px[1] + 3:px[3] - 2, px[0] + 3:px[2] - 2]
    if area.size == 0:
        return
    area = cv2.morphologyEx(area, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))  # JPEG specks
    xs = np.nonzero(area.any(axis=0))[0]
    if not len(xs):
        return
    height = float(np.median([c.bottom - c.top for c in inside])) / scale
    left = min(c.x0 for c in inside) / scale - px[0] - 3
    right = max(c.x1 for c in inside) / scale - px[0] - 3
    if xs.min() < left - 0.3 * height or xs.max() > right + 0.3 * height:  # height: the ink's
        for c in inside:
            c.conf = min(c.conf, 0.5)


# ---------------------------------------------------------------- documents

def ocr_pages(data: bytes, images: list, settings: Settings = DEFAULT) -> list:
    """:class:`PageContent` of each ``(index, number, make_image, dpi)`` in ``images`` (``make_image()``
    renders the page only when the cache does not hold it), through the document's cache."""
    cache = Cache(data, settings)
    pages = []
    for index, number, make_image, dpi in images:
        page = cache.get(index)
        if page is None:
            page = recognise(make_image(), settings, dpi)
            cache.put(index, page)
        pages.append(page_content(page, number, settings))
    return pages


def mark_confidence(blocks: list, pages: list) -> list:
    """Give each cell on an OCR page the lowest confidence of the characters under it (``Cell.
    confidence``; cells of text-layer pages keep None). An empty table cell on an OCR page gets
    0 (a digit the engine missed is not a blank), unless the page shows no ink at all in it
    (``OcrPage.blank``): then 1, blank paper. A cell of a table whose grid the image gave
    incomplete (``OcrPage.broken``) gets 0: its value may belong to another row. Returns one P215
    per such table."""
    from ..model.codes import diag
    from ..model.document import Location
    found = []
    for page in pages:
        for *box, ends in getattr(page, "broken", []):
            found.append(diag("P215", Location(page=page.number, bbox=tuple(box)), page=page.number, ends=ends))
    by_page, blanks, broken = {}, {}, {}
    for page in pages:
        chars = [c for line in page.lines for c in line.chars]
        by_page[page.number] = chars
        blanks[page.number] = getattr(page, "blank", [])
        broken[page.number] = getattr(page, "broken", [])
    for block in blocks:
        for cell in block.cells:
            loc = cell.loc
            chars = by_page.get(loc.page)
            if chars is None or loc.bbox is None:
                continue
            x0, top, x1, bottom = loc.bbox
            x, y = (x0 + x1) / 2, (top + bottom) / 2
            if block.kind == "row" and any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in broken[loc.page]):
                cell.confidence = 0.0  # placed by a grid that may have merged rows
            elif not cell.text.strip():
                if block.kind == "row":
                    paper = any(b[0] < x < b[2] and b[1] < y < b[3] for b in blanks[loc.page])
                    cell.confidence = 1.0 if paper else 0.0
            else:
                confs = [c.conf for c in chars if x0 - 0.5 <= (c.x0 + c.x1) / 2 <= x1 + 0.5
                         and top - 0.5 <= (c.top + c.bottom) / 2 <= bottom + 0.5 and not c.text.isspace()]
                cell.confidence = round(min(confs), 4) if confs else 0.0
    return found
