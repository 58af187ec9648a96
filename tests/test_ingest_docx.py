"""DOCX ingest: the huaian 2024 fixture (official 2021 template, merged cells) and small cases."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from nianbao.model.document import Location
from nianbao.errors import InputError
from nianbao.ingest.docx import docx_to_document
from nianbao import spec
from blocks import cols as _cols, num as _num, paras as _paras, rows as _rows, texts as _texts

SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HUAIAN = FIXTURES / "huaian-2024-docx.docx"

APPLICATION_ROWS = [r.key for r in spec.APPLICATIONS_2021.rows if r.key != "other"]  # body order
APPLICATION_COLS = list(spec.APPLICANT_COLUMNS)
REVIEW_KEYS = [f"{g}.{c}" for g in spec.REVIEW_GROUPS for c in spec.REVIEW_COLUMNS]

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


# ------------------------------------------------------------------------------ huaian fixture

@pytest.fixture(scope="module")
def huaian():
    if not HUAIAN.exists():
        pytest.skip("fixture missing: run tests/fixtures/make_fixtures.py")
    return docx_to_document(HUAIAN.read_bytes())


def test_huaian_title_format_and_parts(huaian):
    assert huaian.format == "docx"
    assert huaian.title == "淮安市人民政府2024年政府信息公开工作年度报告"
    paras = _paras(huaian)
    assert paras[0] == "淮安市人民政府2024年政府信息公开工作年度报告"
    headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    idx = [paras.index(h) for h in headings]
    assert idx == sorted(idx)
    assert "本年度依据《政府信息公开信息处理费管理办法》收取信息处理费3940元。" in paras
    # paragraphs carry their 1-based index among the body's paragraphs (empty ones count)
    first = huaian.blocks[0]
    assert first.kind == "para" and first.cells[0].loc == Location(line=2)


def test_huaian_document_order(huaian):
    seq = [(b.kind, b.table) for b in huaian.blocks]
    i = _paras(huaian).index("三、收到和处理政府信息公开申请情况")
    heading = [b for b in huaian.blocks if b.kind == "para"][i]
    j = huaian.blocks.index(heading)
    assert seq[j + 1] == ("para", None)  # the part's sentence
    assert seq[j + 2] == ("row", 2)
    assert sorted({t for k, t in seq if k == "row"}) == [1, 2, 3]


def test_huaian_new_requests_row(huaian):
    row = _rows(huaian, 2)[3]
    assert _texts(row) == ["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"]
    assert _cols(row) == [1, 4, 5, 6, 7, 8, 9, 10]  # gridSpan=3 label takes columns 1-3
    assert row.cells[0].loc == Location(table=2, row=4, col=1)


def test_huaian_vmerge_continuations_not_emitted(huaian):
    rows = _rows(huaian, 2)
    assert _texts(rows[0]) == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]
    assert _cols(rows[0]) == [1, 4]
    # row 2: the gridSpan=3 vMerge continuation (cols 1-3) emits nothing
    assert _texts(rows[1]) == ["自然人", "法人或其他组织", "总计"]
    assert _cols(rows[1]) == [4, 5, 10]
    # row 3: continuations of 自然人 (col 4) and 总计 (col 10) emit nothing
    assert _texts(rows[2]) == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert _cols(rows[2]) == [5, 6, 7, 8, 9]
    # '三、本年度办理结果' and '（三）不予公开' appear in their first row only
    assert _texts(rows[5])[:2] == ["三、本年度办理结果", "（一）予以公开"]
    assert _cols(rows[5]) == [1, 2, 4, 5, 6, 7, 8, 9, 10]
    assert _texts(rows[6])[0] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert _cols(rows[6])[0] == 2
    assert _texts(rows[7])[:2] == ["（三）不予公开", "1.属于国家秘密"]
    assert _texts(rows[8]) == ["2.其他法律行政法规禁止公开", "30", "1", "0", "0", "0", "0", "31"]
    assert _cols(rows[8]) == [3, 4, 5, 6, 7, 8, 9, 10]
    labels = [t for r in rows for t in _texts(r)]
    assert labels.count("三、本年度办理结果") == 1
    assert labels.count("（三）不予公开") == 1
    assert labels.count("") == 0  # every data cell of the fixture is filled


def test_huaian_gridspan_in_active_and_review_tables(huaian):
    active = _rows(huaian, 1)
    assert _texts(active[0]) == ["第二十条第（一）项"] and _cols(active[0]) == [1]
    assert _texts(active[3]) == ["行政规范性文件", "8", "26", "66"]
    assert _texts(active[6]) == ["行政许可", "447228"] and _cols(active[6]) == [1, 2]
    assert _texts(active[13]) == ["行政事业性收费", "96171.6"]
    assert _texts(active[12]) == ["信息内容", "本年收费金额（单位：万元）"]
    review = _rows(huaian, 3)
    assert _texts(review[0]) == ["行政复议", "行政诉讼"] and _cols(review[0]) == [1, 6]
    assert _cols(review[1]) == [1, 2, 3, 4, 5, 6, 11]
    assert _cols(review[2]) == list(range(6, 16))  # five vMerge continuations skipped
    assert _texts(review[3]) == ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26",
                                 "12", "1", "1", "6", "20"]


def test_huaian_cells_match_answer_file(huaian):
    answer = json.loads((FIXTURES / "huaian-2024-docx.expected.json").read_text(encoding="utf-8"))
    assert answer["file"] == "huaian-2024-docx.docx"
    cells = answer["cells"]
    source = SHARED / "corpus" / "real" / "huaian-2024.expected.json"
    if source.exists():  # the fixture's figures are the PDF-checked ones
        assert cells == json.loads(source.read_text(encoding="utf-8"))["cells"]
    data = _rows(huaian, 2)[3:]
    for row, key in zip(data, APPLICATION_ROWS, strict=True):
        assert [_num(t) for t in _texts(row)[-7:]] == [cells[f"applications.{key}.{c}"] for c in APPLICATION_COLS]
    assert [_num(t) for t in _texts(_rows(huaian, 3)[3])] == [cells[f"review_litigation.{k}"] for k in REVIEW_KEYS]
    fee = _texts(_rows(huaian, 1)[13])[1]
    assert round(float(fee) * 10000) == cells["active.fees.amount_yuan"]


def test_template_blank_cells_are_empty_strings():
    path = SHARED / "templates" / "2021-blank.docx"
    if not path.exists():
        pytest.skip("template not available")
    doc = docx_to_document(path.read_bytes())
    row = _rows(doc, 2)[3]
    assert _texts(row) == ["一、本年新收政府信息公开申请数量", "", "", "", "", "", "", ""]
    # '　　' (ideographic spaces) placeholders are blank too
    assert _texts(_rows(doc, 1)[2]) == ["规章", "", "", ""]
    assert doc.title is None


# ------------------------------------------------------------------------------ small cases

def _make_docx(body_xml: str, title: str | None = None) -> bytes:
    d = docx.Document()
    body = d.element.body
    for ch in list(body):
        if not ch.tag.endswith("}sectPr"):
            body.remove(ch)
    sect = body[-1] if len(body) else None
    wrapper = parse_xml(f"<w:body {W_NS}>{body_xml}</w:body>")
    for el in list(wrapper):
        if sect is not None:
            sect.addprevious(el)
        else:
            body.append(el)
    if title is not None:
        d.core_properties.title = title
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def _tc(inner: str, props: str = "") -> str:
    return f"<w:tc>{'<w:tcPr>' + props + '</w:tcPr>' if props else ''}{inner or '<w:p/>'}</w:tc>"


def test_runs_hyperlinks_insertions_deletions_sdt_and_breaks():
    body = (
        '<w:p><w:r><w:t>一、</w:t></w:r><w:hyperlink><w:r><w:t>总体</w:t></w:r></w:hyperlink>'
        '<w:ins w:id="1" w:author="a"><w:r><w:t>情况</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del></w:p>'
        '<w:sdt><w:sdtPr/><w:sdtContent>' + _p("控件内段落") + '</w:sdtContent></w:sdt>'
        '<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>'
        '<w:p/>'
        '<w:p><w:r><w:t>规章</w:t><w:tab/><w:t>0</w:t></w:r></w:p>'
        '<w:p><w:moveFrom w:id="3" w:author="a"><w:r><w:t>移走</w:t></w:r></w:moveFrom><w:r><w:t>留下</w:t></w:r></w:p>'
    )
    doc = docx_to_document(_make_docx(body, title="  测试标题 "))
    assert doc.title == "测试标题"
    assert [(b.cells[0].text, b.cells[0].loc.line) for b in doc.blocks] == [
        ("一、总体情况", 1), ("控件内段落", 2), ("第一行", 3), ("第二行", 3), ("规章\t0", 5), ("留下", 6)]


def test_table_gridbefore_gridspan_vmerge_nested_and_sdt_cells():
    nested = "<w:tbl>" + "<w:tr>" + _tc(_p("内1")) + _tc(_p("内2")) + "</w:tr></w:tbl>"
    body = (
        _p("前")
        + "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        # row 1: vMerge restart with gridSpan 2, a cell with two paragraphs and a <w:br/>
        + "<w:tr>" + _tc(_p("甲"), '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>')
        + _tc("<w:p><w:r><w:t>本年新</w:t><w:br/><w:t>制作</w:t></w:r></w:p>" + _p("数量"))
        + _tc("<w:p><w:r><w:t xml:space=\"preserve\">　　</w:t></w:r></w:p>") + "</w:tr>"
        # row 2: continuation (no val) emits nothing but takes 2 columns; empty cell is ""
        + "<w:tr>" + _tc("", '<w:gridSpan w:val="2"/><w:vMerge/>') + _tc("") + _tc(_p("5")) + "</w:tr>"
        # row 3: gridBefore 1; cell wrapped in a content control; a cell holding a nested table
        + '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>'
        + "<w:sdt><w:sdtContent>" + _tc(_p("控件")) + "</w:sdtContent></w:sdt>"
        + _tc(_p("外") + nested + "<w:p/>", '<w:gridSpan w:val="2"/>') + "</w:tr>"
        + "</w:tbl>"
        + _p("后")
        + "<w:tbl><w:tr>" + _tc(_p("x")) + _tc(_p("y")) + "</w:tr></w:tbl>"
    )
    doc = docx_to_document(_make_docx(body))
    got = [(b.kind, b.table, [(c.text, c.loc.row, c.loc.col) if b.kind == "row" else c.text for c in b.cells])
           for b in doc.blocks]
    assert got == [
        ("para", None, ["前"]),
        ("row", 1, [("甲", 1, 1), ("本年新制作数量", 1, 3), ("", 1, 4)]),
        ("row", 1, [("", 2, 3), ("5", 2, 4)]),
        ("row", 1, [("控件", 3, 2), ("外", 3, 3)]),
        ("row", 2, [("内1", 1, 1), ("内2", 1, 2)]),
        ("para", None, ["后"]),
        ("row", 3, [("x", 1, 1), ("y", 1, 2)]),
    ]


def test_rows_of_a_long_table_make_their_cells_when_read():
    from nianbao.model.document import EAGER_ROWS, Block, TableRow
    n = EAGER_ROWS + 2
    row = "<w:tr>" + _tc(_p("标签{i}")) + _tc(_p("{i}"), '<w:gridSpan w:val="2"/>') + _tc("") + "</w:tr>"
    doc = docx_to_document(_make_docx("<w:tbl>" + "".join(row.format(i=i) for i in range(1, n + 1)) + "</w:tbl>"))
    rows = _rows(doc, 1)
    assert len(rows) == n and type(rows[0]) is Block and isinstance(rows[-1], TableRow)
    lazy = rows[-1]
    key = lazy.source_key()  # before its cells are made
    assert _texts(lazy) == [f"标签{n}", str(n), ""] and _cols(lazy) == [1, 2, 4]
    assert lazy.cells[2].loc == Location(table=1, row=n, col=4)
    assert key == Block("row", list(lazy.cells), 1).source_key()
    assert [_texts(r) for r in rows[:2]] == [["标签1", "1", ""], ["标签2", "2", ""]]


def test_empty_title_is_none():
    assert docx_to_document(_make_docx(_p("x"))).title is None


def test_alternate_content_fallback_not_duplicated():
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    body = (f'<w:p {mc}><w:r><w:t>甲</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
            '<w:t>框</w:t></mc:Choice><mc:Fallback><w:t>框</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    assert _paras(docx_to_document(_make_docx(body))) == ["甲框"]


# ------------------------------------------------------------------------------ corrupt input

def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + b"\x00" * 100,
    b"not a zip at all",
    b"",
    _zip({"hello.txt": "x"}),
    _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
], ids=["zip-header-only", "text", "empty", "zip-without-word", "bad-package"])
def test_corrupt_inputs_raise(data):
    with pytest.raises(InputError) as e:
        docx_to_document(data)
    assert e.value.code == "corrupt-docx"
    assert e.value.zh == "Word 文件已损坏或无法打开"


def test_truncated_fixture_raises():
    if not HUAIAN.exists():
        pytest.skip("fixture missing")
    data = HUAIAN.read_bytes()
    with pytest.raises(InputError):
        docx_to_document(data[: len(data) // 2])


def test_macro_enabled_document_is_read():
    data = _make_docx(_p("一、总体情况"), title="宏文档")
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                docx_ct = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
                assert docx_ct in blob
                blob = blob.replace(docx_ct, b"application/vnd.ms-word.document.macroEnabled.main+xml")
            z.writestr(info.filename, blob)
    doc = docx_to_document(buf.getvalue())
    assert _paras(doc) == ["一、总体情况"]
    assert doc.title == "宏文档"


def test_xlsx_like_package_raises():
    ct = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.sheet.main+xml"/></Types>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    data = _zip({"[Content_Types].xml": ct, "_rels/.rels": rels, "xl/workbook.xml": "<workbook/>"})
    with pytest.raises(InputError):
        docx_to_document(data)


# ------------------------------------------------------------------------------ what belongs where

MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def _rows_and_paras(doc):
    return [(b.kind, b.table, [(c.text, c.loc.line) if b.kind == "para" else (c.text, c.loc.row, c.loc.col)
                               for c in b.cells]) for b in doc.blocks]


def test_text_box_text_and_table_belong_to_their_paragraph():
    box_table = "<w:tbl><w:tr>" + _tc(_p("框表")) + "</w:tr></w:tbl>"
    body = (f'<w:p {MC_NS}><w:r><w:t>甲</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
            f'<w:txbxContent>{_p("框一")}{box_table}<w:p><w:r><w:t>框</w:t><w:br/><w:t>二</w:t></w:r></w:p>'
            '</w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent>' + _p("后备") + '</w:txbxContent>'
            '</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>乙</w:t></w:r></w:p>'
            + "<w:tbl><w:tr>" + _tc(_p("表")) + "</w:tr></w:tbl>")
    doc = docx_to_document(_make_docx(body))
    # the text box's break splits its paragraph; its table is text of the paragraph, not a table
    assert _rows_and_paras(doc) == [("para", None, [("甲框一框表框", 1)]), ("para", None, [("二乙", 1)]),
                                    ("row", 1, [("表", 1, 1)])]


def test_text_in_no_paragraph_that_is_read_is_left_out():
    body = ("<w:p><w:r><w:t>一</w:t></w:r></w:p>"
            '<w:ins w:id="1" w:author="a"><w:p><w:r><w:t>游离段</w:t></w:r></w:p></w:ins>'
            "<w:p><w:r><w:t>二</w:t></w:r></w:p>"
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>格</w:t></w:r></w:p><w:r><w:t>游离</w:t></w:r>"
            "<w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
    doc = docx_to_document(_make_docx(body))
    assert _rows_and_paras(doc) == [("para", None, [("一", 1)]), ("para", None, [("二", 2)]),
                                    ("row", 1, [("格内", 1, 1)])]


def test_tab_stops_row_deletion_marks_and_wrapped_rows_and_cells():
    body = ('<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>'
            "<w:r><w:t>规章</w:t><w:tab/><w:t>0</w:t></w:r></w:p>"
            "<w:tbl>"
            '<w:tr><w:trPr><w:del w:id="5" w:author="a"/></w:trPr>' + _tc(_p("a")) + _tc(_p("b")) + "</w:tr>"
            "<w:sdt><w:sdtContent><w:tr>" + _tc(_p("c"), '<w:gridSpan w:val="2"/>') + "<w:customXml>"
            + _tc("<w:customXml>" + _p("d") + "</w:customXml>") + "</w:customXml></w:tr></w:sdtContent></w:sdt>"
            "</w:tbl>")
    doc = docx_to_document(_make_docx(body))
    assert _rows_and_paras(doc) == [("para", None, [("规章\t0", 1)]),
                                    ("row", 1, [("a", 1, 1), ("b", 1, 2)]),
                                    ("row", 1, [("c", 2, 1), ("d", 2, 3)])]


def test_tables_nested_two_deep_are_numbered_in_order_and_follow_their_rows():
    inner = "<w:tbl><w:tr>" + _tc(_p("三")) + "</w:tr></w:tbl>"
    middle = "<w:tbl><w:tr>" + _tc(_p("二") + inner + _p("二尾")) + "</w:tr><w:tr>" + _tc(_p("二下")) + "</w:tr></w:tbl>"
    body = ("<w:tbl><w:tr>" + _tc(_p("一") + middle) + _tc(_p("一右")) + "</w:tr>"
            "<w:tr>" + _tc(_p("一下")) + "</w:tr></w:tbl>" + _p("后")
            + "<w:tbl><w:tr>" + _tc("") + "</w:tr></w:tbl>")
    doc = docx_to_document(_make_docx(body))
    assert _rows_and_paras(doc) == [
        ("row", 1, [("一", 1, 1), ("一右", 1, 2)]),
        ("row", 2, [("二二尾", 1, 1)]),
        ("row", 3, [("三", 1, 1)]),
        ("row", 2, [("二下", 2, 1)]),
        ("row", 1, [("一下", 2, 1)]),
        ("para", None, [("后", 1)]),
        ("row", 4, [("", 1, 1)]),
    ]
