"""The source of a figure, from a document's original bytes: a PDF page with the cell's box, a
sanitised source table for HTML/DOCX, the surrounding lines for text."""
import struct
import zlib

import pytest

pytest.importorskip("fastapi")

from nianbao import parse  # noqa: E402
from nianbao.web import source  # noqa: E402

from conftest import CORPUS  # noqa: E402

HUAIAN = CORPUS / "real" / "huaian-2024.pdf"
SHUYANG = CORPUS / "real" / "shuyang-fgj-2023.html"
SEED_004 = CORPUS / "seeds" / "004_a224db91dbdf5e26.txt"


def _pixels(png: bytes):
    """(width, height, channels, rows) of a PNG written by :func:`source._png` (filter 0 rows)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, head = 8, b"", None
    while pos < len(png):
        n = struct.unpack(">I", png[pos: pos + 4])[0]
        kind, body = png[pos + 4: pos + 8], png[pos + 8: pos + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, _, color = head[:4]
    ch = 4 if color == 6 else 3
    raw = zlib.decompress(idat)
    stride = 1 + w * ch
    return w, h, ch, [raw[y * stride + 1: (y + 1) * stride] for y in range(h)]


def test_pdf_page_with_the_cells_box(shared):
    report = parse(HUAIAN)
    loc = report.cells["applications.total.total"].loc
    png = source.render_page(HUAIAN.read_bytes(), loc.page, loc.bbox, scale=1.0)
    w, h, ch, rows = _pixels(png)
    assert 500 < w < 700 and 700 < h < 900  # an A4 page in points
    x0, top, x1, bottom = (round(v) for v in loc.bbox)
    y = top - 3  # the upper edge of the red outline
    px = rows[y][(x0 + 2) * ch: (x0 + 2) * ch + 3]
    assert tuple(px) == (220, 20, 20)
    inside = rows[(top + bottom) // 2][((x0 + x1) // 2) * ch: ((x0 + x1) // 2) * ch + 3]
    assert tuple(inside) != (220, 20, 20)


def test_html_source_table_is_plain_text_with_the_cell_marked(shared):
    report = parse(SHUYANG)
    cell = report.cells["applications.new_requests.total"]
    view = source._table(SHUYANG.read_bytes(), SHUYANG.name, cell.loc.to_dict())
    hits = [c for row in view["rows"] for c in row if c["hit"]]
    assert len(hits) == 1 and hits[0]["text"].strip() == cell.raw.strip()


def test_hostile_html_leaves_only_text():
    page = ("<html><head><title>x</title><style>td{background:url(http://evil/)}</style></head><body>"
            "<table><tr><td>规章<script>alert(1)</script></td><td><a href='http://evil/'>3</a>"
            "<img src='http://evil/x.png' onerror='alert(2)'></td></tr>"
            "<tr><td>行政许可</td><td style='x'>4</td></tr></table></body></html>").encode()
    view = source._table(page, "x.html", {"table": 1, "row": 1, "col": 2})
    texts = [c["text"] for row in view["rows"] for c in row]
    assert texts and all(set(c) == {"text", "row", "col", "hit", "line"} for row in view["rows"] for c in row)
    joined = "".join(texts)
    assert "alert" not in joined and "http" not in joined and "<" not in joined


def test_text_lines_around_the_cell(shared):
    report = parse(SEED_004)
    cell = next(c for c in report.cells.values() if c.loc and c.loc.line)
    lines = source._lines(SEED_004.read_bytes(), SEED_004.name, cell.loc.to_dict())
    hit = [x for x in lines if x["hit"]]
    assert len(hit) == 1 and hit[0]["n"] == cell.loc.line
    assert all(tok in hit[0]["text"] for tok in cell.raw.split())
    assert len(lines) <= 2 * source.CONTEXT_LINES + 1


def test_source_api_over_the_stored_original(tmp_path, shared, monkeypatch):
    """The API and the page image, with the original bytes the store keeps."""
    from fastapi.testclient import TestClient

    from nianbao.store import Corpus
    from nianbao.store.review import Review
    from nianbao.store.work import parse_and_check
    from nianbao.web import create_app
    url = f"sqlite:///{tmp_path / 's.db'}"
    blobs = {}
    with Corpus(url) as c:
        ids = {}
        for p in (HUAIAN, SHUYANG, SEED_004):
            res = parse_and_check(p.name, p.read_bytes())
            res["data"] = p.read_bytes()
            c.store_result(res)
            blobs[res["sha256"]] = p.read_bytes()
            ids[p.name] = Review(c).report_by_sha(res["sha256"])
    if not any(hasattr(Corpus, n) for n in ("original", "original_bytes", "document_bytes")):
        monkeypatch.setattr(source, "original_bytes", lambda review, sha: blobs.get(sha))
    client = TestClient(create_app(url))
    pdf = client.get(f"/api/reports/{ids[HUAIAN.name]}/source", params={"key": "applications.total.total"}).json()
    assert pdf["kind"] == "pdf" and pdf["page"] and "box=" in pdf["image"]
    img = client.get(pdf["image"])
    assert img.status_code == 200 and img.headers["content-type"] == "image/png" and img.content[:4] == b"\x89PNG"
    html = client.get(f"/api/reports/{ids[SHUYANG.name]}/source", params={"key": "applications.total.total"}).json()
    assert html["kind"] == "table" and any(c["hit"] for row in html["rows"] for c in row)
    rid = ids[SEED_004.name]
    f = next(f for f in client.get(f"/api/reports/{rid}/findings").json()["findings"] if f["code"] == "P203")
    text = client.get(f"/api/reports/{rid}/source", params={"finding": f["id"]}).json()
    assert text["kind"] == "text" and any(x["hit"] for x in text["lines"])
    s102 = next(f for f in client.get(f"/api/reports/{rid}/findings").json()["findings"] if f["code"] == "S102")
    none = client.get(f"/api/reports/{rid}/source", params={"finding": s102["id"]}).json()
    assert none["kind"] == "none" and none["message"]
    assert client.get(f"/reports/{ids[SHUYANG.name]}/page/1.png").status_code == 404  # not a PDF
    assert client.get(f"/api/reports/{rid}/source").json()["error"]["code"] == "no-target"
    client.app.state.store.close()
