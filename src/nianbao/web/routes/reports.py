"""Reports: the filtered list, one report (tables, findings), decisions, corrections, downloads."""
from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Optional
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel

from ...output.safe import csv_cell
from ..deps import AuthDep, ReviewDep, Reviewer, WebError
from ..pages import render
from ..views import cells_view, fmt, list_view, report_view
from .. import handback

router = APIRouter()


def _filters(year, template, agency, status, code, sort, desc, page, per_page) -> dict:
    year = (year or "").strip()
    if year and not year.isdigit():
        raise WebError(400, "bad-year", f"年度“{year}”不是数字：请从下拉框选择年度")
    return {"year": int(year) if year else None, "template": template, "agency": (agency or "").strip() or None, "status": status or None,
            "code": (code or "").strip().upper() or None, "sort": sort, "desc": desc, "page": page,
            "per_page": per_page}


_Q = dict(year=Query(None, description="年度"), template=Query(None, description="模板：2019 或 2021"),
          agency=Query(None, description="机关名称（包含）"),
          status=Query(None, description="ok 无问题 / errors 有错误 / warnings 有警告 / unreadable 无法读取 / reviewed 已审核"),
          code=Query(None, description="规则代码，如 S102"), rule=Query(None, description="同 code（概览图表的链接）"), sort=Query("agency", description="排序：name agency year template errors warnings status ingested"),
          desc=Query(False), page=Query(1, ge=1), per_page=Query(50, ge=1, le=500))


@router.get("/", include_in_schema=False)
def home(auth: AuthDep):
    return RedirectResponse("/overview", status_code=303)


@router.get("/reports", include_in_schema=False)
def reports_page(request: Request, review: ReviewDep, auth: AuthDep, year: Optional[str] = _Q["year"],
                 template: Optional[str] = _Q["template"], agency: Optional[str] = _Q["agency"],
                 status: Optional[str] = _Q["status"], code: Optional[str] = _Q["code"], rule: Optional[str] = _Q["rule"], sort: str = _Q["sort"],
                 desc: bool = _Q["desc"], page: int = _Q["page"], per_page: int = _Q["per_page"]):
    f = _filters(year, template, agency, status, code or rule, sort, desc, page, per_page)
    data = list_view(review, **f)
    params = {k: v for k, v in f.items() if k not in ("page",)}
    return render(request, "reports.html", {**data, "filters": f, "params": params})


@router.get("/api/reports", tags=["报告"], summary="报告列表（筛选、排序、分页）")
def reports_api(review: ReviewDep, auth: AuthDep, year: Optional[str] = _Q["year"],
                template: Optional[str] = _Q["template"], agency: Optional[str] = _Q["agency"],
                status: Optional[str] = _Q["status"], code: Optional[str] = _Q["code"], rule: Optional[str] = _Q["rule"], sort: str = _Q["sort"],
                desc: bool = _Q["desc"], page: int = _Q["page"], per_page: int = _Q["per_page"]):
    return list_view(review, **_filters(year, template, agency, status, code or rule, sort, desc, page, per_page))


@router.get("/api/agencies", tags=["报告"], summary="机关名称联想（边输入边搜索）")
def agencies(review: ReviewDep, auth: AuthDep, q: str = ""):
    return {"agencies": review.agencies(q.strip()) if q.strip() else []}


@router.get("/reports.csv", tags=["导出"], summary="筛选出的报告的全部单元格（CSV，长表）")
def reports_csv(review: ReviewDep, auth: AuthDep, year: Optional[str] = _Q["year"],
                template: Optional[str] = _Q["template"], agency: Optional[str] = _Q["agency"],
                status: Optional[str] = _Q["status"], code: Optional[str] = _Q["code"]):
    f = _filters(year, template, agency, status, code, "agency", False, 1, 500)
    return StreamingResponse(handback.csv_rows(review, f), media_type="text/csv; charset=utf-8",
                             headers={"content-disposition": "attachment; filename=\"nianbao-data.csv\""})


# ---------------------------------------------------------------- one report

@router.get("/reports/{report_id}", include_in_schema=False)
def report_page(request: Request, report_id: int, review: ReviewDep, auth: AuthDep):
    return render(request, "report.html", {**report_view(review, report_id), "fmt": fmt,
                                           "can_review": auth.can("reviewer"), "notice": handback.notice_available()})


def _api_report(v: dict) -> dict:
    return {"report": v["report"], "parts": v["parts"], "missing_parts": v["missing_parts"],
            "tables": [{"key": t["key"], "name": t["name"], "found": t["found"]} for t in v["tables"]],
            "cells": v["cells"], "findings": v["groups"], "corrections": v["corrections"]}


@router.get("/api/reports/{report_id}", tags=["报告"], summary="一份报告：元数据、六个部分、单元格、问题")
def report_api(report_id: int, review: ReviewDep, auth: AuthDep):
    return _api_report(report_view(review, report_id))


