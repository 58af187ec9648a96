"""Markup that would make the HTML tree builder superlinear, refused before it is parsed.

The HTML5 tree builder (Lexbor, like every browser) does work per tag in proportion to the
elements still open: scope checks walk the stack of open elements, formatting elements are
compared with the list of active ones and re-opened (cloned) after every block that closed them.
Real pages stay shallow (depth 10–40, a handful of open ``<font>``); 20,000 unclosed ``<div>``
take 0.5 s, 2,000 unclosed ``<font a=N><p>`` 0.6 s (and a tree of 2 million clones), growing
with the square.

In three tiers, the cheap ones first (``n`` = the number of ``<``, counted in bulk with a bound on
the formatting start tags: :func:`_counts`):

- ``n`` ≤ :data:`FREE_TAGS`: parsed as is (the worst such page measured: ~0.3 s).
- ``n`` ≤ :data:`MID_TAGS` and (formatting start tags) × ``n`` ≤ :data:`FORMAT_BUDGET` (one
  regular-expression count): parsed as is (stack walks alone stay under ~0.3 s).
- otherwise the tags are scanned one by one (linear, about a Lexbor parse's time): the open
  elements are counted as the tree builder keeps them, roughly — elements that close their
  predecessors (``p``, ``li``, table parts, ...) and void elements do not nest — and the page is
  refused (``too-deep``) when they nest deeper than ``max_html_depth`` or the work they imply
  (open elements summed over the tags, formatting elements weighted by the clones they cause;
  at most three alike — same tag and attributes — are kept open, as the tree builder does)
  passes :data:`WORK_BUDGET` plus :data:`WORK_PER_TAG` per tag.
"""
from __future__ import annotations

import re

from ...errors import InputError

FREE_TAGS = 2000
MID_TAGS = 16000
FORMAT_BUDGET = 2_000_000
WORK_BUDGET = 60_000_000  # ~0.15 s of scope walks (≈ 2.5 ns per open element and tag)
WORK_PER_TAG = 50  # and 50 open elements per tag on average (Lexbor itself spends ~100 steps a tag)
CLONE_WEIGHT = 100  # a re-opened formatting element costs ~100 scope-walk steps

_FORMAT_TAG = re.compile(rb"<(?:[abisu]|big|code|em|font|nobr|small|strike|strong|tt)[\s>/]")  # on lower-cased bytes
# start and end tags, but not the most common ones that never nest (table cells and rows,
# paragraphs, list items, line breaks, images: skipped in C, never seen by the loop)
_TAG = re.compile(rb"<(/?)(?!(?:td|tr|th|p|li|br|img)[\s/>])([a-z][a-z0-9:]*)")  # on lower-cased bytes
# a formatting start tag with its attributes as written
_FORMAT_FULL = re.compile(rb"<(?:[abisu]|big|code|em|font|nobr|small|strike|strong|tt)(?=[\s>/])[^>]*>", re.I)

# never open after their start tag
_VOID = b"area base basefont bgsound br col embed frame hr image img input keygen link meta param source track wbr"
# closed by the next of their kind (or by their container): they do not pile up
_SELF_CLOSING = b"p li dt dd option optgroup tr td th thead tbody tfoot caption colgroup rb rt rp rtc html head body"
# re-opened (cloned) after each block that closed them while they are unclosed
_FORMATTING = b"a b big code em font i nobr s small strike strong tt u"
# scope boundaries: a check walking the open elements stops at them
_BOUNDARY = b"table td th caption applet marquee object template"
_IGNORED, _FORMAT, _BOUND, _NEST = 0, 1, 2, 3
_KIND = {}
for _names, _kind in ((_VOID, _IGNORED), (_SELF_CLOSING, _IGNORED), (_FORMATTING, _FORMAT), (_BOUNDARY, _BOUND),
                      (b"div span section article ul ol dl blockquote center form h1 h2 h3 h4 h5 h6", _NEST)):
    for _n in _names.split():
        _KIND[_n] = _kind


_LUT = None  # (first byte | 0x20) << 8 | second byte after a "<" → it may open a formatting tag


