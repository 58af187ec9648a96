"""Tests for :mod:`nianbao.ingest.pdf` (text-layer PDF → Document).

The real report ``huaian-2024.pdf`` lives in the shared corpus; small synthetic PDFs are written
by hand below (Helvetica for ASCII, the non-embedded CID font STSong-Light for Chinese).
"""
from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from nianbao.model.document import Document
from nianbao.errors import InputError
from nianbao.ingest.pdf import Char, Line, is_furniture, join_chars, pdf_to_document, split_numbers

SHARED = Path(__file__).resolve().parents[2] / "shared"
HUAIAN = SHARED / "corpus" / "real" / "huaian-2024.pdf"
HUAIAN_EXPECTED = SHARED / "corpus" / "real" / "huaian-2024.expected.json"

NUMBER = re.compile(r"^\d+(\.\d+)?$")


# ------------------------------------------------------------------------------ PDF writer

def build_pdf(pages: list, title: str | None = None, rotate: int = 0, encrypt: bool = False,
              form: str = "", form_matrix: str = "1 0 0 1 0 0") -> bytes:
    """A minimal PDF (A4 pages) from content streams. Fonts: /F1 Helvetica, /F2 STSong-Light
    (hex UCS-2 strings, see :func:`zh`); ``form`` is the content of a form XObject /Fm1."""
    objs: list = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    desc = add(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [-25 -254 1000 880]"
               b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>")
    cid = add(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo"
              b" << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor %d 0 R /DW 1000 >>" % desc)
    f2 = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
             b" /DescendantFonts [%d 0 R] >>" % cid)
    form_data = form.encode("latin-1")
    fm = add(b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [%s] /Length %d >>\nstream\n"
             % (form_matrix.encode(), len(form_data)) + form_data + b"\nendstream")
    pages_id = len(objs) + 2 * len(pages) + 1
    kids = []
    for content in pages:
        data = content.encode("latin-1")
        stream = add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Rotate %d /Contents %d 0 R"
                        b" /Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> /XObject << /Fm1 %d 0 R >> >> >>"
                        % (pages_id, rotate, stream, f1, f2, fm)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
               % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = add(b"<< /Title <FEFF%s> >>" % title.encode("utf-16-be").hex().encode()) if title else None
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"/Size %d /Root %d 0 R" % (len(objs) + 1, catalog)
    if info:
        trailer += b" /Info %d 0 R" % info
    if encrypt:  # standard handler whose empty user password does not match
        trailer += (b" /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + b"11" * 32
                    + b"> /U <" + b"22" * 32 + b"> >> /ID [<00112233445566778899AABBCCDDEEFF>"
                    b" <00112233445566778899AABBCCDDEEFF>]")
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


