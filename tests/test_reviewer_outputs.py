"""Issue 11: reviewer-grade outputs — Chinese for the people who read them, grouped findings,
the correction notice, ruff-like ``check`` conventions, a printable workbook."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import nianbao

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"
HUAIAN_LAYOUT = FIXTURES / "huaian-2024-pdftotext-layout.txt"


def run_cli(*args, cwd=None):
    import os
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-m", "nianbao", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env)


def test_title_has_no_label_prefix():
    text = "标题：某某县某某局2023年政府信息公开工作年度报告\n一、总体情况\n略。\n"
    report = nianbao.parse(text.encode(), filename="x.txt")
    assert report.title == "某某县某某局2023年政府信息公开工作年度报告"


def test_licence_is_osi_and_named_in_pyproject():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    py = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = {text = "MIT"}' in py and "OSI Approved :: MIT License" in py


# ------------------------------------------------------------------ 1. Chinese docs with a basis

from nianbao.model.codes import CATALOGUE  # noqa: E402
from nianbao.rules import RULES  # noqa: E402
from nianbao.rules.codes import explain  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
# what a basis may cite: the format notices by their numbers (report-format.md) and the 条例's
# articles the template names (第二十条 in table 二's headers; 第五十条, the report's contents)
NOTICES = {"〔2019〕60号", "〔2021〕30号"}
ARTICLES = {"第二十条", "第五十条"}
ENGLISH = re.compile(r"[A-Za-z]{3,}")  # a word of English (codes like A101, PDF are short or upper)
ALLOWED_WORDS = {"PDF", "Word", "WPS", "HTML", "XML", "docx", "xlsx", "odt", "zip", "doc",
                 "max_bytes", "time_limit", "memory_limit", "GB18030", "UTF", "nianbao", "rules",
                 "LibreOffice", "OFD", "Debian", "apt", "get", "install", "libreoffice", "writer", "xls", "ppt", "dps", "wps", "PNG", "JPEG", "TIFF"}


@pytest.mark.parametrize("code", sorted(CATALOGUE) + sorted(c for c in RULES if c not in CATALOGUE))
def test_every_code_has_chinese_docs_with_a_basis(code):
    e = explain(code)
    doc = e.doc
    assert CJK.search(doc.splitlines()[0]), "a Chinese one-line summary first"
    for section in ("说明：", "原因：", "示例：", "依据："):
        assert re.search(rf"(?m)^{section}\S", doc), f"{code}: no {section}"
    words = {w for w in ENGLISH.findall(doc.replace("_", "x")) if w not in ALLOWED_WORDS}
    words = {w for w in re.findall(r"[A-Za-z_]{3,}", doc) if w not in ALLOWED_WORDS}
    assert not words, f"{code}: English in the docs: {words}"
    basis = re.search(r"(?m)^依据：(.*)$", doc).group(1)
    for n in re.findall(r"〔\d{4}〕\d+号", basis):
        assert n in NOTICES, f"{code}: cites an unverifiable notice {n}"
    for a in re.findall(r"第[一二三四五六七八九十百]+条", basis):
        assert a in ARTICLES, f"{code}: cites an article the template does not name: {a}"
    assert "国办公开办函 on" not in basis and "杜绝雷同" not in basis


def test_rule_titles_are_chinese():
    for code, r in RULES.items():
        assert CJK.search(r.title) and r.title != r.name, code


def test_rules_and_rule_commands_are_chinese():
    p = run_cli("rules")
    assert p.returncode == 0 and "单元格空白" in p.stdout and "（parser" not in p.stdout
    assert not re.search(r"[A-Za-z]{4,}", p.stdout.replace("PDF", "")), "no English in nianbao rules"
    p = run_cli("rule", "Y103")
    assert p.returncode == 0 and "依据：" in p.stdout and "What:" not in p.stdout
    p = run_cli("rule", "empty")
    assert p.returncode == 0 and "English" not in p.stdout and "文件没有内容" in p.stdout
    p = run_cli("rule", "NOPE")
    assert p.returncode == 2 and "没有代码为“NOPE”的规则" in p.stderr and "Traceback" not in p.stderr


# ------------------------------------------------------------------ 2. findings that help

def test_no_false_c106_on_a_header_broken_over_lines():
    """pdftotext -layout breaks 商业企业 / 科研机构 over two lines: 商业企科… is no typo."""
    from nianbao.rules import check
    report = nianbao.parse(HUAIAN_LAYOUT)
    assert [f for f in check(report, select=["C106"])] == []


def test_a_real_typo_in_a_broken_header_is_still_found():
    from nianbao.rules.cells import _near_miss
    broken = "自然人总计商业企科研机社会公益法律服务其他业构组织机构"
    assert _near_miss("商业企业", broken, "applications") is None
    assert _near_miss("结果维持", "结果维护结果纠正其他结果尚未审结总计结果维持", "review_litigation") == "结果维护"


# ------------------------------------------------------------------ README for reviewers

README = (ROOT / "README.md").read_text(encoding="utf-8")
FIRST_TWO = ("python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/nianbao ingest ../shared/corpus"
             " && .venv/bin/nianbao stats\n"
             "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest\n")


def test_readme_starts_with_the_two_commands_unchanged():
    assert README.startswith("# nianbao（年报）\n\n```sh\n" + FIRST_TWO + "```\n")


def test_readme_reviewer_part_is_chinese():
    reviewer, marker, developer = README.partition("# 开发者文档（Developer documentation, English）")
    assert marker and developer, "developer sections under a clearly marked heading"
    prose = re.sub(r"```.*?```", "", reviewer.split("```\n", 2)[2], flags=re.S)  # code blocks aside
    prose = re.sub(r"`[^`]*`", "", prose)
    english = re.findall(r"\b[A-Za-z]{4,}\b", prose)
    assert set(english) <= {"nianbao", "Word", "Excel", "HTML", "JSON", "Lines", "LICENSE", "Settings",
                            "Limits", "guarantees", "SQLite", "grouped", "DOCX", "LibreOffice", "Markdown",
                            "Calc", "Writer"}, english
    for heading in ("## 它做什么", "## 命令", "## 核查结果怎么看", "## 规则", "## 配置"):
        assert heading in reviewer


SEEDS = CORPUS / "seeds" if (CORPUS / "seeds").is_dir() else None
BASES = FIXTURES / "rule_bases"
S003_BASE = next(BASES.glob("003_*"), None)


def _faulty(tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers.samples import faulty_report
    return faulty_report(tmp_path)


def test_blank_cells_are_one_line_per_table(tmp_path):
    src = S003_BASE or (SEEDS / "003_e091965162a3741c.txt" if SEEDS else None)
    if src is None:
        pytest.skip("no 瓦庙镇 base document")
    p = run_cli("check", "--select", "C101", src)
    assert p.returncode == 0, p.stderr
    c101 = [line for line in p.stdout.splitlines() if "C101" in line]
    assert len(c101) == 2, p.stdout  # 表三 and 表四, not 26 lines
    assert "138个单元格空白" in p.stdout and "共23行" in p.stdout
    assert "有警告" in p.stdout and "通过 0 份" in p.stdout  # warnings: never 通过
    p = run_cli("check", "--select", "C101", "--output-format", "text", src)
    assert len([line for line in p.stdout.splitlines() if "C101" in line]) == 26


def test_shared_cell_findings_together_with_their_probable_cause(tmp_path):
    f = _faulty(tmp_path)
    p = run_cli("check", f)
    assert p.returncode == 1
    out = p.stdout
    assert "以下2项涉及相同单元格" in out
    assert "可能的原因：表三“（一）予以公开”行“自然人”列（原文第120行）" in out
    block = out[out.index("以下2项"):]
    assert block.index("A102") < block.index("A103")
    assert "表1" not in out  # no internal table index


def test_no_probable_cause_when_two_cells_are_common():
    from nianbao.output.findings import Group, _cause
    from nianbao.rules.registry import Finding
    a = Finding("A102", "x", "error", "m", keys=["t.a.x", "t.b.x", "t.c.x"])
    b = Finding("A103", "x", "error", "m", keys=["t.a.x", "t.b.x", "t.a.y"])
    assert _cause([Group("A102", "", "error", "t", [a]), Group("A103", "", "error", "t", [b])]) is None
    c = Finding("A103", "x", "error", "m", keys=["t.a.x", "t.a.y"])
    assert _cause([Group("A102", "", "error", "t", [a]), Group("A103", "", "error", "t", [c])]) == "t.a.x"
    assert _cause([Group("A102", "", "error", "t", [a])]) is None  # one relation names no cause


def test_p206_lists_its_readings_and_the_count_matches():
    from nianbao.rules import check
    text = (FIXTURES / "rule_bases").glob("*pingtan-2021*")
    src = next(text, None) or (CORPUS / "real" / "pingtan-2021.txt")
    if not src.exists():
        pytest.skip("no pingtan-2021 document")
    report = nianbao.parse(src)
    [f] = check(report, select=["P206"])
    m = re.search(r"有(\d+)种拆分都可能.*其中(\d+)种读法.*?：(.*)（另有(\d+)种未列出）", f.message)
    assert m, f.message
    total, shown, readings, rest = int(m.group(1)), int(m.group(2)), m.group(3).split("；"), int(m.group(4))
    assert shown == len(readings) == len(f.actual) and total == shown + rest
    assert "69／3／665" in readings
    p = run_cli("check", "--select", "P206", src)
    assert "69／3／665" in p.stdout


# ------------------------------------------------------------------ 4. ruff-like conventions

def test_unknown_select_code_is_an_error_not_a_clean_pass(tmp_path):
    f = _faulty(tmp_path)
    for opt in ("--select", "--ignore"):
        p = run_cli("check", opt, "X9", f)
        assert p.returncode == 2 and p.stdout == ""
        assert f"{opt} 有未知的规则代码“X9”" in p.stderr and "Traceback" not in p.stderr


def test_configuration_in_nianbao_toml_and_pyproject(tmp_path):
    f = _faulty(tmp_path)
    (tmp_path / "nianbao.toml").write_text('select = ["A"]\n', encoding="utf-8")
    p = run_cli("check", "--output-format", "json", f, cwd=tmp_path)
    assert p.returncode == 1 and {json.loads(x)["code"] for x in p.stdout.splitlines()} == {"A102", "A103"}
    p = run_cli("check", "--json", "--select", "C", f, cwd=tmp_path)  # the command line replaces select
    assert {json.loads(x)["code"] for x in p.stdout.splitlines()} == {"C101"}
    (tmp_path / "nianbao.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.nianbao]\nselect = ["A", "C"]\nignore = ["A103"]\n', "utf-8")
    p = run_cli("check", "--json", f, cwd=tmp_path)
    assert {json.loads(x)["code"] for x in p.stdout.splitlines()} == {"A102", "C101"}
    (tmp_path / "pyproject.toml").write_text('[tool.nianbao]\nignore = ["ZZ"]\n', "utf-8")
    p = run_cli("check", f, cwd=tmp_path)
    assert p.returncode == 2 and "配置文件" in p.stderr and "未知的规则代码“ZZ”" in p.stderr
    assert "Traceback" not in p.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.nianbao\n', "utf-8")
    p = run_cli("check", f, cwd=tmp_path)
    assert p.returncode == 2 and "无法读取" in p.stderr and "Traceback" not in p.stderr


def test_exit_zero_statistics_and_output_formats(tmp_path):
    f = _faulty(tmp_path)
    p = run_cli("check", "--exit-zero", "--statistics", f)
    assert p.returncode == 0
    assert re.search(r"^\s+1\s+A102\s+错误\s+办理结果之和与总计不符$", p.stdout, re.M), p.stdout
    p = run_cli("check", "--exit-zero", f, tmp_path / "missing.txt")
    assert p.returncode == 2  # unreadable stays 2
    p = run_cli("check", "--json", "--output-format", "text", f)
    assert p.returncode == 2 and "不能同时使用" in p.stderr
    p = run_cli("check", "--output-format", "json", f)
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert recs and all(re.fullmatch(r"[A-Z]\d{3}-[0-9a-f]{10}", r["id"]) for r in recs)


def test_parse_refuses_debug_with_json_and_brief_without_json(tmp_path):
    f = _faulty(tmp_path)
    p = run_cli("parse", "--debug", "--json", f)
    assert p.returncode == 2 and "--debug 与 --json 不能同时使用" in p.stderr and p.stdout == ""
    p = run_cli("parse", "--brief", f)
    assert p.returncode == 2 and "只对 --json 输出有效" in p.stderr


def test_unreadable_inputs_are_explained_in_chinese_only(tmp_path):
    scan = ROOT / "tests" / "rule_fixtures" / "P001" / "scanned.pdf"
    missing = tmp_path / "missing.txt"
    for cmd in (("check",), ("parse",), ("check", "--json")):
        p = run_cli(*cmd, scan, missing)
        assert p.returncode == 2
        seen = p.stdout + p.stderr
        if "--json" in cmd:  # the machine's English twin (message_en) aside
            seen = "".join(json.dumps({k: v for k, v in json.loads(x).get("error", {}).items() if k != "message_en"},
                                      ensure_ascii=False) for x in p.stdout.splitlines()) + p.stderr
        assert "文件不存在" in seen and "Traceback" not in seen
        for english in ("No such file", "scanned PDF", "text layer", "cannot open", "OCR"):
            assert english not in seen, (cmd, english)
    p = run_cli("check", scan)
    assert "PDF 是扫描件，没有文字层" in p.stdout and "未识别机关 ?" not in p.stdout


def test_unknown_agency_and_year_are_said_so():
    from nianbao.output.findings import identity
    from nianbao.model import Report
    r = Report.__new__(Report)
    r.agency, r.year = None, None
    assert identity(r) == "（未能识别机关名称） （未能识别年度）"


# ------------------------------------------------------------------ 3. the correction notice

def _docx_text(path) -> str:
    import docx
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_notice_one_docx_per_body_with_problems_and_basis(tmp_path):
    import docx
    from docx.shared import Cm
    f = _faulty(tmp_path)
    out = tmp_path / "反馈单"
    p = run_cli("notice", "--out", out, "--issuer", "某某县政务公开办", f)
    assert p.returncode == 0, p.stderr
    [path] = sorted(out.glob("*.docx"))
    assert path.name == "问题反馈单-抚远镇人民政府.docx" and str(path) in p.stdout
    text = _docx_text(path)
    assert text.startswith("政府信息公开工作年度报告\n问题反馈单\n抚远镇人民政府：")
    assert "发现以下3项问题" in text
    # table, row, column, expected, actual, level, rule code
    assert "表三（收到和处理政府信息公开申请情况）：“自然人”列" in text
    assert re.search(r"“（一）予以公开”行：各类申请人之和为2，与总计列3不符。（A103） \| 3 \| 2 \| 错误", text), text
    assert "请首先核对该单元格" in text and "表三“（一）予以公开”行“自然人”列" in text
    assert "核查依据" in text and "A102（办理结果之和与总计不符）：年度报告格式（表格自身的勾稽关系" in text
    assert "C101（单元格空白）" in text and "某某县政务公开办" in text
    for english in ("What", "Basis", "None", "Traceback"):
        assert english not in text
    d = docx.Document(str(path))
    sec = d.sections[0]
    assert abs(sec.page_width - Cm(21)) < Cm(0.05) and abs(sec.page_height - Cm(29.7)) < Cm(0.05)
    xml = d.element.xml
    assert 'w:eastAsia="仿宋"' in xml and 'w:eastAsia="黑体"' in xml
    assert "PAGE" in sec.footer._element.xml  # page numbers
    assert 'w:tblHeader' in xml  # the table header repeats on each page


def test_notice_leaves_out_dismissed_findings_and_parser_notes(tmp_path):
    from nianbao.audit import audit
    from nianbao.output.findings import finding_id
    from nianbao.output.notice import notice_document
    f = _faulty(tmp_path)
    run = audit([str(f)], workers=1)
    [a] = run.tasks
    c101 = next(x for x in a.findings if x.code == "C101")
    doc = notice_document(a, {finding_id(c101)})
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for t in doc.tables for r in t.rows
                                                                  for c in r.cells)
    assert "C101" not in text and "A102" in text and "发现以下2项问题" in text
    p = run_cli("check", "--json", f)
    ids = {json.loads(x)["id"] for x in p.stdout.splitlines()}
    assert finding_id(c101) in ids


def test_notice_errors_are_chinese(tmp_path):
    p = run_cli("notice", "--out", tmp_path / "o", tmp_path / "missing.txt")
    assert p.returncode == 2 and "无法读取：无法打开文件：文件不存在" in p.stderr and "Traceback" not in p.stderr
    p = run_cli("notice", "--out", tmp_path / "o", "--select", "Q1", tmp_path / "missing.txt")
    assert p.returncode == 2 and "未知的规则代码“Q1”" in p.stderr


# ------------------------------------------------------------------ 5. the workbook prints well

def test_workbook_print_setup_filters_links_and_names(tmp_path):
    from openpyxl import load_workbook
    f = _faulty(tmp_path)
    out = tmp_path / "a.xlsx"
    p = run_cli("check", "--xlsx", out, f)
    assert p.returncode == 1
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["汇总", "问题清单", "问题明细"] and len(wb.sheetnames) == 4
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows and "&P" in ws.oddFooter.center.text
    for name in ("问题清单", "问题明细"):
        ws = wb[name]
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert all((ws.column_dimensions[c].width or 0) >= 5 for c in "ABCDEFGHIJKL")
    head = [c.value for c in wb["汇总"][1]]
    row = dict(zip(head, [c.value for c in wb["汇总"][2]]))
    assert row["状态"] == "有错误" and wb["汇总"].cell(2, head.index("报告表") + 1).hyperlink is not None
    detail = wb["问题明细"]
    head = [c.value for c in detail[1]]
    rows = [dict(zip(head, [c.value for c in r])) for r in detail.iter_rows(min_row=2)]
    a103 = next(r for r in rows if r["代码"] == "A103")
    assert a103["规则"] == "各类申请人之和与总计不符" and a103["表"] == "表三" and a103["原文位置"] == "第120行"
    links = [c.hyperlink.location or c.hyperlink.target for c in detail["H"][1:] if c.hyperlink]
    assert links and all(x.startswith("'1-") or x.startswith("#'1-") for x in links), links
    grouped = wb["问题清单"]
    head = [c.value for c in grouped[1]]
    g = [dict(zip(head, [c.value for c in r])) for r in grouped.iter_rows(min_row=2)]
    assert [x["代码"] for x in g] == ["C101", "A102", "A103"]
    assert g[1]["可能的原因"] == "表三“（一）予以公开”行“自然人”列（原文第120行）"


def test_workbook_status_warnings_are_not_passed(tmp_path):
    from openpyxl import load_workbook
    src = S003_BASE or (SEEDS / "003_e091965162a3741c.txt" if SEEDS else None)
    if src is None:
        pytest.skip("no 瓦庙镇 base document")
    out = tmp_path / "a.xlsx"
    run_cli("check", "--xlsx", out, "--no-sheets", src)
    wb = load_workbook(out)
    assert len(wb.sheetnames) == 3  # no report sheet on request
    head = [c.value for c in wb["汇总"][1]]
    assert dict(zip(head, [c.value for c in wb["汇总"][2]]))["状态"] == "有警告"


def test_large_batches_have_no_report_sheets_unless_asked(tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from nianbao.audit import audit
    from nianbao.output import xlsx
    f = _faulty(tmp_path)
    run = audit([str(f)], workers=1)
    monkeypatch.setattr(xlsx, "SHEETS_UP_TO", 0)
    xlsx.audits_to_workbook(run, tmp_path / "big.xlsx")
    assert len(load_workbook(tmp_path / "big.xlsx").sheetnames) == 3
    xlsx.audits_to_workbook(run, tmp_path / "big2.xlsx", sheets=True)
    assert len(load_workbook(tmp_path / "big2.xlsx").sheetnames) == 4


# ------------------------------------------------------------------ rendered: LibreOffice → PDF → PNG

def _soffice():
    import os
    import shutil
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None and os.environ.get("NIANBAO_REQUIRE_LO"):
        pytest.fail("LibreOffice is required here (NIANBAO_REQUIRE_LO) but not installed")
    if exe is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice or pdftoppm not installed (CI installs them)")
    return exe


def test_notice_and_workbook_render_to_pdf_and_png(tmp_path):
    """Render the notice (DOCX) and the workbook (XLSX) as a reviewer prints them, into
    test-artifacts/ (git-ignored) to be looked at."""
    exe = _soffice()
    art = ROOT / "test-artifacts"
    art.mkdir(exist_ok=True)
    f = _faulty(tmp_path)
    assert run_cli("notice", "--out", art, f).returncode == 0
    run_cli("check", "--xlsx", art / "audit.xlsx", f)
    docx_path = art / "问题反馈单-抚远镇人民政府.docx"
    for src in (docx_path, art / "audit.xlsx"):
        p = subprocess.run([exe, "--headless", "--convert-to", "pdf", "--outdir", str(art), str(src)],
                           capture_output=True, text=True, timeout=180,
                           env={**__import__("os").environ, "HOME": str(tmp_path)})
        pdf = src.with_suffix(".pdf")
        assert pdf.exists(), p.stderr
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(src.with_suffix(""))], check=True)
    info = subprocess.run(["pdfinfo", str(docx_path.with_suffix(".pdf"))], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info), info
    pngs = sorted(art.glob("问题反馈单-抚远镇人民政府*.png"))
    assert pngs and all(p.stat().st_size > 5000 for p in pngs)
    info = subprocess.run(["pdfinfo", str(art / "audit.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+841\.\d* x 595\.\d* pts", info), info  # A4 landscape
    text = subprocess.run(["pdftotext", "-layout", str(docx_path.with_suffix(".pdf")), "-"],
                          capture_output=True, text=True).stdout
    assert "问题反馈单" in text and re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)  # page numbers


@pytest.mark.parametrize("args, zh", [
    (("check", "--bogus", "x"), "没有选项 --bogus"),
    (("check",), "缺少参数 路径"),
    (("check", "--output-format", "xml", "x"), "--output-format 的值“xml”无效，可选：grouped、text、json"),
    (("notice", "x"), "缺少选项 --out"),
    (("nosuch",), "没有命令“nosuch”"),
])
def test_usage_errors_are_chinese(args, zh):
    p = run_cli(*args)
    assert p.returncode == 2 and zh in p.stderr, p.stderr
    assert "Error:" not in p.stderr and "Usage:" not in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize("cmd", [(), ("check",), ("notice",), ("parse",), ("rules",), ("rule",)])
def test_help_is_chinese(cmd):
    p = run_cli(*cmd, "--help")
    assert p.returncode == 0 and p.stdout.startswith("用法：nianbao")
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "PATHS", "[OPTIONS]"):
        assert english not in p.stdout, english


def test_no_nested_double_quotes_in_what_a_reviewer_reads(tmp_path):
    src = S003_BASE or (SEEDS / "003_e091965162a3741c.txt" if SEEDS else None)
    if src is None:
        pytest.skip("no 瓦庙镇 base document")
    for fmt in ("grouped", "text"):
        p = run_cli("check", "--output-format", fmt, src)
        assert "“三安全一稳定”" not in p.stdout and (fmt == "grouped" or "‘三安全一稳定’" in p.stdout), fmt
        for line in p.stdout.splitlines():  # “ and ” alternate: never “…“…”…”
            depth = 0
            for ch in line:
                depth += {"“": 1, "”": -1}.get(ch, 0)
                assert 0 <= depth <= 1, line
