"""Report metadata: title, publishing body (agency), statistics year, template."""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Optional

from .normalise import fold_with_offsets, normalise_label, strip_pinyin, to_halfwidth

# the title's closing words: 政府信息公开工作年度报告 and its variants, with characters dropped or
# swapped (信息公开 must all be there, in any order)
_CORE = r"(?P<core>[政府务信息公开工作年度的]{4,14})(?:报告|年报)"
_TITLE = re.compile(
    r"(?P<pre>[^。；;,，、\n]{0,60}?)(?P<year>(?:19|20)\d{2})年度?(?P<mid>[^。；;,，、\n]{0,40}?)" + _CORE)
# 政府信息公开工作2021年度报告: the year inside the closing words
_TITLE_LATE = re.compile(
    r"(?P<pre>[^。；;,，、\n]{0,60}?)(?:政府|政务)?信息公开(?:工作)?(?P<year>(?:19|20)\d{2})年度?(?:工作)?(?:报告|年报)")
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})年")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_PREFIX = re.compile(r"^.*[:：>＞/|]|^\s*(?:关于|印发)")
# a sentence's verb before the title it quotes: 现将X…报告, 特向社会公布X…报告, 编制并向社会公布X…
_VERB = re.compile(r"^.*(?:现将|特将|公布|公开|发布|印发|编制|制作|形成|关于)")
_SENTENCE_VERB = re.compile(r"现将|特将|公布|发布|编制|制作|形成|现予|进行")
_SELF = re.compile(r"^(?:我|本|该|全|各|贵|此|其|上述|以下)")
_GENERIC = re.compile(r"^(?:省|市|区|县|镇|乡|街道)?(?:人民政府|政府|局|委|委员会|办公室|街道|镇|乡|单位|机关|部门|本级)$")
_BAD = re.compile(r"[《》\d%。,，;；:：!?“”\"]|条例|规定|通知|要求|报告|情况|根据|按照|依据|做好|信息公开")
_SUFFIX = re.compile(r"(?:局|委员会|委|办|办公室|办公厅|办事处|街道|镇|乡|苏木|嘎查|村|社区|政府|中心|区|县|市|旗|州|盟|省|"
                     r"院|厅|部|署|所|站|队|馆|会|处|公司|集团|园|场|岛|府)$")
_OFFICE = re.compile(r"(?:党政综合办公室|党政办公室|综合办公室|党政办|综合办|政务公开办公室|政务公开办|办公室|办公厅|"
                     r"党政综合办|信息公开办|综合科|秘书科|办公科)$")


_SPACE = re.compile(r"\s")


class _Squeezed:
    """The offsets of a text with its whitespace removed: for each character of the squeezed text
    (plus its end), the offset in the original text, computed when asked (a bisection over the
    whitespace positions) instead of a list as long as the text. Indexable like that list
    (``[i]``, ``[-1]``, ``[a:]``)."""

    __slots__ = ("base", "shift", "size", "start")

    def __init__(self, base, shift: list, size: int, start: int = 0):
        self.base = base  # offsets of the text before squeezing (a range or a list)
        self.shift = shift  # for the k-th whitespace character: the characters kept before it
        self.size = size  # entries: squeezed length + 1
        self.start = start

    def __getitem__(self, i):
        if isinstance(i, slice):
            if i.stop is not None or i.step is not None:
                raise TypeError("only [a:] slices")
            a = i.start or 0
            a = max(0, a + self.size - self.start) if a < 0 else min(a, self.size - self.start)
            return _Squeezed(self.base, self.shift, self.size, self.start + a)
        n = self.size - self.start
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        j = self.start + i
        return self.base[j + bisect_right(self.shift, j)]

    def __len__(self):
        return self.size - self.start


def _prep(text: str):
    """Text folded for matching (Simplified, no pinyin glosses, half-width, no whitespace, years in
    Chinese numerals as digits) and, for each of its characters plus the end, the offset in ``text``."""
    folded, offsets = fold_with_offsets(text or "")
    folded = to_halfwidth(folded)
    if "年" in folded and _CN_YEAR.search(folded):
        folded = _CN_YEAR.sub(lambda m: m.group(1).translate(_CN_DIGITS) + "年", folded)
    spaces = [m.start() for m in _SPACE.finditer(folded)]
    if not spaces:
        return folded, offsets
    squeezed = _SPACE.sub("", folded)
    return squeezed, _Squeezed(offsets, [w - k for k, w in enumerate(spaces)], len(squeezed) + 1)


