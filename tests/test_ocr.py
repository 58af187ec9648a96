"""OCR of scans (``nianbao[ocr]``): image-only PDFs and image files made at test time from real
reports with known answers (tests/scan_maker.py), read offline with rapidocr.

Few and small on purpose (each page costs seconds of CPU): one scanned report of four pages (a
title page turned by 90°, skew, blur, JPEG, a red seal over table 三), one PNG page, one page of
faint hairline rules (skew 1.5°, blur, noise at 150 dpi); results are
cached in a temporary directory for the session, so each page is recognised once.
"""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

import nianbao
from nianbao.config import DEFAULT
from nianbao.ingest import ocr
from nianbao.testing.scoring import score_report

pytestmark = pytest.mark.skipif(not ocr.available(), reason="OCR extra not installed (pip install 'nianbao[ocr]')")


@pytest.fixture(scope="session", autouse=True)
def ocr_cache(tmp_path_factory):
    import os
    old = os.environ.get("NIANBAO_OCR_CACHE")
    path = tmp_path_factory.mktemp("ocr-cache")
    os.environ["NIANBAO_OCR_CACHE"] = str(path)
    yield path
    if old is None:
        os.environ.pop("NIANBAO_OCR_CACHE", None)
    else:
        os.environ["NIANBAO_OCR_CACHE"] = old


@pytest.fixture(scope="session")
def huaian_scan(shared, ocr_cache):
    from scan_maker import SCANS, make_scan
    src, pages, dpi = SCANS["huaian-2024-scan"]
    data = make_scan(src, pages, dpi)
    t = time.process_time()
    report = nianbao.parse(data, filename="huaian-2024-scan.pdf")
    seconds = time.process_time() - t
    truth = json.loads(src.with_name("huaian-2024.expected.json").read_text(encoding="utf-8"))
    return data, report, truth, seconds / len(pages)


def test_scanned_report_reads_like_its_text_layer(huaian_scan):
    data, report, truth, per_page = huaian_scan
    s = score_report(report, truth)
    print(f"\nhuaian-2024 scan: {s.exact}/{s.cells} cells exact ({100 * s.exact / s.cells:.1f} %), "
          f"{len(s.unflagged)} silent wrong, {per_page:.1f} s CPU per page")
    assert report.agency == "淮安市人民政府" and report.year == 2024 and report.template == "2021"
    assert s.exact / s.cells >= 0.995, s.wrong
    assert s.unflagged == []


def test_ocr_results_are_cached(huaian_scan, ocr_cache, monkeypatch):
    data, report, _, _ = huaian_scan
    assert list(ocr_cache.rglob("*.json")), "nothing cached"
    monkeypatch.setattr(ocr, "recognise", lambda *a, **k: pytest.fail("OCR ran again"))
    again = nianbao.parse(data, filename="again.pdf")
    assert again.values() == report.values()


def test_low_confidence_value_is_uncertain_and_named(huaian_scan):
    data, report, _, _ = huaian_scan
    strict = nianbao.parse(data, filename="x.pdf", settings=DEFAULT.replace(ocr_min_confidence=0.99999))
    named = {k for d in strict.diagnostics if d.code == "P214" for k in d.keys}
    assert named and all(not strict.cells[k].certain for k in named)
    assert all(strict.cells[k].value == report.cells[k].value for k in named)  # kept as read


def test_agency_read_with_low_confidence_says_so(huaian_scan):
    data, report, _, _ = huaian_scan
    strict = nianbao.parse(data, filename="x.pdf", settings=DEFAULT.replace(ocr_min_confidence=0.99999))
    p106 = {d.params["what"]: d for d in strict.diagnostics if d.code == "P106"}
    assert "发布机关" in p106 and "淮安市人民政府" in p106["发布机关"].message
    assert strict.agency == report.agency  # kept as read
    from scan_maker import HUAIAN
    assert not any(d.code == "P106" for d in nianbao.parse(HUAIAN).diagnostics)  # a text layer: no doubt


