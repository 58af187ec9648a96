"""Find the six part headings (一、总体情况 … 六、其他需要报告的事项) in a document's paragraphs.

A heading is a part number (``一、`` / ``1、`` / ``（一）``) followed by that part's title words.
The number must agree with the title: ``（一）主动公开政府信息情况`` inside 总体情况 is a
subsection, not part 二; ``二、上年结转…`` inside table 三 is a row label, not a heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PART_TITLES = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}

_TITLE_RX = {
    1: r"(?:总体|基本|整体)情况|概述|总体概况",
    2: r"(?:政府)?主动公开(?:政府)?信息(?:的)?(?:工作)?情况",
    3: r"收到和处理(?:政府信息公开)?申请(?:的)?情况|(?:收到|受理)(?:和|及)?(?:处理)?(?:政府信息)?公开申请(?:的)?情况|依申请公开(?:政府信息)?(?:的)?(?:工作)?情况",
    4: r"(?:政府信息公开)?(?:被申请)?行政复议[、和及与]?(?:提起)?行政诉讼(?:的)?情况|(?:因政府信息公开)?(?:申请)?行政复议、?行政诉讼",
    5: r"(?:存在的?)?(?:主要)?问题(?:及|和|与|以及)?(?:其)?(?:改进|整改)(?:情况|措施|举措|计划|方向)?|存在的主要问题(?:及|和)?(?:改进)?(?:情况)?|主要问题(?:及|和)?(?:改进)?(?:情况)?",
    6: r"其他需要报告的?事项",
}
_NUMS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}

_HEADING = re.compile(
    r"(?P<num>第?[一二三四五六][、.．]|(?<![\d.])[1-6][、.．](?!\d)|[(（][一二三四五六1-6][)）])[ \t\u3000]*(?P<title>"
    + "|".join(f"(?P<t{k}>{v})" for k, v in _TITLE_RX.items()) + ")"
)


@dataclass(frozen=True)
class Heading:
    part: int
    block: int  # index of the block holding it
    start: int  # char offset of the heading in that block's first cell
    end: int  # char offset just after the title
    title: str


def _number(num: str) -> int:
    ch = num.strip("第、.．()（）")
    return _NUMS.get(ch) or int(ch)


def block_headings(text: str, block: int):
    """All number/title-consistent headings in one paragraph's text."""
    for m in _HEADING.finditer(text):
        part = next(k for k in _TITLE_RX if m.group(f"t{k}"))
        if _number(m.group("num")) != part:
            continue
        yield Heading(part, block, m.start(), m.end(), text[m.start(): m.end()].strip())


def blocks_to_headings(blocks: list) -> list:
    """The part headings in order: for each part, the first heading after the previous part's."""
    found = []
    for i, b in enumerate(blocks):
        if b.kind != "para":
            continue
        text = b.cells[0].text
        if "、" not in text and "." not in text and "．" not in text and "）" not in text and ")" not in text:
            continue
        found.extend(block_headings(text, i))
    result = []
    last = 0
    for h in found:  # already in document order
        if h.part > last:
            result.append(h)
            last = h.part
    return result
