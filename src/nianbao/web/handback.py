"""What a reviewer takes away: the audit workbook (:mod:`nianbao.output.xlsx`), the data as CSV,
and the correction notice (:mod:`nianbao.output.notice`, when it is there)."""
from __future__ import annotations

import csv
import importlib.util
import io

from ..audit import Audited
from ..model.document import Location
from ..output.safe import csv_cell
from ..rules.registry import Finding
from ..store.review import Review
from .deps import WebError
from .views import fmt


def audited(review: Review, report_id: int, corrected: bool = True) -> Audited:
    """The stored report as an :class:`Audited` (``corrected``: corrected cells carry their corrected value)."""
    meta = review.report_row(report_id)
    report = review.corpus.report(report_id)
    for c in review.corrections(report_id, latest=True) if corrected else ():
        cell = report.cells.get(c["key"])
        if cell is not None:
            cell.value, cell.certain = c["value"], True
    findings = [Finding(f["code"], f["name"], f["severity"], f["message"], keys=f["keys"],
                        loc=Location.from_dict(f["loc"]) if f["loc"] else None, expected=f["expected"],
                        actual=f["actual"], file=meta["name"], agency=report.agency, year=report.year)
                for f in review.findings(report_id)]
    return Audited(meta["name"], report=report, findings=findings)


def workbook(review: Review, report_id: int, path) -> str:
    """The audit workbook of one report (corrected values in its tables), with two more sheets:
    审核决定 (each finding's decision) and 更正记录 (each correction, the parsed value beside it)."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    from ..output.safe import safe_row
    from ..output.xlsx import audits_to_workbook
    from .views import label
    a = audited(review, report_id)
    audits_to_workbook([a], path)
    wb = load_workbook(path)
    ws = wb.create_sheet("审核决定")
    ws.append(safe_row(["代码", "级别", "说明", "单元格", "决定", "意见", "决定人", "时间", "沿用上一版本"]))
    for f in review.findings(report_id):
        d = f["decision"] or {}
        ws.append(safe_row([f["code"], f["severity"], f["message"], "、".join(label(k, a.report.template) for k in f["keys"]),
                            d.get("label"), d.get("comment"), d.get("user"), (d.get("at") or "").replace("T", " ")[:19] or None,
                            ("是" if d.get("carried_over") else "否") if d else None]))
    wc = wb.create_sheet("更正记录")
    wc.append(safe_row(["单元格", "单元格键", "原值（解析所得）", "更正为", "理由", "更正人", "时间"]))
    for c in review.corrections(report_id):
        wc.append(safe_row([label(c["key"], a.report.template), c["key"], _num(c["original"]), _num(c["value"]),
                            c["reason"], c["user"], c["at"].replace("T", " ")[:19]]))
    for sheet in (ws, wc):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for col, width in zip("ABCDEFGHI", (10, 8, 50, 36, 12, 30, 10, 18, 12)):
            sheet.column_dimensions[col].width = width
    wb.save(path)
    return f"{a.report.agency or '报告'}{a.report.year or ''}"


def _num(v):
    """Exact decimals as numbers a spreadsheet keeps (whole numbers as int)."""
    from decimal import Decimal
    return float(v) if isinstance(v, Decimal) else v


CSV_HEADER = ["文件", "机关", "年度", "模板", "单元格键", "数值", "原文", "确定", "更正后数值", "更正理由"]


def csv_rows(review: Review, filters: dict):
    """The cells of every report the list's filters select, as CSV text chunks (with a BOM for Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    buf.write("\ufeff")
    w.writerow(CSV_HEADER)
    page = 1
    while True:
        data = review.list_reports(**{**filters, "page": page, "per_page": 200})
        ids = [r["report_id"] for r in data["rows"] if r["report_id"] is not None]
        reports = review.corpus.reports_by_id(ids) if ids else {}
        for rid in ids:
            r = reports[rid]
            corr = {c["key"]: c for c in review.corrections(rid, latest=True)}
            for key in sorted(r.cells):
                c, k = r.cells[key], corr.get(key)
                w.writerow([csv_cell(x) for x in (r.file, r.agency, r.year, r.template, key, fmt(c.value), c.raw,
                                                  "是" if c.certain else "否", fmt(k["value"]) if k else "",
                                                  k["reason"] if k else "")])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
        if page * 200 >= data["total"]:
            return
        page += 1


def notice_available() -> bool:
    return importlib.util.find_spec("nianbao.output.notice") is not None


def notice(review: Review, report_id: int) -> tuple:
    """The correction notice (问题反馈单, DOCX bytes) of one report: the findings a reviewer marked
    误报/已说明 are left out. Returns ``(bytes, name)``."""
    if not notice_available():
        raise WebError(404, "not-available", "问题反馈单功能尚未提供：请先下载核查工作簿")
    from ..output.findings import finding_id
    from ..output.notice import notice_document
    a = audited(review, report_id, corrected=False)
    decided = {(f["code"], tuple(f["keys"]), f["message"]): f["decision"] for f in review.findings(report_id)}
    dismissed = {finding_id(f) for f in a.findings
                 if (decided.get((f.code, tuple(f.keys), f.message)) or {}).get("decision") == "dismissed"}
    buf = io.BytesIO()
    notice_document(a, dismissed).save(buf)
    return buf.getvalue(), f"{a.report.agency or '报告'}{a.report.year or ''}"
