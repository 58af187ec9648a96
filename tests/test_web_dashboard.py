"""The dashboards through the TestClient on a synthetic store with known numbers (SQLite and
PostgreSQL): the overview and its JSON twin, its charts (inline SVG) and their CSV, one body over the
years, full-text search."""
import csv
import html
import io
import json
import re

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from nianbao.store.review import Review  # noqa: E402
from nianbao.web import create_app  # noqa: E402

from test_aggregates import _store  # noqa: E402


@pytest.fixture
def web(db_url, tmp_path):
    corpus = _store(db_url, tmp_path)
    app = create_app(db_url, upload_dir=str(tmp_path / "uploads"), workers=1)
    c = TestClient(app, follow_redirects=False)  # loopback, no users: the open single-user mode
    yield c, corpus
    app.state.store.close()
    corpus.close()


def _bars(svg_html: str, chart_id: str) -> dict:
    svg = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', svg_html, re.S).group(0)
    return {m[0]: int(m[1]) for m in re.findall(r'data-label="([^"]+)" data-value="(\d+)"', svg)}


def test_overview_api_page_and_csv_agree(web):
    c, corpus = web
    assert c.get("/").headers["location"] == "/overview"
    data = c.get("/api/overview").json()
    assert data["status"] == {"with_errors": 3, "with_warnings": 0, "clean": 3, "unreadable": 0, "total": 6}
    by_year = {(r["year"], r["template"]): r["reports"] for r in data["charts"]["by-year"]["rows"]}
    assert by_year == {(2021, "2021"): 3, (2022, "2021"): 3}
    rules = {b["label"].split()[0]: b for b in data["charts"]["rules"]["bars"]}
    assert rules["A102"]["value"] == 1 and rules["A102"]["href"] == "/reports?code=A102"
    assert rules["Y101"]["value"] == 3
    assert (data["waiting"]["reports"], data["waiting"]["findings"]) == (3, 10)
    assert [m["name"] for m in data["missing"][-1]["missing"]] == ["丁乡人民政府", "某某县交通运输局"]

    page = c.get("/overview")
    assert page.status_code == 200 and "http://" not in page.text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert _bars(page.text, "chart-rules") == {b["label"]: b["value"] for b in data["charts"]["rules"]["bars"]}
    assert _bars(page.text, "chart-status") == {"有错误": 3, "仅有警告": 0, "无问题": 3, "无法读取": 0}
    assert 'href="/reports?code=A102"' in page.text and "<details" in page.text and "丁乡人民政府" in page.text
    # the bar's link lands on the filtered list with the bar's count
    assert c.get("/api/reports", params={"code": "A102"}).json()["total"] == 1
    assert c.get("/api/reports", params={"rule": "a102"}).json()["total"] == 1  # ?rule= works as ?code=

    rows = list(csv.reader(io.StringIO(c.get("/overview/rules.csv").text.lstrip("\ufeff"))))
    assert rows[0] == ["规则", "名称", "级别", "涉及报告数", "问题数"]
    assert ["A102", "办理结果之和与总计不符", "错误", "1", "1"] in rows
    missing = list(csv.reader(io.StringIO(c.get("/overview/missing.csv").text.lstrip("\ufeff"))))
    assert ["2022", "丁乡人民政府", "乡镇", "某某县"] in missing
    assert c.get("/overview/nothing.csv").status_code == 404

    # a decision takes a finding off the waiting list
    review = Review(corpus)
    rid = data["waiting"]["rows"][-1]["report_id"]
    f = next(f for f in review.findings(rid) if f["severity"] == "error")
    review.decide(f["id"], "confirmed", "", "测试")
    assert c.get("/api/overview").json()["waiting"]["findings"] == 9


def test_a_body_over_the_years(web):
    c, corpus = web
    bodies = c.get("/api/bodies").json()["bodies"]
    assert {b["agency"] for b in bodies} == {"甲镇人民政府", "乙镇人民政府", "丙街道办事处"}
    assert [b["agency"] for b in c.get("/api/bodies", params={"q": "乙镇"}).json()["bodies"]] == ["乙镇人民政府"]
    v = c.get("/api/bodies/乙镇").json()  # normalised as the cross-year rules pair names
    assert v["agency"] == "乙镇人民政府" and [y["year"] for y in v["years"]] == [2021, 2022]
    total = next(x for x in v["cells"] if x["key"] == "applications.total.natural_person")
    a, b = total["years"]
    assert b["value"] - a["value"] == b["change"]["abs"] and a["change"] is None
    if a["value"]:
        assert b["change"]["pct"] == round(100 * (b["value"] - a["value"]) / a["value"], 1)
    assert any(f["code"] == "Y101" for f in v["years"][1]["cross_year"]) and not v["years"][0]["cross_year"]
    page = c.get("/bodies/乙镇人民政府")
    assert page.status_code == 200 and "Y101" in page.text and "上年结转与上年度报告不衔接" in page.text
    assert 'data-key="applications.total.natural_person"' in page.text
    assert c.get("/api/bodies/不存在的机关").status_code == 404
    assert "乙镇人民政府" in c.get("/bodies").text


