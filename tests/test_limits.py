"""Caps hold before reading, and nothing hostile becomes a traceback or an empty success.

Every hostile input is generated here (nothing large is committed)."""
import io
import os
import subprocess
import sys
import zipfile

import pytest

import nianbao
from nianbao.config import DEFAULT
from nianbao.errors import InputError
from nianbao.ingest import bytes_to_document
from nianbao.ingest.sources import iter_inputs
from conftest import CORPUS

SEED = CORPUS / "seeds" / "000_287ae363a5fda47a.txt"


def run_cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "nianbao", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def codes(items):
    return {os.path.basename(n.split("!")[-1]): (b.code if isinstance(b, InputError) else "ok") for n, b in items}


def refused(data, code, settings=None, filename=None):
    with pytest.raises(InputError) as e:
        bytes_to_document(data, filename, settings)
    assert e.value.code == code, e.value
    return e.value


# ------------------------------------------------------------------ regular files only

def test_fifo_device_and_dev_zero_link_are_refused_unopened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block forever
    os.symlink("/dev/zero", tmp_path / "zero.txt")  # reading it would never end
    os.symlink("/dev/null", tmp_path / "null.pdf")
    got = codes(iter_inputs([tmp_path]))
    assert got == {"pipe.txt": "not-regular-file", "zero.txt": "not-regular-file", "null.pdf": "not-regular-file"}
    e = dict(iter_inputs([tmp_path / "pipe.txt"]))[str(tmp_path / "pipe.txt")]
    assert e.zh == "不是普通文件（命名管道 FIFO），未读取"
    with pytest.raises(InputError) as e:
        nianbao.parse(tmp_path / "zero.txt")
    assert e.value.code == "not-regular-file" and "字符设备" in e.value.zh


