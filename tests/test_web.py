"""The web app (``nianbao serve``) through FastAPI's TestClient, on a temporary SQLite store and on
PostgreSQL: the JSON API and its error envelope, uploads, review, and the safety rules."""
import io
import json
import re
import time
import zipfile

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from nianbao.store import Corpus  # noqa: E402
from nianbao.store.review import Review  # noqa: E402
from nianbao.store.work import parse_and_check  # noqa: E402
from nianbao.web import StartupRefused, create_app  # noqa: E402

from conftest import CORPUS  # noqa: E402

SEED_004 = CORPUS / "seeds" / "004_a224db91dbdf5e26.txt"
SEED_000 = CORPUS / "seeds" / "000_287ae363a5fda47a.txt"
PINGTAN_2019 = CORPUS / "real" / "pingtan-2019.txt"
PASSWORD = "correct horse battery"


def store_file(corpus, path, name=None, data=None, **record):
    """Parse one file and store it under ``name`` (record fields overridden by ``record``)."""
    data = path.read_bytes() if data is None else data
    res = parse_and_check(name or path.name, data)
    res["data"] = data  # the store keeps the original bytes
    if record:  # the worker sends the record as JSON text and its metadata as a tuple
        import json
        rec = json.loads(res["record"])
        rec.update(record)
        res["record"] = json.dumps(rec, ensure_ascii=False)
        meta = dict(zip(("agency", "year", "template", "title"), res["meta"]))
        meta.update({k: v for k, v in record.items() if k in meta})
        res["meta"] = tuple(meta[k] for k in ("agency", "year", "template", "title"))
    corpus.store_result(res)
    return Review(corpus).report_by_sha(res["sha256"])


@pytest.fixture
def store(db_url, shared, tmp_path):
    with Corpus(db_url) as c:
        ids = {p.name: store_file(c, p) for p in (SEED_004, SEED_000, PINGTAN_2019)}
        r = Review(c)
        for name, role in (("ad", "admin"), ("rev", "reviewer"), ("vi", "viewer")):
            r.add_user(name, role, PASSWORD)
        yield c, ids


_CLIENTS: list = []


def client(db_url, tmp_path, **kw):
    app = create_app(db_url, upload_dir=str(tmp_path / "uploads"), workers=1, **kw)
    c = TestClient(app, follow_redirects=False)
    _CLIENTS.append(c)
    return c


@pytest.fixture(autouse=True)
def _close_clients():
    yield
    while _CLIENTS:
        _CLIENTS.pop().app.state.store.close()  # no connection outlives its test


def login(c: TestClient, name: str) -> str:
    page = c.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": token, "next": "/reports"})
    assert r.status_code == 303, r.text
    return re.search(r'name="csrf" value="([^"]+)"', c.get("/reports").text).group(1)


def test_report_api_list_filters_and_envelope(db_url, store, tmp_path):
    corpus, ids = store
    c = client(db_url, tmp_path)
    login(c, "vi")
    data = c.get("/api/reports").json()
    assert data["total"] == 3
    assert {r["status"] for r in data["rows"]} == {"errors", "ok", "warnings"}
    assert c.get("/api/reports", params={"status": "errors"}).json()["rows"][0]["agency"] == "兑镇镇"
    assert c.get("/api/reports", params={"code": "S102"}).json()["total"] == 1
    assert c.get("/api/reports", params={"year": 2019}).json()["total"] == 1
    assert c.get("/api/reports", params={"agency": "平潭"}).json()["total"] == 1
    assert c.get("/api/agencies", params={"q": "兑"}).json() == {"agencies": ["兑镇镇"]}
    by_year = [r["year"] for r in c.get("/api/reports", params={"sort": "year", "desc": True}).json()["rows"]]
    assert by_year == sorted(by_year, reverse=True)
    one = c.get(f"/api/reports/{ids[SEED_004.name]}").json()
    assert one["report"]["agency"] == "兑镇镇"
    assert any(g["code"] == "S102" for g in one["findings"])
    cells = c.get(f"/api/reports/{ids[SEED_004.name]}/cells").json()["cells"]
    assert all("loc" in x for x in cells) and any(x["loc"] for x in cells)
    r = c.get("/api/reports/999999")
    assert r.status_code == 404 and set(r.json()) == {"error"} and set(r.json()["error"]) == {"code", "message"}
    assert c.get("/api/reports", params={"status": "nonsense"}).json()["error"]["code"] == "bad-status"
    spec = c.get("/api/openapi.json").json()
    assert "/api/reports" in spec["paths"] and "/api/uploads" in spec["paths"]
    docs = c.get("/api/docs").text
    assert "/api/reports/{report_id}/source" in docs and "http" not in re.sub(r"http://127\.0\.0\.1:8000", "", docs)
    page = c.get(f"/reports/{ids[SEED_004.name]}")
    assert page.status_code == 200 and "缺少统计表" in page.text and "/rules/S102" in page.text
    assert c.get("/rules/S102").status_code == 200


