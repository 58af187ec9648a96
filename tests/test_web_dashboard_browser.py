"""The overview in a real browser (Debian's headless Chromium, Playwright) on a synthetic store: the
chart's bars carry the API's numbers, a rule's bar leads to the list filtered by that rule; a body
over the years and a search. Screenshots go to ``test-artifacts/``."""
import json

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