def zh(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def text_at(x: float, y: float, text: str, size: float = 10) -> str:
    """Show ``text`` with its baseline at (x, y): ASCII in Helvetica, anything else in STSong."""
    if text.isascii():
        return f"BT /F1 {size} Tf {x} {y} Td ({text}) Tj ET\n"
    return f"BT /F2 {size} Tf {x} {y} Td {zh(text)} Tj ET\n"


def stroked_cell(x0: float, y0: float, x1: float, y1: float) -> str:
    """A cell border drawn as one stroked rectangle."""
    return f"0.5 w {x0} {y0} {x1 - x0} {y1 - y0} re S\n"


def filled_rules(xs: list, ys: list, spans=None) -> str:
    """Grid rules drawn as thin filled rectangles (as Word/WPS do); ``spans`` maps a horizontal
    rule's y to the (x0, x1) it covers when it is not the full width."""
    out = []
    for y in ys:
        x0, x1 = (spans or {}).get(y, (xs[0], xs[-1]))
        out.append(f"{x0} {y - 0.4} {x1 - x0} 0.8 re f\n")
    for x in xs:
        out.append(f"{x - 0.4} {ys[-1]} 0.8 {ys[0] - ys[-1]} re f\n")
    return "".join(out)


def rows_of(doc: Document) -> list:
    return [[c.text for c in b.cells] for b in doc.blocks if b.kind == "row"]


def paras_of(doc: Document) -> list:
    return [b.cells[0].text for b in doc.blocks if b.kind == "para"]


# ------------------------------------------------------------------------------ real report

@pytest.fixture(scope="module")
def huaian() -> Document:
    if not HUAIAN.exists():
        pytest.skip("../shared/corpus is not beside the checkout")
    return pdf_to_document(HUAIAN.read_bytes())


def _row_ending(doc: Document, tail: list) -> list:
    found = [r for r in rows_of(doc) if r[-len(tail):] == tail]
    assert len(found) == 1, (tail, found)
    return found[0]


def test_huaian_basics(huaian):
    assert huaian.format == "pdf"
    assert huaian.title == "政府信息公开工作年度报告"
    assert huaian.diagnostics == []
    paras = paras_of(huaian)
    assert paras[0] == "淮安市人民政府2024 年政府信息公开工作年度报告"  # two centred title lines, one para
    assert any("全年收取政府信息公开信息处理费 3940 元" in p for p in paras)


def test_huaian_application_rows(huaian):
    _row_ending(huaian, ["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"])
    row = _row_ending(huaian, ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                               "447", "7", "0", "0", "0", "0", "454"])
    assert len(row) == 8
    assert _row_ending(huaian, ["（一）予以公开", "1288", "21", "0", "0", "50", "3", "1362"])[0] == "三、本年度办理结果"
    assert _row_ending(huaian, ["1.属于国家秘密", "2", "0", "0", "0", "0", "0", "2"])[0] == "（三）不予公开"
    _row_ending(huaian, ["2.没有现成信息需要另行制作", "11", "0", "0", "0", "0", "0", "11"])
    _row_ending(huaian, ["5.要求行政机关确认或重新出具已获取信息", "1", "0", "0", "0", "0", "0", "1"])
    _row_ending(huaian, ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])


def test_huaian_row_spanning_labels_once(huaian):
    cells = [c.text for b in huaian.blocks for c in b.cells]
    for label in ("三、本年度办理结果", "（三）不予公开", "（五）不予处理", "（六）其他处理"):
        assert cells.count(label) == 1, label
    # '（四）无|法提供' is cut by the page 4/5 break; it comes back whole, in its first row
    assert _row_ending(huaian, ["1.本机关不掌握相关政府信息", "746", "12", "0", "0", "10", "1", "769"])[0] == "（四）无法提供"
    assert "法提供" not in cells


def test_huaian_applications_match_expected(huaian):
    expected = json.loads(HUAIAN_EXPECTED.read_text(encoding="utf-8"))["cells"]
    row_keys = list(dict.fromkeys(k.split(".")[1] for k in expected if k.startswith("applications.")))
    columns = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
    want = [[expected[f"applications.{r}.{c}"] for c in columns] for r in row_keys]
    table = next(b.table for b in huaian.blocks if b.kind == "row" and b.cells[0].text.startswith("一、本年新收"))
    got = [[int(c.text) for c in b.cells[-7:]] for b in huaian.blocks
           if b.kind == "row" and b.table == table and all(NUMBER.match(c.text) for c in b.cells[-7:])]
    assert got == want
    pages = {b.cells[0].loc.page for b in huaian.blocks if b.kind == "row" and b.table == table}
    assert pages == {4, 5}  # one table over the page break


def test_huaian_review_litigation_row(huaian):
    expected = json.loads(HUAIAN_EXPECTED.read_text(encoding="utf-8"))["cells"]
    want = [str(v) for k, v in expected.items() if k.startswith("review_litigation.")]
    rows = [r for r in rows_of(huaian) if len(r) == 15 and all(NUMBER.match(t) for t in r)]
    assert rows == [want]


def test_huaian_active_rows(huaian):
    assert ["行政许可", "447228"] in rows_of(huaian)
    assert ["行政事业性收费", "96171.6"] in rows_of(huaian)
    assert ["规章", "1", "0", "11"] in rows_of(huaian)
    assert ["行政规范性文件", "8", "26", "66"] in rows_of(huaian)
    assert ["信息内容", "本年收费金额（单位：万元）"] in rows_of(huaian)


