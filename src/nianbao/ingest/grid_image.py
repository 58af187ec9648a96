"""A scanned page image → a clean grey image, its skew, and the table's ruling lines.

Scans have no vector rules; the table grid is recovered from the pixels (OpenCV morphology): a
binary image opened with a long thin horizontal (vertical) kernel keeps only horizontal
(vertical) strokes longer than any character stroke; each connected piece is one ruling line.
The lines become :class:`~nianbao.ingest.pdf.extract.Rule` objects in PDF points, so the PDF
layout (``pdf.grids``) assigns the recognised text to cells by grid position, as for a PDF with a
text layer. Red seals stamped over a table are filtered out by colour first (a seal is saturated
red; print is black or grey), and a slightly skewed page is turned straight by the angle of its
longest lines.
"""
from __future__ import annotations

import math

import cv2
import numpy as np

from .pdf.extract import Rule


def remove_seal(bgr: np.ndarray) -> np.ndarray:
    """A grey image of ``bgr`` with saturated red and other strongly coloured ink (seals, red
    headers) turned to paper white; black print under a seal stays (it is dark, not red)."""
    if bgr.ndim == 2:
        return bgr
    b, g, r = (bgr[..., i].astype(np.int16) for i in range(3))
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    red = (r - np.maximum(g, b) > 40) & (r > 90)
    if red.any():
        gray = gray.copy()
        gray[red] = 255
    return gray


def binarise(gray: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0: adaptive threshold (uneven scan lighting, JPEG noise)."""
    block = max(15, (min(gray.shape) // 60) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def _line_masks(ink: np.ndarray, fraction: int = 30) -> tuple:
    h, w = ink.shape
    kx, ky = max(20, w // fraction), max(20, h // (fraction * 2))
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


def find_rules(gray: np.ndarray, scale: float) -> list:
    """Ruling lines of a straight page image as :class:`Rule` s in points (``scale``: points per
    pixel). A line is a connected piece of the opened horizontal (vertical) ink at least 1/30 of
    the page wide (1/60 of its height) and thin."""
    ink = binarise(gray)
    horiz, vert = _line_masks(ink)
    # bridge the small breaks that blur and JPEG leave in a printed line
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 1)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 7)))
    rules = []
    h, w = ink.shape
    thick = max(6, round(6 / (scale * 2)))  # a ruling line is at most ~3 pt thick
    for mask, horizontal in ((horiz, True), (vert, False)):
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, cw, ch, _ = stats[i]
            if horizontal and ch <= thick:
                rules.append(Rule(True, (y + ch / 2) * scale, x * scale, (x + cw) * scale))
            elif not horizontal and cw <= thick:
                rules.append(Rule(False, (x + cw / 2) * scale, y * scale, (y + ch) * scale))
    return rules


def ink_boxes(gray: np.ndarray, rules_px: list) -> np.ndarray:
    """The binary ink of the page with the ruling lines taken out (for checking that an empty
    cell is really empty)."""
    ink = binarise(gray)
    horiz, vert = _line_masks(ink)
    lines = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((5, 5), np.uint8))
    return cv2.bitwise_and(ink, cv2.bitwise_not(lines))
