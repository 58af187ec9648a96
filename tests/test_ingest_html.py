"""HTML ingest: real pages (shuyang 2023, UTF-8 / GBK / GBK without declaration) and small cases."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao.model.document import Location
from nianbao.errors import InputError
from nianbao.ingest.html import decode_html, html_to_document
from nianbao import spec
from blocks import cols as _cols, num as _num, paras as _paras, rows as _rows, texts as _texts

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "corpus" / "real"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHUYANG = REAL / "shuyang-fgj-2023.html"

APPLICATION_ROWS = [r.key for r in spec.APPLICATIONS_2021.rows if r.key != "other"]  # body order
APPLICATION_COLS = list(spec.APPLICANT_COLUMNS)
REVIEW_KEYS = [f"{g}.{c}" for g in spec.REVIEW_GROUPS for c in spec.REVIEW_COLUMNS]


def _need(path: Path) -> bytes:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path.read_bytes()


def _doc(html: str | bytes):
    return html_to_document(html.encode("utf-8") if isinstance(html, str) else html)


# ------------------------------------------------------------------------------ shuyang (real)

@pytest.fixture(scope="module")
def shuyang():
    return html_to_document(_need(SHUYANG))


def test_shuyang_title_and_format(shuyang):
    assert shuyang.format == "html"
    assert shuyang.title == "沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局"
    assert shuyang.diagnostics == []


def test_shuyang_four_tables_metadata_box_first(shuyang):
    tables = sorted({b.table for b in shuyang.blocks if b.kind == "row"})
    assert tables == [1, 2, 3, 4]
    meta = _rows(shuyang, 1)
    assert _texts(meta[0]) == ["名称", "沭阳县发展和改革局2023年政府信息公开年度报告"]
    assert _texts(meta[2]) == ["发布机构", "沭阳县发展和改革局", "公开日期", "2024-01-17"]
    # empty metadata cells are real blank cells
    assert _texts(meta[3]) == ["文号", "", "关键词", ""]
    assert [len(_rows(shuyang, t)) for t in (2, 3, 4)] == [14, 28, 4]


def test_shuyang_applications_new_requests_row(shuyang):
    row = _rows(shuyang, 3)[3]
    assert _texts(row) == ["一、本年新收政府信息公开申请数量", "26", "", "", "", "", "", "26"]
    assert _cols(row) == [1, 4, 5, 6, 7, 8, 9, 10]
    assert all(c.loc == Location(table=3, row=4, col=c.loc.col) for c in row.cells)


def test_shuyang_header_rows_rowspan_colspan(shuyang):
    r1, r2, r3 = _rows(shuyang, 3)[:3]
    assert _texts(r1) == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]
    assert _cols(r1) == [1, 4]
    # '自然人' cell starts with an empty <p><o:p> </o:p></p>; '商业<p>企业' is one label
    assert _texts(r2) == ["自然人", "法人或其他组织", "总计"]
    assert _cols(r2) == [4, 5, 10]
    assert _texts(r3) == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert _cols(r3) == [5, 6, 7, 8, 9]


def test_shuyang_rowspan_cells_not_duplicated(shuyang):
    rows = _rows(shuyang, 3)
    # row 6 holds the rowspan=22 '三、本年度办理结果' label; rows 7.. do not repeat it
    assert _texts(rows[5])[:2] == ["三、本年度办理结果", "（一）予以公开"]
    assert _cols(rows[5])[:3] == [1, 2, 4]
    assert _texts(rows[6])[0] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert _cols(rows[6]) == [2, 4, 5, 6, 7, 8, 9, 10]
    assert _texts(rows[7])[:2] == ["（三）不予公开", "1.属于国家秘密"]
    assert _texts(rows[8])[0] == "2.其他法律行政法规禁止公开"
    assert _cols(rows[8]) == [3, 4, 5, 6, 7, 8, 9, 10]
    labels = [t for r in rows for t in _texts(r)]
    assert labels.count("三、本年度办理结果") == 1
    assert labels.count("（三）不予公开") == 1
    assert _texts(rows[27]) == ["四、结转下年度继续办理", "0", "", "", "", "", "", "0"]


def test_shuyang_active_and_review_tables(shuyang):
    active = _rows(shuyang, 2)
    assert _texts(active[3]) == ["规范性文件", "8", "0", "18"]
    assert _texts(active[12]) == ["信息内容", "本年收费金额（单位：万元）"]
    assert _cols(active[12]) == [1, 2]
    assert _texts(active[13]) == ["行政事业性收费", "0"]
    review = _rows(shuyang, 4)
    assert _texts(review[0]) == ["行政复议", "行政诉讼"] and _cols(review[0]) == [1, 6]
    assert _cols(review[1]) == [1, 2, 3, 4, 5, 6, 11]
    assert _cols(review[2]) == list(range(6, 16))
    assert _texts(review[3]) == ["0", "0", "0", "1", "1"] + ["0"] * 10


def _check_against_answer(doc, answer: dict):
    """Every table cell of the answer file is the text of the matching source cell."""
    cells = answer["cells"]
    active = {tuple(_texts(r)[:1]): _texts(r)[1:] for r in _rows(doc, 2)}
    assert [_num(t) for t in active[("规章",)]] == [cells[f"active.regulations.{c}"] for c in ("issued", "repealed", "in_force")]
    assert [_num(t) for t in active[("规范性文件",)]] == [cells[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")]
    for label, key in (("行政许可", "licensing"), ("行政处罚", "penalty"), ("行政强制", "coercion")):
        assert _num(active[(label,)][0]) == cells[f"active.{key}.decisions"]
    assert _num(active[("行政事业性收费",)][0]) * 10000 == cells["active.fees.amount_yuan"]
    data = _rows(doc, 3)[3:]
    assert len(data) == len(APPLICATION_ROWS)
    for row, key in zip(data, APPLICATION_ROWS):
        values = [_num(t) for t in _texts(row)[-7:]]
        assert values == [cells[f"applications.{key}.{c}"] for c in APPLICATION_COLS], key
    review = [_num(t) for t in _texts(_rows(doc, 4)[3])]
    assert review == [cells[f"review_litigation.{k}"] for k in REVIEW_KEYS]


def test_shuyang_cells_match_answer_file(shuyang):
    answer = json.loads((REAL / "shuyang-fgj-2023.expected.json").read_text(encoding="utf-8"))
    _check_against_answer(shuyang, answer)


def test_shuyang_paragraphs_in_order_with_source_lines(shuyang):
    paras = _paras(shuyang)
    headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及整改措施", "六、其他需要报告的事项"]
    idx = [paras.index(h) for h in headings]
    assert idx == sorted(idx)
    first = next(b for b in shuyang.blocks if b.kind == "para" and b.cells[0].text == "一、总体情况")
    assert first.cells[0].loc == Location(line=231)
    # part 二's heading comes right before table 2, part 三's right before table 3
    kinds = [(b.kind, b.table, b.cells[0].text if b.kind == "para" else None) for b in shuyang.blocks]
    i = kinds.index(("para", None, "二、主动公开政府信息情况"))
    assert kinds[i + 1][:2] == ("row", 2)
    i = kinds.index(("para", None, "三、收到和处理政府信息公开申请情况"))
    assert kinds[i + 1][:2] == ("row", 3)
    assert "2023年度，县发展和改革局政府信息公开未发生收费情况。" in paras
    # chrome: no script / style text
    joined = "\n".join(paras)
    assert "websiteId" not in joined and "font-family" not in joined and "{" not in joined


# ------------------------------------------------------------------------------ GBK variants

@pytest.mark.parametrize("name", ["shuyang-fgj-2023-gbk", "shuyang-fgj-2023-nometa"])
def test_gbk_variants_read_like_the_original(shuyang, name):
    data = _need(FIXTURES / f"{name}.html")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, encoding = decode_html(data)
    assert encoding == "gb18030"
    assert "沭阳县发展和改革局" in text
    doc = html_to_document(data)
    assert doc.blocks == shuyang.blocks
    assert doc.title == shuyang.title
    answer = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert answer["file"] == f"{name}.html"
    _check_against_answer(doc, answer)


def test_nometa_fixture_has_no_declaration():
    data = _need(FIXTURES / "shuyang-fgj-2023-nometa.html")
    assert b"charset" not in data.lower()
    assert not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))


# ------------------------------------------------------------------------------ small cases

TINY = """<!DOCTYPE html>
<html><head><title>
  测试 页面 </title><style>p { color: red }</style><script>var x = "<p>脚本</p>";</script></head>