def test_huaian_no_page_furniture(huaian):
    for block in huaian.blocks:
        text = block.text.strip()
        assert not re.fullmatch(r"[-—–\s]*\d+[-—–\s]*", text) or block.kind == "row", text
        assert text not in {"- 4 -", "-4-", "4"}


def test_huaian_every_cell_located(huaian):
    assert huaian.blocks
    for block in huaian.blocks:
        assert block.cells
        for cell in block.cells:
            assert 1 <= cell.loc.page <= 6
            x0, top, x1, bottom = cell.loc.bbox
            assert 0 <= x0 <= x1 <= 595 and 0 <= top <= bottom <= 842
    # reading order: pages never go backwards
    pages = [b.cells[0].loc.page for b in huaian.blocks]
    assert pages == sorted(pages)


# ------------------------------------------------------------------------------ Word-exported PDFs

FIXTURES = Path(__file__).resolve().parent / "fixtures"  # made by fixtures/make_more_fixtures.py


def test_libreoffice_export_numbers_wrapped_in_cells():
    """huaian-2024-docx.docx exported by LibreOffice: 3001 printed as '300' over '1' in its cell."""
    doc = pdf_to_document((FIXTURES / "huaian-2024-lo.pdf").read_bytes())
    rows = rows_of(doc)
    assert ["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"] in rows
    assert ["三、本年度办理结果", "（一）予以公开", "1288", "21", "0", "0", "50", "3", "1362"] in rows
    assert ["（七）总计", "2932", "53", "0", "0", "61", "4", "3050"] in rows
    assert ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"] in rows


def test_libreoffice_export_wrapped_title():
    """longnan-lirenzhen-2020-docx.docx exported by LibreOffice: the 22-point title wraps after
    '政府' and the PDF has no Title metadata."""
    doc = pdf_to_document((FIXTURES / "longnan-lirenzhen-2020-lo.pdf").read_bytes())
    assert doc.title is None
    assert paras_of(doc)[0] == "龙南市里仁镇人民政府办公室 2020 年政府信息公开工作年度报告"


# ------------------------------------------------------------------------------ synthetic tables

def _ruled_page() -> str:
    """Page 1: a ruled table (stroked cells) with a row-spanning label, a label wrapped over two
    lines, an empty cell; page furniture top and bottom."""
    c = text_at(280, 800, "- 1 -") + text_at(72, 740, "三、收到和处理申请情况", 12)
    cells = [  # (x0, y0, x1, y1, lines)
        (72, 680, 200, 700, ["项目"]), (200, 680, 260, 700, ["自然人"]), (260, 680, 320, 700, ["法人"]),
        (320, 680, 380, 700, ["总计"]),
        (72, 620, 110, 680, ["（三）", "不予", "公开"]),
        (110, 660, 200, 680, ["1.国家秘密"]), (200, 660, 260, 680, ["2"]), (260, 660, 320, 680, ["0"]),
        (320, 660, 380, 680, ["2"]),
        (110, 640, 200, 660, ["2.禁止公开"]), (200, 640, 260, 660, ["30"]), (260, 640, 320, 660, []),
        (320, 640, 380, 660, ["31"]),
        (110, 620, 200, 640, ["3.三安全"]), (200, 620, 260, 640, ["5"]), (260, 620, 320, 640, ["0"]),
        (320, 620, 380, 640, ["5"]),
        (72, 590, 200, 620, ["（二）部分公开（区分", "处理的）"]), (200, 590, 260, 620, ["447"]),
        (260, 590, 320, 620, ["7"]), (320, 590, 380, 620, ["454"]),
    ]
    for x0, y0, x1, y1, lines in cells:
        c += stroked_cell(x0, y0, x1, y1)
        for k, line in enumerate(lines):
            c += text_at(x0 + 3, y1 - 13 - 12 * k, line)
    return c + text_at(270, 30, "第 1 页")


