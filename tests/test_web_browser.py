"""A review in a real browser: Debian's headless Chromium driven by Playwright against ``nianbao serve``.

log in → upload the shared corpus as a zip → wait for parsing → open seed 004 and see its missing
table (S102) → click a cell of huaian-2024.pdf and see the page with the cell's box → dismiss a
finding with a comment → correct a cell → download the workbook and read it → log out.
Screenshots of each page go to ``test-artifacts/`` (git-ignored).
"""
import os
from contextlib import contextmanager
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
playwright = pytest.importorskip("playwright.sync_api")

from nianbao.store import Corpus  # noqa: E402
from nianbao.store.review import Review  # noqa: E402

from conftest import CORPUS, ROOT  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "审核员的密码-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("NIANBAO_REQUIRE_BROWSER"):
            pytest.fail("NIANBAO_REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")


@contextmanager
def serving(url: str, uploads, workers: int):
    """The web app on a free loopback port, in a thread: yields its base URL."""
    import uvicorn

    from nianbao.web import create_app
    app = create_app(url, upload_dir=str(uploads), workers=workers)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        t.join(10)


@pytest.fixture
def server(tmp_path, shared):
    need_chromium()
    url = f"sqlite:///{tmp_path / 'web.db'}"
    with Corpus(url) as c:
        Review(c).add_user("王审核", "reviewer", PASSWORD)
    with serving(url, tmp_path / "uploads", 2) as base:
        yield base, url


def _corpus_zip(tmp_path) -> Path:
    path = tmp_path / "shared-corpus.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(CORPUS.rglob("*")):
            if f.is_file() and not f.name.endswith(".json"):
                z.write(f, f.relative_to(CORPUS).as_posix())
    return path