def _original(text: str, offsets, s: int, e: int) -> str:
    """The text as written between folded offsets s and e, without whitespace, half-width."""
    if s >= e:
        return ""
    return re.sub(r"\s+", "", to_halfwidth(strip_pinyin(text[offsets[s]: offsets[e - 1] + 1])))


class Meta:
    """Title, agency and year with the clue each came from (``title`` when from a title line)."""

    def __init__(self):
        self.title = self.agency = self.year = None
        self.agency_clue = self.year_clue = None

    def offer(self, clue, agency=None, year=None, title=None):
        if agency and self.agency is None:
            self.agency, self.agency_clue = agency, clue
        if year and self.year is None:
            self.year, self.year_clue = year, clue
        if title and self.title is None:
            self.title = title

    def done(self):
        return self.agency is not None and self.year is not None


def _agency_at(text, offsets, folded, s, e, *, verb=False, suffix=False):
    """The body's name between folded offsets s and e, cleaned and checked, or ''."""
    seg = folded[s:e]
    cut = _PREFIX.match(seg)
    if cut:
        s += cut.end()
        seg = folded[s:e]
    if verb:
        cut = _VERB.match(seg)
        if cut:
            s += cut.end()
            seg = folded[s:e]
    while seg and seg[0] in "《》“”\"'（）()【】[]·-—_|向将":
        s, seg = s + 1, seg[1:]
    while seg and seg[-1] in "《》“”\"'（）()【】[]·-—_|":
        e, seg = e - 1, seg[:-1]
    for tail in ("关于", "的"):
        if seg.endswith(tail):
            e, seg = e - len(tail), seg[: -len(tail)]
    if not _valid_agency(seg) or (suffix and not _SUFFIX.search(seg)):
        return ""
    return _original(text, offsets, s, e)


def _valid_agency(name: str) -> bool:
    """A body's name, not a pronoun (我局, 本机关), a bare 区政府 or a piece of a sentence."""
    return (2 <= len(name) <= 40 and not _SELF.match(name) and not _GENERIC.match(name)
            and not _BAD.search(name))


# where a title's year lies: at most 60 characters after the start of a _TITLE match (after its
# ``pre``), at most 62 after the start of a _TITLE_LATE one; neither is longer than 122 characters
_TITLE_YEAR = re.compile(r"(?:19|20)\d{2}年")
_TITLE_LATE_YEAR = re.compile(r"信息公开(?:工作)?(?:19|20)\d{2}年")
_TITLE_RUNS = ((_TITLE, _TITLE_YEAR, 60, 122), (_TITLE_LATE, _TITLE_LATE_YEAR, 62, 78))


def _finditer_near(rx, anchor, text: str, before: int, longest: int):
    """``rx.finditer(text)`` for a pattern whose every match is at most ``longest`` characters long
    and holds a match of ``anchor`` starting at most ``before`` characters after its own start:
    the pattern is tried only in a window around each anchor (a pattern that opens with a lazy
    ``.{0,60}?`` costs sixty steps at every position of a long text otherwise). A match that
    starts at or before its anchor fits its window whole, so it is the one the whole text gives."""
    pos = 0
    while True:
        a = anchor.search(text, pos)
        if a is None:
            return
        at = a.start()
        m = rx.search(text, max(pos, at - before), at + longest + 1)
        if m is not None and m.start() <= at:
            yield m
            pos = max(m.end(), m.start() + 1)
        else:
            pos = at + 1


def _title_matches(folded):
    if "报告" not in folded and "年报" not in folded:
        return  # every title ends in one of them
    for rx, anchor, before, longest in _TITLE_RUNS:
        for m in _finditer_near(rx, anchor, folded, before, longest):
            core = m.groupdict().get("core")
            if core is not None and not set("信息公开") <= set(core):
                continue
            yield m


def find_title(texts, fallback: Optional[str] = None):
    """The report title among the first paragraphs, else ``fallback`` (HTML <title> …).

    Returns (title, agency, year) — any may be None.
    """
    meta = find_metadata(texts, (), fallback, title_only=True)
    return meta.title, meta.agency, meta.year