def test_synthetic_ruled_table():
    doc = pdf_to_document(build_pdf([_ruled_page()], title="测试报告"))
    assert doc.title == "测试报告"
    assert paras_of(doc) == ["三、收到和处理申请情况"]
    assert rows_of(doc) == [
        ["项目", "自然人", "法人", "总计"],
        ["（三）不予公开", "1.国家秘密", "2", "0", "2"],
        ["2.禁止公开", "30", "", "31"],  # the empty ruled cell stays, as a blank cell
        ["3.三安全", "5", "0", "5"],
        ["（二）部分公开（区分处理的）", "447", "7", "454"],
    ]
    tables = {b.table for b in doc.blocks if b.kind == "row"}
    assert tables == {1}
    blank = doc.blocks[3].cells[2]
    assert blank.text == "" and blank.loc.page == 1 and blank.loc.bbox == (260.0, 182.0, 320.0, 202.0)


def test_synthetic_table_over_page_break():
    """Filled-rule grid on two pages with the same edges: one table; a row-spanning label cut by
    the break ('（四）无' | '法提供') is rejoined, the empty continuation of '三、' is dropped, and
    the footers between go."""
    xs = [72, 100, 140, 220, 280, 340]
    p1 = filled_rules(xs, [700, 680, 660], spans={680: (100, 340)}) + text_at(72, 720, "表头之前的说明")
    p1 += text_at(75, 687, "三、") + text_at(103, 687, "（三）丙") + text_at(143, 687, "1.不掌握") + text_at(223, 687, "746")
    p1 += text_at(283, 687, "769") + text_at(143, 667, "2.需另行") + text_at(223, 667, "11") + text_at(283, 667, "11")
    p1 += text_at(103, 667, "（四）无") + text_at(290, 40, "- 1 -")
    # page 2: columns 0 and 1 continue (no rule under the first band there)
    p2 = filled_rules(xs, [780, 760, 740], spans={760: (140, 340)})
    p2 += text_at(103, 767, "法提供") + text_at(143, 767, "3.不明确") + text_at(223, 767, "1") + text_at(283, 767, "1")
    p2 += text_at(223, 747, "2") + text_at(283, 747, "2") + text_at(290, 40, "- 2 -")
    doc = pdf_to_document(build_pdf([p1, p2]))
    rows = rows_of(doc)
    assert rows == [
        ["三、", "（三）丙", "1.不掌握", "746", "769"],
        ["（四）无法提供", "2.需另行", "11", "11"],
        ["3.不明确", "1", "1"],
        ["", "2", "2"],
    ]
    assert {b.table for b in doc.blocks if b.kind == "row"} == {1}


def test_synthetic_rows_without_rules_between_them():
    """Only the header is ruled off: the data band holds three visual rows, cut apart by the
    number lines; the centred group label stays whole in the first of them."""
    def rule(x0, y0, x1, y1):
        return f"{x0} {y0} {x1 - x0} {y1 - y0} re f\n"
    page = rule(72, 699.6, 320, 700.4) + rule(72, 679.6, 320, 680.4) + rule(72, 619.6, 320, 620.4)
    page += "".join(rule(x - 0.4, 620, x + 0.4, 700) for x in (72, 200, 260, 320)) + rule(119.6, 620, 120.4, 680)
    page += text_at(75, 687, "项目") + text_at(203, 687, "自然人") + text_at(263, 687, "总计")
    page += text_at(75, 657, "（三）不") + text_at(75, 645, "予公开")
    page += text_at(123, 667, "1.国家秘密") + text_at(123, 647, "2.禁止公开") + text_at(123, 627, "3.三安全")
    page += text_at(203, 667, "2") + text_at(203, 647, "30") + text_at(203, 627, "5")
    page += text_at(263, 667, "2") + text_at(263, 627, "5")
    doc = pdf_to_document(build_pdf([page]))
    assert rows_of(doc) == [
        ["项目", "自然人", "总计"],
        ["（三）不予公开", "1.国家秘密", "2", "2"],
        ["2.禁止公开", "30", ""],
        ["3.三安全", "5", "5"],
    ]


