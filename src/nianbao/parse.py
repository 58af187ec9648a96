"""``parse``: any report file → one :class:`~nianbao.model.Report`.

bytes → Document (ingest) → headings (sections) → tokens → tables → Report.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Union

from . import spec
from .diagnostics import diag
from .document import Document
from .errors import InputError
from .ingest import bytes_to_document
from .meta import detect_template, find_title
from .model import Part, Report
from .sections import PART_TITLES, blocks_to_headings
from .tables import region_tokens, table_to_cells
from .tokens import blocks_to_tokens


def parse(source: Union[str, os.PathLike, bytes], *, filename: str | None = None) -> Report:
    """Parse a report given as a path or as bytes (``filename`` names it in the record)."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    else:
        path = Path(source)
        data = path.read_bytes()
        filename = filename or path.name
    doc = bytes_to_document(data, filename)
    return document_to_report(doc, filename=filename, sha256=hashlib.sha256(data).hexdigest())


def document_to_report(doc: Document, *, filename: str | None = None, sha256: str = "") -> Report:
    report = Report(file=filename, format=doc.format, sha256=sha256)
    report.diagnostics.extend(doc.diagnostics)
    if not doc.blocks:
        return report
    headings = blocks_to_headings(doc.blocks)
    tokens = blocks_to_tokens(doc.blocks, headings, grid_rows=doc.format in ("html", "docx"))
    found = {h.part for h in headings}

    # metadata
    first = headings[0].block if headings else min(len(doc.blocks), 40)
    texts = [b.text for b in doc.blocks[: max(first, 1) + 1] if b.kind == "para"]
    report.title, report.agency, report.year = find_title(texts, doc.title)
    if report.title is None:
        report.diagnostics.append(diag("P102"))
    if report.year is None:
        report.diagnostics.append(diag("P103"))

    # parts
    report.parts = blocks_to_parts(doc.blocks, headings)
    for n, title in PART_TITLES.items():
        if n not in found:
            report.diagnostics.append(diag("P101", part="一二三四五六"[n - 1], title=title))

    # template
    regions = {p: region_tokens(tokens, p, found) for p in (2, 3, 4)}
    template, _ = detect_template("".join(t.text for t in regions[2] if t.kind == "label"),
                                  "".join(t.text for t in regions[3] if t.kind == "label"))
    if template is None:
        template = "2021" if (report.year or 2021) >= 2021 else "2019"
        report.diagnostics.append(diag("P104", year=report.year or "未知", template=template))
    report.template = template

    # tables
    for table in spec.TABLES[template]:
        cells, diags, ok = table_to_cells(table, regions[table.part], template)
        report.cells.update(cells)
        report.diagnostics.extend(diags)
        if ok:
            report.tables.append(table.key)
            report.labels[table.key] = "".join(t.text for t in regions[table.part] if t.kind == "label")
    if not headings and not report.tables and report.title is None:
        raise InputError("not-a-report", "不是政府信息公开工作年度报告（未找到报告标题、六个部分和统计表）",
                         "not an information-disclosure annual report (no title, parts or tables found)")
    return report


# the page around the article: print/close links, site footer, attachments
_FOOTER = re.compile(r"^\s*(?:【?\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏)\s*】?|网站地图|主办单位|承办单位|"
                     r"版权所有|网站标识码|ICP备|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP|"
                     r"公安机关备案|联系我们|相关链接|附件下载|扫一扫|分享到)")


def blocks_to_parts(blocks: list, headings: list) -> list:
    """Each found part: its heading as written and the paragraph text up to the next heading (the
    last part stops where the page's footer begins)."""
    parts = []
    for i, h in enumerate(headings):
        end = headings[i + 1] if i + 1 < len(headings) else None
        texts = []
        for b in range(h.block, (end.block if end else len(blocks) - 1) + 1):
            block = blocks[b]
            if block.kind != "para":
                continue
            t = block.cells[0].text
            s = h.end if b == h.block else 0
            e = end.start if end is not None and b == end.block else len(t)
            piece = t[s:e]
            if end is None:
                if b != h.block and _FOOTER.match(piece):
                    break
                m = _FOOTER_INLINE.search(piece)
                if m:  # web copies: the footer runs on in the same line
                    piece = piece[: m.start()]
            if piece.strip():
                texts.append(piece.strip())
        parts.append(Part(h.part, h.title, "\n".join(texts), blocks[h.block].cells[0].loc))
    return parts


_FOOTER_INLINE = re.compile(r"\s(?:附件下载|【打印本页】|【关闭窗口】|打印本页|关闭窗口)")
