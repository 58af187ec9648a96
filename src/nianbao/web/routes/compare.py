"""Compare bodies (a table of a filtered set, XLSX) and 雷同 across bodies of one year."""
from __future__ import annotations

from typing import List, Optional
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ...store import aggregates
from ..compare import compare_data, share_text, to_xlsx
from ..deps import AuthDep, ReviewDep
from ..pages import render
from ..plots import describe
from ..similar import shared_passages
from .plots import _Q, set_filters

router = APIRouter()
_CELLS = Query(None, description="列：指标编号（new_requests、handled、o0…）或单元格键（applications.granted.total）")
_SORT = Query("agency", description="排序列：agency、year、errors、warnings 或列编号")


def _compare(review, body, agency, parent, year, template, cells, sort, desc):
    f = {k: v for k, v in set_filters(body, agency, parent, year, template).items() if v}
    return compare_data(review.db, f, cells, sort=sort or "agency", desc=desc)


@router.get("/compare", include_in_schema=False)
def compare_page(request: Request, review: ReviewDep, auth: AuthDep, body: Optional[str] = None,
                 agency: Optional[str] = None, parent: Optional[str] = None, year: Optional[str] = None,
                 template: Optional[str] = None, cells: Optional[List[str]] = Query(None), sort: str = "agency",
                 desc: bool = False):
    data = _compare(review, body, agency, parent, year, template, cells, sort, desc)
    base = {**data["filters"]}
    query = urlencode([*base.items(), *[("cells", c) for c in data["chosen"]]])
    return render(request, "compare.html", {
        "data": data, "title": describe(data["filters"]), "query": query, "plot_query": urlencode(base), "share_text": share_text,
        "parents": aggregates.parents(review.db), "years": aggregates.years(review.db)})


@router.get("/api/compare", tags=["机关对比"], summary="一组报告逐机关对比：所选单元格为列，比率的异常值按中位数±k·MAD 标出")
def compare_api(review: ReviewDep, auth: AuthDep, body: Optional[str] = _Q["body"], agency: Optional[str] = _Q["agency"],
                parent: Optional[str] = _Q["parent"], year: Optional[str] = _Q["year"],
                template: Optional[str] = _Q["template"], cells: Optional[List[str]] = _CELLS, sort: str = _SORT,
                desc: bool = False):
    return _compare(review, body, agency, parent, year, template, cells, sort, desc)


@router.get("/compare.xlsx", tags=["机关对比"], summary="机关对比表（XLSX，含判断方法）")
def compare_xlsx(review: ReviewDep, auth: AuthDep, body: Optional[str] = _Q["body"], agency: Optional[str] = _Q["agency"],
                 parent: Optional[str] = _Q["parent"], year: Optional[str] = _Q["year"],
                 template: Optional[str] = _Q["template"], cells: Optional[List[str]] = _CELLS, sort: str = _SORT,
                 desc: bool = False):
    data = _compare(review, body, agency, parent, year, template, cells, sort, desc)
    return Response(to_xlsx(data, describe(data["filters"])),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"content-disposition": "attachment; filename=\"compare.xlsx\"; filename*=UTF-8''"
                                                    + quote("机关对比.xlsx")})


def _similar(review, agency, parent, year, template):
    f = {k: v for k, v in set_filters(None, agency, parent, year, template).items() if v}
    return shared_passages(review.db, f)


@router.get("/similar", include_in_schema=False)
def similar_page(request: Request, review: ReviewDep, auth: AuthDep, agency: Optional[str] = None,
                 parent: Optional[str] = None, year: Optional[str] = None, template: Optional[str] = None):
    data = _similar(review, agency, parent, year, template)
    return render(request, "similar.html", {"data": data, "title": describe(data["filters"]),
                                            "parents": aggregates.parents(review.db), "years": aggregates.years(review.db)})


@router.get("/api/similar", tags=["机关对比"], summary="同一年度不同机关报告中相同的段落（雷同），两两并列")
def similar_api(review: ReviewDep, auth: AuthDep, agency: Optional[str] = _Q["agency"], parent: Optional[str] = _Q["parent"],
                year: Optional[str] = _Q["year"], template: Optional[str] = _Q["template"]):
    return _similar(review, agency, parent, year, template)