def _title_lines(meta, texts, prep=_prep):
    """Clue ``title``: a short paragraph that is the title (or its second half, the body's name
    on the line before)."""
    for i, text in enumerate(texts):  # prepared as reached: the title is mostly on the first lines
        folded, offsets = prep(text)
        if len(folded) > 80:
            continue
        for m in _title_matches(folded):
            if _PREFIX.sub("", folded[: m.start()]) or len(_PREFIX.sub("", folded[: m.start("year")])) > 40:
                continue  # the title inside a sentence
            if _SENTENCE_VERB.search(folded[m.start("pre"): m.end("pre")]) or "。" in folded[m.end():] or len(folded) - m.end() > 30:
                continue
            text = texts[i]
            agency = _agency_at(text, offsets, folded, m.start("pre"), m.end("pre"))
            if not agency and "mid" in m.groupdict():
                agency = _agency_at(text, offsets, folded, m.start("mid"), m.end("mid"))
            title = re.sub(r"^标题\s*[:：]\s*", "", text[offsets[m.start()]: offsets[m.end() - 1] + 1].strip())
            if not agency and i > 0 and not _PREFIX.sub("", folded[m.start("pre"): m.end("pre")]).strip("关于"):
                # title broken over two lines: the body's name on the line before
                pf, po = prep(texts[i - 1])
                if 2 <= len(pf) <= 40 and not re.search(r"[。,;:]", pf):
                    agency = _agency_at(texts[i - 1], po, pf, 0, len(pf))
                    if agency:
                        title = agency + title
            meta.offer("title", agency or None, int(m.group("year")), title)
            if meta.agency:
                return


_QUOTED = re.compile(r"《(?P<q>[^《》]{4,80}?(?:报告|年报))》")
_COMPILED_BY = re.compile(r"由(?P<a>[^。;,，、由]{2,40}?)(?:负责)?(?:编制|编写|制作|发布)")
_OPENING = re.compile(
    r"(?:^|[。;])(?:\(?[一二三四五六七八九十\d]+[)、.]?)?[^。;,]{0,12}?(?P<year>(?:19|20)\d{2})年(?:度|全年|以来)?,?"
    r"(?:在[^。;,]{2,40}?(?:下|中),)?(?P<a>[^。;,、《》]{2,60})")
_OPENING_VERB = re.compile(
    r"认真|严格|坚持|全面|深入|持续|积极|紧紧|紧密|按照|根据|依据|始终|围绕|高度重视|进一步|继续|扎实|不断|"
    r"共|全年|累计|通过|主动|贯彻|落实|切实|在|以|为|出台|发布|公开|制定|立足|着力|聚焦|牢固|结合|大力|坚决|"
    r"对|把|将|按|依|于|新|收到|受理|未|无|政府信息|政务公开|信息公开")
# 现将穆寨街道办事处2021年度信息公开工作的总体情况…报告如下
_SENTENCE_YEAR = re.compile(
    r"(?:现将|特将|现向社会公布|特向社会公布|向社会公布|现予公布|现公布|现公开|现发布|编制并公布)"
    r"(?P<a>[^。;,、《》]{2,40}?)(?P<year>(?:19|20)\d{2})年度?(?:的)?(?:政府|政务)?(?:信息公开|政务公开)")
_CONTACT = re.compile(r"(?:请与|请联系|联系单位[:：]?)(?P<a>[^。;,，、()]{2,40}?)(?:联系|[(,，。]|$)")
_PERIOD = re.compile(
    r"统计(?:期限|时限|时间|期间|区间|范围|起止时间|口径)?[^。;]{0,12}?(?:自|从|为|是|:)?[^。;\d]{0,6}?"
    r"(?P<year>(?:19|20)\d{2})年?1月1?日?")
_YEAR = re.compile(r"(?=[12])(?<![\d〔\[(])((?:19|20)\d{2})年(?!\d{1,2}月\d{1,2}日[^至起到-])")


META_CHARS = 100_000
"""Clues are looked for in the first this many characters of the head texts and of the body texts
(a report's metadata is at its start; a whole report is ~5,000–30,000 characters): an input of
megabytes on one line costs no more than this."""


def _capped(texts: list) -> list:
    """``texts`` up to :data:`META_CHARS` characters in all (the last one cut)."""
    out, left = [], META_CHARS
    for t in texts:
        if left <= 0:
            break
        out.append(t if len(t) <= left else t[:left])
        left -= len(t)
    return out


