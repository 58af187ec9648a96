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
HUAIAN_LAYOUT = FIXTURES / "huaian-2024-pdftotext-layout.txt"


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nianbao", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd)


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
                 "max_bytes", "time_limit", "memory_limit", "GB18030", "UTF", "nianbao", "rules"}


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
                            "Limits", "guarantees", "SQLite", "grouped"}, english
    for heading in ("## 它做什么", "## 命令", "## 核查结果怎么看", "## 规则", "## 配置"):
        assert heading in reviewer
