"""A text-layer page's characters as arrays, laid out in bulk (numpy).

The same lines as :func:`.lines.chars_to_lines` and :class:`.lines.Line` make from
:class:`~.lines.Char` objects — same grouping, same order, same texts, gaps and boxes, the same
floating-point operations — computed over all characters of a page at once instead of one Python
object per character: a text-layer page has hundreds of characters and the per-character Python
work was most of the reader's cost. A line keeps the indices of its characters and makes
:class:`~.lines.Char` objects only when some step asks for them (a line split into columns).
OCR and OFD pages, which come as ``Char`` objects, take the object path; both give equal lines.
"""
from __future__ import annotations

import numpy as np

from ...config import DEFAULT, Settings
from .lines import Char, Line, _join_measure


class PageChars:
    """The ink characters of one page in content order: their text and loose boxes (top-left
    origin), as arrays."""

    __slots__ = ("text", "cp", "x0", "top", "x1", "bottom", "h", "_objects")

    def __init__(self, cp: np.ndarray, x0: np.ndarray, top: np.ndarray, x1: np.ndarray, bottom: np.ndarray):
        self.cp = np.ascontiguousarray(cp, dtype=np.uint32)
        self.text = self.cp.tobytes().decode("utf-32-le")
        self.x0, self.top, self.x1, self.bottom = x0, top, x1, bottom
        self.h = bottom - top  # Char.height
        self._objects = None

    def __len__(self) -> int:
        return len(self.cp)

    def chars(self, idx) -> list:
        """:class:`Char` objects of the characters at ``idx``."""
        lists = self._objects
        if lists is None:
            lists = self._objects = (self.text, self.x0.tolist(), self.top.tolist(), self.x1.tolist(),
                                     self.bottom.tolist())
        text, x0, top, x1, bottom = lists
        return [Char(text[i], x0[i], top[i], x1[i], bottom[i]) for i in idx.tolist()]


def page_lines(src: PageChars, settings: Settings = DEFAULT) -> list:
    """The page's lines, as :func:`.lines.chars_to_lines` makes them from its chars."""
    if not len(src):
        return []
    order, starts, _ = group(src)
    return measure(src, order, starts, settings)


def pages_lines(src: PageChars, owner: np.ndarray, pages: int, settings: Settings = DEFAULT) -> list:
    """The lines of each of ``pages`` pages, as :func:`page_lines` gives them, made for all the
    pages at once (the bulk steps cost per call as much as per character); ``owner``: the page
    of each char. The lines share ``src``."""
    out: list = [[] for _ in range(pages)]
    if len(src):
        order, starts, parts = group(src, None, owner)
        for k, line in zip(parts, measure(src, order, starts, settings)):
            out[k].append(line)
    return out


