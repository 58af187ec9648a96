"""Unit tests of the pipeline's pure functions, on small real-shaped inputs."""
import pytest

import nianbao
from nianbao.ingest.text import lines_to_blocks
from nianbao.parsing.meta import detect_template, find_title
from nianbao.parsing.normalise import ValueError_, normalise_label, parse_number
from nianbao.parsing.sections import blocks_to_headings
from nianbao.parsing.tokens import split_mixed


# ---- numbers

@pytest.mark.parametrize("raw,kw,want", [
    ("0", {}, 0), ("２０项", {}, 20), ("1,234", {}, 1234), (" 12 ", {}, 12),
    ("61355元", {"money": True}, 61355), ("152.21万元", {"money": True}, 1522100),
    ("1190.1万元", {"money": True}, 11901000), ("96171.6", {"money": True, "unit": 10000}, 961716000),
    ("75394432.52元", {"money": True}, 75394432.52), ("-3", {"signed": True}, -3),
    ("/", {}, None), ("—", {}, None), ("无", {}, None), ("", {}, None),
])
def test_parse_number(raw, kw, want):
    assert parse_number(raw, **kw)[0] == want


@pytest.mark.parametrize("raw,kw", [("abc", {}), ("1.5", {}), ("3万元", {})])
def test_parse_number_rejects(raw, kw):
    with pytest.raises(ValueError_):
        parse_number(raw, **kw)


def test_normalise_label():
    assert normalise_label("（二）部分公开（区分处理的， 只计这一情形）") == "(二)部分公开(区分处理的,只计这一情形)"
    assert normalise_label("3.危及“三安全一稳定”") == "3.危及三安全一稳定"


# ---- tokens

def test_split_mixed_moves_row_numbering_back_to_label():
    pieces = split_mixed("属于国家秘密00000002.其他法律行政法规禁止公开0000000")
    assert [(k, t) for k, t, _ in pieces] == [("label", "属于国家秘密"), ("num", "0000000"),
                                             ("label", "2.其他法律行政法规禁止公开"), ("num", "0000000")]


def test_split_mixed_keeps_decimals_units_and_dates():
    kinds = [(k, t) for k, t, _ in split_mixed("2021年收费24252.311082行政许可2293 3、其他13575394432.52元")]
    assert kinds == [("label", "2021年收费"), ("num", "24252.311082"), ("label", "行政许可"), ("num", "2293"),
                     ("label", " 3、其他"), ("num", "13575394432.52元")]


# ---- text shapes

def test_text_one_cell_per_line_rows_and_wrapped_labels():
    lines = ["\t规章", "\t0", "\t本年新", "制作数量", "", "\t行政许可\t\t0\t0\t", "正文"]
    blocks = lines_to_blocks(lines)
    assert [b.kind for b in blocks] == ["row", "row", "para"]
    assert [c.text for c in blocks[0].cells] == ["规章", "0", "本年新制作数量"]
    assert [c.ghost for c in blocks[1].cells] == [False, True, False, False, True]
    assert blocks[1].cells[0].loc.line == 6


# ---- sections

def _paras(*texts):
    return lines_to_blocks(list(texts))


def test_heading_number_must_agree_with_title():
    blocks = _paras("一、总体情况", "（一）主动公开政府信息情况", "二、上年结转政府信息公开申请数量",
                    "二、主动公开政府信息情况", "三、本年度办理结果", "1、收到和处理政府信息公开申请情况")
    assert [(h.part, h.block) for h in blocks_to_headings(blocks)] == [(1, 0), (2, 3)]
    blocks = _paras("1、 总体情况", "二、政府主动公开信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、主要问题和改进情况", "六、其他需要报告的事项")
    assert [h.part for h in blocks_to_headings(blocks)] == [1, 2, 3, 4, 5, 6]


def test_headings_inside_one_long_line():
    blocks = _paras("正文。二、主动公开政府信息情况 第二十条第（一）项规章000三、收到和处理政府信息公开申请情况（本列）")
    hs = blocks_to_headings(blocks)
    assert [h.part for h in hs] == [2, 3]
    assert blocks[0].cells[0].text[hs[0].end:hs[1].start].startswith(" 第二十条")


# ---- metadata

@pytest.mark.parametrize("texts,agency,year", [
    (["抚远镇人民政府2020年政府信息公开工作年度报告"], "抚远镇人民政府", 2020),
    (["2020年港门镇政府信息公开工作年度报告"], "港门镇", 2020),
    (["兑镇镇人民政府便函", "兑镇镇 2021 年政府信息公开工作年度报告"], "兑镇镇", 2021),
    (["标题: 平潭综合实验区2021年度政府信息公开工作年度报告"], "平潭综合实验区", 2021),
    (["淮安市人民政府", "2024 年政府信息公开工作年度报告"], "淮安市人民政府", 2024),
    (["沭阳县发展和改革局2023年政府信息公开年度报告"], "沭阳县发展和改革局", 2023),
])
def test_find_title(texts, agency, year):
    _, a, y = find_title(texts)
    assert (a, y) == (agency, year)


