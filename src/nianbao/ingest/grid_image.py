"""A scanned page image → a clean grey image, its skew, and the table's ruling lines.

Scans have no vector rules; the table grid is recovered from the pixels (OpenCV morphology): a
binary image opened with a long thin horizontal (vertical) kernel keeps only horizontal
(vertical) strokes longer than any character stroke; each connected piece is one ruling line.
The lines become :class:`~nianbao.ingest.pdf.extract.Rule` objects in PDF points, so the PDF
layout (``pdf.grids``) assigns the recognised text to cells by grid position, as for a PDF with a
text layer. A hairline rule that blur, noise and skew have faded where text crowds it is
recovered from the grey image: the rule inside a piece too thick to be one line, and the gaps
and ends of its pieces where the page shows a faint line up to a crossing rule. Red seals stamped over a table are filtered out by colour first (a seal is saturated
red; print is black or grey), and a slightly skewed page is turned straight by the angle of its
longest lines.
"""
from __future__ import annotations

import math

import cv2
import numpy as np

from .pdf.extract import Rule


def remove_seal(bgr: np.ndarray) -> np.ndarray:
    """A grey image of ``bgr`` in which red ink (seals, red headers) is paper white: reddish
    pixels take their red channel (red ink is bright there), the rest their luminance. Black print
    under a seal stays dark (it is dark in every channel)."""
    if bgr.ndim == 2:
        return bgr
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    b, g, r = (bgr[..., i].astype(np.int16) for i in range(3))
    red = (r - np.maximum(g, b)) > 15
    if red.any():
        gray = gray.copy()
        gray[red] = np.clip(r[red] + 40, 0, 255).astype(np.uint8)
    return gray


