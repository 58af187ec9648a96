"""The code catalogue (``nianbao.model.codes``): parser diagnostics and input errors in one table,
messages rendered from code + parameters."""
import re
import string
from dataclasses import replace
from pathlib import Path

import pytest

import nianbao
from nianbao.errors import InputError, input_error
from nianbao.model import codes
from nianbao.model.codes import CATALOGUE, CODES, INPUT_ERRORS, diag
from nianbao.model.report import Diagnostic, Report

BASES = Path(__file__).resolve().parent / "fixtures" / "rule_bases"
SEED = BASES / "000_287ae363a5fda47a.txt"
CJK = re.compile(r"[\u4e00-\u9fff]")
KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)+|[a-z]+")


def _fields(template: str) -> set:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_entry_is_well_formed(code):
    e = CATALOGUE[code]
    assert e.code == code and KEBAB.fullmatch(e.name), e.name
    assert e.kind in (codes.DIAGNOSTIC, codes.INPUT) and e.status in (codes.ACTIVE, codes.RETIRED)
    assert e.severity in ("error", "warning", "info")
    if e.kind == codes.DIAGNOSTIC:
        assert re.fullmatch(r"P\d{3}", code)
    else:
        assert code == e.name and e.severity == "error"
    assert CJK.search(e.zh) and not CJK.search(e.en), (e.zh, e.en)
    assert e.doc.strip() and e.en.strip()
    # both templates render from the union of their fields
    params = {f: "x" for f in _fields(e.zh) | _fields(e.en)}
    assert "{" not in e.render(params) and "{" not in e.render(params, "en")


def test_catalogue_views():
    assert set(CODES) | set(INPUT_ERRORS) == set(CATALOGUE) and not set(CODES) & set(INPUT_ERRORS)
    assert all(c.startswith("P") for c in CODES)
    names = [e.name for e in CATALOGUE.values()]
    assert len(names) == len(set(names))


def test_input_error_messages_are_stated_once():
    zh = [e.zh for e in INPUT_ERRORS.values()]
    assert len(zh) == len(set(zh))


def test_input_error_renders_from_the_catalogue():
    e = InputError("bad-encoding")
    assert (e.code, e.zh, e.en) == ("bad-encoding", "无法识别文件编码", "cannot detect the text encoding")
    assert str(e) == "无法识别文件编码 (cannot detect the text encoding)"
    e = input_error("too-big", size=300 * 1048576, mb=300, limit_mb=200)
    assert e.zh == "文件过大（300 MB，上限 200 MB）" and e.en == f"file too large ({300 * 1048576} bytes)"
    assert e.params == {"size": 300 * 1048576, "mb": 300, "limit_mb": 200}
    legacy = InputError("corrupt-pdf", "PDF 文件已损坏或无法打开", "corrupt or unreadable PDF")
    assert (legacy.zh, legacy.en) == (INPUT_ERRORS["corrupt-pdf"].zh, INPUT_ERRORS["corrupt-pdf"].en)
    with pytest.raises(KeyError):
        InputError("no-such-code")


def test_every_input_error_code_raised_in_src_is_catalogued():
    src = Path(nianbao.__file__).resolve().parent
    raised = set()
    for p in src.rglob("*.py"):
        raised |= set(re.findall(r"InputError\(\s*\"([a-z-]+)\"", p.read_text(encoding="utf-8")))
        raised |= set(re.findall(r"input_error\(\s*\"([a-z-]+)\"", p.read_text(encoding="utf-8")))
    assert raised and raised <= set(INPUT_ERRORS), raised - set(INPUT_ERRORS)


def test_diag_keeps_params_and_derives_the_message():
    d = diag("P202", None, ["a.b.c"], table="三", row="（二）部分公开")
    assert d.params == {"table": "三", "row": "（二）部分公开"} and d.severity == "warning"
    assert d.message == "表格“三”中未找到“（二）部分公开”一行"
    assert d.message_in("en") == "row （二）部分公开 not found in table 三"
    out = d.to_dict()
    assert out["params"] == d.params and out["message"] == d.message
    assert Diagnostic.from_dict(out) == d
    with pytest.raises(KeyError):
        diag("P202", table="三")  # a missing field fails where the diagnostic is made