def test_png_page_by_content_at_its_stated_resolution(shared, ocr_cache):
    from scan_maker import HUAIAN, make_image
    # scanned on a bed wider than the page, the file saying 200 dpi: the page is as wide as the
    # bed (1.5 × A4), not taken for an A4 page with its text shrunk; one cell wiped blank
    wiped = "review_litigation.review.corrected"
    box = nianbao.parse(HUAIAN).cells[wiped].loc.bbox
    data = make_image(HUAIAN, 4, ".png", defects=("skew+0.5",), dpi=200, margin=0.25, stated=True, blank=(box,))
    report = nianbao.parse(data, filename="no-extension")
    assert report.format == "image"
    assert report.cells["review_litigation.review.upheld"].value == 72
    assert report.cells["review_litigation.review.total"].value == 351
    # no ink at all in the cell: blank paper, certainly empty (not a digit the engine missed)
    assert report.cells[wiped].value is None and report.cells[wiped].certain
    [cached] = list(ocr_cache.rglob(hashlib.sha256(data).hexdigest() + ".json"))
    width = json.loads(cached.read_text(encoding="utf-8"))["pages"]["0"]["width"]
    assert abs(width - 1.5 * 595) < 10


def test_stated_resolution_trusted_only_for_a_paper_sized_page():
    import io

    from PIL import Image

    from nianbao.ingest.image import resolutions

    def png(dpi=None):
        out = io.BytesIO()
        Image.new("L", (8, 8), 255).save(out, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
        return out.getvalue()
    assert resolutions(png(300), [(2480, 3508)]) == [300]  # A4 at 300 dpi
    assert resolutions(png(72), [(1240, 1754)]) == [None]  # 17 inches wide: an editor's default
    assert resolutions(png(), [(1240, 1754)]) == [None]


def test_without_ocr_a_scan_says_how_to_install(monkeypatch, shared):
    from scan_maker import HUAIAN, make_image
    monkeypatch.setattr(ocr, "available", lambda: False)
    report = nianbao.parse(make_image(HUAIAN, 4, ".jpg"), filename="scan.jpg")
    assert [d.code for d in report.diagnostics] == ["P001"]
    assert "pip install 'nianbao[ocr]'" in report.diagnostics[0].message


def test_scan_pages_judged_from_bytes(huaian_scan):
    data = huaian_scan[0]
    assert ocr.scan_pages(data) == 4
    assert ocr.scan_pages(b"\x89PNG\r\n\x1a\n....") == 1
    assert ocr.scan_pages((nianbao.__file__ and b"%PDF-1.4 /Font /Type /Page")) == 0


def test_blotted_digit_gets_the_reading_the_arithmetic_asks_for(ocr_cache):
    from pathlib import Path

    from nianbao.rules import check
    blot = Path(__file__).parent / "rule_fixtures" / "P214" / "blot.pdf"  # a blot over the 7 of 72
    report = nianbao.parse(blot)
    cell = report.cells["review_litigation.review.upheld"]
    assert cell.value == 2 and not cell.certain  # kept as read, uncertain
    [p214] = [d for d in report.diagnostics if d.code == "P214"]
    assert p214.candidates == [[72]]  # 72 + 64 + 178 + 37 = 351 (A4)
    [finding] = [f for f in check(report) if f.code == "P214"]
    assert "使勾稽关系成立的读法：72" in finding.message


def test_restoring_reading_only_one_digit_away_and_against_certain_cells():
    from nianbao.model import CellValue
    from nianbao.parsing.candidates import restoring_readings
    row = "review_litigation.review."
    cells = {row + k: CellValue(v, str(v), None, True)
             for k, v in {"upheld": 78, "corrected": 64, "other": 178, "pending": 37, "total": 351}.items()}
    cells[row + "upheld"] = CellValue(78, "78", None, False)
    assert restoring_readings([row + "upheld"], cells, "2021") == [[72]]  # 8 misread for 2
    cells[row + "upheld"] = CellValue(7, "7", None, False)
    assert restoring_readings([row + "upheld"], cells, "2021") == [[72]]  # the 2 lost
    cells[row + "upheld"] = CellValue(53, "53", None, False)
    assert restoring_readings([row + "upheld"], cells, "2021") == []  # two digits from 72: not offered
    cells[row + "upheld"] = CellValue(78, "78", None, False)
    cells[row + "other"] = CellValue(178, "178", None, False)  # another unsure cell in A4: no answer
    assert restoring_readings([row + "upheld", row + "other"], cells, "2021") == []


def test_faint_hairline_rules_skewed_blurred_noisy(shared, ocr_cache):
    # table 三 of a LibreOffice layout at 150 dpi, skewed by 1.5°, blurred and noisy: its hairline
    # rules fade where the label column's text crowds them; rows read from a grid missing them
    # merge (values given to the wrong row, the template misjudged). Every row is read, exactly.
    from scan_maker import LONGNAN, SCANS, make_scan
    defects = SCANS["longnan-lirenzhen-2020-faint150"][1][4]
    report = nianbao.parse(make_scan(LONGNAN, {4: defects}, 150), filename="faint.pdf")
    truth = json.loads(LONGNAN.with_name(LONGNAN.stem + ".expected.json").read_text(encoding="utf-8"))
    s = score_report(report, truth)
    assert s.unflagged == []
    assert [key for key, _, _ in s.wrong if key.startswith("applications.")] == []
    assert all(report.cells[k].certain for k in truth["cells"] if k.startswith("applications."))


def test_grid_with_rules_stopping_inside_it_makes_its_values_uncertain():
    # a table of three columns and five rows whose row rules faded in the label column and
    # stop in the middle of cells: the grid may have merged rows, so its values are all in doubt
    from nianbao.ingest import grid_image
    from nianbao.ingest.pdf.extract import Rule
    from nianbao.ingest.pdf.grids import rules_to_grids
    from nianbao.model.document import Block, Cell, Location
    xs, ys = [50, 200, 300, 400], [100, 120, 140, 160, 180, 200]
    rules = [Rule(False, x, ys[0], ys[-1]) for x in xs] + [Rule(True, ys[0], 50, 400), Rule(True, ys[-1], 50, 400)]
    whole = rules + [Rule(True, y, 50, 400) for y in ys[1:-1]]
    faded = rules + [Rule(True, y, 120 + 20 * k, 400) for k, y in enumerate(ys[1:-1])]
    assert grid_image.broken_grids(rules_to_grids(whole), whole, 2.5) == []
    [box] = grid_image.broken_grids(rules_to_grids(faded), faded, 2.5)
    assert box[:4] == (50, 100, 400, 200) and box[4] == 4
    from nianbao.ingest.pdf.lines import chars_to_lines
    read = [ocr.OcrChar("4", 245, 125, 255, 135, 0.99), ocr.OcrChar("5", 245, 305, 255, 315, 0.99)]
    page = ocr.OcrPage(1, 842, chars_to_lines(read), faded, [], [list(box)])
    cell = Cell("4", Location(page=1, bbox=(200, 120, 300, 140)), confidence=None)
    outside = Cell("5", Location(page=1, bbox=(200, 300, 300, 320)), confidence=None)
    [p215] = ocr.mark_confidence([Block("row", [cell]), Block("row", [outside])], [page])
    assert p215.code == "P215" and p215.loc.page == 1 and "第 1 页" in p215.message
    assert cell.confidence == 0.0 and outside.confidence == 0.99  # read surely, but maybe not its row's


def test_a_scanned_pdf_names_the_table_whose_grid_is_incomplete():
    # the P215 fixture's faded page (a JPEG scan) wrapped as a one-page image-only PDF: the PDF
    # reader passes the OCR pages' P215 on, as the image reader does
    import io

    import cv2
    import numpy as np
    import pypdfium2 as pdfium
    jpg = (Path(__file__).parent / "rule_fixtures" / "P215" / "faded.jpg").read_bytes()
    out = pdfium.PdfDocument.new()
    image = pdfium.PdfImage.new(out)
    image.load_jpeg(io.BytesIO(jpg), inline=True)
    h, w = cv2.imdecode(np.frombuffer(jpg, np.uint8), cv2.IMREAD_GRAYSCALE).shape
    page = out.new_page(w * 72 / 150, h * 72 / 150)
    image.set_matrix(pdfium.PdfMatrix().scale(w * 72 / 150, h * 72 / 150))
    page.insert_obj(image)
    page.gen_content()
    buf = io.BytesIO()
    out.save(buf)
    report = nianbao.parse(buf.getvalue(), filename="faded.pdf")
    assert [d.code for d in report.diagnostics if d.code == "P215"] == ["P215"]