<body>
<nav><a href="/">首页</a></nav>
<noscript>请启用脚本</noscript>
<div>引言<p>第一段&nbsp;&nbsp;内容<br>第二行<br/>第三行</p>尾巴<!-- 注释 --></div>
<p>一、总体
   情况</p>
<table>
<tr><th rowspan="2">项目</th><th colspan="2">本年新<br>制作数量</th><th>备注</th></tr>
<tr><td>1</td><td></td><td><o:p> </o:p></td></tr>
<tr><td>&nbsp;</td><td colspan="3"><p>商业</p>
    <p>企业</p></td></tr>
</table>
</body></html>"""


def test_tiny_paragraphs_br_nbsp_and_chrome():
    doc = _doc(TINY)
    assert doc.title == "测试 页面"
    assert _paras(doc) == ["引言", "第一段 内容", "第二行", "第三行", "尾巴", "一、总体情况"]
    # <br> splits a paragraph: all three pieces come from source line 7
    assert [b.cells[0].loc.line for b in doc.blocks if b.kind == "para"][:5] == [7, 7, 7, 7, 7]


def test_tiny_table_grid_rowspan_colspan_blank_cells():
    doc = _doc(TINY)
    rows = _rows(doc, 1)
    assert len(rows) == 3
    assert _texts(rows[0]) == ["项目", "本年新制作数量", "备注"]
    assert _cols(rows[0]) == [1, 2, 4]
    # '项目' (rowspan 2) is not repeated in row 2; the blank cells are real cells
    assert _texts(rows[1]) == ["1", "", ""]
    assert _cols(rows[1]) == [2, 3, 4]
    assert [c.loc.row for c in rows[1].cells] == [2, 2, 2]
    # &nbsp; only -> blank; two <p> in one cell join with no separator
    assert _texts(rows[2]) == ["", "商业企业"]
    assert _cols(rows[2]) == [1, 2]
    assert all(b.table == 1 for b in rows)


def test_rowspan_overlapping_colspan_and_rowspan_zero():
    doc = _doc("""<table>