@router.get("/api/reports/{report_id}/cells", tags=["报告"], summary="单元格：值、原文、位置、是否确定、更正")
def cells_api(report_id: int, review: ReviewDep, auth: AuthDep):
    return {"cells": cells_view(review, report_id)}


@router.get("/api/reports/{report_id}/findings", tags=["问题"], summary="问题及其审核决定")
def findings_api(report_id: int, review: ReviewDep, auth: AuthDep):
    return {"findings": review.findings(report_id), "reviewed": review.reviewed(report_id)}


@router.get("/api/reports/{report_id}/decisions", tags=["问题"], summary="审核决定（含旧版本的）")
def decisions_api(report_id: int, review: ReviewDep, auth: AuthDep):
    return {"decisions": review.decisions(report_id)}


@router.get("/api/reports/{report_id}/corrections", tags=["更正"], summary="单元格更正（保留原值）")
def corrections_api(report_id: int, review: ReviewDep, auth: AuthDep):
    return {"corrections": review.corrections(report_id)}


class DecisionIn(BaseModel):
    decision: str  # confirmed | dismissed
    comment: str = ""


class CorrectionIn(BaseModel):
    key: str
    value: Optional[str] = None
    reason: str


class PickIn(BaseModel):
    candidate: int  # 0-based
    reason: str


@router.post("/api/findings/{finding_id}/decision", tags=["问题"], summary="对问题作出决定：confirmed 确认问题 / dismissed 误报/已说明",
             status_code=201)
def decide_api(finding_id: int, body: DecisionIn, review: ReviewDep, auth: Reviewer):
    return review.decide(finding_id, body.decision, body.comment, auth.user["name"])


@router.post("/api/reports/{report_id}/corrections", tags=["更正"], summary="更正一个单元格（需填写理由）", status_code=201)
def correct_api(report_id: int, body: CorrectionIn, review: ReviewDep, auth: Reviewer):
    return review.correct(report_id, body.key, body.value, body.reason, auth.user["name"])


@router.post("/api/findings/{finding_id}/candidate", tags=["更正"], summary="为 P206 选择一种候选拆分", status_code=201)
def pick_api(finding_id: int, body: PickIn, review: ReviewDep, auth: Reviewer):
    return {"corrections": review.pick_candidate(finding_id, body.candidate, body.reason, auth.user["name"])}


def _back(report_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/reports/{report_id}{anchor}", status_code=303)


@router.post("/reports/{report_id}/findings/{finding_id}/decide", include_in_schema=False)
def decide_form(report_id: int, finding_id: int, review: ReviewDep, auth: Reviewer, decision: str = Form(...),
                comment: str = Form("")):
    review.decide(finding_id, decision, comment, auth.user["name"])
    return _back(report_id, f"#finding-{finding_id}")


@router.post("/reports/{report_id}/findings/{finding_id}/pick", include_in_schema=False)
def pick_form(report_id: int, finding_id: int, review: ReviewDep, auth: Reviewer, candidate: int = Form(...),
              reason: str = Form("")):
    review.pick_candidate(finding_id, candidate, reason, auth.user["name"])
    return _back(report_id, f"#finding-{finding_id}")


@router.post("/reports/{report_id}/correct", include_in_schema=False)
def correct_form(report_id: int, review: ReviewDep, auth: Reviewer, key: str = Form(...), value: str = Form(""),
                 reason: str = Form("")):
    review.correct(report_id, key, value, reason, auth.user["name"])
    return _back(report_id, f"#cell-{key}")


# ---------------------------------------------------------------- hand back

@router.get("/reports/{report_id}/workbook.xlsx", tags=["导出"], summary="核查工作簿（XLSX）")
def workbook(report_id: int, review: ReviewDep, auth: AuthDep):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "audit.xlsx"
        name = handback.workbook(review, report_id, path)
        data = path.read_bytes()
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"content-disposition": _attachment(f"{name}-核查.xlsx", "audit.xlsx")})


@router.get("/reports/{report_id}/data.csv", tags=["导出"], summary="一份报告的单元格（CSV，含更正）")
def report_csv(report_id: int, review: ReviewDep, auth: AuthDep):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["单元格键", "项目", "数值", "原文", "确定", "更正后数值", "更正理由", "位置"])
    for c in cells_view(review, report_id):
        corr = c["correction"]
        w.writerow([csv_cell(x) for x in (c["key"], c["label"], fmt(c["value"]), c["raw"], "是" if c["certain"] else "否",
                                          fmt(corr["value"]) if corr else "", corr["reason"] if corr else "",
                                          c["loc_text"])])
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": _attachment(f"report-{report_id}.csv", f"report-{report_id}.csv")})


@router.get("/reports/{report_id}/notice.docx", tags=["导出"], summary="问题反馈单（DOCX，不含标为误报/已说明的问题）")
def notice(report_id: int, review: ReviewDep, auth: AuthDep):
    data, name = handback.notice(review, report_id)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"content-disposition": _attachment(f"问题反馈单-{name}.docx", "notice.docx")})


def _attachment(name: str, ascii_name: str) -> str:
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
