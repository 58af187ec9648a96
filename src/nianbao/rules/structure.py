"""Structure rules (S): parts, tables, rows, template."""
from __future__ import annotations

import re

from .. import spec
from ..parsing.sections import PART_TITLES
from .registry import hit, rule


@rule("S101", "part-missing", "error", "缺少第{num}部分“{title}”")
def part_missing(report, previous):
    """缺少格式规定的六个部分之一。

    说明：报告应依次包含“一、总体情况”至“六、其他需要报告的事项”六个部分，每部分有标题。
    原因：缺少部分即报告内容不完整，审核时应退回补充。
    示例：某乡镇报告从“一、总体情况”直接跳到第三部分的表格。
    依据：《条例》第五十条（年度报告应当包括的内容）；年度报告格式（国办公开办函〔2019〕60号、〔2021〕30号）规定的六个部分。
    """
    have = {p.number for p in report.parts}
    for n, title in PART_TITLES.items():
        if n not in have:
            yield hit(num=spec.part_numeral(n), title=title, expected=title, actual=None)


@rule("S102", "table-missing", "error", "缺少统计表“{table}”")
def table_missing(report, previous):
    """缺少格式规定的统计表。

    说明：表二（主动公开政府信息情况）、表三（收到和处理政府信息公开申请情况）、表四（政府信息公开行政复议、行政诉讼情况）三张表都应具备。
    原因：统计表是报告的数据主体，缺表则无法核对和比较。
    示例：兑镇镇2021年度报告没有第二部分的表格。
    依据：年度报告格式（国办公开办函〔2019〕60号、〔2021〕30号）第二、三、四部分的统计表。
    """
    for t in spec.TABLES["2021"]:
        if t.key not in report.tables:
            yield hit(table=t.name, expected=t.name, actual=None)


@rule("S103", "row-missing", "error", "{table}缺少“{row}”一行")
def row_missing(report, previous):
    """统计表中缺少格式规定的某一行。

    说明：表格应包含格式的全部行（2021年版表三“（六）其他处理”可分为三个子行，也可不分）。
    原因：缺行会遗漏数据，也使表格的勾稽关系无法核对。
    示例：表三缺少“（五）不予处理 5.要求行政机关确认或重新出具已获取信息”一行。
    依据：年度报告格式（国办公开办函〔2019〕60号、〔2021〕30号）所附统计表的行列设置。
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
                yield hit(keys, table=f"表{spec.part_numeral(t.part)}（{t.title}）", row=r.label)


@rule("S104", "outdated-template", "error", "{year}年度报告应使用2021年版格式，实际使用的是{template}年版格式")
def outdated_template(report, previous):
    """2021年度及以后的报告仍使用2019年版格式。

    说明：2021年度及以后的报告应使用国办公开办函〔2021〕30号印发的格式。
    原因：2019年版表格（“上一年项目数量”“政府集中采购”等）与现行格式要求公开的内容不一致，与同级报告也无法比较。
    示例：2022年度报告第二部分表头仍为“本年新制作数量”“本年新公开数量”。
    依据：年度报告格式（国办公开办函〔2021〕30号）。
    """
    if report.year and report.year >= 2021 and report.template == "2019":
        yield hit(expected="2021", actual="2019", year=report.year, template="2019")


_EMPTY = re.compile(r"^[\s。.、，,:：]*(无|暂无|没有|无其他需要报告的事项|本年度无其他需要报告的事项)?[\s。.]*$")


@rule("S105", "part-without-content", "warning", "第{num}部分“{title}”没有实质内容（原文为“{text}”）")
def part_without_content(report, previous):
    """第五部分为空，或2021年版报告第六部分只写“无”。

    说明：第五部分应写明存在的主要问题及改进情况；2021年版格式第六部分注明“收取信息处理费情况在此处报告”，格式说明还列有上年度政务公开工作要点落实情况、人大代表建议和政协提案办理结果公开情况。
    原因：该部分空缺属于形式缺陷，审核时通常要求补正。
    示例：“六、其他需要报告的事项　无。”
    依据：《条例》第五十条（年度报告应当包括的内容）；年度报告格式（国办公开办函〔2021〕30号）第六部分的说明“（文字描述，收取信息处理费情况在此处报告。）”。
    """
    for p in report.parts:
        if p.number == 5 or (p.number == 6 and report.template == "2021"):
            body = re.sub(r"\s+", "", p.text)
            if len(body) < 8 and _EMPTY.match(body):
                yield hit(loc=p.loc, num=spec.part_numeral(p.number), title=PART_TITLES[p.number],
                          text=body or "空", actual=body)
