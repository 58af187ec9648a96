"""Dashboards: the overview (the landing page), one body over the years, full-text search."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..charts import csv_text
from ..dashboard import chart_csv_rows, overview_data, overview_view
from ..deps import AuthDep, ReviewDep, WebError
from ..pages import render

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
