"""The source of a figure: a rendered PDF page with the cell's box, a sanitised source table, or lines of text."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ..deps import AuthDep, ReviewDep, WebError
from .. import source as src
from ..source import render_page, source_view

router = APIRouter()


@router.get("/api/reports/{report_id}/source", tags=["原文"], summary="单元格或问题在原文中的位置与原文片段")
def source_api(report_id: int, review: ReviewDep, auth: AuthDep, key: Optional[str] = Query(None),
               finding: Optional[int] = Query(None)):
    return source_view(review, report_id, key, finding)


@router.get("/reports/{report_id}/page/{page}.png", tags=["原文"], summary="PDF 原文的一页（PNG），可用 box 画出单元格框")
def page_png(report_id: int, page: int, review: ReviewDep, auth: AuthDep, box: Optional[str] = None):
    meta = review.report_row(report_id)
    if meta["format"] != "pdf":
        raise WebError(404, "not-pdf", "这份报告不是 PDF，没有页面图像")
    data = src.original_bytes(review, meta["sha256"])
    if data is None:
        raise WebError(404, "no-original", "原始文件未保存在库中，无法显示页面")
    bbox = None
    if box:
        try:
            bbox = [float(x) for x in box.split(",")][:4]
            assert len(bbox) == 4
        except (ValueError, AssertionError):
            raise WebError(400, "bad-box", "box 应为四个数字：x0,top,x1,bottom") from None
    png = render_page(bytes(data), page, bbox)
    return Response(png, media_type="image/png", headers={"cache-control": "private, max-age=3600"})