def find_metadata(head_texts, body_texts=(), fallback: Optional[str] = None, *, title_only=False) -> Meta:
    """Agency and year as a reader finds them, from the most reliable clue to the least: a title
    line; a quoted title 《…报告》; ``由X编制``; a title inside a sentence (``现公布X…报告``); the
    opening ``2023年，X认真贯彻…``; the contact ``请与X办公室联系`` (the office dropped); the
    statistics period (year only); the year the text names most (year only).
    """
    meta = Meta()
    head_texts = _capped([t for t in head_texts if t] + ([fallback] if fallback else []))
    cache: dict = {}

    def prep(t):
        r = cache.get(t)
        if r is None:
            r = cache[t] = _prep(t)
        return r

    _title_lines(meta, head_texts, prep)
    if title_only or meta.done():
        return meta
    texts = list(dict.fromkeys(head_texts + _capped([t for t in body_texts if t])))
    prepped = [(t, *prep(t)) for t in texts]

    for text, folded, offsets in prepped:  # 《2021年XX局政府信息公开工作年度报告》
        for q in _QUOTED.finditer(folded):
            quote, qoff = q.group("q"), offsets[q.start("q"):]
            for m in _title_matches(quote):
                a = _agency_at(text, qoff, quote, m.start("pre"), m.end("pre"), suffix=True)
                if not a and "mid" in m.groupdict():
                    a = _agency_at(text, qoff, quote, m.start("mid"), m.end("mid"), suffix=True)
                meta.offer("quoted-title", a or None, int(m.group("year")))
                break
    for text, folded, offsets in prepped:
        for m in _COMPILED_BY.finditer(folded):
            a = _agency_at(text, offsets, folded, m.start("a"), m.end("a"), suffix=True)
            meta.offer("compiled-by", a or None)
    for text, folded, offsets in prepped:  # 现将X2022年政府信息公开工作年度报告进行公开
        for m in _title_matches(folded):
            a = _agency_at(text, offsets, folded, m.start("pre"), m.end("pre"), verb=True, suffix=True)
            if not a and "mid" in m.groupdict():
                a = _agency_at(text, offsets, folded, m.start("mid"), m.end("mid"), verb=True, suffix=True)
            if a:
                meta.offer("sentence-title", a, int(m.group("year")))
    for text, folded, offsets in prepped:
        for m in _SENTENCE_YEAR.finditer(folded):
            a = _agency_at(text, offsets, folded, m.start("a"), m.end("a"), suffix=True)
            if a:
                meta.offer("sentence-title", a, int(m.group("year")))
    for text, folded, offsets in prepped:
        for m in _OPENING.finditer(folded):
            clause = m.group("a")
            for v in _OPENING_VERB.finditer(clause):
                k = v.start()
                if k < 2:
                    continue
                a = _agency_at(text, offsets, folded, m.start("a"), m.start("a") + k, suffix=True)
                if a:
                    meta.offer("opening", a, int(m.group("year")))
                    break
            else:
                if _SELF.match(clause):  # 2022年，我镇认真贯彻…: the year, not the body
                    meta.offer("opening", year=int(m.group("year")))
    for text, folded, offsets in prepped:
        for m in _CONTACT.finditer(folded):
            seg = folded[m.start("a"): m.end("a")]
            office = _OFFICE.search(seg)
            if office and office.start() >= 2:
                a = _agency_at(text, offsets, folded, m.start("a"), m.start("a") + office.start(), suffix=True)
                if a:
                    meta.offer("contact", a)
    if meta.year is None:
        for text, folded, offsets in prepped:
            m = _PERIOD.search(folded)
            if m:
                meta.offer("statistics-period", year=int(m.group("year")))
                break
    if meta.year is None:
        counts = {}
        for text, folded, offsets in prepped:
            for m in _YEAR.finditer(folded):
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
        if counts:
            best = max(counts.items(), key=lambda kv: kv[1])
            if list(counts.values()).count(best[1]) == 1:
                meta.offer("year-mentions", year=int(best[0]))
    return meta


_T2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量")
_T2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "政府集中采购")
_T2021_APP = ("不补正", "缴纳费用")


def detect_template(active_labels: str, applications_labels: str):
    """Decide 2019/2021 from the tables' own labels. Returns (template or None, evidence)."""
    a = normalise_label(active_labels)
    n21 = sum(k in a for k in _T2021)
    n19 = sum(k in a for k in _T2019)
    if n21 != n19:
        return ("2021" if n21 > n19 else "2019"), "active"
    b = normalise_label(applications_labels)
    if any(k in b for k in _T2021_APP):
        return "2021", "applications"
    return None, None


def norm_agency(name) -> str:
    """A body's name for pairing and comparing: no spaces, no trailing 人民政府/政府办公室 …."""
    name = re.sub(r"\s+", "", name or "")
    for suffix in ("人民政府办公室", "人民政府办公厅", "人民政府", "政府办公室", "政府"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
