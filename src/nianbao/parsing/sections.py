"""Find the six part headings (一、总体情况 … 六、其他需要报告的事项) in a document's paragraphs.

A heading is a part number (``一、`` / ``1、`` / ``（一）``) followed by that part's title words.
The number must agree with the title: ``（一）主动公开政府信息情况`` inside 总体情况 is a
subsection, not part 二; ``二、上年结转…`` inside table 三 is a row label, not a heading.

Headings that agree are found first. Then gaps are filled, in order, from weaker candidates that
start a paragraph and stand alone there: a title with a typo (a character added, dropped, changed or
two swapped), a number that disagrees with an unambiguous title (parts renumbered: 三 written
``二、``, 六 written ``五、``) in the document's own numbering style, or a bare title without number.
A weaker candidate is taken only between the found headings of the parts before and after it.
Text is folded for matching (Traditional → Simplified, pinyin glosses dropped).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from functools import lru_cache

from ..model.document import Line
from .normalise import edit_distance, fold_with_offsets, has_traditional, to_simplified

PART_TITLES = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}

_TITLE_RX = {
    1: r"(?:总体|基本|整体)情况|概述|总体概况",
    2: r"(?:政府)?主动公开(?:政府)?信息(?:的)?(?:工作)?情况",
    3: r"收到和处理(?:政府信息公开)?申请(?:的)?情况|(?:收到|受理)(?:和|及)?(?:处理)?(?:政府信息)?公开申请(?:的)?情况|依申请公开(?:政府信息)?(?:的)?(?:工作)?情况",
    4: r"(?:政府信息公开)?(?:被申请)?行政复议[、和及与]?(?:提起)?行政诉讼(?:的)?情况|(?:因政府信息公开)?(?:申请)?行政复议、?行政诉讼",
    5: r"(?:存在的?)?(?:主要)?问题(?:及|和|与|以及)?(?:其)?(?:改进|整改)(?:情况|措施|举措|计划|方向)?|存在的主要问题(?:及|和)?(?:改进)?(?:情况)?|主要问题(?:及|和)?(?:改进)?(?:情况)?",
    6: r"其他需要报告的?事项",
}
_NUMS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}

_HEADING = re.compile(  # (the lookahead lets the engine skip to the characters a number starts with)
    r"(?=[第一二三四五六1-6(（])(?P<num>第?[一二三四五六][、.．]|(?<![\d.])[1-6][、.．](?!\d)|[(（][一二三四五六1-6][)）])[ \t\u3000]*(?P<title>"
    + "|".join(f"(?P<t{k}>{v})" for k, v in _TITLE_RX.items()) + ")"
)


@dataclass(frozen=True)
class Heading:
    part: int
    block: int  # index of the block holding it
    start: int  # char offset of the heading in that block's first cell
    end: int  # char offset just after the title
    title: str


def _number(num: str) -> int:
    ch = num.strip("第、.．()（）")
    return _NUMS.get(ch) or int(ch)


def _style(num: str) -> str:
    """Numbering style: 'cn' 一、, 'ar' 1、, 'br' （一）/(1)."""
    if num[0] in "(（":
        return "br"
    return "ar" if num[0].isdigit() else "cn"


def _folded(text: str):
    folded, offsets = fold_with_offsets(text)
    return folded, offsets


# every part title holds one of these words (a paragraph without any, no bracket that may hold a
# pinyin gloss and no Traditional character has no heading)
_TITLE_WORD = re.compile("情况|概述|概况|问题|行政复议|事项")


def block_headings(text: str, block: int):
    """All number/title-consistent headings in one paragraph's text."""
    for part, s, e, title in (_text_headings(text) if len(text) <= 200 else _text_headings.__wrapped__(text)):
        yield Heading(part, block, s, e, title)


