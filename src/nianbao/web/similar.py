"""雷同 as data: a body's parts against its report of the year before (the Y103 measure, with the
copied passages highlighted side by side), and passages that different bodies' reports of the same
year share (template text reused wholesale), listed side by side.

Across bodies, each part is cut into sentences; a sentence is compared by its normalised text
(whitespace, digits, punctuation, years and the body's own name removed, so 甲镇's and 乙镇's copies
of one template sentence are the same) and counts when it keeps at least :data:`MIN_CHARS`
characters. Sentences shared by more than :data:`MAX_BODIES` bodies of the set are the common
wording of the official template, listed apart, not as copying between two bodies."""
from __future__ import annotations

import difflib
import re
from collections import defaultdict

from .. import config, spec
from ..parsing.meta import norm_agency
from ..parsing.sections import PART_TITLES
from ..rules.crossyear import similarity
from ..store import aggregates
from ..store.search import parts_of

MIN_CHARS, MAX_BODIES, MIN_RUN = 20, 20, 12
MAX_PRODUCT = 10_000_000  # longer pairs of texts (~0.1 s to match) are matched only when half similar
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_NOISE = re.compile(r"[\s\d０-９，。、；：,.;:（）()“”‘’《》〈〉「」『』！？!?\-—…·%％]+|20\d\d年|[一二三四五六七八九十]+、")


def copied_runs(a: str, b: str, min_run: int = MIN_RUN) -> tuple:
    """``a`` and ``b`` as segments ``[{"text", "copied"}]``: runs of at least ``min_run`` characters
    that both contain (in order) are ``copied``."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = [m for m in sm.get_matching_blocks() if m.size >= min_run]

    def segs(text, spans):
        out, pos = [], 0
        for start, size in spans:
            if start > pos:
                out.append({"text": text[pos:start], "copied": False})
            out.append({"text": text[start:start + size], "copied": True})
            pos = start + size
        if pos < len(text):
            out.append({"text": text[pos:], "copied": False})
        return out
    return segs(a, [(m.a, m.size) for m in blocks]), segs(b, [(m.b, m.size) for m in blocks])


def body_similarity(db, norm: str, years: list) -> list:
    """For each year after the first that follows the year before: every part's similarity with the
    year before (Y103's measure: character 4-grams, digits and years ignored) and both texts with
    the copied passages marked."""
    if len(years) < 2:
        return []
    where, params = aggregates.report_set(db, body=norm)
    reports, parts, _ = parts_of(db, where, params, limit=50)
    text = defaultdict(dict)
    for rid, number, t in parts:
        text[rid][int(number)] = t or ""
    by_year = {r["year"]: rid for rid, r in reports.items()}
    threshold = config.DEFAULT.similarity_threshold
    out = []
    for y in sorted(by_year):
        if y - 1 not in by_year:
            continue
        now, before = text[by_year[y]], text[by_year[y - 1]]
        rows = []
        for n in sorted(set(now) & set(before)):
            a, b = before[n], now[n]
            if not a.strip() and not b.strip():
                continue  # a part that is only its table
            s = similarity(a, b)
            left, right = (copied_runs(a, b) if len(a) * len(b) <= MAX_PRODUCT or s >= 0.5
                           else ([{"text": a, "copied": False}], [{"text": b, "copied": False}]))
            rows.append({"part": n, "title": f"{spec.part_numeral(n)}、{PART_TITLES.get(n, '')}",
                         "similarity": round(s, 3), "pct": round(100 * s), "copied": s >= threshold,
                         "before": left, "now": right})
        out.append({"year": y, "previous": y - 1, "parts": rows})
    return out


def _template_text() -> str:
    """The official template's own words (table, row and column labels, the notes printed in the
    tables), normalised: a sentence within them is the template, not text one body copied."""
    from .layout import _APP_NOTE
    words = [_APP_NOTE, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", *PART_TITLES.values()]
    for tpl in spec.TEMPLATES:
        for t in spec.TABLES[tpl]:
            words.append(t.name)
            for r in t.rows:
                words += [r.label] + [c.label for c in r.columns]
    return "|".join(_NOISE.sub("", w) for w in words)


TEMPLATE_TEXT = _template_text()


def _normal(sentence: str, names: tuple) -> str:
    t = sentence
    for n in names:
        if n:
            t = t.replace(n, "")
    return _NOISE.sub("", t)


def shared_passages(db, filters: dict, *, limit_reports: int = 3000, pairs: int = 50) -> dict:
    """Passages that different bodies' reports of one year share: ``{"year", "reports", "total",
    "pairs": [{"a", "b", "passages": [{"part", "a", "b"}], "chars"}], "common": [...]}``."""
    filters = dict(filters)
    if not filters.get("year"):
        ys = aggregates.years(db)
        filters["year"] = ys[-1] if ys else None
    if not filters.get("year"):
        return {"filters": filters, "year": None, "reports": 0, "total": 0, "pairs": [], "common": []}
    where, params = aggregates.report_set(db, **filters)
    reports, parts, total = parts_of(db, where, params, limit=limit_reports)
    seen: dict = defaultdict(dict)  # normalised sentence → {agency_norm: (report_id, part, raw)}
    for rid, number, text in parts:
        r = reports[rid]
        names = (r["agency"] or "", r["agency_norm"] or "", norm_agency(r["agency"] or ""))
        body = r["agency_norm"] or f"#{rid}"  # a report whose body was not read is a body of its own
        for m in _SENTENCE.finditer(text or ""):
            raw = m.group(0).strip()
            key = _normal(raw, names)
            if len(key) >= MIN_CHARS and body not in seen[key] and key not in TEMPLATE_TEXT:
                seen[key][body] = (rid, int(number), raw)
    for r in reports.values():
        r["agency"] = r["agency"] or "（未识别机关）"
    bodies = len({r["agency_norm"] or r["report_id"] for r in reports.values()})
    limit = max(3, min(MAX_BODIES, bodies // 2))  # shared by more: the common wording of the set
    pair_map: dict = defaultdict(list)
    common = []
    for key, where_ in seen.items():
        if len(where_) < 2:
            continue
        if len(where_) > limit:
            first = next(iter(where_.values()))
            common.append({"text": first[2], "part": first[1], "bodies": len(where_)})
            continue
        items = sorted(where_.values())
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                pair_map[(items[i][0], items[j][0])].append((items[i], items[j], len(key)))
    ranked = sorted(pair_map.items(), key=lambda kv: (-sum(x[2] for x in kv[1]), kv[0]))[:pairs]
    out = []
    for (ra, rb), shared in ranked:
        out.append({"a": reports[ra], "b": reports[rb], "chars": sum(x[2] for x in shared), "count": len(shared),
                    "passages": [{"part": a[1], "part_title": f"{spec.part_numeral(a[1])}、{PART_TITLES.get(a[1], '')}",
                                  "a": a[2], "b": b[2]} for a, b, _ in sorted(shared)]})
    common.sort(key=lambda c: (-c["bodies"], c["text"]))
    return {"filters": filters, "year": filters["year"], "reports": len(reports), "total": total, "bodies": bodies,
            "pairs": out, "pair_count": len(pair_map), "common": common[:30], "min_chars": MIN_CHARS,
            "max_bodies": limit}