def test_a_review_in_the_browser(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright
    base, db_url = server
    ARTIFACTS.mkdir(exist_ok=True)
    shot = lambda page, name: page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # noqa: E731
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000}, accept_downloads=True, locale="zh-CN")
        page.set_default_timeout(30000)
        try:
            # log in
            page.goto(base + "/reports")
            expect(page).to_have_url(f"{base}/login?next=%2Freports")
            shot(page, "01-login")
            page.fill("input[name=name]", "王审核")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            expect(page.locator("h1")).to_contain_text("报告列表")
            shot(page, "02-empty-list")

            # upload the shared corpus as a zip, wait for parsing
            page.click("text=上传报告")
            page.set_input_files("#files", str(_corpus_zip(tmp_path)))
            expect(page.locator("#chosen")).to_contain_text("shared-corpus.zip")
            shot(page, "03-upload")
            page.click("#upload-button")
            expect(page).to_have_url(__import__("re").compile(r".*/jobs/\d+$"))
            expect(page.locator("#job-status")).to_have_text("已完成", timeout=180000)
            expect(page.locator("#job-items tbody tr")).to_have_count(9)
            shot(page, "04-job-done")

            # the list, filtered by rule code
            page.goto(base + "/reports")
            expect(page.locator("#report-list tbody tr")).to_have_count(9)
            shot(page, "05-list")
            page.select_option("select[name=code]", "S102")
            page.click("#filters button[type=submit]")
            expect(page.locator("#report-list tbody tr")).to_have_count(1)

            # seed 004: the missing table
            page.goto(base + "/reports")
            page.click("#report-list tr:has-text('004_a224db91dbdf5e26.txt') a")
            expect(page.locator("#rule-S102")).to_contain_text("缺少统计表")
            expect(page.locator("#rule-S102 a.doc-link")).to_have_attribute("href", "/rules/S102")
            seed_url = page.url
            shot(page, "06-report-seed-004")

            # huaian-2024.pdf: click a cell, see its page with the box
            page.goto(base + "/reports?agency=" + "淮安")
            page.click("#report-list tbody tr a")
            page.click("#cell-applications\\.total\\.total")
            img = page.locator("#source-page")
            expect(img).to_be_visible()
            for _ in range(100):  # the rendered page has arrived (no string eval: the app's CSP forbids it)
                if img.evaluate("e => e.complete && e.naturalWidth") > 0:
                    break
                page.wait_for_timeout(100)
            assert img.evaluate("e => e.naturalWidth") > 500
            expect(page.locator("#cell-detail")).to_contain_text("第5页")
            shot(page, "07-report-huaian-source")
            page.locator("#cell-applications\\.total\\.total").scroll_into_view_if_needed()
            page.evaluate("() => window.scrollBy(0, 300)")
            page.mouse.move(5, 5)
            page.screenshot(path=str(ARTIFACTS / "report-page.png"))  # the README's picture (docs/)
            src = img.get_attribute("src")
            assert "box=" in src
            png = page.request.get(base + src)
            assert png.ok and png.body()[:8] == b"\x89PNG\r\n\x1a\n"

            # dismiss a finding of seed 004 with a comment
            page.goto(seed_url)
            f = page.locator("#rule-S102 .finding").first
            f.locator("summary").click()
            f.locator("input[value=dismissed]").check()
            f.locator("input[name=comment]").fill("该镇当年无主动公开统计，已在正文说明")
            f.locator(".decide-form button").click()
            expect(page.locator("#rule-S102 .decision")).to_contain_text("误报/已说明")
            expect(page.locator("#rule-S102 .decision")).to_contain_text("王审核")

            # correct a cell
            cell = page.locator("#cell-applications\\.new_requests\\.natural_person")
            cell.click()
            expect(page.locator("#correct-form")).to_be_visible()
            page.fill("#correct-value", "4")
            page.fill("#correct-reason", "据原件第三部分表格更正")
            page.click("#correct-form button")
            cell = page.locator("#cell-applications\\.new_requests\\.natural_person")
            expect(cell).to_have_class(__import__("re").compile("corrected"))
            expect(cell.locator(".new")).to_have_text("4")
            expect(page.locator("#corrections")).to_contain_text("据原件第三部分表格更正")
            shot(page, "08-report-reviewed")

            # the workbook
            with page.expect_download() as dl:
                page.click("#download-xlsx")
            assert dl.value.suggested_filename.endswith(".xlsx")
            path = tmp_path / "downloaded.xlsx"
            dl.value.save_as(path)
            from openpyxl import load_workbook
            wb = load_workbook(path)
            assert wb.sheetnames[:2] == ["汇总", "问题清单"]
            summary = list(wb["汇总"].iter_rows(values_only=True))
            assert any(v == "兑镇镇" for row in summary for v in row)
            assert any("S102" in str(v) for r in wb["问题清单"].iter_rows(values_only=True) for v in r)
            sheet = next(wb[n] for n in wb.sheetnames if "兑镇镇" in n)  # the report's own sheet
            values = [v for row in sheet.iter_rows(values_only=True) for v in row]
            assert 4 in values  # the corrected value
            corrections = list(wb["更正记录"].iter_rows(values_only=True))
            assert corrections[1][1] == "applications.new_requests.natural_person" and corrections[1][3] == 4
            assert any(r[4] == "误报/已说明" and r[6] == "王审核" for r in wb["审核决定"].iter_rows(values_only=True))

            # a personal API token, created and revoked in the app
            page.goto(base + "/tokens")
            page.fill("input[name=name]", "统计脚本")
            page.click("form.row-form button")
            token = page.locator("#new-token").inner_text()
            assert token.startswith("nb_")
            assert page.request.get(base + "/api/me", headers={"Authorization": f"Bearer {token}"}).ok
            shot(page, "11-tokens")
            page.goto(base + "/tokens")
            page.click("text=撤销")
            expect(page.locator("table.grid")).to_contain_text("已撤销")
            assert page.request.get(base + "/api/me", headers={"Authorization": f"Bearer {token}"}).status == 401

            # rules page and log out
            page.goto(base + "/rules/S102")
            shot(page, "09-rule")
            page.goto(base + "/api/docs")
            expect(page.locator("h1")).to_contain_text("JSON 接口")
            shot(page, "10-api-docs")
            page.goto(base + "/reports")
            page.click("#logout")
            expect(page).to_have_url(__import__("re").compile(r".*/login"))
            page.goto(base + "/reports")
            expect(page).to_have_url(__import__("re").compile(r".*/login\?next="))
        except Exception:
            shot(page, "99-failure")
            raise
        finally:
            browser.close()
    with Corpus(db_url) as c:
        r = Review(c)
        rid = r.report_by_sha(c.db.one("SELECT sha256 FROM documents WHERE name LIKE ?", ("%004_a224db91dbdf5e26.txt",))[0])
        assert any(d["decision"] == "dismissed" and d["user"] == "王审核" for d in r.decisions(rid))