def binarise(gray: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0: adaptive threshold (uneven scan lighting, JPEG noise)."""
    block = max(15, (min(gray.shape) // 60) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def _line_masks(ink: np.ndarray, text_height: float) -> tuple:
    """Horizontal strokes longer than 1/30 of the page width and vertical ones longer than 0.8
    text heights (a dense table's row is hardly taller than its text); which of them are ruling
    lines :func:`table_lines` decides."""
    h, w = ink.shape
    kx, ky = max(20, w // 30), max(10, int(0.8 * text_height))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (kx, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, ky)))
    return horiz, vert


def skew_angle(gray: np.ndarray) -> float:
    """The page's skew in degrees (positive: the lines run down to the right as displayed; turning
    the page counter-clockwise by it, :func:`rotate`, straightens it), from its long horizontal
    lines; 0 when it has none."""
    ink = binarise(gray)
    h, w = ink.shape
    # short kernel: a skewed line is still a run of short horizontal pieces, joined by closing
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, w // 60), 1)))
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 5)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    angles, weights = [], []
    for i in range(1, n):
        x, y, cw, ch, area = stats[i]
        if cw < w / 4 or ch > cw * 0.06 + 8:
            continue
        ys, xs = np.nonzero(labels[y:y + ch, x:x + cw] == i)
        if len(xs) < 50:
            continue
        slope = np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0]
        angles.append(math.degrees(math.atan(slope)))
        weights.append(cw)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights, dtype=np.float64)[order])
    return float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])  # weighted median


def rotate(img: np.ndarray, degrees: float) -> tuple:
    """The image turned counter-clockwise by ``degrees`` about its centre (white fill), and the
    2×3 matrix mapping old pixel coordinates to new."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=255 if img.ndim == 2 else (255, 255, 255))
    return out, m


def table_lines(gray: np.ndarray, text_height: float = 0.0) -> tuple:
    """The ruling lines of a straight page image in pixels (``(horizontal, pos, start, end)``)
    and a mask of their pixels. ``text_height``: the usual height of a text line's box in pixels
    (0: unknown, taken as 1/60 of the page height).

    A horizontal line is a thin connected piece of the opened ink longer than 2.5 text heights
    (a big title character's stroke is shorter). A vertical piece is a ruling line when no ink
    but the horizontal rules touches it from the side (a character's stroke has strokes joined
    to it; strokes of characters in rows one under the other may chain into a long piece) and
    it is that long too, or it runs from one horizontal line to another and another such piece
    stands at its x (a dense table's column border, row after row, hardly taller than the text;
    a character's stroke may touch two rules, but not at a column's x row after row)."""
    h = gray.shape[0]
    text_height = text_height or h / 60
    ink = binarise(gray)
    horiz, vert = _line_masks(ink, text_height)
    # bridge the small breaks that blur and JPEG leave in a printed line
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 1)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 7)))
    thick, long = 6, 2.5 * text_height
    lines = []
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    keep = np.zeros(n, np.uint8)
    extra = np.zeros_like(horiz)
    for i in range(1, n):
        x, y, cw, ch, _ = stats[i]
        if ch <= thick and cw >= long:
            lines.append((True, y + ch / 2, x, x + cw))
            keep[i] = 255
        elif cw >= long:
            for pos, start, end in _rules_in(labels[y:y + ch, x:x + cw] == i, long, thick):
                lines.append((True, y + pos, x + start, x + end))
                extra[int(y + pos) - thick // 2:int(y + pos) + thick // 2 + 1, x + start:x + end] = 255
    mask = keep[labels] | cv2.bitwise_and(extra, horiz)

    def joins(x: float, y: float) -> bool:  # the point is on a horizontal line's ink
        x, y = int(x), int(y)
        return bool(mask[max(y - 1, 0):y + 2, max(x - 1, 0):x + 2].any())

    loose = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(mask, np.ones((5, 5), np.uint8))))  # ink but rules
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vert, connectivity=8)
    pieces = []  # (x, component, long)
    keep = np.zeros(n, np.uint8)
    for i in range(1, n):
        x, y, cw, ch, _ = stats[i]
        if cw > thick:
            continue
        if _strokes_beside(loose, x, y, cw, ch):
            continue
        if ch >= long:
            pieces.append((x + cw / 2, i, True))
        elif joins(x + cw / 2, y) and joins(x + cw / 2, y + ch - 1):
            pieces.append((x + cw / 2, i, False))
    for x, i, is_long in pieces:
        # a short piece is a column border when another piece stands at its x in another row
        if is_long or sum(1 for x2, _, _ in pieces if abs(x2 - x) <= 3) >= 2:
            _, y, cw, ch, _ = stats[i]
            lines.append((False, x, y, y + ch))
            keep[i] = 255
    mask |= keep[labels]
    lines = _fill_gaps(gray, lines, mask, 3 * text_height)
    return lines, cv2.dilate(mask, np.ones((3, 3), np.uint8))


def _fill_gaps(gray: np.ndarray, lines: list, mask: np.ndarray, most: float) -> list:
    """Lines joined across the gaps (up to ``most`` pixels) between two pieces at one position
    where the page shows a faint rule: a hairline, blurred, skewed and noisy, breaks where text
    crowds it (the opening cuts it, or the strokes make it too thick). A gap is a rule when,
    along nearly all of it, the darkest pixel within a pixel of the line is clearly darker than
    the paper three pixels off it on both sides; ``mask`` gets the joined pieces."""
    img = gray.astype(np.int16)
    out = []
    for horizontal in (True, False):
        group = sorted((l for l in lines if l[0] == horizontal), key=lambda l: l[1])
        clusters = []  # pieces at one position (within 2 pixels), in order along the line
        for line in group:
            if clusters and line[1] - clusters[-1][-1][1] <= 2:
                clusters[-1].append(line)
            else:
                clusters.append([line])
        merged = []
        for cluster in clusters:
            run = []
            for line in sorted(cluster, key=lambda l: l[2]):
                prev = run[-1] if run else None
                if prev and 0 <= line[2] - prev[3] <= most \
                        and _faint_rule(img, horizontal, (prev[1] + line[1]) / 2, prev[3], line[2]):
                    _paint(mask, horizontal, (prev[1] + line[1]) / 2, prev[3], line[2])
                    run[-1] = (horizontal, prev[1], prev[2], max(prev[3], line[3]))
                else:
                    run.append(line)
            merged.extend(run)
        out.extend(merged)
    for horizontal in (True, False, True):  # a piece's end short of a crossing line: reach it
        across = [l for l in out if l[0] != horizontal]
        done = []
        for kind, pos, start, end in out:
            if kind == horizontal:
                stops = [c[1] for c in across if c[2] - 3 <= pos <= c[3] + 3]
                after = [x for x in stops if x > end + 2]
                before = [x for x in stops if x < start - 2]
                if after and _faint_rule(img, horizontal, pos, end, min(after)):
                    _paint(mask, horizontal, pos, end, min(after))
                    end = min(after)
                if before and _faint_rule(img, horizontal, pos, max(before), start):
                    _paint(mask, horizontal, pos, max(before), start)
                    start = max(before)
            done.append((kind, pos, start, end))
        out = done
    return out