<tr><td rowspan="3">A</td><td>B</td><td rowspan="2" colspan="2">C</td><td>D</td></tr>
<tr><td>E</td><td>F</td></tr>
<tr><td>G</td><td>H</td><td>I</td><td>J</td></tr>
<tr><td rowspan="0">K</td><td>L</td></tr>
<tr><td>M</td></tr>
</table>""")
    rows = _rows(doc, 1)
    assert [(_texts(r), _cols(r)) for r in rows] == [
        (["A", "B", "C", "D"], [1, 2, 3, 5]),
        (["E", "F"], [2, 5]),
        (["G", "H", "I", "J"], [2, 3, 4, 5]),
        (["K", "L"], [1, 2]),
        (["M"], [2]),
    ]


def test_br_inside_cell_joins_and_newline_between_digits_stays_apart():
    doc = _doc("<table><tr><td>本年新<br>\n 制作数量</td><td>26\n30</td><td>20<br>项</td></tr>"
               "<tr><td>a</td><td>b</td><td>c</td></tr></table>")
    assert _texts(_rows(doc, 1)[0]) == ["本年新制作数量", "26 30", "20项"]


def test_layout_table_is_read_as_flow_and_nested_table_numbered():
    doc = _doc("""<body>
<table><tr><td>栏目导航</td><td>
  <p>一、总体情况</p>
  <table><tr><td>规章</td><td>0</td></tr><tr><td>规范性文件</td><td>8</td></tr></table>
  <p>二、主动公开</p>
</td></tr></table>
<table><tr><td>x</td><td>y</td></tr></table>
</body>""")
    kinds = [(b.kind, b.table, _texts(b)) for b in doc.blocks]
    assert kinds == [
        ("para", None, ["栏目导航"]),
        ("para", None, ["一、总体情况"]),
        ("row", 1, ["规章", "0"]),
        ("row", 1, ["规范性文件", "8"]),
        ("para", None, ["二、主动公开"]),
        ("row", 2, ["x", "y"]),
    ]


def test_single_cell_box_and_long_text_cell_are_flow():
    long_p = "<p>" + "本机关认真贯彻落实政府信息公开条例，" * 8 + "</p>"
    doc = _doc(f"""<table><tr><td>一、总体情况</td></tr></table>