def test_a_reworded_template_leaves_no_stale_message(monkeypatch):
    stored = diag("P201", table="二、主动公开政府信息情况").to_dict()
    monkeypatch.setitem(CATALOGUE, "P201", replace(CATALOGUE["P201"], zh="缺表格：{table}"))
    again = Diagnostic.from_dict(stored)
    assert again.message == "缺表格：二、主动公开政府信息情况"
    # a record from before params keeps its text
    old = {"code": "P201", "severity": "warning", "message": "旧消息"}
    assert Diagnostic.from_dict(old).message == "旧消息" and "params" not in Diagnostic.from_dict(old).to_dict()


def test_record_round_trip_keeps_params():
    text = SEED.read_text(encoding="utf-8").replace("三、收到和处理政府信息公开申请情况", "")
    report = nianbao.parse(text.encode(), filename="no-heading.txt")
    assert report.diagnostics and all(d.params is not None for d in report.diagnostics)
    again = Report.from_json(report.to_json())
    assert again.diagnostics == report.diagnostics
    assert [d.message for d in again.diagnostics] == [d.message for d in report.diagnostics]


def test_store_reloads_diagnostics_with_params(tmp_path):
    from nianbao.store import Corpus
    text = SEED.read_text(encoding="utf-8").replace("三、收到和处理政府信息公开申请情况", "")
    (tmp_path / "no-heading.txt").write_text(text, encoding="utf-8")
    report = nianbao.parse(tmp_path / "no-heading.txt")
    with Corpus(f"sqlite:///{tmp_path / 'corpus.db'}") as c:
        c.ingest([tmp_path / "no-heading.txt"], workers=1, cross_year=False)
        [row] = c.reports()
        stored = c.report(row["id"])
    assert stored.diagnostics == report.diagnostics
    assert [d.to_dict() for d in stored.diagnostics] == [d.to_dict() for d in report.diagnostics]


# ------------------------------------------------------------------------------ status table

def test_every_code_is_in_the_status_table_and_active():
    from nianbao.rules import RULES
    from nianbao.rules.codes import RETIRED_RULES, RULE_CODES, status_table
    table = status_table()
    assert set(RULES) <= set(table) and all(table[c] == "active" for c in RULES)
    assert set(CODES) <= set(table) and set(INPUT_ERRORS) <= set(table)
    # the table lists no active rule code that is not registered, and every retired one keeps its text
    assert {c for c, s in RULE_CODES.items() if s == "active"} == {c for c in RULES if c[0] != "P"}
    assert {c for c, s in RULE_CODES.items() if s == "retired"} == set(RETIRED_RULES)
    assert not set(RETIRED_RULES) & set(RULES)
    assert {c for c in CODES if CODES[c].status == "active"} == {c for c in RULES if c[0] == "P"}


def test_a_retired_code_is_still_explained(monkeypatch):
    from click.testing import CliRunner
    from nianbao.cli import main
    from nianbao.rules import codes as rule_codes
    fake = rule_codes.Retired("C199", "old-blank-mark", "warning", "“{row}”一行使用了旧的空白标记",
                              "An old rule.\n\nWhat: x\nWhy: y\nExample: z\nBasis: w", "0.9: merged into C101")
    monkeypatch.setitem(rule_codes.RULE_CODES, "C199", rule_codes.RETIRED)
    monkeypatch.setitem(rule_codes.RETIRED_RULES, "C199", fake)
    assert rule_codes.status_table()["C199"] == "retired"
    res = CliRunner().invoke(main, ["rule", "c199"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("C199 old-blank-mark（警告，已停用）")
    assert fake.message in res.output and fake.doc in res.output and "merged into C101" in res.output


def test_input_error_codes_are_explained():
    from click.testing import CliRunner
    from nianbao.cli import main
    res = CliRunner().invoke(main, ["rule", "bad-encoding"])
    assert res.exit_code == 0 and res.output.startswith("bad-encoding 无法识别编码（错误）")
    assert "无法识别文件编码" in res.output
