"""The body of a Word document (``w:body`` of ``word/document.xml``) → blocks, in one pass.

The reader takes the elements it needs from one C-level, tag-filtered iteration over the parsed
body, in document order: ``w:t``, ``w:p``, ``w:tc``, ``w:tr``, ``w:tbl``, the cell and row
properties that move the grid, and the rare elements that change how a paragraph's text is read.
Every other element (runs, run properties, borders, shading …: most of the XML) costs no Python
at all, and a run costs one string. An element's end is not reported: a paragraph, cell, row or
table ends when an element that is not inside it comes (the open ones form a chain, body-most
first); a table is numbered when it starts (so a table nested in a cell comes after the one
holding it) and the rows of a nested table wait until the row holding it is out.

A paragraph's text is the text of the ``w:t`` elements after it up to the next paragraph or cell
that is read. When that is not certainly its own text — a tab, a line break, a non-breaking
hyphen, tracked deletions/moves or a ``mc:Fallback`` copy came, or the last ``w:t`` is not
inside it (text in no paragraph that is read) — the paragraph's subtree is walked instead
(:func:`para_segments`), as the recursive reader did for every paragraph.
"""
from __future__ import annotations

import itertools

from ..model.document import Block, Cell, line_location, table_row

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

W_DOCUMENT = _W + "document"
W_BODY = _W + "body"
W_P = _W + "p"
W_TBL = _W + "tbl"
W_TR = _W + "tr"
W_TC = _W + "tc"
W_T = _W + "t"
W_TAB = _W + "tab"
W_TABS = _W + "tabs"
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
W_TYPE = _W + "type"
W_DEL = _W + "del"
W_MOVEFROM = _W + "moveFrom"
MC_FALLBACK = _MC + "Fallback"

_SKIP = frozenset((W_DEL, W_MOVEFROM, MC_FALLBACK))
_TEXT_TAGS = (W_T, W_TAB, W_BR, W_CR, W_NBHYPHEN)
_WRAPPERS = frozenset((W_SDTCONTENT, W_CUSTOMXML))
_BREAKS = (None, "textWrapping", "page", "column")
# the elements the reader is given (nothing else reaches Python)
_TAGS = (W_T, W_P, W_TC, W_TR, W_TBL, W_GRIDSPAN, W_VMERGE, W_HMERGE, W_GRIDBEFORE,
         W_TAB, W_BR, W_CR, W_NBHYPHEN, W_DEL, W_MOVEFROM, MC_FALLBACK)


def int_val(el, default: int) -> int:
    """``w:val`` as an int: leading digits of a sloppy value, else ``default``."""
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


def container(el):
    """The element ``el`` belongs to, looking through content controls (``w:sdt``/``w:sdtContent``)
    and ``w:customXml``; None when ``el`` hangs anywhere else in an ``w:sdt``."""
    p = el.getparent()
    while p is not None:
        tag = p.tag
        if tag == W_SDTCONTENT:
            sdt = p.getparent()
            if sdt is None or sdt.tag != W_SDT or sdt.find(W_SDTCONTENT) is not p:
                return None
            p = sdt.getparent()
        elif tag == W_CUSTOMXML:
            p = p.getparent()
        else:
            return p
    return None


def _skipped(el, stop) -> bool:
    p = el.getparent()
    while p is not None and p is not stop:
        if p.tag in _SKIP:
            return True
        p = p.getparent()
    return False


def para_segments(p, in_cell: bool) -> list:
    """The paragraph's text, split at line breaks (in a cell: breaks join with nothing); text
    under ``w:del``/``w:moveFrom``/``mc:Fallback`` is left out, a ``w:tab`` of ``w:tabs`` (a tab
    stop) is no character. The full walk, for paragraphs where any of that occurs."""
    segs = []
    cur = []
    for el in p.iter(*_TEXT_TAGS):
        if _skipped(el, p):
            continue
        tag = el.tag
        if tag == W_T:
            if el.text:
                cur.append(el.text)
        elif tag == W_TAB:
            if el.getparent().tag != W_TABS:
                cur.append("\t")
        elif tag == W_NBHYPHEN:
            cur.append("-")
        elif not in_cell:  # w:br / w:cr
            if el.get(W_TYPE) in _BREAKS:
                segs.append("".join(cur))
                cur = []
    segs.append("".join(cur))
    return segs


# The chain of open tables, rows and cells (lists, for speed):
#   table [w:tbl, _TBL, number, sink (the blocks, or the holding row's `after`), rows so far]
#   row   [w:tr, _TR, table frame, row number, next grid column, cell texts, after (nested tables' rows),
#          cell columns]
#   cell  [w:tc, _TC, row frame, grid column, paragraph texts, merge continuation]
_TBL, _TR, _TC = range(3)


class _End:
    tag = None


_END = _End()  # after the last element of the body: everything open ends


def _within(el, p) -> bool:
    a = el.getparent()
    while a is not None:
        if a is p:
            return True
        a = a.getparent()
    return False


