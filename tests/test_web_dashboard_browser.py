"""The overview in a real browser (Debian's headless Chromium, Playwright) on a synthetic store: the
chart's bars carry the API's numbers, a rule's bar leads to the list filtered by that rule; a body
over the years and a search. Screenshots go to ``test-artifacts/``."""
import json
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("playwright.sync_api")

from test_aggregates import _store  # noqa: E402
from test_web_browser import ARGS, ARTIFACTS, CHROMIUM, need_chromium, serving  # noqa: E402


@pytest.fixture
def server(tmp_path):
    need_chromium()
    url = f"sqlite:///{tmp_path / 'web.db'}"
    _store(url, tmp_path).close()
    with serving(url, tmp_path / "uploads", 1) as base:  # loopback, no users: open mode
        yield base


def test_overview_in_the_browser(server):
    from playwright.sync_api import expect, sync_playwright
    base = server
    ARTIFACTS.mkdir(exist_ok=True)
    shot = lambda page, name: page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # noqa: E731
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        page.set_default_timeout(15000)
        try:
            page.goto(base + "/")
            expect(page.locator("h1")).to_contain_text("概览")
            api = json.loads(page.evaluate("fetch('/api/overview').then(r => r.text())"))
            drawn = page.eval_on_selector_all(
                "#chart-rules g.bar", "gs => gs.map(g => [g.dataset.label, Number(g.dataset.value)])")
            assert drawn == [[b["label"], b["value"]] for b in api["charts"]["rules"]["bars"]]
            status = page.eval_on_selector_all("#chart-status g.bar", "gs => gs.map(g => Number(g.dataset.value))")
            assert status == [api["status"][k] for k in ("with_errors", "with_warnings", "clean", "unreadable")]
            page.click("#box-rules details summary")
            expect(page.locator("#table-rules")).to_be_visible()
            # nothing overlaps: the bars' labels stay left of the bars
            boxes = page.eval_on_selector_all("#chart-rules g.bar", """gs => gs.map(g => {
                const t = g.querySelector('text.label').getBoundingClientRect(), r = g.querySelector('rect:not(.hit)').getBoundingClientRect();
                return [t.right, r.left]; })""")
            assert all(right <= left + 1 for right, left in boxes)
            shot(page, "dash-01-overview")

            page.click("#chart-rules g.bar[data-label^='A102'] rect:not(.hit)")
            expect(page).to_have_url(f"{base}/reports?code=A102")
            expect(page.locator("#report-list tbody tr")).to_have_count(1)
            expect(page.locator("select[name=code]")).to_have_value("A102")
            shot(page, "dash-02-list-A102")

            page.goto(base + "/bodies")
            page.click("#body-list a:has-text('乙镇人民政府')")
            expect(page.locator("#body-years")).to_contain_text("Y101")
            shot(page, "dash-03-body")

            page.goto(base + "/search?q=%E5%A4%8D%E8%AE%AE")  # 复议
            expect(page.locator("#search-results mark").first).to_have_text("复议")
            shot(page, "dash-04-search")
        finally:
            browser.close()


@pytest.fixture
def three_years(tmp_path):
    need_chromium()
    from nianbao.store.roster import Entry, import_roster
    from test_aggregates import THREE, _three_years
    url = f"sqlite:///{tmp_path / 'three.db'}"
    corpus, known = _three_years(url, tmp_path)
    import_roster(corpus.db, [Entry(a, "乡镇", "某某县") for a in (THREE, "乙镇人民政府", "丙街道办事处")])
    corpus.close()
    with serving(url, tmp_path / "uploads", 1) as base:
        yield base, known


def _plot_data(page, plot_id):
    return page.evaluate("""id => { const c = echarts.getInstanceByDom(document.getElementById('plot-' + id));
        return c ? c.getOption().series.map(s => s.data) : null; }""", plot_id)


