"""Cell rules (C): blank, non-numeric, negative, decimal counts, unclear money units, label typos."""
from __future__ import annotations

import re

from .. import spec
from ..parsing.normalise import is_blank, normalise_label
from .registry import hit, rule


def _label(key, report):
    try:
        return spec.label_of(key, report.template or "2021")
    except (KeyError, StopIteration):
        return key


@rule("C101", "blank-cell", "warning", "“{row}”一行有{n}个空白单元格（{cols}），应填数字，没有的填0")
def blank_cell(report, previous):
    """Table cells are left blank (or hold “/”, “—”, “无”); one finding per row.

    What: every cell of the three tables should hold a number; 0 when there is nothing to count.
    Why: a blank is ambiguous (zero? unknown? forgotten?) and breaks sums and comparisons.
    Example: seed 003 (瓦庙镇 2020) fills only the 总计 column of table 三; the six applicant
    columns are blank.
    Basis: the template asks for figures in every cell.
    """
    rows: dict = {}
    for key, c in report.cells.items():
        if c.certain and c.value is None and is_blank(c.raw):
            rows.setdefault(key.rsplit(".", 1)[0], []).append((key, c))
    for row, cells in rows.items():
        keys = [k for k, _ in cells]
        labels = [_label(k, report).split("/")[-1] for k in keys]
        yield hit(keys, cells[0][1].loc, expected="数字", actual=[c.raw for _, c in cells],
                  row=_label(keys[0], report).split("/")[0], n=len(keys), cols="、".join(labels))


def _unreadable(report):
    for d in report.diagnostics:
        if d.code == "P205":
            for key in d.keys:
                c = report.cells.get(key)
                if c is not None:
                    yield key, c


@rule("C102", "non-numeric-cell", "error", "单元格“{label}”不是数字：“{raw}”")
def non_numeric_cell(report, previous):
    """A table cell holds text that is not a number.

    What: a cell whose text is neither a number (with an optional unit) nor a blank mark.
    Why: the figure cannot be read, so it cannot be checked or compared.
    Example: “若干”, “12件左右”, “见附件”.
    Basis: the template's cells are counts and amounts.
    """
    for key, c in _unreadable(report):
        if not re.search(r"\d[.．]\d", c.raw):
            yield hit([key], c.loc, expected="数字", actual=c.raw, label=_label(key, report), raw=c.raw.strip())


@rule("C103", "negative-count", "error", "单元格“{label}”为负数：{value}")
def negative_count(report, previous):
    """A count is negative.

    What: every count is a non-negative integer, except 本年增/减 (template 2019).
    Why: a negative number of applications, decisions or documents is impossible.
    Example: 行政处罚 本年处理决定数量 “-3”.
    Basis: spec: all counts are non-negative integers, except ``change``.
    """
    for key, c in report.cells.items():
        if isinstance(c.value, (int, float)) and c.value < 0 and not spec.column_of(key, report.template).signed:
            yield hit([key], c.loc, expected="≥0", actual=c.value, label=_label(key, report), value=c.value)


@rule("C104", "decimal-count", "error", "计数单元格“{label}”出现小数：“{raw}”")
def decimal_count(report, previous):
    """A count holds a decimal.

    What: counts (applications, decisions, documents) are whole numbers; only money may have decimals.
    Why: “1.5 件” is a typing or conversion error.
    Example: 予以公开 “2.0” or “1.5”.
    Basis: spec: counts are integers.
    """
    for key, c in _unreadable(report):
        if not spec.column_of(key, report.template).money and re.search(r"\d[.．]\d", c.raw):
            yield hit([key], c.loc, expected="整数", actual=c.raw, label=_label(key, report), raw=c.raw.strip())


@rule("C105", "money-unit-unclear", "warning", "金额单元格“{label}”（“{raw}”）及其表头均未写明单位")
def money_unit_unclear(report, previous):
    """A money cell states no unit and its column header none either.

    What: 采购总金额 (2019) and 本年收费金额 (2021) need a unit: in the header (（单位：万元）) or in
    the cell (元 / 万元).
    Why: 152.21 could be yuan or ten-thousands of yuan: a factor of 10,000.
    Example: header “采购总金额”, cell “329164”.
    Basis: the 2021 template's header 本年收费金额（单位：万元）.
    """
    for d in report.diagnostics:
        if d.code == "P207":
            for key in d.keys:
                c = report.cells.get(key)
                yield hit([key], d.loc, actual=c.raw if c else None, label=_label(key, report),
                          raw=c.raw if c else "")


_HEADER_TERMS = {
    "applications": ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "总计"),
    "review_litigation": ("结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉"),
    "active": (),
}


@rule("C106", "label-differs-from-template", "info", "表格标签“{written}”与模板“{template_label}”不一致")
def label_differs(report, previous):
    """A table label differs from the template's wording by a character (a typo).

    What: header and row labels are compared with the template's; a near miss (one character
    different) is reported. The value is still read (the typo is tolerated).
    Why: labels show the template was retyped by hand; such copies often carry other errors.
    Example: seed 002 writes 结果维护 for 结果维持.
    Basis: the template's wording.
    """
    for table, terms in _HEADER_TERMS.items():
        text = normalise_label(report.labels.get(table, ""))
        if not text:
            continue
        for term in terms:
            if term in text and len(term) < 3:
                continue  # a two-character term: any "总X" would be a near miss
            near = _near_miss(term, text)  # also when the term is spelt right elsewhere (one typo of three)
            if near:
                yield hit(expected=term, actual=near, written=near, template_label=term)


def _near_miss(term: str, text: str):
    n = len(term)
    i = text.find(term[0])
    while 0 <= i <= len(text) - n:  # windows starting with the term's first character
        w = text[i: i + n]
        if sum(a != b for a, b in zip(w, term)) == 1:
            return w
        i = text.find(term[0], i + 1)
    return None