def _find(chain: list, el, kind: int) -> int:
    """Index of the open frame of ``el`` (of ``kind``) in the chain, else -1."""
    for i in range(len(chain) - 1, -1, -1):
        if chain[i][0] is el:
            return i if chain[i][1] == kind else -1
    return -1


def read_body(body, max_span: int) -> list:
    """The blocks of ``body`` (a ``w:body`` element) in reading order."""
    blocks: list = []
    chain: list = []
    npara = ntables = 0
    para = None  # the open paragraph that is read
    target = None  # its cell frame (None: a body paragraph)
    buf: list = []  # the texts of the w:t elements since it opened
    last = None  # the last of those w:t elements
    special = False  # a tab / break / deletion … came since it opened

    def pop_to(depth: int) -> None:
        """Close the frames above ``depth``: cells into their rows, rows into their tables' sinks."""
        while len(chain) > depth:
            frame = chain.pop()
            kind = frame[1]
            if kind == _TC:
                if not frame[5]:
                    row = frame[2]
                    parts = frame[4]
                    row[5].append("" if not parts else parts[0].strip() if len(parts) == 1 else "".join(parts).strip())
                    row[7].append(frame[3])
            elif kind == _TR:
                table = frame[2]
                if frame[5]:
                    table[3].append(table_row(table[2], frame[3], frame[5], frame[7]))
                if frame[6]:
                    table[3].extend(frame[6])

    for el in itertools.chain(body.iter(*_TAGS), (_END,)):
        tag = el.tag
        if tag == W_T:
            if para is not None:
                text = el.text
                if text:
                    buf.append(text)
                last = el
            continue
        # where the element belongs: `depth`, the frames that stay open (else it is not read)
        if tag == W_P:
            parent = el.getparent()
            if parent is body:
                depth = 0
            elif chain and parent is chain[-1][0] and chain[-1][1] == _TC:
                depth = len(chain)
            else:
                c = container(el) if parent.tag in _WRAPPERS else parent
                if c is body:
                    depth = 0
                else:
                    depth = _find(chain, c, _TC) + 1
                    if depth == 0:
                        continue  # not a paragraph that is read (in a text box: read with the one holding it)
        elif tag == W_TC:
            parent = el.getparent()
            n = len(chain)
            if n and parent is chain[-1][0] and chain[-1][1] == _TR:
                depth = n
            elif n > 1 and parent is chain[-2][0] and chain[-2][1] == _TR:
                depth = n - 1
            else:
                depth = _find(chain, container(el), _TR) + 1
                if depth == 0:
                    continue
        elif tag == W_TR:
            depth = _find(chain, container(el), _TBL) + 1
            if depth == 0:
                continue
        elif tag is None:  # the end of the body
            depth = 0
        elif tag == W_TBL:
            c = container(el)
            if c is body:
                depth = 0
            else:
                depth = _find(chain, c, _TC) + 1
                if depth == 0:
                    continue
        else:
            if tag == W_GRIDSPAN or tag == W_VMERGE or tag == W_HMERGE:
                pr = el.getparent()
                if pr.tag == W_TCPR:
                    i = _find(chain, container(pr), _TC)
                    if i >= 0:
                        cell = chain[i]
                        if tag == W_GRIDSPAN:
                            cell[2][4] = cell[3] + min(max(int_val(el, 1), 1), max_span)
                        elif el.get(W_VAL) != "restart":  # vMerge / hMerge continuation
                            cell[5] = True
            elif tag == W_GRIDBEFORE:
                pr = el.getparent()
                if pr.tag == W_TRPR:
                    i = _find(chain, container(pr), _TR)
                    if i >= 0:
                        chain[i][4] += max(int_val(el, 0), 0)
            elif para is not None and (tag != W_TAB or el.getparent().tag != W_TABS):
                special = True
            continue
        # a paragraph, cell, row or table that is read starts: the open paragraph ends
        if para is not None:
            if special or (last is not None and last.getparent().getparent() is not para
                           and not _within(last, para)):
                segs = para_segments(para, target is not None)
                if target is not None:
                    target[4].extend(segs)
                else:
                    for seg in segs:
                        seg = seg.strip()
                        if seg:
                            blocks.append(Block("para", [Cell(seg, line_location(npara))]))
            else:
                text = (buf[0] if len(buf) == 1 else "".join(buf)) if buf else ""
                if target is not None:
                    target[4].append(text)
                else:
                    text = text.strip()
                    if text:
                        blocks.append(Block("para", [Cell(text, line_location(npara))]))
            para = None
        if len(chain) > depth:
            pop_to(depth)
        if tag is None:
            break
        if tag == W_P:
            para, buf, last, special = el, [], None, False
            if depth:
                target = chain[-1]
            else:
                target = None
                npara += 1
        elif tag == W_TC:
            row = chain[-1]
            chain.append([el, _TC, row, row[4], [], False])
            row[4] += 1
        elif tag == W_TR:
            table = chain[-1]
            table[4] += 1
            chain.append([el, _TR, table, table[4], 1, [], [], []])
        else:  # w:tbl
            ntables += 1
            chain.append([el, _TBL, ntables, blocks if not depth else chain[-1][2][6], 0])
    return blocks
