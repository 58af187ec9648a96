"""Text-vs-table rules (T): figures the narrative states that disagree with the tables.

The narrative (parts 一, 五, 六) is cut into clauses at Chinese punctuation; a clause that states
one of the figures below is compared with the table cell(s). Sub-counts (clauses starting with
其中 / 通过) are not statements of the total.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..parsing.normalise import to_halfwidth
from .registry import hit, rule

_CLAUSE = re.compile(r"[，。；;,（）()：:\n]")
_SKIP = re.compile(r"^(其中|通过|含)")


def _clauses(report):
    """(part, clause) for the narrative clauses that hold a digit (cached per text)."""
    parts = [p for p in report.parts if p.number in (1, 5, 6)]
    for i, clause in _digit_clauses(tuple(p.text for p in parts)):
        yield parts[i], clause


@lru_cache(maxsize=256)
def _digit_clauses(texts: tuple) -> tuple:
    out = []
    for i, text in enumerate(texts):
        for c in _CLAUSE.split(_SPACE.sub("", to_halfwidth(text))):
            if c and _DIGIT.search(c):
                out.append((i, c))
    return tuple(out)


_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


def _cell(report, key):
    c = report.cells.get(key)
    if c is None or not c.certain or c.value is None:
        return None
    return c.value


def _statements(report, patterns, exclude=None, allow_sub=False):
    for p, clause in _clauses(report):
        if (not allow_sub and _SKIP.match(clause)) or (exclude and _rx(exclude).search(clause)):
            continue
        for rx in patterns:
            m = _rx(rx).search(clause)
            if m:
                yield p, clause, int(m.group("n"))
                break


@lru_cache(maxsize=64)
def _rx(pattern: str):
    return re.compile(pattern)


def _compare(report, patterns, keys, what, exclude=None, also=(), allow_sub=False):
    values = [_cell(report, k) for k in keys]
    if any(v is None for v in values):
        return
    table_value = sum(values)
    accepted = {table_value} | {sum(_cell(report, k) or 0 for k in alt) for alt in also}
    for p, clause, n in _statements(report, patterns, exclude, allow_sub):
        if n not in accepted:
            yield hit(keys, p.loc, expected=table_value, actual=n, what=what, text=clause[:40],
                      n=n, table=table_value)


_MSG = "正文称{what}{n}件（“{text}”），表格为{table}件"


@rule("T101", "text-received-differs", "warning", _MSG)
def text_received(report, previous):
    """The narrative's number of applications received differs from table 三.

    What: a clause such as 共收到政府信息公开申请70件 / 共受理…申请3119件 is compared with
    本年新收 总计 (or 新收 + 上年结转, which some bodies report as received).
    Why: text and table are read by different people; when they disagree one of them is wrong.
    Example: 本年度共收到70件申请, while table 三 says 本年新收 64.
    Basis: 《条例》第五十条 (the report states the handling of applications).
    """
    yield from _compare(report, [r"(?:收到|受理|新收|接收)[^\d]{0,16}?申请[^\d]{0,6}?(?P<n>\d+)件",
                                 r"(?:收到|受理|新收|接收)(?P<n>\d+)件[^\d]{0,10}申请"],
                        ["applications.new_requests.total"], "收到申请",
                        exclude=r"结转|顺延|办结|答复",
                        also=[("applications.new_requests.total", "applications.carried_over.total")])


@rule("T102", "text-handled-differs", "warning", _MSG)
def text_handled(report, previous):
    """The narrative's number of applications handled (办结 / 答复) differs from （七）总计.

    What: a clause such as 办结69件 / 答复3050件 is compared with table 三 （七）总计.
    Why: 总计 is the number of applications handled this year.
    Example: 及时依法依规办结69件 while （七）总计 is 70.
    Basis: table 三 row （七）总计.
    """
    yield from _compare(report, [r"(?:办结|答复|办理完毕|作出答复|予以答复)[^\d]{0,10}?(?P<n>\d+)件"],
                        ["applications.total.total"], "办结（答复）申请", exclude=r"结转|顺延|热线|12345")


@rule("T103", "text-carried-over-differs", "warning", _MSG)
def text_carried_over(report, previous):
    """The narrative's number carried over from last year differs from 上年结转.

    What: a clause such as 上年度结转申请34件 is compared with table 三 二、上年结转 总计.
    Why: the carried-over figure links this year's report to last year's.
    Example: 含上年度结转申请34件 with 上年结转 总计 0.
    Basis: table 三 row 二、上年结转政府信息公开申请数量.
    """
    yield from _compare(report, [r"上年(?:度)?结转[^\d]{0,8}?(?P<n>\d+)件"],
                        ["applications.carried_over.total"], "上年结转申请", allow_sub=True)


@rule("T104", "text-carried-forward-differs", "warning", _MSG)
def text_carried_forward(report, previous):
    """The narrative's number carried forward to next year differs from 结转下年度继续办理.

    What: a clause such as 1件结转下年度继续办理 / 另有103件顺延到下年度答复 is compared with
    table 三 四、结转下年度继续办理 总计.
    Why: next year's report must carry the same figure over.
    Example: 1件结转下年度继续办理 with 结转下年度 总计 0.
    Basis: table 三 row 四、结转下年度继续办理.
    """
    yield from _compare(report, [r"(?P<n>\d+)件[^\d]{0,10}?(?:结转|顺延)(?:到|至)?下(?:一)?年",
                                 r"(?:结转|顺延)(?:到|至)?下(?:一)?年度?[^\d]{0,8}?(?P<n>\d+)件"],
                        ["applications.carried_forward.total"], "结转下年度申请", allow_sub=True,
                        exclude=r"上年")


@rule("T105", "text-review-count-differs", "warning", _MSG)
def text_review(report, previous):
    """The narrative's number of administrative reviews (行政复议) differs from table 四.

    What: a clause such as 政府信息公开行政复议351件 is compared with 行政复议 总计.
    Why: text and table must agree.
    Example: 发生行政复议2起 with 行政复议 总计 1.
    Basis: table 四.
    """
    yield from _compare(report, [r"行政复议(?:案件)?[^\d诉]{0,6}?(?P<n>\d+)(?:件|起|宗)"],
                        ["review_litigation.review.total"], "行政复议",
                        exclude=r"诉讼[^\d]*复议")  # 诉讼…复议N件: a combined count; 复议N件、诉讼M件 is fine


@rule("T106", "text-litigation-count-differs", "warning", _MSG)
def text_litigation(report, previous):
    """The narrative's number of lawsuits (行政诉讼) differs from table 四.

    What: a clause such as 政府信息公开行政诉讼46件 is compared with the two 行政诉讼 总计 summed
    (未经复议直接起诉 + 复议后起诉).
    Why: text and table must agree.
    Example: 行政诉讼46件; 26 + 20 in the table.
    Basis: table 四.
    """
    yield from _compare(report, [r"行政诉讼(?:案件)?[^\d复]{0,6}?(?P<n>\d+)(?:件|起|宗)"],
                        ["review_litigation.suit_direct.total", "review_litigation.suit_after_review.total"],
                        "行政诉讼", exclude=r"复议[^\d]*诉讼")  # 复议、诉讼共N件: a combined count


@rule("T107", "text-normative-documents-differs", "warning", _MSG)
def text_normative_documents(report, previous):
    """The narrative's number of 规范性文件 issued differs from table 二.

    What: a clause such as 全年制发行政规范性文件9件 is compared with table 二 行政规范性文件
    本年制发件数 (2021) or 规范性文件 本年新制作数量 (2019).
    Why: the documents a body issued are the core of 主动公开; text and table must agree.
    Example: 全年制发行政规范性文件9件 while table 二 says 8.
    Basis: 《条例》第二十条第（一）项; table 二.
    """
    col = "made" if report.template == "2019" else "issued"
    yield from _compare(report, [r"(?:制发|印发|出台|制定)了?(?:行政)?规范性文件[^\d]{0,2}?(?P<n>\d+)件"],
                        [f"active.normative_documents.{col}"], "制发规范性文件", allow_sub=True,
                        exclude=r"废止|现行有效|清理")