def test_plots_compare_and_similar_in_the_browser(three_years):
    """ECharts draws the API's numbers; a year's bar opens that year's list; the PNG and CSV download;
    a body with three years shows its deltas, the A5 finding (Y101) and its 雷同 per part; the compare
    table sorts and exports; the 雷同 page shows the planted sentence side by side."""
    from playwright.sync_api import expect, sync_playwright
    from test_aggregates import SHARED, THREE
    base, known = three_years
    ARTIFACTS.mkdir(exist_ok=True)
    shot = lambda page, name: page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # noqa: E731
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN", accept_downloads=True)
        page.set_default_timeout(15000)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)  # CSP
        page.on("response", lambda r: errors.append(r.url) if r.status == 404 and not r.url.endswith("/favicon.ico") else None)
        try:
            # a body over three years: deltas, the A5 finding, plots, 雷同 per part
            page.goto(base + "/bodies")
            page.click(f"#body-list a:has-text('{THREE}')")
            expect(page.locator("#body-years tbody tr")).to_have_count(3)
            expect(page.locator("#year-2022")).to_contain_text("Y101")
            expect(page.locator("#year-2021")).not_to_contain_text("Y101")
            row = page.locator("#body-cells tr[data-key='applications.carried_forward.natural_person']")
            v = [known[(THREE, y)]["applications.carried_forward.natural_person"] for y in (2020, 2021, 2022)]
            if v[1] != v[0]:
                expect(row.locator("td").nth(1)).to_contain_text(("+" if v[1] > v[0] else "") + str(v[1] - v[0]))
            page.wait_for_function("() => window.echarts && echarts.getInstanceByDom(document.getElementById('plot-requests'))")
            api = json.loads(page.evaluate(f"fetch('/api/bodies/{THREE}').then(r => r.text())"))["plots"]
            for plot in api["plots"]:
                if plot["years"]:
                    assert _plot_data(page, plot["id"]) == [s["values"] for s in plot["series"]], plot["id"]
            assert [y for y in next(x for x in api["plots"] if x["id"] == "requests")["years"]] == [2020, 2021, 2022]
            expect(page.locator("#sim-2022 mark").first).to_be_visible()
            shot(page, "dash-05-body-three-years")
            page.locator("#plot-box-outcomes").scroll_into_view_if_needed()
            shot_el = page.locator("#plot-box-outcomes")
            shot_el.screenshot(path=str(ARTIFACTS / "dash-06-plot-outcomes.png"))
            page.click("#plot-box-outcomes details summary")
            expect(page.locator("#plot-table-outcomes")).to_be_visible()
            with page.expect_download() as dl:
                page.click("#png-outcomes")
            assert dl.value.suggested_filename == "outcomes.png"
            assert Path(dl.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            csv_text = page.evaluate("url => fetch(url).then(r => r.text())",
                                     page.get_attribute("#plot-csv-outcomes", "href"))
            assert csv_text.lstrip("\ufeff").startswith("年度,报告数,予以公开（件）")
            # clicking 2022's bar (the middle of its first segment) opens that year's list of the body
            page.locator("#plot-requests").scroll_into_view_if_needed()
            x, y = page.evaluate("""() => { const el = document.getElementById('plot-requests'), c = echarts.getInstanceByDom(el);
                const v = c.getOption().series[0].data[2]; const [px, py] = c.convertToPixel({seriesIndex: 0}, [2, v]);
                const r = el.getBoundingClientRect(); return [r.left + px, r.top + py]; }""")
            page.mouse.click(x, y)
            expect(page).to_have_url(re.compile(r"/reports\?agency=.*&year=2022$"))
            expect(page.locator("#report-list tbody tr")).to_have_count(1)

            # the plots of a set (the roster parent's bodies): the page draws what /api/plots returns
            page.goto(base + "/plots?parent=%E6%9F%90%E6%9F%90%E5%8E%BF")
            page.wait_for_function("() => window.echarts && echarts.getInstanceByDom(document.getElementById('plot-outcomes'))")
            api = json.loads(page.evaluate("fetch('/api/plots?parent=%E6%9F%90%E6%9F%90%E5%8E%BF').then(r => r.text())"))
            assert api["reports"] == 5
            for plot in api["plots"]:
                if plot["years"]:
                    assert _plot_data(page, plot["id"]) == [s["values"] for s in plot["series"]], plot["id"]
            shot(page, "dash-09-plots-parent")
            x, y = page.evaluate("""() => { const el = document.getElementById('plot-outcomes'), c = echarts.getInstanceByDom(el);
                const v = c.getOption().series[0].data[2]; const [px, py] = c.convertToPixel({seriesIndex: 0}, [2, v / 2]);
                const r = el.getBoundingClientRect(); return [r.left + px, r.top + py]; }""")
            page.mouse.click(x, y)  # the roster parent's 2022: its compare table
            expect(page).to_have_url(re.compile(r"/compare\?parent=.*&year=2022$"))
            expect(page.locator("#compare-table tbody tr")).to_have_count(3)

            # compare: sorted by a column, exported
            page.goto(base + "/compare?parent=%E6%9F%90%E6%9F%90%E5%8E%BF&year=2022")
            expect(page.locator("#compare-table tbody tr")).to_have_count(3)
            expect(page.locator("#compare-method")).to_contain_text("MAD")
            page.click("#sort-new_requests")
            expect(page).to_have_url(re.compile("sort=new_requests&desc=true"))
            got = page.eval_on_selector_all("#compare-table tbody td[data-col='new_requests']",
                                            "tds => tds.map(t => Number(t.dataset.value))")
            assert got == sorted(got, reverse=True) and len(got) == 3
            shot(page, "dash-07-compare")
            with page.expect_download() as dl:
                page.click("#compare-xlsx")
            assert dl.value.suggested_filename.endswith(".xlsx")
            assert Path(dl.value.path()).read_bytes()[:2] == b"PK"

            # 雷同 across bodies: the planted sentence side by side
            page.goto(base + "/similar?year=2022")
            pair = page.locator("details.pair", has_text="乙镇人民政府").filter(has_text="丙街道办事处")
            expect(pair.locator("mark", has_text=SHARED)).to_have_count(2)
            shot(page, "dash-08-similar")
            assert not errors, errors
        finally:
            browser.close()