def test_check_cli_refuses_a_fifo_and_goes_on(shared, tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    p = run_cli("check", "--json", tmp_path / "pipe.txt", SEED)
    assert p.returncode == 2 and "不是普通文件" in p.stderr and '"not-regular-file"' in p.stdout
    p = run_cli("check", tmp_path / "pipe.txt", SEED)
    assert p.returncode == 2 and "抚远镇" in p.stdout and "无法读取 1 份" in p.stdout


def test_size_is_refused_from_stat(tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(b"x" * 5000)
    (name, e), = iter_inputs([f], settings=DEFAULT.replace(max_bytes=1000))
    assert e.code == "too-big"


# ------------------------------------------------------------------ zip archives

def _zip(path, members: dict, declared=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_zip_member_count_and_expanded_size_are_capped(tmp_path):
    many = _zip(tmp_path / "many.zip", {f"r{i}.txt": b"x" for i in range(30)})
    assert codes(iter_inputs([many], settings=DEFAULT.replace(max_zip_members=10))) == {"many.zip": "zip-bomb"}
    bomb = _zip(tmp_path / "bomb.zip", {"a.txt": b"0" * 3_000_000, "b.txt": b"0" * 3_000_000})
    assert os.path.getsize(bomb) < 50_000  # compressed a hundredfold
    got = list(iter_inputs([bomb], settings=DEFAULT.replace(max_expanded_bytes=5_000_000)))
    assert codes(got) == {"bomb.zip": "zip-bomb"} and "解压后共 6000000 字节" in got[0][1].zh
    got = codes(iter_inputs([bomb], settings=DEFAULT.replace(max_bytes=1_000_000)))
    assert got == {"a.txt": "too-big", "b.txt": "too-big"}  # refused member by member, from the header


def test_nested_zip_is_stated_not_expanded(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("r.txt", "报告")
    outer = _zip(tmp_path / "outer.zip", {"inner.zip": inner.getvalue(), "r.txt": SEED.read_bytes()})
    got = list(iter_inputs([outer]))
    assert codes(got) == {"inner.zip": "nested-zip", "r.txt": "ok"}
    assert "嵌套的压缩包未展开" in dict(got)[f"{outer}!inner.zip"].zh


def test_docx_document_xml_is_capped(tmp_path):
    from docx import Document
    d = Document()
    for _ in range(200):
        d.add_paragraph("政府信息公开工作年度报告" * 20)
    buf = io.BytesIO()
    d.save(buf)
    data = buf.getvalue()
    assert bytes_to_document(data, "r.docx").blocks
    e = refused(data, "zip-bomb", DEFAULT.replace(max_xml_bytes=100_000), "r.docx")
    assert "word/document.xml" in e.zh


def _docx_with_body_xml(xml: str) -> bytes:
    from docx import Document
    buf = io.BytesIO()
    Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, xml.encode() if info.filename == "word/document.xml" else src.read(info.filename))
    return out.getvalue()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_entities_are_not_expanded():
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e0 "哈哈哈哈哈哈哈哈哈哈">{entities}]>'
           f'<w:document {W_NS}><w:body><w:p><w:r><w:t>前&e9;后</w:t></w:r></w:p></w:body></w:document>')
    refused(_docx_with_body_xml(xml), "corrupt-docx", filename="r.docx")  # a billion laughs: never expanded


def test_docx_nesting_past_the_parser_depth_is_refused():
    def nested(n):
        return (f"<w:document {W_NS}><w:body>" + "<w:customXml>" * n + "<w:p><w:r><w:t>深</w:t></w:r></w:p>"
                + "</w:customXml>" * n + "</w:body></w:document>")
    assert [c.text for b in bytes_to_document(_docx_with_body_xml(nested(200)), "r.docx").blocks for c in b.cells] == ["深"]
    refused(_docx_with_body_xml(nested(5000)), "corrupt-docx", filename="r.docx")


# ------------------------------------------------------------------ HTML

def test_deep_html_is_an_error_not_a_partial_record():
    deep = ("<html><body><p>标题</p>" + "<div>" * 5000 + "正文" + "</div>" * 5000 + "<p>尾</p></body></html>")
    e = refused(deep.encode(), "too-deep")
    assert "文档结构过深" in e.zh


def test_nesting_past_the_depth_setting_is_too_deep():
    page = ("<p>标题</p>" + "<div>" * 150 + "正文" + "</div>" * 150).encode()
    assert "正文" in "".join(b.text for b in bytes_to_document(page, "t.html").blocks)
    e = refused(page, "too-deep", DEFAULT.replace(max_html_depth=100), "t.html")
    assert "100" in e.zh


@pytest.mark.parametrize("page", [
    "".join(f"<font a={i}><p>x" for i in range(3000)),  # every <p> re-opens all open <font>: a square tree
    "".join(f"<b a={i}><div>x" for i in range(3000)),
    "<p>报告</p>" + "<div>" * 3000 + "正文",  # unclosed blocks: every start tag walks them all
    "<p>报告</p>" + "<ul><li>" * 3000 + "正文",
])
def test_open_tags_that_would_make_parsing_superlinear_are_too_deep(page):
    refused(page.encode(), "too-deep", filename="t.html")


def test_unclosed_formatting_tags_alike_are_read_not_refused():
    # old pages open the same <font> in every paragraph and never close it: the tree builder keeps
    # at most three alike, so this costs nothing and must not be refused
    page = "<html><body>" + '<p><font face="宋体" size=3>第一段文字内容' * 5000 + "</body></html>"
    assert len(bytes_to_document(page.encode(), "t.html").blocks) == 5000


def test_markup_without_text_is_no_content():
    refused(b"<html><body><table><tr><td></td></tr></table></body></html>", "no-content")


def _grid(html: bytes):
    doc = bytes_to_document(html, "t.html")
    return [[(c.text, c.loc.col) for c in b.cells] for b in doc.blocks if b.kind == "row"]


def test_rowspans_place_cells_as_a_browser_does():
    html = ("<p>报告</p><table><tr><td rowspan=0>a</td><td>b</td><td rowspan=2>c</td><td>d</td></tr>"
            "<tr><td>e</td><td>f</td></tr><tr><td>g</td><td>h</td></tr></table>").encode()
    assert _grid(html) == [[("a", 1), ("b", 2), ("c", 3), ("d", 4)], [("e", 2), ("f", 4)], [("g", 2), ("h", 3)]]


def test_rowspan_zero_over_thousands_of_rows_stays_within_the_column_cap():
    rows = "".join(f"<tr><td rowspan=0>a{i}</td><td rowspan=0 colspan=3>b</td></tr>" for i in range(3000))
    html = f"<p>报告</p><table>{rows}</table>".encode()
    settings = DEFAULT.replace(max_span=50)
    doc = bytes_to_document(html, "t.html", settings)
    cols = [c.loc.col for b in doc.blocks if b.kind == "row" for c in b.cells]
    assert cols and max(cols) <= 50


# ------------------------------------------------------------------ PDF ruling grids

def test_pdf_grid_size_is_bounded():
    from nianbao.ingest.pdf.extract import Rule
    from nianbao.ingest.pdf.grids import rules_to_grids
    n = 60
    rules = [Rule(True, 10.0 * i, 0.0, 10.0 * n) for i in range(n + 1)] + \
            [Rule(False, 10.0 * j, 0.0, 10.0 * n) for j in range(n + 1)]
    assert len(rules_to_grids(rules)[0].cells) == n * n
    assert rules_to_grids(rules, DEFAULT.replace(max_grid_cells=n * n - 1)) == []
    assert rules_to_grids(rules, DEFAULT.replace(max_rules=2 * n)) == []


# ------------------------------------------------------------------ encodings

def test_bom_only_is_no_content():
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"):
        with pytest.raises(InputError) as e:
            bytes_to_document(bom, "x.txt")
        assert e.value.code in ("no-content", "empty", "bad-encoding"), bom


@pytest.mark.parametrize("enc,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                     ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff"),
                                     ("utf-16-le", b""), ("utf-16-be", b""), ("utf-32-le", b"")])
def test_utf16_and_utf32_with_or_without_bom_read_as_utf8(shared, enc, bom):
    text = SEED.read_text(encoding="utf-8")
    want = nianbao.parse(text.encode("utf-8"), filename="r.txt").values()
    got = nianbao.parse(bom + text.encode(enc), filename="r.txt").values()
    assert got == want


def test_bad_bytes_after_a_bom_are_bad_encoding():
    refused(b"\xff\xfe" + "报告".encode("utf-16-le") + b"\x00\xd8", "bad-encoding")  # a lone surrogate
    refused(b"\x00\x00\xfe\xff\x7f\xff\xff\xff", "bad-encoding")


def test_gbk_file_names_are_shown_not_a_traceback(shared, tmp_path):
    name = "淮安市报告.txt".encode("gbk")
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as f:
        f.write(SEED.read_bytes())
    p = run_cli("check", tmp_path)
    assert p.returncode in (0, 1), p.stderr
    assert "淮安市报告.txt" in p.stdout and "Traceback" not in p.stderr
    p = run_cli("check", "--json", "--select", "P", tmp_path)
    assert p.returncode in (0, 1) and "Traceback" not in p.stderr
