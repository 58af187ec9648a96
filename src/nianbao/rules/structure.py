"""Structure rules (S): parts, tables, rows, template."""
from __future__ import annotations

import re

from .. import spec
from ..parsing.sections import PART_TITLES
from .registry import hit, rule


@rule("S101", "part-missing", "error", "缺少第{num}部分“{title}”")
def part_missing(report, previous):
    """A part of the six the template requires is missing.

    What: each of 一、总体情况 … 六、其他需要报告的事项 must be present, with its heading.
    Why: the report format is fixed by the State Council's disclosure office; a missing part is
    an incomplete report that the reviewing office sends back.
    Example: a township report that jumps from 一、总体情况 straight to the table of part 三.
    Basis: 《条例》第五十条; 国办公开办函〔2021〕30号 (report format).
    """
    have = {p.number for p in report.parts}
    for n, title in PART_TITLES.items():
        if n not in have:
            yield hit(num=spec.part_numeral(n), title=title, expected=title, actual=None)


@rule("S102", "table-missing", "error", "缺少统计表“{table}”")
def table_missing(report, previous):
    """A statistics table of the template is missing.

    What: tables 二 (主动公开), 三 (依申请公开) and 四 (行政复议、行政诉讼) must all be present.
    Why: they are the report's figures; without them nothing can be compared or checked.
    Example: seed 004 (兑镇镇 2021) has no part-二 table.
    Basis: 国办公开办函〔2021〕30号 report format, tables 二–四.
    """
    for t in spec.TABLES["2021"]:
        if t.key not in report.tables:
            yield hit(table=t.name, expected=t.name, actual=None)


@rule("S103", "row-missing", "error", "表格“{table}”缺少“{row}”一行")
def row_missing(report, previous):
    """A row of a present table is missing.

    What: every row of the template's table must be there (2021: （六）其他处理 may be divided into
    its three sub-rows or printed undivided).
    Why: a missing row hides figures and breaks the table's arithmetic.
    Example: a table 三 without the row （五）不予处理 5.要求行政机关确认或重新出具已获取信息.
    Basis: the template's table layout.
    """
    if report.template not in spec.TABLES:
        return
    for t in spec.TABLES[report.template]:
        if t.key not in report.tables:
            continue
        present = {k.split(".")[1] for k in report.cells if k.startswith(t.key + ".")}
        for r in spec.expected_rows(t, report.template, present):
            keys = t.row_keys(r)
            if not any(k in report.cells for k in keys):
                yield hit(keys, table=t.title, row=r.label)


@rule("S104", "outdated-template", "error", "{year}年度报告应使用2021年新版模板，实际使用{template}版")
def outdated_template(report, previous):
    """A report for 2021 or later uses the 2019 template.

    What: reports on 2021 and later years must use the format of 国办公开办函〔2021〕30号.
    Why: the 2019 tables (上一年项目数量, 采购) no longer match what must be disclosed; reports on the
    old template are not comparable with their peers.
    Example: a 2022 report with a part-二 table headed 本年新制作数量 / 本年新公开数量.
    Basis: 国办公开办函〔2021〕30号.
    """
    if report.year and report.year >= 2021 and report.template == "2019":
        yield hit(expected="2021", actual="2019", year=report.year, template="2019")


_EMPTY = re.compile(r"^[\s。.、，,:：]*(无|暂无|没有|无其他需要报告的事项|本年度无其他需要报告的事项)?[\s。.]*$")


@rule("S105", "part-without-content", "warning", "第{num}部分“{title}”没有实质内容（“{text}”）")
def part_without_content(report, previous):
    """Part 五 is empty, or part 六 of a 2021 report says only “无”.

    What: part 五 must state the main problems and how they are being improved; in the 2021
    template part 六 must report 信息处理费 collected, the implementation of last year's 政务公开
    工作要点 and the publication of the handling of 人大代表建议和政协提案.
    Why: an empty part is a formal defect the reviewing office asks to be corrected.
    Example: 六、其他需要报告的事项 / 无。
    Basis: 国办公开办函〔2021〕30号, parts 五 and 六.
    """
    for p in report.parts:
        if p.number == 5 or (p.number == 6 and report.template == "2021"):
            body = re.sub(r"\s+", "", p.text)
            if len(body) < 8 and _EMPTY.match(body):
                yield hit(loc=p.loc, num=spec.part_numeral(p.number), title=PART_TITLES[p.number],
                          text=body or "空", actual=body)