def _paint(mask: np.ndarray, horizontal: bool, pos: float, start: float, end: float) -> None:
    p, a, b = int(round(pos)), int(start), int(end) + 1
    if horizontal:
        mask[max(p - 1, 0):p + 2, a:b] = 255
    else:
        mask[a:b, max(p - 1, 0):p + 2] = 255


def _faint_rule(img: np.ndarray, horizontal: bool, pos: float, start: float, end: float,
                part: float = 0.9) -> bool:
    """Whether ``part`` of the stretch shows a line: the darkest pixel within a pixel of it
    clearly darker than the paper (or than the pixels four off it, text crowding it)."""
    return _darkness(img, horizontal, pos, start, end) >= part


def _darkness(img: np.ndarray, horizontal: bool, pos: float, start: float, end: float) -> float:
    a, b, p = int(start), int(end) + 1, int(round(pos))
    band = img if horizontal else img.T
    if b <= a:
        return 1.0
    if p - 4 < 0 or p + 5 > band.shape[0]:
        return 0.0
    line = band[p - 1:p + 2, a:b].min(axis=0)
    off = np.minimum(band[p - 4, a:b], band[p + 4, a:b])  # paper beside the line (or text)
    paper = np.median(np.concatenate([band[p - 4, a:b], band[p + 4, a:b]]))
    dark = (line < paper - 25) | (line < off - 25)
    return float(dark.mean())


