"""Markup that would make the HTML tree builder superlinear, refused before it is parsed.

The HTML5 tree builder (Lexbor, like every browser) does work per tag in proportion to the
elements still open: scope checks walk the stack of open elements, formatting elements are
compared against the list of active ones and re-opened (cloned) after every block that closed
them. Real pages stay shallow (depth 10–40, a handful of open ``<font>``); 20,000 unclosed
``<div>`` take 0.5 s and 3,000 unclosed ``<font a=N><p>`` 1.4 s, growing with the square.

A page with at most :data:`FREE_TAGS` ``<`` is parsed as is (the worst such page measured takes
under 0.6 s). A larger one is first scanned tag by tag (linear): the open elements are counted
as the tree builder would keep them, roughly — elements that close their predecessors
(``p``, ``li``, table parts, ...) and void elements do not nest — and the page is refused
(``too-deep``) when they nest deeper than the cap, or when the work they imply (open elements
summed over the tags, formatting elements weighted by the clones they cause) passes a budget.
"""
from __future__ import annotations

import re

from ...errors import InputError

FREE_TAGS = 4000  # pages with at most this many '<' are not scanned
WORK_BUDGET = 60_000_000  # ~0.15 s of scope walks (≈ 2.5 ns per open element and tag)
WORK_PER_TAG = 50  # and 50 open elements per tag on average (Lexbor itself spends ~100 steps a tag)
CLONE_WEIGHT = 100  # a re-opened formatting element costs ~100 scope-walk steps

_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:]*)")

# never open after their start tag
_VOID = frozenset(b"area base basefont bgsound br col embed frame hr image img input keygen link meta "
                  b"param source track wbr".split())
# closed by the next of their kind (or by their container): they do not pile up
_SELF_CLOSING = frozenset(b"p li dt dd option optgroup tr td th thead tbody tfoot caption colgroup "
                          b"rb rt rp rtc html head body".split())
# re-opened (cloned) after each block that closed them while they are unclosed
_FORMATTING = frozenset(b"a b big code em font i nobr s small strike strong tt u".split())
# scope boundaries: a check walking the open elements stops at them
_BOUNDARY = frozenset(b"table td th caption applet marquee object template".split())


def _refuse(depth: int) -> InputError:
    return InputError("too-deep", reason=f"标签嵌套超过 {depth} 层", detail=f"tags nested deeper than {depth} levels")


def check_nesting(raw: bytes, max_depth: int) -> None:
    """Raise ``InputError("too-deep")`` for markup that nests deeper than ``max_depth`` or
    whose open elements would cost the tree builder more than its budget (:data:`WORK_BUDGET`
    plus :data:`WORK_PER_TAG` per tag: linear in the page's size)."""
    n = raw.count(b"<")
    if n <= FREE_TAGS:
        return
    budget = WORK_BUDGET + WORK_PER_TAG * n
    names: list = []  # open nesting elements, innermost last
    scopes: list = []  # per open element: elements open above the nearest boundary, it included
    scope = 0
    fmt = 0  # unclosed formatting elements
    work = 0
    for slash, name in _TAG.findall(raw):
        name = name.lower()
        if slash:
            if name in _FORMATTING:
                if fmt:
                    fmt -= 1
            elif name not in _VOID and name not in _SELF_CLOSING:
                # the innermost open element of that name closes, with what is open inside it
                for i in range(len(names) - 1, max(-1, len(names) - 64), -1):
                    if names[i] == name:
                        del names[i:], scopes[i:]
                        scope = scopes[-1] if scopes else 0
                        break
            continue
        work += scope + fmt * CLONE_WEIGHT
        if name in _FORMATTING:
            fmt += 1
        elif name not in _VOID and name not in _SELF_CLOSING:
            scope = 0 if name in _BOUNDARY else scope + 1
            names.append(name)
            scopes.append(scope)
            if len(names) > max_depth:
                raise _refuse(max_depth)
        if work > budget:
            raise _refuse(max(len(names), fmt))