def test_synthetic_number_wrapped_in_a_narrow_cell():
    """Word/LibreOffice wrap a number too wide for its cell ('300' over '1'): one number, not two
    visual rows; the other cells of the band hold one line each."""
    c = ""
    cells = [  # (x0, y0, x1, y1, lines): the 24-point cells hold three digits a line
        (72, 680, 200, 700, ["项目"]), (200, 680, 224, 700, ["N"]), (224, 680, 248, 700, ["C"]),
        (248, 680, 272, 700, ["T"]),
        (72, 650, 200, 680, ["一、本年新收申请数量"]), (200, 650, 224, 680, ["300", "1"]),
        (224, 650, 248, 680, ["53"]), (248, 650, 272, 680, ["311", "9"]),
        (72, 620, 200, 650, ["三、本年度办理结果"]), (200, 620, 224, 650, ["128", "8"]),
        (224, 620, 248, 650, ["21"]), (248, 620, 272, 650, ["130", "9"]),
    ]
    for x0, y0, x1, y1, lines in cells:
        c += stroked_cell(x0, y0, x1, y1)
        for k, line in enumerate(lines):
            c += text_at(x0 + 2, y1 - 12 - 11 * k, line)
    doc = pdf_to_document(build_pdf([c]))
    assert rows_of(doc) == [
        ["项目", "N", "C", "T"],
        ["一、本年新收申请数量", "3001", "53", "3119"],
        ["三、本年度办理结果", "1288", "21", "1309"],
    ]


def test_wrapped_title_is_one_paragraph():
    """A title in a large type centred over two lines is one para (so that the body's name and
    the year are found together); justified body lines and centred body-size lines stay apart."""
    def centred(y, text, size):
        return text_at((595 - size * len(text)) / 2, y, text, size)  # STSong: one em per character
    page = centred(760, "龙南市里仁镇人民政府办公室2020年政府", 22) + centred(734, "信息公开工作年度报告", 22)
    body = ["本报告依据《中华人民共和国政府信息公开条例》和国务院办公厅通知要求编制。全文包括",
            "总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政",
            "复议行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分的内容。"]
    for k, line in enumerate(body):
        page += text_at(72, 690 - 16 * k, line, 12)
    page += centred(620, "附表：统计数据", 12) + centred(604, "（单位：件）", 12)
    doc = pdf_to_document(build_pdf([page]))
    assert paras_of(doc) == ["龙南市里仁镇人民政府办公室2020年政府信息公开工作年度报告", *body,
                             "附表：统计数据", "（单位：件）"]
    x0, top, x1, bottom = doc.blocks[0].cells[0].loc.bbox
    assert x0 < 100 and x1 > 495 and top < 90 and bottom > 110  # both lines


def test_synthetic_unruled_table_splits_on_gaps():
    page = text_at(72, 760, "二、主动公开政府信息情况")
    page += text_at(72, 740, "信息内容") + text_at(220, 740, "本年制发件数") + text_at(360, 740, "现行有效件数")
    page += text_at(72, 720, "规章") + text_at(220, 720, "1") + text_at(360, 720, "11")
    page += text_at(72, 700, "3001 53 0 0 61 4 3119")
    page += text_at(72, 680, "共受理申请 3119 件，答复 3050 件。")
    doc = pdf_to_document(build_pdf([page]))
    assert paras_of(doc) == ["二、主动公开政府信息情况", "共受理申请 3119 件，答复 3050 件。"]
    assert rows_of(doc) == [
        ["信息内容", "本年制发件数", "现行有效件数"],
        ["规章", "1", "11"],
        ["3001", "53", "0", "0", "61", "4", "3119"],
    ]
    assert {b.table for b in doc.blocks if b.kind == "row"} == {1}


