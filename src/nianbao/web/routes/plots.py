"""Plots of a filtered set of reports (ECharts on the page; JSON and CSV twins)."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ...store import aggregates
from ..charts import csv_text
from ..deps import AuthDep, ReviewDep, WebError
from ..pages import render
from ..plots import PLOT_IDS, describe, plot_csv_rows, plots_data

router = APIRouter()


def set_filters(body, agency, parent, year, template) -> dict:
    year = (year or "").strip()
    if year and not year.isdigit():
        raise WebError(400, "bad-year", f"年度“{year}”不是数字：请从下拉框选择年度")
    if template and template not in ("2019", "2021"):
        raise WebError(400, "bad-template", f"模板“{template}”不存在：可选 2019、2021")
    return {"body": (body or "").strip(), "agency": (agency or "").strip(), "parent": (parent or "").strip(),
            "year": int(year) if year else None, "template": template or None}


_Q = {"body": Query(None, description="一个机关（规范化名称，精确）"), "agency": Query(None, description="机关名称包含"),
      "parent": Query(None, description="名录中的上级机关"), "year": Query(None, description="年度"),
      "template": Query(None, description="模板：2019 或 2021")}


@router.get("/plots", include_in_schema=False)
def plots_page(request: Request, review: ReviewDep, auth: AuthDep, body: Optional[str] = None,
               agency: Optional[str] = None, parent: Optional[str] = None, year: Optional[str] = None,
               template: Optional[str] = None):
    f = set_filters(body, agency, parent, year, template)
    data = plots_data(review.db, **f)
    return render(request, "plots.html", {"data": data, "title": describe(data["filters"]),
                                          "parents": aggregates.parents(review.db), "years": aggregates.years(review.db)})


@router.get("/api/plots", tags=["统计图"],
            summary="一组报告的统计图数据：申请数、办理结果、复议诉讼结果、规章和规范性文件、收费（按年度合计）")
def plots_api(review: ReviewDep, auth: AuthDep, body: Optional[str] = _Q["body"], agency: Optional[str] = _Q["agency"],
              parent: Optional[str] = _Q["parent"], year: Optional[str] = _Q["year"],
              template: Optional[str] = _Q["template"]):
    return plots_data(review.db, **set_filters(body, agency, parent, year, template))


@router.get("/plots/{plot}.csv", tags=["统计图"], summary="一个统计图的数据表（CSV）")
def plot_csv(plot: str, review: ReviewDep, auth: AuthDep, body: Optional[str] = _Q["body"],
             agency: Optional[str] = _Q["agency"], parent: Optional[str] = _Q["parent"],
             year: Optional[str] = _Q["year"], template: Optional[str] = _Q["template"]):
    if plot not in PLOT_IDS:
        raise WebError(404, "not-found", f"没有统计图“{plot}”：可选 {'、'.join(PLOT_IDS)}")
    got = plot_csv_rows(plots_data(review.db, **set_filters(body, agency, parent, year, template)), plot)
    return Response(csv_text(*got), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="plot-{plot}.csv"'})
