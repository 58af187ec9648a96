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
      "表三“{col}”列：本年度“上年结转”为{actual}，上一年度报告“结转下年度继续办理”为{expected}，两者应相等", needs_previous=True)
def carried_over_chain(report, previous):
    """本年度“上年结转”与上一年度报告的“结转下年度继续办理”不一致。

    说明：每一列：本年度表三“二、上年结转政府信息公开申请数量”＝上一年度表三“四、结转下年度继续办理”。
    原因：结转到下一年度的申请必须在下一年度出现，否则就是漏计（或多计）。
    示例：2020年度报告“结转下年度”自然人1件，2021年度报告“上年结转”自然人0件。
    依据：年度报告格式（国办公开办函〔2019〕60号、〔2021〕30号）表三“二、上年结转”“四、结转下年度继续办理”两行（跨年度衔接，格式未另作文字规定）。
    """
    if not _consecutive(report, previous):
        return
    for rel in spec.relations(report.template, "A5"):
        (this_key,), (last_key,) = rel.terms, rel.totals
        now, before = _v(report, this_key), _v(previous, last_key)
        if now is not None and before is not None and now != before:
            yield hit([this_key], report.cells[this_key].loc, expected=before, actual=now, col=rel.label)


@rule("Y102", "in-force-count-discontinuous", "warning",
      "表二“{row}”现行有效件数为{actual}，按上一年度现行有效{prev}＋本年制发{issued}－本年废止{repealed}应为{expected}",
      needs_previous=True)
def in_force_continuity(report, previous):
    """“现行有效件数”与上年度数字、本年制发、本年废止推算的结果不符。

    说明：规章、行政规范性文件两行（两年均为2021年版）：上年现行有效＋本年制发－本年废止＝本年现行有效。
    原因：现行有效的文件只会因制发而增加、因废止而减少。
    示例：2021年现行有效665件，2022年制发88件、废止55件，应为698件。
    依据：年度报告格式（国办公开办函〔2021〕30号）表二第二十条第（一）项“本年制发件数”“本年废止件数”“现行有效件数”三列（跨年度推算，格式未另作文字规定）。
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
    """某部分正文与上一年度报告基本相同（雷同）。

    说明：第一、五、六部分与上一年度报告同一部分按字符四元组比较（忽略数字和年份），相似度达到85%以上即报告。
    原因：照抄上一年度的问题和打算是最常见的形式缺陷，报告没有反映本年度的工作。
    示例：“五、存在的主要问题及改进情况”除年份外与上一年度完全相同。
    依据：《条例》第五十条（年度报告应当包括的内容）（年度报告报告的是本年度情况）；格式文件对“雷同”没有文字规定，本规则仅作提醒。
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
