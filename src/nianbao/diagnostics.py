"""Parser diagnostic codes. Codes are permanent: never renumber, never reuse.

Each code: (kebab-case name, severity, Chinese message template, English doc line).
"""
from __future__ import annotations

from .model import Diagnostic

CODES = {
    "P001": ("scanned-pdf-no-text", "error", "扫描件 PDF 无文字层，暂不支持 OCR",
             "The PDF has no text layer (a scan); nothing can be read without OCR."),
    "P101": ("part-missing", "warning", "未找到第{part}部分“{title}”的标题",
             "A part heading of the template was not found."),
    "P102": ("title-not-found", "warning", "未找到报告标题，无法确定发布机关",
             "No title naming the publishing body was found."),
    "P103": ("year-not-found", "warning", "未能确定报告年度",
             "The statistics year could not be read from the title or text."),
    "P104": ("template-undetermined", "warning", "表格结构不足以判断模板，按年度 {year} 推定为 {template} 版",
             "The tables do not show which template is used; it was inferred from the year."),
    "P201": ("table-not-found", "warning", "未找到表格“{table}”",
             "A statistics table of the template was not found."),
    "P202": ("row-not-found", "warning", "表格“{table}”中未找到“{row}”一行",
             "A row of a table was not found."),
    "P203": ("row-too-few-values", "warning", "“{row}”一行应有 {expected} 个数值，只找到 {actual} 个，无法确定各值所属的列",
             "A row has fewer values than columns; which column is empty cannot be known."),
    "P204": ("row-too-many-values", "warning", "“{row}”一行应有 {expected} 个数值，却找到 {actual} 个",
             "A row has more values than columns."),
    "P205": ("unreadable-cell", "warning", "单元格“{label}”的内容无法识别为数值：{reason}",
             "A cell's text is not a number, a blank mark or a number with a known unit."),
    "P206": ("ambiguous-split", "warning", "“{row}”的数字连在一起（“{raw}”），有 {n} 种拆分均可能，未予采用",
             "Cells whose text ran together can be split in several ways that the template's arithmetic cannot settle."),
    "P207": ("ambiguous-unit", "warning", "单元格“{label}”未写明金额单位，按“{unit}”计",
             "A money cell and its column header state no unit; the template's unit was assumed."),
    "P208": ("fused-cells-split", "info", "表格“{table}”有 {n} 行数字连在一起，已按列数和勾稽关系唯一拆分（{rows}）",
             "Cells that ran together were split; the split was the only one consistent with the row's column count and the template's arithmetic."),
    "P209": ("values-without-row", "warning", "表格“{table}”中有数值无法对应到任何行：“{label}” {values}",
             "Numbers in a table region follow a label that is not a row of the template."),
}


def diag(code: str, loc=None, keys=(), candidates=(), **fields) -> Diagnostic:
    name, severity, template, _ = CODES[code]
    return Diagnostic(code=code, message=template.format(**fields), severity=severity, loc=loc,
                      keys=list(keys), candidates=list(candidates))