def test_detect_template_from_labels_not_year():
    assert detect_template("信息内容本年制发件数本年废止件数现行有效件数规章", "")[0] == "2021"
    assert detect_template("本年新制作数量本年新公开数量对外公开总数量", "")[0] == "2019"
    assert detect_template("", "(六)其他处理1.申请人无正当理由逾期不补正")[0] == "2021"
    assert detect_template("", "")[0] is None


# ---- fused digits (web copies)

FUSED_2021 = (
    "某某区2021年政府信息公开工作年度报告 一、总体情况 正文。"
    "二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章 000"
    "行政规范性文件123第二十条第（五）项信息内容本年处理决定数量行政许可12 第二十条第（六）项信息内容 本年处理决定数量"
    "行政处罚3行政强制0第二十条第（八）项信息内容 本年收费金额（单位：万元）行政事业性收费1.5"
    "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    "一、本年新收政府信息公开申请数量120000012二、上年结转政府信息公开申请数量0000000"
    "三、本年度办理结果（一）予以公开100000010（二）部分公开（区分处理的，只计这一情形，不计其他情形）0000000"
    "（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”0000000"
    "4.保护第三方合法权益00000005.属于三类内部事务信息00000006.属于四类过程性信息00000007.属于行政执法案卷0000000"
    "8.属于行政查询事项0000000（四）无法提供1.本机关不掌握相关政府信息20000022.没有现成信息需要另行制作0000000"
    "3.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请00000002.重复申请0000000"
    "3.要求提供公开出版物00000004.无正当理由大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000"
    "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请0000000"
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他0000000"
    "（七）总计120000012四、结转下年度继续办理0000000"
    " 四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉"
    "复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计100010000000000"
    "五、存在的主要问题及改进情况 问题。六、其他需要报告的事项 无。"
)