def _counts(raw: bytes) -> tuple:
    """``(the number of "<", at least the number of formatting start tags)``, in bulk (numpy):
    a "<" counts when the two bytes after it begin one (``<b>``, ``<b ``, ``<fo``, ``<st`` …:
    a few other tags — ``<form``, ``<style``, ``<col`` — count too). The exact count
    (:data:`_FORMAT_TAG`) is made only when this bound does not settle the budget."""
    global _LUT
    import numpy as np
    if _LUT is None:
        lut = np.zeros(65536, bool)
        for c in b"abisu":
            for t in b" \t\n\r\f\v>/":  # (what [\s>/] matches)
                lut[(c << 8) | t] = True
        for w in (b"big", b"code", b"em", b"font", b"nobr", b"small", b"strike", b"strong", b"tt"):
            lut[(w[0] << 8) | w[1]] = lut[(w[0] << 8) | (w[1] ^ 0x20)] = True
        _LUT = lut
    lt = np.flatnonzero(np.frombuffer(raw, np.uint8) == 60)
    padded = np.frombuffer(raw + b"\0\0", np.uint8)
    key = ((padded[lt + 1] | 0x20).astype(np.uint16) << 8) | padded[lt + 2]
    return len(lt), int(np.count_nonzero(_LUT[key]))


def _refuse(depth: int) -> InputError:
    return InputError("too-deep", reason=f"标签嵌套超过 {depth} 层", detail=f"tags nested deeper than {depth} levels")


def _refuse_open(n: int) -> InputError:
    return InputError("too-deep", reason=f"未闭合的标签过多（{n} 个），解析代价超出上限",
                      detail=f"too many unclosed tags ({n}): parsing would cost more than the cap")


def check_nesting(raw: bytes, max_depth: int) -> None:
    """Raise ``InputError("too-deep")`` for markup that nests deeper than ``max_depth`` or
    whose open elements would cost the tree builder more than its budget (:data:`WORK_BUDGET`
    plus :data:`WORK_PER_TAG` per tag: linear in the page's size)."""
    if len(raw) <= FREE_TAGS:
        return
    n, fmt_bound = _counts(raw)
    if n <= FREE_TAGS:
        return
    if n <= MID_TAGS and fmt_bound * n <= FORMAT_BUDGET:
        return
    low = raw.lower()
    if n <= MID_TAGS and len(_FORMAT_TAG.findall(low)) * n <= FORMAT_BUDGET:
        return
    # the active formatting elements hold at most 3 alike (same tag and attributes: "Noah's Ark"):
    # 3 × the distinct formatting start tags, counted when 3 are open (at least 1 exists then)
    fmt_cap = 3
    fmt_counted = False
    budget = WORK_BUDGET + WORK_PER_TAG * n
    names: list = []  # open nesting elements, innermost last
    scopes: list = []  # per open element: elements open above the nearest boundary, it included
    scope = 0
    fmt = 0  # unclosed formatting elements
    work = 0
    kinds = _KIND
    for slash, name in _TAG.findall(low):
        kind = kinds.get(name, _NEST)
        if slash:
            if kind == _NEST or kind == _BOUND:
                # the innermost open element of that name closes, with what is open inside it
                if names and names[-1] == name:
                    names.pop()
                    scopes.pop()
                    scope = scopes[-1] if scopes else 0
                else:
                    tail = names[-64:]
                    if name in tail:
                        i = len(names) - 1 - tail[::-1].index(name)
                        del names[i:], scopes[i:]
                        scope = scopes[-1] if scopes else 0
            elif kind == _FORMAT and fmt:
                fmt -= 1
            continue
        work += scope + fmt * CLONE_WEIGHT
        if kind == _FORMAT:
            if fmt == 3 and not fmt_counted:
                fmt_cap = 3 * len(set(_FORMAT_FULL.findall(raw)))
                fmt_counted = True
            if fmt < fmt_cap:
                fmt += 1
        elif kind != _IGNORED:
            scope = 0 if kind == _BOUND else scope + 1
            names.append(name)
            scopes.append(scope)
            if len(names) > max_depth:
                raise _refuse(max_depth)
            if work > budget:
                raise _refuse_open(len(names) + fmt)
    if work > budget:
        raise _refuse_open(len(names) + fmt)
