"""The code catalogue: every parser diagnostic (P001…) and every input error (``bad-encoding``…).

Codes are permanent: never renumber, never reuse. A code that is no longer issued stays here with
``status="retired"`` so that a stored record naming it can still be explained.

Each entry (:class:`Code`) has

* ``code``: ``P`` + three digits for a parser diagnostic; the kebab-case name for an input error;
* ``name``: kebab-case, describes the problem;
* ``kind``: ``"diagnostic"`` (the parser read the document, with a doubt: :class:`Diagnostic`) or
  ``"input"`` (the input cannot be read as a report at all: :class:`~nianbao.errors.InputError`);
* ``severity``: ``error`` | ``warning`` | ``info`` (input errors are always ``error``);
* ``zh`` and ``en``: message templates, ``str.format`` fields filled from the parameters;
* ``doc``: one line on what it means, with an example;
* ``status``: ``active`` | ``retired``.

Messages are never stored as the truth: a diagnostic keeps its code and parameters and renders
its message from here (:func:`render`), so rewording a template rewords every record.
"""
from __future__ import annotations

from dataclasses import dataclass

from .report import Diagnostic

ACTIVE, RETIRED = "active", "retired"
DIAGNOSTIC, INPUT = "diagnostic", "input"


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    kind: str
    severity: str
    zh: str
    en: str
    doc: str
    status: str = ACTIVE

    def render(self, params: dict | None = None, lang: str = "zh") -> str:
        """The message in ``lang`` (``zh`` or ``en``), its fields filled from ``params``."""
        return (self.zh if lang == "zh" else self.en).format(**(params or {}))

    @property
    def template(self) -> str:
        """The Chinese message template."""
        return self.zh


def _p(code, name, severity, zh, en, doc, status=ACTIVE) -> Code:
    return Code(code, name, DIAGNOSTIC, severity, zh, en, doc, status)


def _i(name, zh, en, doc, status=ACTIVE) -> Code:
    return Code(name, name, INPUT, "error", zh, en, doc, status)