def test_fused_rows_split_by_column_count_and_arithmetic():
    r = nianbao.parse(FUSED_2021.encode(), filename="fused.txt")
    assert r.template == "2021" and r.agency == "某某区" and r.year == 2021
    v = r.values()
    # "120000012": 7 cells summing by A3 → 12,0,0,0,0,0,12 (1,2,0,… fails A3; 10 and 2… fail A1/A2)
    assert [v[f"applications.new_requests.{c}"] for c in ("natural_person", "other_org", "total")] == [12, 0, 12]
    assert v["applications.granted.natural_person"] == 10
    assert v["applications.unavailable_not_held.total"] == 2
    assert v["active.licensing.decisions"] == 12
    assert v["active.fees.amount_yuan"] == 15000
    assert v["review_litigation.review.upheld"] == 1 and v["review_litigation.review.total"] == 1
    assert v["review_litigation.suit_direct.total"] == 0
    # '123' → 1/2/3 is the only split into three cells
    assert [v[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [1, 2, 3]
    assert any(d.code == "P208" for d in r.diagnostics)
    assert [p.number for p in r.parts] == [1, 2, 3, 4, 5, 6]


def test_ambiguous_split_is_flagged_not_guessed():
    text = FUSED_2021.replace("行政规范性文件123", "行政规范性文件1234")
    r = nianbao.parse(text.encode(), filename="fused.txt")
    c = r.cells["active.normative_documents.issued"]
    assert c.value is None and not c.certain
    d = next(d for d in r.diagnostics if d.code == "P206")
    assert "active.normative_documents.issued" in d.keys
    assert [1, 2, 34] in d.candidates and [12, 3, 4] in d.candidates


def test_not_a_report_is_an_input_error():
    with pytest.raises(nianbao.InputError) as e:
        nianbao.parse("今天天气很好。\n明天也好。".encode(), filename="x.txt")
    assert e.value.code == "not-a-report"


@pytest.mark.parametrize("data,code", [(b"", "empty"), (b"   \n", "empty"), (b"\x00\x01\x02binary\x00" * 10, "binary"),
                                       (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "unsupported-office")])
def test_bad_input_errors(data, code):
    with pytest.raises(nianbao.InputError) as e:
        nianbao.parse(data, filename="bad")
    assert e.value.code == code
    assert e.value.zh and e.value.en


def _shuyang_with(cell_text: str) -> bytes:
    """The real shuyang page with the first empty cell of the （一）予以公开 row filled in."""
    from lxml import html as lh
    from conftest import CORPUS
    root = lh.fromstring((CORPUS / "real" / "shuyang-fgj-2023.html").read_bytes())
    row = next(tr for tr in root.iter("tr") if "予以公开" in tr.text_content() and len(tr.findall("td")) > 5)
    td = next(td for td in row.findall("td") if not td.text_content().strip())
    for child in list(td):
        td.remove(child)
    td.text = cell_text
    return lh.tostring(root, encoding="utf-8", doctype="<!doctype html>")


@pytest.mark.parametrize("text,code", [("若干", "C102"), ("2.0", "C104")])
def test_unreadable_value_cell_is_flagged_not_dropped(shared, text, code):
    r = nianbao.parse(_shuyang_with(text), filename="x.html")
    c = r.cells["applications.granted.commercial"]
    assert c.value is None and not c.certain and c.raw == text
    assert any(d.code == "P205" and "applications.granted.commercial" in d.keys for d in r.diagnostics)
    assert [f.keys for f in nianbao.check(r, select=[code])] == [["applications.granted.commercial"]]
    # the rest of the row is still read
    assert r.cells["applications.granted.total"].value == 26


def test_title_year_in_chinese_numerals():
    assert find_title(["某某镇人民政府二〇二〇年政府信息公开工作年度报告"])[1:] == ("某某镇人民政府", 2020)


def test_huge_input_is_refused():
    from nianbao.config import Settings
    with pytest.raises(nianbao.InputError) as e:
        nianbao.parse(b"x" * 1001, filename="big.txt", settings=Settings(max_bytes=1000))
    assert e.value.code == "too-big"


def test_wrong_encoding_garbage_is_not_a_report():
    import random
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    with pytest.raises(nianbao.InputError) as e:
        nianbao.parse(data, filename="garbage.txt")
    assert e.value.code in ("bad-encoding", "not-a-report", "binary")


def test_gbk_text_file_is_decoded():
    from conftest import CORPUS
    text = (CORPUS / "seeds" / "000_287ae363a5fda47a.txt").read_text(encoding="utf-8")
    r = nianbao.parse(text.encode("gb18030"), filename="gbk.txt")
    assert r.agency == "抚远镇人民政府" and r.values()["active.procurement.amount_yuan"] == 1522100


def test_site_footer_is_not_part_six(shared):
    """A web page's footer after the article does not join part 六 (S105 still sees “无”)."""
    from html import escape
    from conftest import CORPUS
    text = (CORPUS / "seeds" / "004_a224db91dbdf5e26.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip() and "\t" not in line)
    page = (f"<html><body><div class='article'>{body}</div><div>【打印本页】 【关闭窗口】</div>"
            "<div>主办单位：渭南市临渭区人民政府 网站标识码：3607270001</div></body></html>")
    r = nianbao.parse(page.encode(), filename="x.html")
    assert r.part(6).text == "无"
    assert [f.code for f in nianbao.check(r, select=["S105"])] == ["S105"]


def test_numbers_cut_off_a_row_make_it_uncertain():
    """A number wrapped in its cell (“128” over “8”) leaves the row looking complete; the stray
    numbers after it (P209) make its cells uncertain instead of silently wrong."""
    from conftest import FIXTURES
    text = (FIXTURES / "huaian-2024-pdftotext-layout.txt").read_text(encoding="utf-8")
    row = "      （一）予以公开                   1288        21       0        0    50       3   1362\n"
    assert row in text
    cut = row.replace("1288", " 128").replace("1362", " 136") + "年度办理结果  8                                      2\n"
    r = nianbao.parse(text.replace(row, cut).encode(), filename="cut.txt")
    granted = [r.cells[f"applications.granted.{c}"] for c in ("natural_person", "total")]
    assert all(c.value is None and not c.certain for c in granted)
    d = next(d for d in r.diagnostics if d.code == "P209")
    assert "applications.granted.natural_person" in d.keys
    assert r.cells["applications.partially_granted.total"].value == 454


def test_fused_digits_of_table_two_settled_by_the_text(shared):
    """Table 二 has no arithmetic: a figure stated in the text settles a fused row; without it
    the row stays ambiguous (P206), never guessed."""
    from conftest import FIXTURES
    text = (FIXTURES / "rule_bases" / "pingtan-2021.txt").read_text(encoding="utf-8")
    plain = nianbao.parse(text.encode(), filename="p.txt")
    assert plain.value("active.normative_documents.issued") is None
    assert any(d.code == "P206" and "active.normative_documents.issued" in d.keys for d in plain.diagnostics)
    said = text.replace("一、总体情况2021年，", "一、总体情况2021年，全区制发行政规范性文件69件，废止3件，现行有效665件。")
    r = nianbao.parse(said.encode(), filename="p.txt")
    assert [r.value(f"active.normative_documents.{c}") for c in ("issued", "repealed", "in_force")] == [69, 3, 665]
    assert r.cells["active.normative_documents.issued"].certain
    assert any(d.code == "P213" for d in r.diagnostics)
    # a figure that no split gives settles nothing
    wrong = text.replace("一、总体情况2021年，", "一、总体情况2021年，全区制发行政规范性文件5件。")
    assert nianbao.parse(wrong.encode(), filename="p.txt").value("active.normative_documents.issued") is None
