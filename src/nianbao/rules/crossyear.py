"""Cross-year rules (Y): this year's report against the same body's report of the year before."""
from __future__ import annotations

import re

from .. import config, spec
from ..parsing.sections import PART_TITLES
from .registry import hit, rule

SIMILARITY_THRESHOLD = config.DEFAULT.similarity_threshold


def _v(report, key):
    c = report.cells.get(key)
    return None if c is None or not c.certain or c.value is None else c.value


def _consecutive(report, previous) -> bool:
    return bool(report.year and previous.year and report.year == previous.year + 1)


@rule("Y101", "carried-over-not-last-years-carried-forward", "error",
      "表三“{col}”列：本年上年结转{actual}，与上一年度报告结转下年度{expected}不符", needs_previous=True)
def carried_over_chain(report, previous):
    """A5: this year's 上年结转 differs from last year's 结转下年度继续办理, in a column.

    What: for every applicant column, 二、上年结转 this year = 四、结转下年度继续办理 last year.
    Why: applications carried forward must reappear; otherwise they were lost (or invented).
    Example: 2020 report 结转下年度 1 (自然人), 2021 report 上年结转 0.
    Basis: the template's arithmetic across years.
    """
    if not _consecutive(report, previous):
        return
    for rel in spec.relations(report.template, "A5"):
        (this_key,), (last_key,) = rel.terms, rel.totals
        now, before = _v(report, this_key), _v(previous, last_key)
        if now is not None and before is not None and now != before:
            yield hit([this_key], report.cells[this_key].loc, expected=before, actual=now, col=rel.label)


@rule("Y102", "in-force-count-discontinuous", "warning",
      "“{row}”现行有效件数{actual}，与上年{prev}＋本年制发{issued}－本年废止{repealed}＝{expected}不符",
      needs_previous=True)
def in_force_continuity(report, previous):
    """现行有效件数 does not follow from last year's figure, this year's issued and repealed.

    What: for 规章 and 行政规范性文件 (2021 template, both years): last year's 现行有效 + 本年制发 −
    本年废止 = this year's 现行有效.
    Why: documents in force do not appear or vanish without being issued or repealed.
    Example: 2021 现行有效 665, 2022 制发 88, 废止 55 → 698 expected.
    Basis: the 2021 template's columns of table 二.
    """
    if not _consecutive(report, previous) or report.template != "2021" or previous.template != "2021":
        return
    for r in ("regulations", "normative_documents"):
        prev = _v(previous, f"active.{r}.in_force")
        issued = _v(report, f"active.{r}.issued")
        repealed = _v(report, f"active.{r}.repealed")
        now = _v(report, f"active.{r}.in_force")
        if None in (prev, issued, repealed, now):
            continue
        if prev + issued - repealed != now:
            key = f"active.{r}.in_force"
            yield hit([key], report.cells[key].loc, expected=prev + issued - repealed, actual=now,
                      row=spec.ACTIVE_2021.row(r).label, prev=prev, issued=issued, repealed=repealed)


def _shingles(text: str, n: int = 4) -> set:
    t = re.sub(r"[\s\d，。、；：,.;:（）()“”]+", "", text)
    t = re.sub(r"20\d\d年", "", t)
    return {t[i: i + n] for i in range(max(0, len(t) - n + 1))}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character 4-grams (digits and punctuation ignored)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


@rule("Y103", "text-copied-from-last-year", "warning",
      "第{num}部分“{title}”与上一年度报告雷同（相似度 {pct}%）", needs_previous=True)
def copied_text(report, previous):
    """A part's text is (nearly) the same as last year's (雷同).

    What: for parts 一, 五 and 六 the character 4-gram similarity with the same part of last
    year's report (digits and years ignored) is at or above 85 %.
    Why: copying last year's problems and plans is the most common formal defect that reviewers
    criticise: the report does not describe this year's work.
    Example: 五、存在的主要问题及改进情况 identical to last year's but for the year.
    Basis: 国办公开办函 on report quality (杜绝雷同).
    """
    if not _consecutive(report, previous):
        return
    for p in report.parts:
        if p.number not in (1, 5, 6) or len(p.text) < 40:
            continue
        q = previous.part(p.number)
        if q is None or len(q.text) < 40:
            continue
        s = similarity(p.text, q.text)
        if s >= SIMILARITY_THRESHOLD:
            yield hit(loc=p.loc, expected=f"<{int(SIMILARITY_THRESHOLD * 100)}%", actual=round(s, 3),
                      num=spec.part_numeral(p.number), title=PART_TITLES[p.number], pct=round(100 * s))
