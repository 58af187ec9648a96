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


@rule("C101", "blank-cell", "warning", "“{row}”一行有{n}个空白单元格（{cols}），应填数字，没有发生的填0")
def blank_cell(report, previous):
    """统计表单元格空白（或填“/”“—”“无”），逐行汇总。

    说明：三张统计表的每个单元格都应填写数字，没有发生的填0。
    原因：空白含义不明（是0、未统计还是漏填），也影响合计和比较。
    示例：瓦庙镇2020年度报告表三只填了“总计”列，六类申请人列全部空白。
    依据：年度报告格式（国办公开办函〔2019〕60号、〔2021〕30号）所附统计表（每个单元格为一项数量或金额）。
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


@rule("C102", "non-numeric-cell", "error", "单元格“{label}”填写的不是数字（“{raw}”）")
def non_numeric_cell(report, previous):
    """统计表单元格填写的不是数字。

    说明：单元格内容既不是数字（可带单位），也不是空白标记。
    原因：无法读出数值，也就无法核对和比较。
    示例：“若干”“12件左右”“见附件”。
    依据：年度报告格式（国办公开办函〔2019〕60号、〔2021〕30号）所附统计表（每个单元格为一项数量或金额）。
    """
    for key, c in _unreadable(report):
        if not re.search(r"\d[.．]\d", c.raw):
            yield hit([key], c.loc, expected="数字", actual=c.raw, label=_label(key, report), raw=c.raw.strip())


@rule("C103", "negative-count", "error", "单元格“{label}”为负数：{value}")
def negative_count(report, previous):
    """数量为负数。

    说明：除2019年版“本年增/减”列外，各项数量均不应为负数。
    原因：申请件数、处理决定数、文件件数不可能为负。
    示例：“行政处罚 本年处理决定数量”填“-3”。
    依据：年度报告格式（国办公开办函〔2019〕60号、〔2021〕30号）所附统计表（件数、数量）。
    """
    for key, c in report.cells.items():
        if isinstance(c.value, (int, float)) and c.value < 0 and not spec.column_of(key, report.template).signed:
            yield hit([key], c.loc, expected="≥0", actual=c.value, label=_label(key, report), value=c.value)


@rule("C104", "decimal-count", "error", "单元格“{label}”是件数，不应有小数（“{raw}”）")
def decimal_count(report, previous):
    """件数出现小数。

    说明：申请、决定、文件等件数均为整数，只有金额可以有小数。
    原因：“1.5件”是录入或转换错误。
    示例：“予以公开”填“2.0”或“1.5”。
    依据：年度报告格式（国办公开办函〔2019〕60号、〔2021〕30号）所附统计表（件数、数量）。
    """
    for key, c in _unreadable(report):
        if not spec.column_of(key, report.template).money and re.search(r"\d[.．]\d", c.raw):
            yield hit([key], c.loc, expected="整数", actual=c.raw, label=_label(key, report), raw=c.raw.strip())


@rule("C105", "money-unit-unclear", "warning", "金额单元格“{label}”（“{raw}”）及其表头均未写明单位")
def money_unit_unclear(report, previous):
    """金额单元格及其表头都没有写明单位。

    说明：2019年版“采购总金额”和2021年版“本年收费金额”须写明单位：写在表头（如“（单位：万元）”）或单元格内（元、万元）。
    原因：152.21 可能是元，也可能是万元，相差一万倍。
    示例：表头为“采购总金额”，单元格为“329164”。
    依据：2021年版格式表二（第二十条第（八）项）表头“本年收费金额（单位：万元）”。
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


@rule("C106", "label-differs-from-template", "info", "表头“{written}”与格式用语“{template_label}”不一致，疑为错字")
def label_differs(report, previous):
    """表头用语与格式用语相差一个字（疑为错字）。

    说明：将表头用语与格式用语逐一比较，只差一个字的报告出来；数值照常读取。
    原因：表头有错字说明表格是手工重新录入的，这类表格常有其他错误。
    示例：“结果维持”写成“结果维护”。
    依据：年度报告格式（国办公开办函〔2019〕60号、〔2021〕30号）所附统计表的表头用语。
    """
    for table, terms in _HEADER_TERMS.items():
        text = normalise_label(report.labels.get(table, ""))
        if not text:
            continue
        for term in terms:
            if term in text and len(term) < 3:
                continue  # a two-character term: any "总X" would be a near miss
            near = _near_miss(term, text, table)  # also when the term is spelt right elsewhere (one typo of three)
            if near:
                yield hit(expected=term, actual=near, written=near, template_label=term)


# every word a header of these tables prints: a header broken over lines interleaves their pieces
_HEADER_WORDS = _HEADER_TERMS["applications"] + ("申请人情况", "法人或其他组织") + \
    _HEADER_TERMS["review_litigation"] + ("行政复议", "行政诉讼", "审结", "维持", "纠正")


def _near_miss(term: str, text: str, table: str = ""):
    """The first window of ``text`` that differs from ``term`` by one character — unless it is a
    header broken over lines (``pdftotext -layout``: 商业企 | 科研机 | … | 业 | 构): the differing
    character starts a piece of another header word and the term's missing characters follow
    later, in order."""
    n = len(term)
    i = text.find(term[0])
    while 0 <= i <= len(text) - n:  # windows starting with the term's first character
        w = text[i: i + n]
        diff = [j for j, (a, b) in enumerate(zip(w, term)) if a != b]
        if len(diff) == 1 and not _broken_header(term, text, i, diff[0]):
            return w
        i = text.find(term[0], i + 1)
    return None


def _broken_header(term: str, text: str, start: int, j: int) -> bool:
    piece = text[start + j: start + j + 2]
    if len(piece) < 2 or not any(piece in w for w in _HEADER_WORDS if w != term):
        return False
    rest, k = term[j:], start + j
    for ch in rest:  # the term's remaining characters, later in the text, in order
        k = text.find(ch, k)
        if k < 0:
            return False
        k += 1
    return True
