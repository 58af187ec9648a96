"""Tests for :mod:`nianbao.config` (the settings object) and for settings reaching the readers."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import nianbao
from nianbao.config import DEFAULT, Settings, settings_help
from nianbao.ingest import bytes_to_document

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def test_each_setting_is_documented():
    for f in dataclasses.fields(Settings):
        assert f.metadata.get("help", "").strip(), f"setting {f.name} has no help line"
        assert f.metadata.get("group") in ("ingest", "worker", "pdf", "ocr", "tables", "rules"), f.name
        assert f.default is not dataclasses.MISSING, f.name
        assert f"`{f.name}`" in settings_help()


def test_readme_lists_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- settings:start -->\n(.*?)\n<!-- settings:end -->", readme, re.S)
    assert block is not None, "README has no settings table"
    assert block.group(1) == settings_help(), "README settings table is stale: run python -m nianbao.config"


def test_settings_are_frozen_and_replace_makes_a_copy():
    s = DEFAULT.replace(snap=3.0)
    assert s.snap == 3.0 and DEFAULT.snap == 2.5 and s == dataclasses.replace(DEFAULT, snap=3.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.snap = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULT.replace(no_such_setting=1)


@pytest.mark.parametrize("bad", [0, -1, "2", None, True])
def test_a_setting_must_be_a_positive_number(bad):
    with pytest.raises(ValueError):
        Settings(snap=bad)


def test_max_bytes_setting_takes_effect():
    data = b"x" * 2000
    with pytest.raises(nianbao.InputError) as e:
        nianbao.parse(data, filename="big.txt", settings=Settings(max_bytes=1999))
    assert e.value.code == "too-big"
    with pytest.raises(nianbao.InputError) as e:  # the default cap lets it through to the parser
        nianbao.parse(data, filename="big.txt")
    assert e.value.code != "too-big"


def test_max_span_setting_reaches_html_and_docx():
    page = b"<html><body><table><tr><td colspan='5'>a</td><td>b</td></tr></table></body></html>"
    default = [b.cells for b in bytes_to_document(page, "t.html").blocks if b.kind == "row"]
    capped = [b.cells for b in bytes_to_document(page, "t.html", Settings(max_span=2)).blocks if b.kind == "row"]
    assert default != capped
    docx = FIXTURES / "huaian-2024-docx.docx"
    data = docx.read_bytes()
    rows = lambda s: [[c.loc for c in b.cells] for b in bytes_to_document(data, docx.name, s).blocks if b.kind == "row"]  # noqa: E731
    assert rows(None) == rows(DEFAULT)
    assert rows(Settings(max_span=1)) != rows(DEFAULT)


def test_pdf_settings_reach_the_reader():
    pdf = FIXTURES / "huaian-2024-lo.pdf"
    data = pdf.read_bytes()
    texts = lambda s: [b.text for b in bytes_to_document(data, pdf.name, s).blocks]  # noqa: E731
    assert texts(None) == texts(DEFAULT)
    assert texts(Settings(table_gap=1e9)) != texts(DEFAULT)  # no rules read: no ruled grids
    assert texts(Settings(space_gap=1e9)) != texts(DEFAULT)


def test_solver_caps_reach_the_table_reader():
    """A fused row with many splits: a cap of one candidate stops the enumeration early (the
    P206 finding counts the candidates kept)."""
    import nianbao
    from nianbao.config import Settings

    text = ("某某县某某局2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "规章 000\n行政规范性文件 693665\n行政许可 5\n")
    default = nianbao.parse(text.encode(), filename="x.txt")
    capped = nianbao.parse(text.encode(), filename="x.txt", settings=Settings(max_candidates=1))
    def kept(report):
        return next(d.params["n"] for d in report.diagnostics if d.code == "P206")
    assert kept(capped) <= 2 < kept(default)