def test_rotated_page():
    """/Rotate 90 with content drawn turned the other way: reads upright, as displayed."""
    content = "q 0 1 -1 0 595 0 cm\n"  # displayed page: 842 wide, 595 high
    content += text_at(72, 500, "First line") + text_at(72, 480, "Second line")
    content += filled_rules([72, 200, 300], [460, 440, 420])
    content += text_at(75, 446, "Rules") + text_at(203, 446, "1") + text_at(75, 426, "Documents") + text_at(203, 426, "8")
    content += "Q\n"
    doc = pdf_to_document(build_pdf([content], rotate=90))
    assert paras_of(doc) == ["First line", "Second line"]
    assert rows_of(doc) == [["Rules", "1"], ["Documents", "8"]]
    x0, top, x1, bottom = doc.blocks[0].cells[0].loc.bbox
    assert 70 < x0 < 74 and 80 < top < 100


def test_rules_inside_a_form_xobject():
    """Rules drawn by a form XObject (moved by its /Matrix) still make the grid."""
    form = filled_rules([72, 200, 300], [560, 540, 520])  # shown 100 points higher
    page = "/Fm1 Do\n" + text_at(75, 646, "Rules") + text_at(203, 646, "1") + text_at(75, 626, "Documents")
    page += text_at(203, 626, "8")
    doc = pdf_to_document(build_pdf([page], form=form, form_matrix="1 0 0 1 0 100"))
    assert rows_of(doc) == [["Rules", "1"], ["Documents", "8"]]
    assert doc.blocks[0].cells[0].loc.bbox == (72.0, 182.0, 200.0, 202.0)


def test_running_header_and_page_numbers_dropped():
    pages = [text_at(72, 800, f"Huaian report 2024 page {n}") + text_at(72, 700, f"Body text {n}")
             + text_at(280, 30, f"- {n} -") for n in (1, 2, 3)]
    doc = pdf_to_document(build_pdf(pages))
    assert paras_of(doc) == ["Body text 1", "Body text 2", "Body text 3"]


# ------------------------------------------------------------------------------ failures

def test_scanned_pdf_gives_p001(monkeypatch):
    """A page image only (a text page rendered to a bitmap, put in a new PDF), OCR not installed:
    P001 telling how to install it, no blocks."""
    from nianbao.ingest import ocr
    monkeypatch.setattr(ocr, "available", lambda: False)
    src = pdfium.PdfDocument(build_pdf([_ruled_page()]))
    try:
        bitmap = src[0].render(scale=0.5)
        pdf = pdfium.PdfDocument.new()
        page = pdf.new_page(595, 842)
        image = pdfium.PdfImage.new(pdf)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
        page.insert_obj(image)
        page.gen_content()
        buffer = io.BytesIO()
        pdf.save(buffer)
        pdf.close()
    finally:
        src.close()
    doc = pdf_to_document(buffer.getvalue())
    assert doc.blocks == []
    assert [(d.code, d.severity) for d in doc.diagnostics] == [("P001", "error")]
    assert "OCR" in doc.diagnostics[0].message and "pip install 'nianbao[ocr]'" in doc.diagnostics[0].message


def test_blank_pdf_gives_p001():
    doc = pdf_to_document(build_pdf(["0 0 m 100 100 l S\n", ""]))
    assert doc.blocks == [] and doc.diagnostics[0].code == "P001"


def test_corrupt_pdf_raises():
    rng = random.Random(7)
    with pytest.raises(InputError) as err:
        pdf_to_document(b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(4000)))
    assert err.value.code == "corrupt-pdf"


def test_encrypted_pdf_raises():
    with pytest.raises(InputError) as err:
        pdf_to_document(build_pdf([text_at(72, 700, "Hello")], encrypt=True))
    assert err.value.code == "encrypted-pdf"


# ------------------------------------------------------------------------------ helpers

def _chars(spec: list, height: float = 10.0) -> list:
    return [Char(t, x0, 100.0, x1, 100.0 + height) for t, x0, x1 in spec]


def test_join_chars_spacing():
    assert join_chars(_chars([("年", 0, 10), ("度", 14, 24)])) == "年度"  # CJK: never a space
    assert join_chars(_chars([("3", 0, 5), ("0", 8, 13)])) == "3 0"  # numbers stay apart
    assert join_chars(_chars([("3", 0, 5), ("0", 5.2, 10)])) == "30"
    assert join_chars(_chars([("4", 0, 5), ("年", 7, 17)])) == "4 年"


