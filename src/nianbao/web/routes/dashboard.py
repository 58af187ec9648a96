"""Dashboards: the overview (the landing page), one body over the years, full-text search."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ... import spec
from ...store.search import search

from ..charts import csv_text
from ..dashboard import bodies_list, body_view, chart_csv_rows, overview_data, overview_view
from ..deps import AuthDep, ReviewDep, WebError
from ..pages import render
from ..views import PART_NAMES

router = APIRouter()


@router.get("/overview", include_in_schema=False)
def overview_page(request: Request, review: ReviewDep, auth: AuthDep):
    return render(request, "overview.html", overview_view(review))


@router.get("/api/overview", tags=["概览"], summary="概览：按年度和模板的报告数、状态占比、各规则问题数、待审核、未报送")
def overview_api(review: ReviewDep, auth: AuthDep):
    return overview_data(review)


@router.get("/overview/{chart}.csv", tags=["概览"], summary="概览中一个图表的数据（CSV）：by-year status rules waiting missing")
def overview_csv(chart: str, review: ReviewDep, auth: AuthDep):
    got = chart_csv_rows(overview_data(review), chart)
    if got is None:
        raise WebError(404, "not-found", f"没有图表“{chart}”：可选 by-year、status、rules、waiting、missing")
    return Response(csv_text(*got), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="overview-{chart}.csv"'})


# ---------------------------------------------------------------- one body over the years

@router.get("/bodies", include_in_schema=False)
def bodies_page(request: Request, review: ReviewDep, auth: AuthDep, q: str = ""):
    return render(request, "bodies.html", {"bodies": bodies_list(review, q), "q": q})


@router.get("/api/bodies", tags=["历年对比"], summary="机关列表（按规范化名称合并，可用 q 筛选）")
def bodies_api(review: ReviewDep, auth: AuthDep, q: str = ""):
    return {"bodies": bodies_list(review, q)}


@router.get("/bodies/{name}", include_in_schema=False)
def body_page(request: Request, name: str, review: ReviewDep, auth: AuthDep):
    v = body_view(review, name)
    if not v["years"]:
        raise WebError(404, "not-found", f"没有“{name}”的报告：请从机关列表中选择")
    return render(request, "body.html", v)


@router.get("/api/bodies/{name}", tags=["历年对比"], summary="一个机关历年的报告：申请表各单元格及与上年相比的变化、跨年度问题")
def body_api(name: str, review: ReviewDep, auth: AuthDep):
    v = body_view(review, name)
    if not v["years"]:
        raise WebError(404, "not-found", f"没有“{name}”的报告：请从机关列表中选择")
    return v


# ---------------------------------------------------------------- full-text search

def _search(review, q: str, year: Optional[str]) -> dict:
    year = (year or "").strip()
    if year and not year.isdigit():
        raise WebError(400, "bad-year", f"年度“{year}”不是数字：请从下拉框选择年度")
    data = search(review.db, q, year=int(year) if year else None)
    for r in data["rows"]:
        r["part_title"] = f"{spec.part_numeral(r['part'])}、{PART_NAMES.get(r['part'], '')}"
    return data


@router.get("/search", include_in_schema=False)
def search_page(request: Request, review: ReviewDep, auth: AuthDep, q: str = "", year: Optional[str] = None):
    return render(request, "search.html", {**_search(review, q, year), "year": year or "",
                                           "years": review.facets()["years"]})


@router.get("/api/search", tags=["全文搜索"], summary="在报告正文（六个部分）中搜索：匹配的报告及段落")
def search_api(review: ReviewDep, auth: AuthDep, q: str = Query("", description="要搜索的文字"),
               year: Optional[str] = Query(None, description="年度")):
    return _search(review, q, year)