<table><tr><td width="20%">左栏</td><td>{long_p}{long_p}</td></tr></table>""")
    assert all(b.kind == "para" for b in doc.blocks)
    assert _paras(doc)[:2] == ["一、总体情况", "左栏"]
    assert len(_paras(doc)) == 4


def test_inline_wrapper_around_blocks_and_caption():
    doc = _doc("<div><span>前<p>中</p>后</span></div>"
               "<table><caption>表一</caption><tr><td>a</td><td>b</td></tr></table>")
    assert [(b.kind, _texts(b)) for b in doc.blocks] == [
        ("para", ["前"]), ("para", ["中"]), ("para", ["后"]), ("para", ["表一"]), ("row", ["a", "b"])]


def test_deeply_nested_unclosed_tags_keep_all_text():
    # old pages pile up unclosed <font>/<div>: past libxml2's default 256 levels the rest of the
    # page used to vanish, and a naive recursive walk would overflow the Python stack
    html = "<body>" + "<div><font>字" * 600 + "深处" + "</font></div>" * 600 + "<p>之后</p></body>"
    paras = _paras(_doc(html))
    assert paras[-1] == "之后"
    assert any(p.endswith("字深处") for p in paras)


def test_chrome_inside_a_data_table_cell_is_not_read():
    doc = _doc("<table><tr><td>日期<script>document.write('2024');</script></td><td>12</td></tr>"
               "<tr><td><select><option>选项</option></select>数量</td><td>3<style>td {}</style></td></tr></table>")
    assert [_texts(r) for r in _rows(doc, 1)] == [["日期", "12"], ["数量", "3"]]


@pytest.mark.parametrize("long_table", [0, 64])
def test_rows_without_spans_below_a_rowspan_take_the_columns_after_it(monkeypatch, long_table):
    # a long table's rows without a span cell are read whole (long_table=0: every table is long);
    # a rowspan from above shifts them, and once it ended they start at column 1 again
    from nianbao.ingest.html import walk
    monkeypatch.setattr(walk, "LONG_TABLE", long_table)
    doc = _doc("<table><tr><td rowspan=3>甲</td><td>b</td><td>c</td></tr><tr><td>d</td><td>e</td></tr>"
               "<tr><td>f</td><td> g&nbsp;</td></tr><tr><td>h</td><td>i</td><td>j</td></tr>"
               "<tr><td>k</td><td colspan=2>l</td><td>m</td></tr><tr><td>n</td><td>o</td></tr></table>")
    assert [(_texts(r), _cols(r)) for r in _rows(doc, 1)] == [
        (["甲", "b", "c"], [1, 2, 3]), (["d", "e"], [2, 3]), (["f", "g"], [2, 3]), (["h", "i", "j"], [1, 2, 3]),
        (["k", "l", "m"], [1, 2, 4]), (["n", "o"], [1, 2])]
    assert [r.cells[0].loc for r in _rows(doc, 1)][:2] == [Location(table=1, row=1, col=1), Location(table=1, row=2, col=2)]


@pytest.mark.parametrize("long_table", [0, 64])
def test_span_cap_cuts_rows_without_spans_too(monkeypatch, long_table):
    from nianbao.config import DEFAULT
    from nianbao.ingest.html import walk
    monkeypatch.setattr(walk, "LONG_TABLE", long_table)
    doc = html_to_document("<table><tr><td>a</td><td>b</td><td>c</td><td>d</td></tr>"
                           "<tr><td>e</td><td>f</td></tr></table>".encode(), DEFAULT.replace(max_span=2))
    assert [(_texts(r), _cols(r)) for r in _rows(doc, 1)] == [(["a", "b"], [1, 2]), (["e", "f"], [1, 2])]


def test_rows_of_a_long_table_make_their_cells_when_read():
    from nianbao.model.document import EAGER_ROWS, Block, TableRow
    n = EAGER_ROWS + 3
    doc = _doc("<table>" + "".join(f"<tr><td>标签{i}</td><td>{i}</td><td></td></tr>" for i in range(1, n + 1))
               + "</table>")
    rows = _rows(doc, 1)
    assert len(rows) == n and type(rows[0]) is Block and isinstance(rows[-1], TableRow)
    lazy = rows[-1]
    key = lazy.source_key()  # before its cells are made
    assert lazy.text == f"标签{n}{n}"
    assert _texts(lazy) == [f"标签{n}", str(n), ""] and _cols(lazy) == [1, 2, 3]
    assert lazy.cells[1].loc == Location(table=1, row=n, col=2) and lazy.cells is lazy.cells
    assert key == Block.source_key(lazy) == Block("row", list(lazy.cells), 1).source_key()
    assert lazy.text == Block("row", list(lazy.cells), 1).text


def test_nesting_guard_counts_every_tag_and_bounds_the_formatting_ones():
    # the guard's bulk count: the number of "<" exactly, and at least as many formatting start
    # tags as the regular expression finds (the exact count is made when the bound is too high)
    import random
    from nianbao.ingest.html.guard import _FORMAT_TAG, _counts
    rng = random.Random(7)
    pages = [b"", b"<", b"<a", b"<B>x<bIg >y<FONT/><strongx><STRONG\t><tt<i\x0b<u\x0c<em\r<nobr/<small>"]
    pages += [bytes(rng.choice(b"<abisuABgcodemfntrlkSTRONG >/\t\n\r\x0b\x0cx") for _ in range(rng.randint(0, 300)))
              for _ in range(500)]
    for page in pages:
        n, bound = _counts(page)
        assert n == page.count(b"<") and bound >= len(_FORMAT_TAG.findall(page.lower()))
    page = b"<B>x<bIg >y<FONT/><strongx><STRONG\t>"
    assert len(_FORMAT_TAG.findall(page.lower())) == 4 and _counts(page) == (5, 5)  # (<strongx: bound only)


def test_paragraph_lines_are_where_their_words_are_in_the_source():
    html = ("<html><head><title>一、总体情况</title></head>\n<body>\n<nav>首页</nav>\n"
            "<p>一、总体情况</p>\n<div>\n  <span>前</span><span>言</span>\n</div>\n"
            "<p>&#19968;&#20108;</p>\n<p>尾&amp;声</p>\n<pre>\n甲\n\n乙</pre>\n<p>前</p>")
    doc = _doc(html)
    lines = [(b.cells[0].text, b.cells[0].loc.line) for b in doc.blocks]
    # the title in <head> and the menu are not where the paragraph is; a paragraph written in
    # character references keeps the line before it; <pre> keeps its own line breaks
    assert lines == [("一、总体情况", 4), ("前言", 6), ("一二", 6), ("尾&声", 9), ("甲", 11), ("乙", 13), ("前", 14)]


def test_no_title_and_empty_body():
    assert _doc("<html><body></body></html>").title is None
    assert _doc("<html><body></body></html>").blocks == []
    assert _doc("<p>x</p>").title is None


# ------------------------------------------------------------------------------ encodings

def test_bom_wins_over_meta():
    data = b"\xef\xbb\xbf" + '<meta charset="gbk"><p>本年新收</p>'.encode("utf-8")
    assert decode_html(data)[0].endswith("<p>本年新收</p>")
    assert _paras(html_to_document(data)) == ["本年新收"]


def test_utf16_bom():
    data = "\ufeff<p>予以公开</p>".encode("utf-16-le")
    assert _paras(html_to_document(data)) == ["予以公开"]


def test_http_equiv_gb2312_is_read_as_gb18030():
    # '镕' is outside GB2312 but inside GB18030: a GB2312 label must not lose it
    html = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>朱镕基 予以公开</p>'
    data = html.encode("gb18030")
    assert decode_html(data)[1] == "gb18030"
    assert _paras(html_to_document(data)) == ["朱镕基 予以公开"]


def test_wrong_declaration_falls_back_to_detection():
    html = '<meta charset="utf-8"><p>本年新收政府信息公开申请数量，予以公开，不予公开</p>'
    assert _paras(html_to_document(html.encode("gbk"))) == ["本年新收政府信息公开申请数量，予以公开，不予公开"]
    html = '<meta charset="iso-8859-1"><p>本年新收政府信息公开申请数量</p>'
    assert _paras(html_to_document(html.encode("gbk"))) == ["本年新收政府信息公开申请数量"]


def test_stale_gb2312_declaration_on_utf8_bytes():
    html = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>本年新收政府信息公开申请</p>'
    assert decode_html(html.encode("utf-8"))[1] == "utf-8"
    assert _paras(html_to_document(html.encode("utf-8"))) == ["本年新收政府信息公开申请"]


def test_big5_declared_and_undeclared():
    text = "<p>本年新收政府資訊公開申請數量，予以公開，政府機關辦理結果</p>"
    assert _paras(html_to_document(('<meta charset="big5">' + text).encode("big5"))) == [text[3:-4]]
    assert _paras(html_to_document(text.encode("big5"))) == [text[3:-4]]


@pytest.mark.parametrize("data", [
    bytes((i * 97 + 13) % 256 for i in range(20000)),
    b"\x00\x01\x02\x03\x04\x05" * 2000,
    b"<html><body>" + bytes(range(0x80, 0x100)) * 50 + b"</body></html>",
])
def test_undecodable_garbage_raises(data):
    with pytest.raises(InputError) as e:
        html_to_document(data)
    assert e.value.code == "bad-encoding"
    assert e.value.zh == "无法识别文件编码"