@lru_cache(maxsize=4096)
def _text_headings(text: str) -> tuple:
    """(part, start, end, title) of each heading in a paragraph's text (memoised for short texts:
    the same heading lines recur report after report)."""
    if _TITLE_WORD.search(text) is None and "(" not in text and "（" not in text and not has_traditional(text):
        return ()
    folded, offsets = _folded(text)
    out = []
    for m in _HEADING.finditer(folded):
        part = next(k for k in _TITLE_RX if m.group(f"t{k}"))
        if _number(m.group("num")) != part:
            continue
        s, e = offsets[m.start()], offsets[m.end()]
        out.append((part, s, e, text[s:e].strip()))
    return tuple(out)


# ---- weaker candidates: typos, renumbered parts, bare titles

_LEAD = re.compile(r"[ \t\u3000]*(?P<num>第?[一二三四五六][、.．]|[1-6][、.．](?!\d)|[(（][一二三四五六1-6][)）])?[ \t\u3000]*")
_TAIL_OK = re.compile(r"[ \t\u3000]*(?:[:：。.]|$)")
_FULL_TITLE = {k: re.compile(rf"(?:{v})") for k, v in _TITLE_RX.items()}
# the forms a typo is measured against (canonical titles and common wordings)
_FORMS = {
    1: ("总体情况",),
    2: ("主动公开政府信息情况", "政府主动公开信息情况"),
    3: ("收到和处理政府信息公开申请情况",),
    4: ("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议行政诉讼情况"),
    5: ("存在的主要问题及改进情况", "存在的主要问题及改进措施"),
    6: ("其他需要报告的事项",),
}


_FORM_CHARS = {f: set(f) for forms in _FORMS.values() for f in forms}
_ALL_TITLE_CHARS = frozenset().union(*_FORM_CHARS.values())


def _bound(title: str) -> int:
    return 1 if len(title) < 9 else 2


_LONGEST_FORM = max(len(f) + _bound(f) for forms in _FORMS.values() for f in forms)
_TERMINATOR = re.compile(r"[:：。.]")


def _tail_from(rest: str) -> int:
    """The least ``n`` at which ``_TAIL_OK.match(rest, n)`` may hold: where the line's trailing
    blanks begin, or the blanks before its first ``:：。.``."""
    end = len(rest) - 1 if rest.endswith("\n") else len(rest)
    while end and rest[end - 1] in " \t\u3000":
        end -= 1
    t = _TERMINATOR.search(rest, 0, end)
    if t is not None:
        k = t.start()
        while k and rest[k - 1] in " \t\u3000":
            k -= 1
        end = min(end, k)
    return end


def _approx_part(rest: str):
    """(part, length matched) when ``rest`` starts with a part title within a few edits, the title
    being alone on its line; the closest part, None when two parts are equally close."""
    if len(rest) < 3 or len(_ALL_TITLE_CHARS.intersection(rest[:20])) < 3:
        return None  # a number, a short label: no title within a few edits
    if _tail_from(rest) > _LONGEST_FORM:
        return None  # the line goes on past the longest title: no title alone on its line
    best = []
    for part, forms in _FORMS.items():
        for form in forms:
            bound = _bound(form)
            chars = _FORM_CHARS[form]
            if sum(c in chars for c in rest[: len(form) + bound]) < len(form) - 2 * bound:
                continue  # too few of the title's characters to be within ``bound`` edits
            for n in range(len(form) - bound, len(form) + bound + 1):
                if n <= 1 or n > len(rest) or not _TAIL_OK.match(rest, n):
                    continue
                d = edit_distance(rest[:n], form, bound)
                if d <= bound:
                    best.append((d, part, n))
    if not best:
        return None
    best.sort()
    d, part, n = best[0]
    if any(p != part and dd == d for dd, p, _ in best):
        return None
    return part, n


