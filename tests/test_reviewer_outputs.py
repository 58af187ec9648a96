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
