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


_MSG = "正文称{what}{n}件（“{text}”），统计表中为{table}件"


@rule("T101", "text-received-differs", "warning", _MSG)
def text_received(report, previous):
    """正文所述收到申请件数与表三不符。

    说明：将正文中“共收到政府信息公开申请70件”“共受理……申请3119件”等说法与表三“一、本年新收政府信息公开申请数量”的总计（或新收加上年结转，有的机关以此为收到数）比较。
    原因：正文和表格往往由不同人员填写，两者不一致必有一处错误。
    示例：正文“本年度共收到70件申请”，表三“本年新收”为64。
    依据：《条例》第五十条（年度报告应当包括的内容）；表三“一、本年新收政府信息公开申请数量”。
    """
    yield from _compare(report, [r"(?:收到|受理|新收|接收)[^\d]{0,16}?申请[^\d]{0,6}?(?P<n>\d+)件",
                                 r"(?:收到|受理|新收|接收)(?P<n>\d+)件[^\d]{0,10}申请"],
                        ["applications.new_requests.total"], "收到申请",
                        exclude=r"结转|顺延|办结|答复",
                        also=[("applications.new_requests.total", "applications.carried_over.total")])


@rule("T102", "text-handled-differs", "warning", _MSG)
def text_handled(report, previous):
    """正文所述办结（答复）申请件数与表三“（七）总计”不符。

    说明：将正文中“办结69件”“答复3050件”等说法与表三“（七）总计”比较。
    原因：“（七）总计”即本年度办理完毕的申请数。
    示例：正文“及时依法依规办结69件”，“（七）总计”为70。
    依据：《条例》第五十条（年度报告应当包括的内容）；表三“三、本年度办理结果（七）总计”。
    """
    yield from _compare(report, [r"(?:办结|答复|办理完毕|作出答复|予以答复)[^\d]{0,10}?(?P<n>\d+)件"],
                        ["applications.total.total"], "办结（答复）申请", exclude=r"结转|顺延|热线|12345")


@rule("T103", "text-carried-over-differs", "warning", _MSG)
def text_carried_over(report, previous):
    """正文所述上年结转件数与表三不符。

    说明：将正文中“上年度结转申请34件”等说法与表三“二、上年结转政府信息公开申请数量”的总计比较。
    原因：上年结转数把本年度报告与上一年度报告联系起来。
    示例：正文“含上年度结转申请34件”，表三“上年结转”总计为0。
    依据：《条例》第五十条（年度报告应当包括的内容）；表三“二、上年结转政府信息公开申请数量”。
    """
    yield from _compare(report, [r"上年(?:度)?结转[^\d]{0,8}?(?P<n>\d+)件"],
                        ["applications.carried_over.total"], "上年结转申请", allow_sub=True)


@rule("T104", "text-carried-forward-differs", "warning", _MSG)
def text_carried_forward(report, previous):
    """正文所述结转下年度件数与表三不符。

    说明：将正文中“1件结转下年度继续办理”“另有103件顺延到下年度答复”等说法与表三“四、结转下年度继续办理”的总计比较。
    原因：下一年度报告须结转同一数字。
    示例：正文“1件结转下年度继续办理”，表三“结转下年度”总计为0。
    依据：《条例》第五十条（年度报告应当包括的内容）；表三“四、结转下年度继续办理”。
    """
    yield from _compare(report, [r"(?P<n>\d+)件[^\d]{0,10}?(?:结转|顺延)(?:到|至)?下(?:一)?年",
                                 r"(?:结转|顺延)(?:到|至)?下(?:一)?年度?[^\d]{0,8}?(?P<n>\d+)件"],
                        ["applications.carried_forward.total"], "结转下年度申请", allow_sub=True,
                        exclude=r"上年")


@rule("T105", "text-review-count-differs", "warning", _MSG)
def text_review(report, previous):
    """正文所述行政复议件数与表四不符。

    说明：将正文中“政府信息公开行政复议351件”等说法与表四“行政复议 总计”比较。
    原因：正文与表格应当一致。
    示例：正文“发生行政复议2起”，表四行政复议总计为1。
    依据：《条例》第五十条（年度报告应当包括的内容）；表四“行政复议”。
    """
    yield from _compare(report, [r"行政复议(?:案件)?[^\d诉]{0,6}?(?P<n>\d+)(?:件|起|宗)"],
                        ["review_litigation.review.total"], "行政复议",
                        exclude=r"诉讼[^\d]*复议")  # 诉讼…复议N件: a combined count; 复议N件、诉讼M件 is fine


@rule("T106", "text-litigation-count-differs", "warning", _MSG)
def text_litigation(report, previous):
    """正文所述行政诉讼件数与表四不符。

    说明：将正文中“政府信息公开行政诉讼46件”等说法与表四两组行政诉讼（未经复议直接起诉、复议后起诉）总计之和比较。
    原因：正文与表格应当一致。
    示例：正文“行政诉讼46件”，表四为26＋20。
    依据：《条例》第五十条（年度报告应当包括的内容）；表四“行政诉讼”。
    """
    yield from _compare(report, [r"行政诉讼(?:案件)?[^\d复]{0,6}?(?P<n>\d+)(?:件|起|宗)"],
                        ["review_litigation.suit_direct.total", "review_litigation.suit_after_review.total"],
                        "行政诉讼", exclude=r"复议[^\d]*诉讼")  # 复议、诉讼共N件: a combined count


@rule("T107", "text-normative-documents-differs", "warning", _MSG)
def text_normative_documents(report, previous):
    """正文所述制发规范性文件件数与表二不符。

    说明：将正文中“全年制发行政规范性文件9件”等说法与表二“行政规范性文件 本年制发件数”（2019年版为“规范性文件 本年新制作数量”）比较。
    原因：机关制发的文件是主动公开的核心内容，正文与表格应当一致。
    示例：正文“全年制发行政规范性文件9件”，表二为8。
    依据：年度报告格式（国办公开办函〔2021〕30号）表二第二十条第（一）项“行政规范性文件 本年制发件数”。
    """
    col = "made" if report.template == "2019" else "issued"
    yield from _compare(report, [r"(?:制发|印发|出台|制定)了?(?:行政)?规范性文件[^\d]{0,2}?(?P<n>\d+)件"],
                        [f"active.normative_documents.{col}"], "制发规范性文件", allow_sub=True,
                        exclude=r"废止|现行有效|清理")