def test_split_numbers():
    assert split_numbers("3001 53 0 0 61 4 3119") == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert split_numbers("规章 1 0 11") == ["规章", "1", "0", "11"]
    assert split_numbers("共计 95") == ["共计 95"]
    assert split_numbers("第 711 号 1") == ["第 711 号 1"]


@pytest.mark.parametrize("text,furniture", [
    ("- 4 -", True), ("— 4 —", True), ("第 4 页", True), ("第4页 共6页", True), ("4/6", True), ("4", True),
    ("Page 4 of 6", True), ("2024 年", False), ("行政许可 447228", False),
])
def test_page_number_lines(text, furniture):
    chars = _chars([(ch, 10.0 * i, 10.0 * i + 9) for i, ch in enumerate(text) if ch != " "])
    bottom_line = Line([Char(c.text, c.x0, 800.0, c.x1, 810.0) for c in chars])
    top_line = Line([Char(c.text, c.x0, 30.0, c.x1, 40.0) for c in chars])
    assert is_furniture(top_line, 842) is furniture  # top margin
    assert is_furniture(bottom_line, 842) is furniture  # bottom margin
    middle = Line([Char(c.text, c.x0, 400.0, c.x1, 410.0) for c in chars])
    assert is_furniture(middle, 842) is False


# ------------------------------------------------------------------ bulk lines = object lines

def _random_page(rng: random.Random) -> list:
    """Characters as a text-layer page gives them: lines of mixed fonts (CJK, digits, quotes), a
    few lines close together or in a smaller size, overprinted copies, wide gaps."""
    out = []
    y = 20.0
    alphabet = "政府信息公开年度报告第一二三“”—…0123456789.%,ABCxyz（）"
    for _ in range(rng.randint(1, 30)):
        size = rng.choice([9.0, 10.5, 12.0, 16.0, 0.8])
        x = rng.uniform(30, 90)
        for _ in range(rng.randint(1, 25)):
            ch = rng.choice(alphabet)
            jitter = rng.choice([0.0, 0.0, 0.0, 0.24, -0.31, rng.uniform(-3, 3)])
            top = y + jitter
            width = size * rng.choice([1.0, 0.5, 0.55])
            out.append((ch, x, top, x + width, top + size * rng.choice([1.0, 1.0, 1.2, 0.7])))
            if rng.random() < 0.05:  # printed again over itself
                out.append((ch, x + 0.1, top, x + width + 0.1, top + size))
            x += width + rng.choice([0.0, 0.3, 1.0, 4.0, 12.0, 40.0])
        y += size * rng.choice([1.5, 1.2, 0.5, 0.3, 2.5])
    rng.shuffle(out) if rng.random() < 0.3 else None
    return out


def _page_arrays(chars: list):
    import numpy as np

    from nianbao.ingest.pdf.arrays import PageChars
    col = list(zip(*chars))
    return PageChars(np.array([ord(c) for c in col[0]], dtype=np.uint32), *(np.array(v) for v in col[1:]))


def _line_facts(line) -> tuple:
    from nianbao.ingest.pdf.layout import line_size
    return (line.text, line.bbox, line.widest, line_size(line), line.count, line.tail,
            [(c.text, c.x0, c.top, c.x1, c.bottom) for c in line.chars])


@pytest.mark.parametrize("seed", range(60))
def test_bulk_lines_equal_the_char_objects_lines(seed):
    from nianbao.ingest.pdf.arrays import page_lines
    from nianbao.ingest.pdf.lines import chars_to_lines
    chars = _random_page(random.Random(seed))
    bulk = page_lines(_page_arrays(chars))
    objects = chars_to_lines([Char(*c) for c in chars])
    assert [_line_facts(ln) for ln in bulk] == [_line_facts(ln) for ln in objects]