@lru_cache(maxsize=8192)
def _weak_line(text: str):
    """(part, number style or None, start, end) of a heading-like line, or None (memoised: the
    same short lines — row labels copied as lines — recur)."""
    if len(_ALL_TITLE_CHARS.intersection(to_simplified(text[:30]))) < 3:
        return None  # a number, a short label: no part title
    folded, offsets = _folded(text)
    if len(folded.strip()) > 40:
        return None
    m = _LEAD.match(folded)
    num = m.group("num")
    rest = folded[m.end():]
    hit = None
    for part, rx in _FULL_TITLE.items():
        t = rx.match(rest)
        if t and _TAIL_OK.match(rest, t.end()):
            if hit is not None and hit[0] != part:
                return None  # ambiguous
            hit = (part, t.end())
    exact = hit is not None
    if hit is None:
        hit = _approx_part(rest)
        if hit is None:
            return None
    part, n = hit
    if num is None:
        if not exact:
            return None  # a bare line with a typo is too weak
        style = None
    else:
        style = _style(num)
        agrees = _number(num) == part
        if not agrees and (not exact or abs(_number(num) - part) > 2):
            return None  # renumbered only when the title itself is exact
        if agrees and exact:
            return None  # found by the strict pass already
    s = offsets[len(folded) - len(folded.lstrip())]
    e = offsets[m.end() + n]
    return part, style, s, e


_NUMBER_MARK = re.compile("[、.．）)]")


def blocks_to_headings(blocks: list) -> list:
    """The part headings in order: for each part, the first heading after the previous part's."""
    # ("": no heading in a row; a text file's line is its own cell: :class:`~nianbao.model.document.Line`)
    texts = [(b.text if type(b) is Line else b.cells[0].text) if b.kind == "para" else "" for b in blocks]
    # the paragraphs holding a 、 . ． ） or ) (no other holds a numbered heading), found by one
    # search over their texts joined: a paragraph's place from the running ends of the texts
    joined = "".join(texts)
    ends = list(accumulate(map(len, texts)))
    search = _NUMBER_MARK.search
    found = []
    m = search(joined)
    while m is not None:
        k = bisect_right(ends, m.start())
        found.extend(block_headings(texts[k], k))
        m = search(joined, ends[k])
    result = []
    last = 0
    for h in found:  # already in document order
        if h.part > last:
            result.append(h)
            last = h.part
    if len(result) < 6:
        # heading-like lines (_weak_line), tested once per distinct text (rows copied as lines recur)
        hits = {text: _weak_hit(text) for text in dict.fromkeys(texts)}
        positive = {text for text, hit in hits.items() if hit is not None}
        weak = []
        if positive:
            for i, text in enumerate(texts):
                if text in positive:
                    part, style, s, e = hits[text]
                    weak.append((part, style, Heading(part, i, s, e, text[s:e].strip())))
        if weak:
            result = _fill_gaps(result, weak)
    return result


def _weak_hit(text: str):
    """:func:`_weak_line` of a paragraph's text, the long ones skipped."""
    if len(text) > 40 and (len(text.strip()) > 80 or "(" not in text and "（" not in text and len(text.strip()) > 40):
        return None
    return _weak_line(text)


def _fill_gaps(result: list, weak: list) -> list:
    """Add weaker candidates where a part is missing and the candidate sits between the headings
    found for the parts around it; a renumbered candidate must use the document's numbering style."""
    styles = set()
    for h in result:
        m = _LEAD.match(_folded(h.title)[0])
        if m and m.group("num"):
            styles.add(_style(m.group("num")))
    style = styles.pop() if len(styles) == 1 else "cn"
    have = {h.part for h in result}
    for part, st, h in weak:
        if part in have:
            continue
        if st is not None and st != style:
            continue
        before = [x for x in result if x.part < part]
        after = [x for x in result if x.part > part]
        pos = (h.block, h.start)
        if before and (before[-1].block, before[-1].start) >= pos:
            continue
        if after and (after[0].block, after[0].start) <= pos:
            continue
        result = sorted(result + [h], key=lambda x: x.part)
        have.add(part)
    return result