def group(src: PageChars, idx=None, part=None) -> tuple:
    """Group the characters ``idx`` (all, by default; in the order given) into lines as
    :func:`.lines.chars_to_lines` does, separately for each value of ``part`` (a key per
    character: its grid cell) when given.

    Returns ``(order, starts, parts)``: the characters line by line (lines top to bottom, each
    left to right), where each line starts in ``order``, and each line's part (None without
    ``part``).
    """
    if idx is None and part is None:
        order = np.argsort(src.top, kind="stable")
    elif idx is None:
        order = _sort_within(src.top, part)
        part = part[order]
    elif part is None:
        order = idx[np.argsort(src.top[idx], kind="stable")]
    else:
        perm = _sort_within(src.top[idx], part)
        order, part = idx[perm], part[perm]
    t, b = src.top[order], src.bottom[order]
    n = len(order)
    mid = (t + b) * 0.5
    h = b - t
    reach = 0.45 * np.where(h > 1.0, h, 1.0)  # the most a char may lie below its line's centre
    # A char starts a line for sure when it lies lower than that below every char before it (the
    # running centre is never below them); between two such chars, a stretch of characters is
    # one line when each lies within reach of the mean of those before it, by a margin far
    # over the rounding of a running mean. Other stretches are scanned char by char.
    shifted = mid
    if part is not None:  # each part above all parts before it: the running maximum restarts
        new_part = np.concatenate(([False], part[1:] != part[:-1]))
        shifted = mid + (np.ptp(mid) + 2.0) * np.cumsum(new_part)
    brk = np.empty(n, dtype=bool)
    brk[0] = True
    np.greater(shifted[1:] - np.maximum.accumulate(shifted)[:-1], reach[1:] + 1e-6, out=brk[1:])
    if part is not None:
        brk |= new_part
    starts = np.flatnonzero(brk)
    seg = np.cumsum(brk) - 1  # the stretch of each char
    first = starts[seg]
    sums = np.cumsum(mid)
    before = sums - mid - np.where(first > 0, sums[first - 1], 0.0)  # sum of mids from the stretch start
    count = np.arange(n) - first
    lim = 0.45 * np.maximum(np.minimum(h, h[first]), 1.0) - 1e-6
    ok = (count == 0) | (mid * count - before <= lim * count)
    gid = seg if ok.all() else _scan(mid.tolist(), h.tolist(), brk, ok)
    perm = _sort_within(src.x0[order], gid)
    order = order[perm]
    gid = gid[perm]
    starts = np.flatnonzero(np.concatenate(([True], gid[1:] != gid[:-1])))
    return order, starts, (part[perm][starts].tolist() if part is not None else None)


def _sort_within(x: np.ndarray, gid: np.ndarray) -> np.ndarray:
    """``np.lexsort((x, gid))`` (by ``gid``, then ``x``, then position), sorting twice with stable
    sorts: a radix sort for ``gid`` when its values are small (the usual case) is far quicker."""
    by_x = np.argsort(x, kind="stable")
    g = gid[by_x]
    if len(g) and 0 <= g.min() and g.max() < 65536:
        g = g.astype(np.uint16)
    return by_x[np.argsort(g, kind="stable")]