def test_decide_correct_and_carry_over(db_url, store, tmp_path):
    corpus, ids = store
    c = client(db_url, tmp_path)
    token = login(c, "rev")
    rid = ids[SEED_004.name]
    errors = [f for f in c.get(f"/api/reports/{rid}/findings").json()["findings"] if f["severity"] == "error"]
    assert errors and not c.get(f"/api/reports/{rid}/findings").json()["reviewed"]
    r = c.post(f"/api/findings/{errors[0]['id']}/decision", json={"decision": "dismissed", "comment": ""},
               headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and r.json()["error"]["code"] == "comment-required"
    for f in errors:  # the form posts, as the page sends them
        r = c.post(f"/reports/{rid}/findings/{f['id']}/decide",
                   data={"decision": "dismissed", "comment": "该机关当年无此表", "csrf": token})
        assert r.status_code == 303
    assert c.get(f"/api/reports/{rid}/findings").json()["reviewed"]
    assert c.get("/api/reports", params={"status": "reviewed"}).json()["total"] == 1
    # a correction keeps the parsed value
    r = c.post(f"/reports/{rid}/correct", data={"key": "applications.total.total", "value": "12",
                                                "reason": "据正文更正", "csrf": token})
    assert r.status_code == 303
    corr = c.get(f"/api/reports/{rid}/corrections").json()["corrections"]
    assert corr[-1]["value"] == 12 and corr[-1]["user"] == "rev" and "original" in corr[-1]
    cell = next(x for x in c.get(f"/api/reports/{rid}/cells").json()["cells"] if x["key"] == "applications.total.total")
    assert cell["correction"]["value"] == 12
    assert c.post(f"/api/reports/{rid}/corrections", json={"key": "applications.total.total", "value": "abc",
                                                           "reason": "x"},
                  headers={"X-CSRF-Token": token}).json()["error"]["code"] == "bad-value"
    # a new version of the same document: the same findings keep their decisions
    new = store_file(corpus, SEED_004, name=SEED_004.name, data=SEED_004.read_bytes() + b"\n")
    assert new != rid
    fs = c.get(f"/api/reports/{new}/findings").json()
    assert fs["reviewed"]
    assert all(f["decision"]["carried_over"] for f in fs["findings"] if f["severity"] == "error")


def test_pick_candidate_of_an_ambiguous_split(db_url, store, tmp_path):
    corpus, ids = store
    c = client(db_url, tmp_path)
    token = login(c, "rev")
    rid = ids[PINGTAN_2019.name]
    f = next(f for f in c.get(f"/api/reports/{rid}/findings").json()["findings"] if f["code"] == "P206"
             and len(f["keys"]) == 3)
    r = c.post(f"/api/findings/{f['id']}/candidate", json={"candidate": 1, "reason": "与正文一致"},
               headers={"X-CSRF-Token": token})
    assert r.status_code == 201, r.text
    got = {x["key"]: x["value"] for x in r.json()["corrections"]}
    assert got == dict(zip(f["keys"], f["actual"][1]))


def test_workbook_and_csv_downloads(db_url, store, tmp_path):
    from openpyxl import load_workbook
    corpus, ids = store
    c = client(db_url, tmp_path)
    login(c, "vi")
    r = c.get(f"/reports/{ids[SEED_004.name]}/workbook.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[:2] == ["汇总", "问题清单"] and wb.sheetnames[-2:] == ["审核决定", "更正记录"]
    assert any("S102" in str(v) for row in wb["问题清单"].iter_rows(values_only=True) for v in row)
    assert any(row[0] == "S102" for row in wb["审核决定"].iter_rows(values_only=True))
    csv_text = c.get("/reports.csv", params={"agency": "兑镇镇"}).text
    assert csv_text.lstrip("\ufeff").startswith("文件,机关,年度") and "兑镇镇" in csv_text
    assert "平潭" not in csv_text
    assert "applications.total.total" in c.get(f"/reports/{ids[SEED_004.name]}/data.csv").text


def test_notice_leaves_out_dismissed_findings(db_url, store, tmp_path):
    from docx import Document
    corpus, ids = store
    c = client(db_url, tmp_path)
    token = login(c, "rev")
    rid = ids[SEED_004.name]

    def text():
        r = c.get(f"/reports/{rid}/notice.docx")
        assert r.status_code == 200 and r.headers["content-type"].endswith("wordprocessingml.document")
        doc = Document(io.BytesIO(r.content))
        return "\n".join([p.text for p in doc.paragraphs] + [cell.text for t in doc.tables for row in t.rows
                                                              for cell in row.cells])
    before = text()
    assert "兑镇镇" in before and "主动公开政府信息情况" in before
    s102 = next(f for f in c.get(f"/api/reports/{rid}/findings").json()["findings"] if f["code"] == "S102")
    c.post(f"/api/findings/{s102['id']}/decision", json={"decision": "dismissed", "comment": "已说明"},
           headers={"X-CSRF-Token": token})
    assert text() != before


def test_upload_a_zip_parses_in_the_background(db_url, store, tmp_path):
    c = client(db_url, tmp_path)
    token = login(c, "rev")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.write(CORPUS / "seeds" / "001_6762482f42d905fe.txt", "seeds/001.txt")
        z.writestr("seeds/broken.pdf", b"%PDF-1.4 not really a pdf")
    r = c.post("/api/uploads", files=[("files", ("batch.zip", buf.getvalue(), "application/zip"))],
               headers={"X-CSRF-Token": token})
    assert r.status_code == 202, r.text
    job = r.json()["job"]
    for _ in range(300):
        j = c.get(f"/api/jobs/{job}").json()
        if j["finished"]:
            break
        time.sleep(0.1)
    assert j["status"] == "done", j
    items = {it["name"]: it for it in j["items"]}
    assert items["batch.zip!seeds/001.txt"]["status"] == "parsed" and items["batch.zip!seeds/001.txt"]["report_id"]
    assert items["batch.zip!seeds/broken.pdf"]["status"] == "failed" and items["batch.zip!seeds/broken.pdf"]["reason"]
    assert c.get(f"/jobs/{job}").status_code == 200
    bad = c.get("/api/reports", params={"status": "unreadable"}).json()["rows"]
    assert [r["name"] for r in bad] == ["batch.zip!seeds/broken.pdf"] and bad[0]["error_message"]


# ---------------------------------------------------------------- safety

def _all_routes(routes):
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI ≥ 0.16x wraps included routers
        if inner is not None:
            yield from _all_routes(inner.routes)
        else:
            yield route


def _routes(app):
    for route in _all_routes(app.routes):
        if getattr(route, "methods", None):
            for m in route.methods - {"HEAD", "OPTIONS"}:
                path = re.sub(r"\{(\w+)\}", lambda m: {"code": "S102", "page": "1"}.get(m.group(1), "1"), route.path)
                yield m, path


def test_every_route_refuses_the_unauthenticated(db_url, store, tmp_path):
    c = client(db_url, tmp_path)
    seen = 0
    for method, path in _routes(c.app):
        if path in ("/login",) or path.startswith("/static"):
            continue
        r = c.request(method, path)
        seen += 1
        if path.startswith("/api/"):
            assert r.status_code == 401, (method, path, r.status_code)
            assert r.json()["error"]["code"] == "not-signed-in"
        else:
            assert r.status_code in (303, 401), (method, path, r.status_code)
            if r.status_code == 303:
                assert r.headers["location"].startswith("/login")
    assert seen > 25
    assert c.get("/static/app.css").status_code == 200
    assert c.get("/login").status_code == 200


def test_viewer_cannot_decide_correct_or_upload(db_url, store, tmp_path):
    corpus, ids = store
    c = client(db_url, tmp_path)
    token = login(c, "vi")
    rid = ids[SEED_004.name]
    fid = c.get(f"/api/reports/{rid}/findings").json()["findings"][0]["id"]
    h = {"X-CSRF-Token": token}
    assert c.post(f"/api/findings/{fid}/decision", json={"decision": "confirmed"}, headers=h).status_code == 403
    assert c.post(f"/api/reports/{rid}/corrections", json={"key": "applications.total.total", "value": "1",
                                                           "reason": "x"}, headers=h).status_code == 403
    r = c.post("/api/uploads", files=[("files", ("a.txt", SEED_000.read_bytes(), "text/plain"))], headers=h)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    page = c.post(f"/reports/{rid}/findings/{fid}/decide", data={"decision": "confirmed", "csrf": token})
    assert page.status_code == 403 and "权限不足" in page.text
    assert not Review(corpus).decisions(rid)


def test_form_post_without_csrf_token_fails(db_url, store, tmp_path):
    corpus, ids = store
    c = client(db_url, tmp_path)
    login(c, "rev")
    rid = ids[SEED_004.name]
    fid = c.get(f"/api/reports/{rid}/findings").json()["findings"][0]["id"]
    r = c.post(f"/reports/{rid}/findings/{fid}/decide", data={"decision": "confirmed"})
    assert r.status_code == 403 and "CSRF" in r.text
    r = c.post(f"/reports/{rid}/findings/{fid}/decide", data={"decision": "confirmed", "csrf": "forged"})
    assert r.status_code == 403
    assert c.post("/logout").status_code == 403
    page = c.get("/login")  # the login form has its own token
    assert c.post("/login", data={"name": "rev", "password": PASSWORD}).status_code == 403
    assert not Review(corpus).decisions(rid) and page.status_code in (200, 303)


def test_api_tokens_work_until_revoked(db_url, store, tmp_path):
    c = client(db_url, tmp_path)
    csrf = login(c, "rev")
    made = c.post("/api/tokens", json={"name": "脚本"}, headers={"X-CSRF-Token": csrf}).json()
    bare = TestClient(c.app)
    auth = {"Authorization": f"Bearer {made['token']}"}
    assert bare.get("/api/me", headers=auth).json()["name"] == "rev"
    assert bare.get("/api/reports", headers=auth).status_code == 200
    assert c.delete(f"/api/tokens/{made['id']}", headers={"X-CSRF-Token": csrf}).status_code == 200
    r = bare.get("/api/reports", headers=auth)
    assert r.status_code == 401 and r.json()["error"]["code"] == "not-signed-in"


def test_hostile_zips_are_refused_without_writing(db_url, store, tmp_path):
    from nianbao.config import DEFAULT
    c = client(db_url, tmp_path, settings=DEFAULT.replace(max_expanded_bytes=5 * 1024 * 1024))
    token = login(c, "rev")
    h = {"X-CSRF-Token": token}
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("ok.txt", SEED_000.read_bytes())
        z.writestr("../../etc/evil.txt", b"x")
    r = c.post("/api/uploads", files=[("files", ("evil.zip", evil.getvalue(), "application/zip"))], headers=h)
    assert r.status_code == 400 and r.json()["error"]["code"] == "unsafe-zip"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.txt", b"0" * (8 * 1024 * 1024))
    assert len(bomb.getvalue()) < 100_000
    r = c.post("/api/uploads", files=[("files", ("bomb.zip", bomb.getvalue(), "application/zip"))], headers=h)
    assert r.status_code == 413 and r.json()["error"]["code"] == "zip-bomb"
    r = c.post("/api/uploads", files=[("files", ("pic.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "application/pdf"))],
               headers=h)
    assert r.status_code == 415
    small = client(db_url, tmp_path, max_upload_bytes=4096)
    small.cookies = c.cookies
    r = small.post("/api/uploads", files=[("files", ("a.txt", b"x" * 10000, "text/plain"))], headers=h)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too-big"
    uploads = tmp_path / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())
    corpus, _ = store
    assert corpus.db.one("SELECT COUNT(*) FROM upload_jobs")[0] == 0


def test_agency_names_are_shown_as_text(db_url, store, tmp_path):
    corpus, _ = store
    rid = store_file(corpus, SEED_000, name="<img src=x onerror=alert(1)>.txt", data=SEED_000.read_bytes() + b" ",
                     agency="<script>alert(1)</script>人民政府")
    c = client(db_url, tmp_path)
    login(c, "vi")
    for page in (c.get("/reports").text, c.get(f"/reports/{rid}").text):
        assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "script-src 'self'" in c.get("/reports").headers["content-security-policy"]


def test_startup_rules(db_url, tmp_path):
    with pytest.raises(StartupRefused):
        create_app(db_url, host="0.0.0.0")
    open_client = client(db_url, tmp_path)  # loopback, no users: one local user, no sign-in
    r = open_client.get("/reports")
    assert r.status_code == 200 and "本机单用户模式" in r.text
    token = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert open_client.post("/upload", files=[("files", ("a.txt", b"x", "text/plain"))]).status_code == 403
    assert token is None or token.group(1)
    with Corpus(db_url) as c:
        Review(c).add_user("boss", "admin", PASSWORD)
    assert create_app(db_url, host="0.0.0.0") is not None
    assert open_client.get("/reports").status_code == 303  # users exist now: sign in


def test_cli_user_and_decide(db_url, store):
    from click.testing import CliRunner

    from nianbao.cli import main
    corpus, ids = store
    run = CliRunner().invoke(main, ["user", "add", "zhang", "--role", "reviewer", "--db", db_url],
                             input=f"{PASSWORD}\n{PASSWORD}\n")
    assert run.exit_code == 0, run.output
    assert Review(corpus).authenticate("zhang", PASSWORD)["role"] == "reviewer"
    sha = corpus.db.one("SELECT d.sha256 FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.id = ?",
                        (ids[SEED_004.name],))[0]
    run = CliRunner().invoke(main, ["decide", sha, "S102", "--dismiss", "--comment", "无此表", "--user", "zhang",
                                    "--db", db_url, "--json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.output.splitlines()[0])["decision"] == "dismissed"
    assert any(d["code"] == "S102" for d in Review(corpus).decisions(ids[SEED_004.name]))


def test_notice_db_leaves_out_what_a_reviewer_dismissed(db_url, store, tmp_path):
    """`nianbao notice --db`: a finding marked 误报/已说明 in the store is not sent to the body."""
    from click.testing import CliRunner
    from docx import Document

    from nianbao.cli import main
    corpus, ids = store
    sha = corpus.db.one("SELECT d.sha256 FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.id = ?",
                        (ids[SEED_004.name],))[0]

    def notice_text(out, *extra):
        run = CliRunner().invoke(main, ["notice", "--out", str(out), str(SEED_004), *extra])
        assert run.exit_code == 0, run.output
        (path,) = list(out.glob("*.docx"))
        doc = Document(str(path))
        return "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    before = notice_text(tmp_path / "a")
    assert "S102" in before or "缺少统计表" in before
    Review(corpus).add_user("zhang", "reviewer", PASSWORD)
    assert CliRunner().invoke(main, ["decide", sha, "S102", "--dismiss", "--comment", "网页版有此表", "--user", "zhang",
                                     "--db", db_url]).exit_code == 0
    after = notice_text(tmp_path / "b", "--db", db_url)
    assert "缺少统计表" not in after and "S102" not in after