def test_full_text_search(web):
    c, corpus = web
    data = c.get("/api/search", params={"q": "甲镇"}).json()  # two characters: below the trigram, a scan
    assert (data["reports"], data["total"]) == (2, 2)
    assert {r["agency"] for r in data["rows"]} == {"甲镇人民政府"}
    assert all(r["passage"]["match"] == "甲镇" for r in data["rows"])
    data = c.get("/api/search", params={"q": "政府信息公开申请"}).json()  # through the index on SQLite
    assert data["reports"] == 6 and all("政府信息公开申请" == r["passage"]["match"] for r in data["rows"])
    assert c.get("/api/search", params={"q": "政府信息公开申请", "year": 2022}).json()["reports"] == 3
    assert c.get("/api/search", params={"q": "100%_"}).json()["total"] == 0
    assert c.get("/api/search", params={"q": ""}).json()["rows"] == []
    page = c.get("/search", params={"q": "甲镇"})
    assert page.status_code == 200 and "<mark>甲镇</mark>" in page.text and "六、其他需要报告的事项" in page.text
    assert "&lt;script&gt;" in c.get("/search", params={"q": "<script>"}).text  # shown as text


def test_plots_page_api_and_csv_agree(web):
    c, corpus = web
    api = c.get("/api/plots", params={"parent": "某某县"}).json()
    assert api["reports"] == 6 and [p["id"] for p in api["plots"]] == [
        "requests", "outcomes", "review", "regulations", "normative", "fees-amount", "fees-items"]
    page = c.get("/plots", params={"parent": "某某县"})
    assert page.status_code == 200 and '<script src="/static/vendor/echarts.min.js" defer></script>' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from the internet
    drawn = {m[0]: json.loads(html.unescape(m[1])) for m in re.findall(r'id="plot-([\w-]+)"[^>]*data-plot=\'([^\']*)\'',
                                                                          page.text)}
    assert set(drawn) == {p["id"] for p in api["plots"] if p["years"]}
    for p in api["plots"]:
        if p["years"]:
            assert [s["values"] for s in drawn[p["id"]]["series"]] == [s["values"] for s in p["series"]]
    rows = list(csv.reader(io.StringIO(c.get("/plots/outcomes.csv", params={"parent": "某某县"}).text.lstrip("\ufeff"))))
    outcomes = next(p for p in api["plots"] if p["id"] == "outcomes")
    assert rows[0] == ["年度", "报告数", "予以公开（件）", "部分公开（件）", "不予公开（件）", "无法提供（件）", "不予处理（件）",
                       "其他处理（件）"]
    assert [int(x) for x in rows[1][2:]] == [s["values"][0] for s in outcomes["series"]]
    assert c.get("/plots/nothing.csv").status_code == 404
    assert c.get("/api/plots", params={"year": "abc"}).status_code == 400
    vendor = c.get("/static/vendor/echarts.min.js")
    assert vendor.status_code == 200 and len(vendor.content) > 500_000
    assert c.get("/static/vendor/echarts.LICENSE").text.strip().startswith("Apache License")
    body = c.get("/api/bodies/甲镇").json()
    assert body["plots"]["filters"] == {"body": "甲镇"} and body["plots"]["reports"] == 2
    assert "plot-outcomes" in c.get("/bodies/甲镇人民政府").text


def test_compare_page_sorts_and_exports_xlsx(web):
    from openpyxl import load_workbook

    from nianbao.web.compare import to_xlsx
    c, corpus = web
    api = c.get("/api/compare", params={"year": 2022, "parent": "某某县", "sort": "new_requests", "desc": True}).json()
    news = [r["cells"]["new_requests"] for r in api["rows"]]
    assert len(news) == 3 and news == sorted(news, reverse=True)
    page = c.get("/compare", params={"year": 2022, "parent": "某某县"})
    assert page.status_code == 200 and "1.4826" in page.text and 'id="sort-new_requests"' in page.text
    x = c.get("/compare.xlsx", params={"year": 2022, "parent": "某某县", "cells": ["handled", "o0"]})
    assert x.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(x.content))
    ws = wb["机关对比"]
    header = [cell.value for cell in ws[2]]
    assert header[:7] == ["机关", "年度", "模板", "错误", "警告", "办理总计", "予以公开"] and "予以公开率" in header
    got = {r[0]: r[5] for r in ws.iter_rows(min_row=3, values_only=True)}
    assert got == {r["agency"]: r["cells"]["handled"] for r in c.get("/api/compare", params={
        "year": 2022, "parent": "某某县", "cells": ["handled", "o0"]}).json()["rows"]}
    assert "判断方法" in wb.sheetnames
    # a name that looks like a formula is written as text
    data = {**api, "rows": [{**api["rows"][0], "agency": "=HYPERLINK(\"x\")"}]}
    cell = load_workbook(io.BytesIO(to_xlsx(data, "t")))["机关对比"]["A3"].value
    assert cell.startswith("'=")


def test_similar_page_lists_shared_passages(web):
    c, corpus = web
    data = c.get("/api/similar", params={"year": 2022}).json()
    assert data["year"] == 2022 and data["reports"] == 3
    page = c.get("/similar", params={"year": 2022})
    assert page.status_code == 200 and "两两雷同" in page.text
    for p in data["pairs"][:3]:
        assert p["a"]["agency"] != p["b"]["agency"] and p["passages"]
    v = c.get("/api/bodies/甲镇").json()
    assert [s["year"] for s in v["similarity"]] == [2022] and v["similarity"][0]["parts"]