def _scan(mid: list, height: list, brk: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Line numbers of the chars (sorted by top), as :func:`.lines.chars_to_lines` finds them:
    the stretches that failed the bulk test (``ok``) are scanned char by char."""
    seg = np.cumsum(brk) - 1
    bad = set(seg[~ok].tolist())
    gid = np.empty(len(mid), dtype=np.intp)
    starts = np.flatnonzero(brk).tolist() + [len(mid)]
    g = -1
    for k in range(len(starts) - 1):
        a, e = starts[k], starts[k + 1]
        g += 1
        if k not in bad:
            gid[a:e] = g
            continue
        centre, size, n = mid[a], height[a], 1
        gid[a] = g
        for j in range(a + 1, e):
            m, h = mid[j], height[j]
            h = h if h < size else size
            if m - centre <= 0.45 * (h if h > 1.0 else 1.0):
                n += 1
                centre += (m - centre) / n
            else:
                g += 1
                centre, size, n = m, height[j], 1
            gid[j] = g
    return gid


def measure(src: PageChars, order: np.ndarray, starts: np.ndarray, settings: Settings = DEFAULT,
            sized: bool = True) -> list:
    """:class:`Line` objects of the runs ``order[starts[i]:starts[i + 1]]`` (each sorted left to
    right), with what :func:`.lines._join_measure` gives: overprinted copies dropped, the text
    with its spaces, the widest gap and the box. ``sized``: the median character height of a
    line of several sizes now, else when asked (lines in grid cells seldom need it)."""
    n = len(order)
    if n == 0:
        return []
    cp, x0, x1, h = src.cp[order], src.x0[order], src.x1[order], src.h[order]
    inner = np.ones(n, dtype=bool)  # not the first char of its line
    inner[starts] = False
    em = np.minimum(h[:-1], h[1:])
    np.maximum(em, 1.0, out=em)
    gap = np.zeros(n)
    np.subtract(x0[1:], x1[:-1], out=gap[1:])
    gap[1:] /= em
    gap[~inner] = 0.0
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:]
    ends[-1] = n
    # a char printed again over itself (fake bold, shadow): such lines take the object path
    over = (cp[1:] == cp[:-1]) & (x0[1:] - x0[:-1] < 0.3 * (x1[:-1] - x0[:-1])) & inner[1:]
    overprinted = set((np.searchsorted(starts, np.flatnonzero(over) + 1, side="right") - 1).tolist()) \
        if over.any() else ()
    spaced = np.flatnonzero((gap > settings.space_gap) & inner)
    if len(spaced):  # no space between two CJK chars
        both = (np.searchsorted(_CJK_BOUNDS, cp[spaced - 1], side="right") & 1) \
            & (np.searchsorted(_CJK_BOUNDS, cp[spaced], side="right") & 1)
        spaced = spaced[both == 0]
    if len(spaced):  # the text of all the lines with their spaces, in one piece
        full = np.insert(cp, spaced, 32).tobytes().decode("utf-32-le")
        t_starts = starts + np.searchsorted(spaced, starts)
        t_ends = ends + np.searchsorted(spaced, ends)
    else:
        full = cp.tobytes().decode("utf-32-le")
        t_starts, t_ends = starts, ends
    stats = np.empty((7, len(starts)))
    np.fmax.reduceat(gap, starts, out=stats[0])
    np.fmin.reduceat(src.top[order], starts, out=stats[1])
    np.fmax.reduceat(src.bottom[order], starts, out=stats[2])
    np.fmax.reduceat(x1, starts, out=stats[3])
    stats[4] = x0[starts]
    stats[5] = x1[ends - 1]
    stats[6] = h[ends - 1]
    hmin = np.minimum.reduceat(h, starts)
    sizes = hmin.tolist()
    for i in np.flatnonzero(hmin != np.maximum.reduceat(h, starts)).tolist():  # a line of several sizes:
        if sized:  # the median height
            heights = sorted(h[starts[i]:ends[i]].tolist())
            sizes[i] = heights[len(heights) // 2]
        else:  # when asked (see .layout.line_size)
            sizes[i] = None
    widest, tops, bottoms, rights, lefts, last_x1, last_h = stats.tolist()
    s_list, e_list = starts.tolist(), ends.tolist()
    texts = [full[a:b] for a, b in zip(t_starts.tolist(), t_ends.tolist())]
    idxs = [order[a:b] for a, b in zip(s_list, e_list)]
    new = Line.__new__
    lines = []
    append = lines.append
    for text, idx, w, top, bbox, size, count, tail in zip(texts, idxs, widest, tops, zip(lefts, tops, rights, bottoms),
                                                         sizes, (ends - starts).tolist(), zip(last_x1, last_h)):
        ln = new(Line)
        ln._chars = None
        ln._src = src
        ln._idx = idx
        ln.text = text
        ln.widest = w
        ln.top = top
        ln.bbox = bbox
        ln.size = size
        ln.count = count
        ln.tail = tail
        append(ln)
    for i in overprinted:
        lines[i] = _object_line(src, idxs[i], settings)
    return lines


# code points where CJK-wide runs (see .lines.is_cjk_char) start and end: a code point is CJK-wide
# when an odd number of these are at or below it
_CJK_BOUNDS = np.array([0x2014, 0x2015, 0x2018, 0x201A, 0x201C, 0x201E, 0x2026, 0x2027, 0x2E80, 0xA000,
                        0xF900, 0xFB00, 0xFE30, 0xFE50, 0xFF00, 0xFFF0, 0x20000, 0x40000], dtype=np.uint32)


def _object_line(src: PageChars, idx: np.ndarray, settings: Settings) -> Line:
    """A line with overprinted copies, made the object way; it keeps the indices of its chars."""
    chars = src.chars(idx)
    kept = _join_measure(chars, settings.space_gap)[0]
    line = Line(chars, settings)
    if len(kept) == len(chars):
        line._idx = idx
    else:
        at = {id(c): k for k, c in enumerate(chars)}
        line._idx = idx[[at[id(c)] for c in kept]]
    line._src = src
    return line


def assign(src: PageChars, pages: list, settings: Settings = DEFAULT) -> list:
    """:func:`.grids.assign_lines` for text-layer pages whose lines share ``src``, in one bulk
    pass: ``pages`` is ``[(grids, lines)]``; the characters of lines that reach into a grid of
    their page go to the cell under their centre (each cell gets its lines). Returns, per page,
    the lines outside the grids, a line cut by a grid keeping the chars left outside."""
    grids = [g for page_grids, _ in pages for g in page_grids]
    boxes = [g.bbox for g in grids]
    hit_lines, hit_flags = [], []  # (page, line) and the grids (of all pages) the line reaches
    first = 0
    for p, (page_grids, lines) in enumerate(pages):
        mine = boxes[first:first + len(page_grids)]
        before, after = [False] * first, [False] * (len(grids) - first - len(page_grids))
        for k, line in enumerate(lines):
            x0, top, x1, bottom = line.bbox
            flags = [b[0] < x1 and x0 < b[2] and b[1] < bottom and top < b[3] for b in mine]
            if any(flags):
                hit_lines.append((p, k))
                hit_flags.append(before + flags + after)
        first += len(page_grids)
    if not hit_lines:
        return [lines for _, lines in pages]
    idxs = [pages[p][1][k]._idx for p, k in hit_lines]
    idx = np.concatenate(idxs)
    which = np.repeat(np.arange(len(hit_lines)), [len(i) for i in idxs])
    flags = np.asarray(hit_flags, dtype=bool)[which]  # per char: the grids its line reaches
    cx = (src.x0[idx] + src.x1[idx]) * 0.5
    cy = (src.top[idx] + src.bottom[idx]) * 0.5
    cell = np.full(len(idx), -1, dtype=np.intp)
    base = 0
    for g, grid in enumerate(grids):
        gx0, gtop, gx1, gbottom = boxes[g]
        inside = flags[:, g] & (cell < 0) & (gx0 < cx) & (cx < gx1) & (gtop < cy) & (cy < gbottom)
        if inside.any():
            nc = len(grid.xs) - 1
            atom = (np.searchsorted(grid.ys, cy[inside], side="right") - 1) * nc \
                + np.searchsorted(grid.xs, cx[inside], side="right") - 1
            cell[inside] = base + np.asarray(grid.atom_cells, dtype=np.intp)[atom]
        base += len(grid.cells)
    cells = [gc for grid in grids for gc in grid.cells]
    placed = cell >= 0
    # the lines of each cell, then what is left outside of each line cut by a grid: one measure
    order, starts, parts = group(src, idx[placed], cell[placed]) if placed.any() else (idx[:0], idx[:0], [])
    keep = ~placed
    out_which = which[keep]
    out_starts = np.flatnonzero(np.concatenate(([True], out_which[1:] != out_which[:-1]))) if len(out_which) else \
        out_which
    made = measure(src, np.concatenate((order, idx[keep])), np.concatenate((starts, len(order) + out_starts)), settings,
                   sized=False)
    for k, line in zip(parts, made):
        gc = cells[k]
        if gc.lines is None:
            gc.lines = []
        gc.lines.append(line)
    cut = dict(zip((hit_lines[k] for k in out_which[out_starts].tolist()), made[len(parts):]))
    hit = set(hit_lines)
    return [[cut[(p, k)] if (p, k) in hit else line for k, line in enumerate(lines) if (p, k) not in hit or (p, k) in cut]
            for p, (_, lines) in enumerate(pages)]