@pytest.mark.parametrize("seed", range(30))
def test_bulk_grid_cells_equal_the_char_objects_cells(seed):
    from nianbao.ingest.pdf.arrays import page_lines
    from nianbao.ingest.pdf.extract import Rule
    from nianbao.ingest.pdf.grids import assign_lines, rules_to_grids
    from nianbao.ingest.pdf.lines import chars_to_lines
    rng = random.Random(seed)
    chars = _random_page(rng)
    left, right = min(c[1] for c in chars) - 5, max(c[3] for c in chars) + 5
    top, bottom = min(c[2] for c in chars) + 15, max(c[4] for c in chars) + 5  # lines above the grid too
    xs = sorted([left, right] + [rng.uniform(left, right) for _ in range(rng.randint(0, 5))])
    ys = sorted([top, bottom] + [rng.uniform(top, bottom) for _ in range(rng.randint(1, 8))])
    rules = [Rule(True, y, xs[0], xs[-1]) for y in ys] + [Rule(False, x, ys[0], ys[-1]) for x in xs]
    if rng.random() < 0.5:  # a second grid lower down
        rules += [Rule(True, y, 50, 300) for y in (320, 340, 360)] + [Rule(False, x, 320, 360) for x in (50, 150, 300)]
    results = []
    for lines in (page_lines(_page_arrays(chars)), chars_to_lines([Char(*c) for c in chars])):
        grids = rules_to_grids(rules)
        rest = assign_lines(grids, lines)
        cells = [[_line_facts(ln) for ln in (gc.lines if gc.lines is not None else chars_to_lines(gc.chars))]
                 for g in grids for gc in g.cells]
        results.append(([_line_facts(ln) for ln in rest], cells))
    assert results[0] == results[1]
    assert any(results[0][1])


@pytest.mark.parametrize("seed", range(40))
def test_cells_from_walls_equal_the_union_find_groups(seed):
    from nianbao.ingest.pdf.grids import atom_groups, connected_groups
    rng = random.Random(seed)
    nr, nc = rng.randint(1, 9), rng.randint(1, 9)
    p = rng.random()
    v_walls = [[rng.random() < p for _ in range(nr)] for _ in range(nc + 1)]
    h_walls = [[rng.random() < p for _ in range(nc)] for _ in range(nr + 1)]
    joined = [(i * nc + j + 1, i * nc + j) for i in range(nr) for j in range(nc - 1) if not v_walls[j + 1][i]] + \
        [((i + 1) * nc + j, i * nc + j) for i in range(nr - 1) for j in range(nc) if not h_walls[i + 1][j]]
    assert atom_groups(nr, nc, v_walls, h_walls) == connected_groups(nr * nc, joined)


def test_printable_table_answers_as_isprintable():
    """The table of printable code points (filled in as code points come) gives what
    ``str.isprintable`` gives, asked a second time too, for BMP, astral and surrogate code points."""
    import numpy as np
    from nianbao.ingest.pdf.extract import printable
    cp = np.array([*range(0, 0x3000, 3), 0xD800, 0xDFFF, 0xE000, 0xFEFF, 0xFFFD, 0xFFFF, 0x1F600, 0x20000, 0xE0001,
                   0x10FFFF, 0x41, 0x4E00], dtype=np.uint32)
    expected = [chr(c).isprintable() for c in cp.tolist()]
    assert printable(cp).tolist() == expected
    assert printable(cp[::-1]).tolist() == expected[::-1]


@pytest.mark.parametrize("seed", range(20))
def test_sort_within_equals_lexsort(seed):
    """Two stable sorts (a radix one for small keys) order as ``np.lexsort((x, key))``, ties included."""
    import numpy as np
    from nianbao.ingest.pdf.arrays import _sort_within
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 400))
    x = np.round(rng.uniform(-5, 50, n), int(rng.integers(0, 2)))  # ties in x
    key = np.sort(rng.integers(0, [3, 70000][seed % 2], n))  # small keys (radix sort) and big ones
    assert _sort_within(x, key).tolist() == np.lexsort((x, key)).tolist()
    unsorted = rng.permutation(key)
    assert _sort_within(x, unsorted).tolist() == np.lexsort((x, unsorted)).tolist()