_ENTRIES = [
    # ------------------------------------------------------------------ parser diagnostics
    _p("P001", "scanned-pdf-no-text", "error",
       "扫描件无文字层，未能识别出文字（需要 OCR 支持：pip install 'nianbao[ocr]'）",
       "scanned document without a text layer and no text recognised (OCR support: pip install 'nianbao[ocr]')",
       "The PDF (or image) has no text layer and nothing was recognised: OCR support is not installed (pip install 'nianbao[ocr]') or the pages hold no readable text. Example: a report printed, signed and scanned to PDF: pages are images only."),
    _p("P101", "part-heading-not-found", "warning", "未找到第{part}部分“{title}”的标题",
       "heading of part {part} ({title}) not found",
       "A part heading of the template was not found. Example: seed 004 goes from 一、总体情况 straight to table 三 without the headings 二 and 三."),
    _p("P102", "title-not-found", "warning", "未找到报告标题，无法确定发布机关",
       "report title not found; the publishing body is unknown",
       "No title naming the publishing body was found. Example: a web copy that lost its title line: no “……政府信息公开工作年度报告” anywhere."),
    _p("P103", "year-not-found", "warning", "未能确定报告年度",
       "the report year could not be determined",
       "The statistics year could not be read from the title or text. Example: a title without the year: “某某局政府信息公开工作年度报告”."),
    _p("P104", "template-undetermined", "warning", "表格结构不足以判断模板，按年度 {year} 推定为 {template} 版",
       "the tables do not show the template; assumed the {template} template from the year {year}",
       "The tables do not show which template is used; it was inferred from the year. Example: a report whose part-二 table is missing and whose （六）其他处理 row is undivided."),
    _p("P105", "metadata-from-text", "info", "{what}“{value}”取自正文线索（{clue}），未见于标题",
       "{what} “{value}” read from a clue in the text ({clue}), not from a title",
       "The publishing body or the year was not in a title line and was read from a clue in the text (clue: quoted-title 《…报告》, compiled-by 由X编制, sentence-title 现公布X…报告, opening 2023年，X…, contact 请与X办公室联系, statistics-period 统计期限为…, year-mentions the year the text names most). Example: a web copy without its title line: “现将北坡镇2022年政府信息公开工作年度报告进行公开”."),
    _p("P106", "metadata-ocr-low-confidence", "warning",
       "{what}“{value}”取自 OCR 识别的文字，其中有字符把握不足（置信度 {confidence}），请对照原件核实",
       "{what} “{value}” was read by OCR from a line with a character below confidence ({confidence}): check it",
       "The publishing body (or the year) was read by OCR from a scanned line that has a character the engine was not sure of (confidence below ocr_min_confidence): the name may be misread. Example: a scanned title whose 镇 is read as 真 with confidence 0.55."),
    _p("P110", "template-evidence-conflict", "warning", "表格用语属于 {words} 版模板，行列结构却属于 {structure} 版，已按 {structure} 版读取",
       "the tables' wording points to the {words} template, their rows and columns to the {structure} template; read as {structure}",
       "The wording of the tables' headers and rows points to one template and their rows and columns (how many values each row has) to the other; the structure decides. Example: a 2021 report whose 主动公开 table keeps the 2019 headers 本年新制作数量/本年新公开数量 but has one value per row for 行政许可."),
    _p("P210", "table-incomplete", "warning", "表格“{table}”不完整（缺少{missing}），已读出的数值均标为不确定，不作为完整表格",
       "table {table} is incomplete (missing {missing}); the values read are marked uncertain and the table is not reported as found",
       "A table stops before its last rows (a web copy cut off, a page missing): it is not reported as found; the values of the rows it did read are given, uncertain. Example: a web page's text cut after the first rows of table 三."),
    _p("P211", "row-label-variant", "info", "表格“{table}”中“{written}”按模板行“{row}”读取，勾稽关系验证无误",
       "in table {table}, “{written}” was read as the row {row}; the template's arithmetic confirms it",
       "A row whose label differs from the template's by a character or two (a typo, a homophone), or whose label is lost between two rows read by their labels, was placed on the template row it stands for, and the table's arithmetic (A1–A3) holds over its cells. Example: 3.危及“三安全一稳定” written 3.危及“三安全一稳走”."),
    _p("P212", "row-placed-unconfirmed", "warning", "表格“{table}”中“{written}”可能是模板行“{row}”，但无法用勾稽关系验证，其数值标为不确定",
       "in table {table}, “{written}” may be the row {row}, but no arithmetic confirms it: its values are uncertain",
       "A row was placed by a near label or by its position between two rows read by their labels, and the template's arithmetic cannot confirm it (table 二 has none, or the relations do not hold): its values are given but uncertain. Example: 行政许可 written 行政许阿 in table 二."),
    _p("P213", "split-by-text", "info", "表格“{table}”中“{row}”的数字连在一起（“{raw}”），按报告正文所述数字拆分为 {values}",
       "in table {table}, the digits of {row} ran together (“{raw}”); split as {values} by the figures the report's text states",
       "Digits of a table-二 row ran together and several splits were possible; the report's own text states a figure of that row (制发规范性文件69件) that only one split gives, so that split is read. Example: “693665” with the sentence “制发行政规范性文件69件，废止3件” reads 69/3/665."),
    _p("P214", "ocr-low-confidence", "warning",
       "表格“{table}”中“{row}”的数值由 OCR 识别，有字符把握不足（置信度 {confidence}），已标为不确定：{raw}",
       "in table {table}, values of {row} were read by OCR with a character below confidence ({confidence}); marked uncertain: {raw}",
       "A value read by OCR from a scanned page has a character the engine was not sure of (confidence below the setting ocr_min_confidence): the value is given as read but uncertain, so that no misread digit passes as certain; check it against the scan. Example: a “3” half covered by a seal, read as “8” with confidence 0.62."),
    _p("P215", "ocr-grid-incomplete", "warning",
       "第 {page} 页扫描件的表格线未能完整识别（{ends} 处表格线中途断开），该表格读出的数值均标为不确定",
       "on page {page} the scanned table's ruling lines were not all recovered ({ends} rule ends inside it): its values are uncertain",
       "The grid of a table on a scanned page was recovered from the image with rules that stop inside the table (hairlines faded by blur, noise or skew): rows or columns may have merged and values may sit on the wrong row, so every value read from that table is given uncertain (the rows also get P214). Example: a 150-dpi scan of a LibreOffice table whose hairlines vanish beside the row labels."),
    _p("P201", "table-not-found", "warning", "未找到表格“{table}”",
       "table {table} not found",
       "A statistics table of the template was not found. Example: seed 004 has no part-二 table at all."),
    _p("P202", "row-not-found", "warning", "表格“{table}”中未找到“{row}”一行",
       "row {row} not found in table {table}",
       "A row of a table was not found. Example: a table 三 that skips the row （五）不予处理 2.重复申请."),
    _p("P203", "row-too-few-values", "warning", "“{row}”一行应有 {expected} 个数值，只找到 {actual} 个，无法确定各值所属的列",
       "row {row} should have {expected} values, found only {actual}; their columns cannot be known",
       "A row has fewer values than columns; which column is empty cannot be known. Example: seed 004 (a PDF export): 一、本年新收 shows six numbers for seven columns."),
    _p("P204", "row-too-many-values", "warning", "“{row}”一行应有 {expected} 个数值，却找到 {actual} 个",
       "row {row} should have {expected} values, found {actual}",
       "A row has more values than columns. Example: a row 规章 with four numbers for three columns."),
    _p("P205", "unreadable-cell", "warning", "单元格“{label}”的内容无法识别为数值：{reason}",
       "cell {label} is not a number: {reason}",
       "A cell's text is not a number, a blank mark or a number with a known unit. Example: a count cell reading “若干”, “2.0” or “3万元”."),
    _p("P206", "ambiguous-split", "warning", "“{row}”的数字连在一起（“{raw}”），有 {n} 种拆分均可能，未予采用",
       "the numbers of row {row} ran together ({raw}); {n} splits are possible, none was taken",
       "Cells whose text ran together can be split in several ways that the template's arithmetic cannot settle. Example: pingtan 2021: 行政规范性文件 “693665” can be 69/3/665 or 6/93/665 or …"),
    _p("P207", "ambiguous-unit", "warning", "单元格“{label}”未写明金额单位，按“{unit}”计",
       "cell {label} states no money unit; read as {unit}",
       "A money cell and its column header state no unit; the template's unit was assumed. Example: a 2019 report with header “采购总金额” and the cell “329164”."),
    _p("P208", "fused-cells-split", "info", "表格“{table}”有 {n} 行数字连在一起，已按列数和勾稽关系唯一拆分（{rows}）",
       "{n} rows of table {table} had numbers run together; each was split the only way that fits ({rows})",
       "Cells that ran together were split; the split was the only one consistent with the row's column count and the template's arithmetic. Example: pingtan 2021: 本年新收 “640020470” is 64,0,0,2,0,4,70 — the only split satisfying A1–A3."),
    _p("P209", "values-without-row", "warning", "表格“{table}”中有数值无法对应到任何行：“{label}” {values}",
       "numbers in table {table} belong to no row: {label} {values}",
       "Numbers in a table region follow a label that is not a row of the template. Example: numbers after a label “合计” that is no row of table 三."),
    _p("P216", "more-values-without-row", "warning",
       "表格“{table}”中另有 {n} 组数值无法对应到任何行（{first}至{last}），只逐一列出了前 {shown} 组",
       "{n} more groups of numbers in table {table} belong to no row ({first} to {last}); only the first {shown} are listed one by one",
       "A table region holds more groups of numbers that no row takes than are listed one by one (P209, the first 20 of a table): the rest are counted in this one diagnostic, with the lines (or rows) where they begin and end, so that none goes unmentioned. Example: a table row copied thousands of times into table 二."),
    # ------------------------------------------------------------------ input errors
    _i("empty", "文件为空", "file is empty",
       "The file has no bytes, or only white space."),
    _i("too-big", "文件过大（{mb} MB，上限 {limit_mb} MB）", "file too large ({size} bytes)",
       "The file is larger than the ingest limit (``nianbao.ingest.MAX_BYTES``)."),
    _i("unsupported-zip", "压缩包不是 Word 文档（.docx）", "zip container is not a .docx document",
       "A zip container given as one document that is not a Word document. Example: an .xlsx or .odt file."),
    _i("legacy-doc", "旧版 Word（.doc）格式暂不支持，请另存为 .docx", "legacy .doc is not supported; save as .docx",
       "A Word 97–2003 binary document (OLE container); only .docx is read.", status=RETIRED),
    _i("corrupt-ofd", "OFD 文件已损坏或无法读取：{reason}", "corrupt or unreadable OFD file: {reason}",
       "An OFD package (GB/T 33190) whose zip, OFD.xml, document or page parts cannot be read."),
    _i("needs-libreoffice", "读取旧版 Word（.doc）或 WPS（.wps）文件需要安装 LibreOffice（Debian：apt-get install libreoffice-writer），或将文件另存为 .docx",
       "reading a legacy .doc/.wps file needs LibreOffice (Debian: apt-get install libreoffice-writer), or save it as .docx",
       "A Word 97–2003 or Kingsoft WPS file is converted to DOCX with LibreOffice headless; LibreOffice is not installed."),
    _i("convert-failed", "旧版 Word/WPS 文件转换失败：{reason}", "converting the legacy Word/WPS file failed: {reason}",
       "LibreOffice could not convert the legacy file in time (a corrupt or encrypted file, a very large one)."),
    _i("unsupported-office", "{kind}不是年报文档格式，不在读取范围内（请提供 Word、WPS、PDF、HTML 或文本格式的报告）",
       "{kind}: not a report document format (give a Word, WPS, PDF, HTML or text report)",
       "An OLE office file that is not a word-processing document: spreadsheets (.xls/.et) and presentations (.ppt/.dps) are out of scope."),
    _i("bad-encoding", "无法识别文件编码", "cannot detect the text encoding",
       "A text or HTML file whose encoding is neither declared nor detectable (not UTF-8, GB18030 or any charset-normalizer guess)."),
    _i("binary", "文件不是文本（含二进制内容）", "file is binary, not text",
       "A file taken as text holds NUL bytes: it is some binary format nianbao does not read."),
    _i("cannot-open", "无法打开文件：{reason}", "cannot open file: {error}",
       "The operating system refused to read the file (permissions, a broken link, a vanished file)."),
    _i("corrupt-zip", "压缩包已损坏或无法打开", "corrupt zip archive",
       "A .zip of reports given as input cannot be opened."),
    _i("corrupt-docx", "Word 文件已损坏或无法打开", "corrupt or unreadable .docx",
       "A .docx that cannot be opened: not a zip, truncated, or without a Word main part."),
    _i("corrupt-image", "图片文件已损坏或无法读取", "corrupt or unreadable image file",
       "A PNG, JPEG or TIFF file (read by OCR) that OpenCV cannot decode."),
    _i("corrupt-pdf", "PDF 文件已损坏或无法打开", "corrupt or unreadable PDF",
       "A PDF that pdfium cannot open or read."),
    _i("encrypted-pdf", "PDF 文件已加密，需要密码才能打开", "encrypted PDF: a password is needed to open it",
       "A PDF protected by a password (or a security handler pdfium cannot open)."),
    _i("not-a-report", "不是政府信息公开工作年度报告（未找到报告标题、六个部分和统计表）",
       "not an information-disclosure annual report (no title, parts or tables found)",
       "The document was read, but has no report title, no part heading and no statistics table."),
    _i("timeout", "处理超时（超过 {limit} 秒），已终止", "processing took longer than {limit} s; stopped",
       "Reading the input took longer than the wall-time limit (setting ``time_limit``); its worker was killed and the batch went on."),
    _i("memory-limit", "内存占用超过上限（{limit_mb} MB），已终止", "memory use above the ceiling ({limit_mb} MB); stopped",
       "Reading the input made its worker's resident memory exceed the ceiling (setting ``memory_limit``); the worker was killed and the batch went on."),
    _i("worker-crashed", "处理进程异常退出（{reason}），已跳过此文件", "the worker process died ({reason}); input skipped",
       "The worker reading the input died (a native crash such as a segfault, or the system's OOM killer); a fresh worker took over and the batch went on."),
    _i("not-regular-file", "不是普通文件（{kind}），未读取", "not a regular file ({kind_en}); not read",
       "A named input is a FIFO, a device, a socket or a link to one (e.g. a link to /dev/zero); it is refused without being opened for reading."),
    _i("zip-bomb", "压缩包超出限制：{reason}", "zip archive over the limits: {detail}",
       "A zip archive (or a .docx) whose members declare more bytes, more members or a higher compression ratio than the limits allow (settings ``max_zip_members``, ``max_expanded_bytes``); it is refused before anything is expanded."),
    _i("nested-zip", "压缩包内嵌套的压缩包未展开，请先解压", "a zip inside the zip archive was not expanded; unpack it first",
       "A member of a zip archive is itself a zip archive; nested archives are not expanded (each level would multiply the expansion limits)."),
    _i("too-deep", "文档结构过深或过大，无法安全读取（{reason}）", "document structure too deep or too large ({detail})",
       "An HTML or XML structure that the parser refused (nesting deeper than libxml2's limit, a tree over its size cap): an error, never an empty record."),
    _i("no-content", "文件中没有可读取的内容", "no readable content in the file",
       "The file was opened but holds no text at all (a BOM only, a PDF whose pages have no area, markup without text): it is unreadable, never an empty record."),
    _i("internal-error", "解析出错：{error}", "internal error: {message}",
       "A parser defect (an unexpected exception); recorded so that a batch goes on. Report it as a bug."),
]

CATALOGUE: dict = {e.code: e for e in _ENTRIES}
"""Every code, parser diagnostics and input errors: code → :class:`Code`."""

CODES: dict = {c: e for c, e in CATALOGUE.items() if e.kind == DIAGNOSTIC}
"""The parser diagnostics (P codes): code → :class:`Code`."""

INPUT_ERRORS: dict = {c: e for c, e in CATALOGUE.items() if e.kind == INPUT}
"""The input errors (kebab-case codes): code → :class:`Code`."""


def render(code: str, params: dict | None = None, lang: str = "zh") -> str:
    """The message of ``code`` in ``lang`` with its fields filled from ``params``."""
    return CATALOGUE[code].render(params, lang)


def diag(code: str, loc=None, keys=(), candidates=(), **fields) -> Diagnostic:
    """A :class:`Diagnostic` of catalogue code ``code``; ``fields`` fill its message template."""
    entry = CODES[code]
    entry.render(fields)  # a missing field fails here, where the diagnostic is made
    return Diagnostic(code=code, severity=entry.severity, loc=loc, keys=list(keys),
                      candidates=list(candidates), params=dict(fields))