def _rules_in(piece: np.ndarray, long: float, thick: int) -> list:
    """The ruling lines (``(pos, start, end)`` in the piece's pixels) inside a horizontal piece
    too tall to be one line: a hairline rule blurred into the strokes of the text lines just
    above and below it (a dense label column) forms one piece with them. A rule is a band of a
    few rows holding a run at least ``long`` wide; the rest (character strokes) is left out."""
    rows = piece.sum(axis=1)
    found = []
    taken = np.zeros(len(rows), bool)
    for r in np.argsort(-rows, kind="stable"):
        if rows[r] < long:
            break
        if taken[max(r - thick, 0):r + thick + 1].any():
            continue
        lo, hi = max(r - thick // 2, 0), min(r + thick // 2 + 1, len(rows))
        cols = piece[lo:hi].any(axis=0)
        # the longest run of the band's columns, bridging gaps of a few pixels
        best, start, gap = (0, 0, 0), None, 0
        for c, on in enumerate(np.append(cols, False)):
            if on:
                start = c if start is None else start
                gap, last = 0, c
            elif start is not None:
                gap += 1
                if gap > 4 or c == len(cols):
                    if last + 1 - start > best[0]:
                        best = (last + 1 - start, start, last + 1)
                    start, gap = None, 0
        if best[0] >= long:
            found.append((r + 0.5, best[1], best[2]))
            taken[lo:hi] = True
    return found


def _strokes_beside(ink: np.ndarray, x: int, y: int, cw: int, ch: int) -> bool:
    """Whether ink touches the vertical piece from the side along its length (ends left out):
    a character's stroke has strokes joined to it, a cell border has only the rules at its
    ends."""
    y0, y1 = y + 4, y + ch - 4
    if y1 <= y0:
        return False
    left = ink[y0:y1, max(x - 4, 0):max(x - 1, 0)]
    right = ink[y0:y1, x + cw + 1:x + cw + 4]
    rows = (left.any(axis=1) if left.size else np.zeros(y1 - y0, bool)) | \
        (right.any(axis=1) if right.size else np.zeros(y1 - y0, bool))
    return bool(rows.mean() > 0.2)


def find_rules(gray: np.ndarray, scale: float, text_height: float = 0.0) -> tuple:
    """The ruling lines as :class:`Rule` s in points (``scale``: points per pixel) and the page
    with those lines painted paper white (a number close to a cell border is then read without
    the border: ``0`` and a line read as ``%``). ``text_height``: as for :func:`table_lines`."""
    lines, mask = table_lines(gray, text_height)
    rules = [Rule(h, pos * scale, start * scale, end * scale) for h, pos, start, end in lines]
    clean = gray
    if lines:
        clean = gray.copy()
        clean[mask > 0] = 255
    return rules, clean


def loose_ends(rules: list, tol: float) -> list:
    """The ends (``(x, y)``) of ruling lines that stop on no crossing line (within ``tol``): in
    a table every rule runs from one border to another, so a rule ending in the middle of a cell
    is one the image lost part of (a faded hairline), and the grid built from it may have merged
    rows or columns."""
    out = []
    for r in rules:
        for end in (r.start, r.end):
            if not any(o.horizontal != r.horizontal and abs(o.pos - end) <= tol
                       and o.start - tol <= r.pos <= o.end + tol for o in rules):
                out.append((end, r.pos) if r.horizontal else (r.pos, end))
    return out


def broken_grids(grids: list, rules: list, tol: float, most: int = 4) -> list:
    """``(x0, top, x1, bottom, n)``: the box of each of the ``grids`` holding ``n`` ≥ ``most``
    :func:`loose_ends` of ``rules`` inside it: grids whose cells cannot be trusted to be the
    table's (a stray underline in a cell has two ends)."""
    ends = loose_ends(rules, tol)
    out = []
    for g in grids:
        x0, top, x1, bottom = g.bbox
        n = sum(1 for x, y in ends if x0 + tol < x < x1 - tol and top + tol < y < bottom - tol)
        if n >= most:
            out.append((x0, top, x1, bottom, n))
    return out


def split_at_rules(boxes, rules: list, scale: float):
    """Boxes (as rectangles) cut where a ruling line crosses them: the detector may take two
    numbers of neighbouring cells (side by side, or one over the other) for one line, or reach
    over a cell border into the next row. ``boxes``: n × 4 × 2 pixel corners; ``scale``: points
    per pixel of the rules. A line counts when it runs along most of the box; a piece too thin
    to hold a character (the box's edge beyond a border) is dropped."""
    if not rules or not len(boxes):
        return boxes
    hs = [(r.pos / scale, r.start / scale, r.end / scale) for r in rules if r.horizontal]
    vs = [(r.pos / scale, r.start / scale, r.end / scale) for r in rules if not r.horizontal]

    def cuts(lo, hi, a, b, lines):
        return sorted(p for p, s, e in lines if lo < p < hi and min(e, b) - max(s, a) >= 0.6 * (b - a))

    out = []
    for box in boxes:
        x0, y0 = box.min(axis=0)
        x1, y1 = box.max(axis=0)
        ys = [y0] + cuts(y0, y1, x0, x1, hs) + [y1]
        ys = [(ya, yb) for ya, yb in zip(ys, ys[1:]) if yb - ya >= max(6.0, 0.25 * (y1 - y0))]
        for ya, yb in ys:
            xs = [x0] + cuts(x0, x1, ya, yb, vs) + [x1]
            for xa, xb in zip(xs, xs[1:]):
                if xb - xa >= 0.4 * (yb - ya):
                    out.append(np.array([[xa, ya], [xb, ya], [xb, yb], [xa, yb]], dtype=np.float64))
    return np.asarray(out).reshape(-1, 4, 2)
