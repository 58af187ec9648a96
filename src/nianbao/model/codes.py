"""Parser diagnostic codes. Codes are permanent: never renumber, never reuse.

Each code: (kebab-case name, severity, Chinese message template, English doc line).
"""
from __future__ import annotations

from .report import Diagnostic

CODES = {
    "P001": ("scanned-pdf-no-text", "error", "扫描件 PDF 无文字层，暂不支持 OCR",
             "The PDF has no text layer (a scan); nothing can be read without OCR. Example: a report printed, signed and scanned to PDF: pages are images only."),
    "P101": ("part-heading-not-found", "warning", "未找到第{part}部分“{title}”的标题",
             "A part heading of the template was not found. Example: seed 004 goes from 一、总体情况 straight to table 三 without the headings 二 and 三."),
    "P102": ("title-not-found", "warning", "未找到报告标题，无法确定发布机关",
             "No title naming the publishing body was found. Example: a web copy that lost its title line: no “……政府信息公开工作年度报告” anywhere."),
    "P103": ("year-not-found", "warning", "未能确定报告年度",
             "The statistics year could not be read from the title or text. Example: a title without the year: “某某局政府信息公开工作年度报告”."),
    "P104": ("template-undetermined", "warning", "表格结构不足以判断模板，按年度 {year} 推定为 {template} 版",
             "The tables do not show which template is used; it was inferred from the year. Example: a report whose part-二 table is missing and whose （六）其他处理 row is undivided."),
    "P105": ("metadata-from-text", "info", "{what}“{value}”取自正文线索（{clue}），未见于标题",
             "The publishing body or the year was not in a title line and was read from a clue in the text (clue: quoted-title 《…报告》, compiled-by 由X编制, sentence-title 现公布X…报告, opening 2023年，X…, contact 请与X办公室联系, statistics-period 统计期限为…, year-mentions the year the text names most). Example: a web copy without its title line: “现将北坡镇2022年政府信息公开工作年度报告进行公开”."),
    "P201": ("table-not-found", "warning", "未找到表格“{table}”",
             "A statistics table of the template was not found. Example: seed 004 has no part-二 table at all."),
    "P202": ("row-not-found", "warning", "表格“{table}”中未找到“{row}”一行",
             "A row of a table was not found. Example: a table 三 that skips the row （五）不予处理 2.重复申请."),
    "P203": ("row-too-few-values", "warning", "“{row}”一行应有 {expected} 个数值，只找到 {actual} 个，无法确定各值所属的列",
             "A row has fewer values than columns; which column is empty cannot be known. Example: seed 004 (a PDF export): 一、本年新收 shows six numbers for seven columns."),
    "P204": ("row-too-many-values", "warning", "“{row}”一行应有 {expected} 个数值，却找到 {actual} 个",
             "A row has more values than columns. Example: a row 规章 with four numbers for three columns."),
    "P205": ("unreadable-cell", "warning", "单元格“{label}”的内容无法识别为数值：{reason}",
             "A cell's text is not a number, a blank mark or a number with a known unit. Example: a count cell reading “若干”, “2.0” or “3万元”."),
    "P206": ("ambiguous-split", "warning", "“{row}”的数字连在一起（“{raw}”），有 {n} 种拆分均可能，未予采用",
             "Cells whose text ran together can be split in several ways that the template's arithmetic cannot settle. Example: pingtan 2021: 行政规范性文件 “693665” can be 69/3/665 or 6/93/665 or …"),
    "P207": ("ambiguous-unit", "warning", "单元格“{label}”未写明金额单位，按“{unit}”计",
             "A money cell and its column header state no unit; the template's unit was assumed. Example: a 2019 report with header “采购总金额” and the cell “329164”."),
    "P208": ("fused-cells-split", "info", "表格“{table}”有 {n} 行数字连在一起，已按列数和勾稽关系唯一拆分（{rows}）",
             "Cells that ran together were split; the split was the only one consistent with the row's column count and the template's arithmetic. Example: pingtan 2021: 本年新收 “640020470” is 64,0,0,2,0,4,70 — the only split satisfying A1–A3."),
    "P209": ("values-without-row", "warning", "表格“{table}”中有数值无法对应到任何行：“{label}” {values}",
             "Numbers in a table region follow a label that is not a row of the template. Example: numbers after a label “合计” that is no row of table 三."),
}


def diag(code: str, loc=None, keys=(), candidates=(), **fields) -> Diagnostic:
    name, severity, template, _ = CODES[code]
    return Diagnostic(code=code, message=template.format(**fields), severity=severity, loc=loc,
                      keys=list(keys), candidates=list(candidates))
