"""The rule registry as a linter: every rule has a failing and a passing fixture, is documented,
can be selected by code prefix, and the ``nianbao check`` CLI works on real reports.

Fixtures live in ``tests/rule_fixtures/<CODE>/{fail,pass}.json``. Each describes a realistic
document — a real report of the corpus, edited the way real reports go wrong — and is parsed for
real (``nianbao.parse(bytes, filename=...)``)::

    {"doc": "fixtures/rule_bases/000_287ae363a5fda47a.txt",  # "fixtures/NAME" is tests/fixtures/NAME,
                                               # "./NAME" is beside the JSON (else: ../shared/corpus)
     "replace": [["\\t152.21万元", "\\t152.21"],          # OLD must occur exactly once
                 ["2020年", "2019年", "all"],            # every occurrence (or an int: the first n)
                 {"re": "五、.*?(?=六、)", "sub": ""}],  # a regular expression (DOTALL), all matches
     "text": "...",               # OR the whole document inline (then "filename" names it)
     "encoding": "utf-8",         # of the source text, for the edits (default utf-8)
     "previous": {...},           # the same body's report of the year before (same shape; Y rules)
     "expect": [{"code": ..., "keys": [...], "expected": ..., "actual": ...}],  # fail.json only
     "note": "why this fails / passes"}

A pass fixture is the near twin of its fail fixture: the same document, edited the other way.
The base documents are in ``tests/fixtures/rule_bases`` (copies of corpus documents), so the
fixtures run without ``../shared``. ``expect`` lists exactly the findings the rule must give on
the fail fixture (``check(report, previous, select=[CODE])``), in order; it is written by
``tests/rule_fixtures/make_expect.py`` and reviewed in the diff.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest

import nianbao
from nianbao import spec
from nianbao.rules import FAMILIES, RULES, check
from nianbao.rules.registry import SEVERITIES, rule

from conftest import CORPUS, FIXTURES

HERE = Path(__file__).resolve().parent
RULE_FIXTURES = HERE / "rule_fixtures"
CODES = sorted(RULES)
SEEDS = CORPUS / "seeds"
S000 = SEEDS / "000_287ae363a5fda47a.txt"
S003 = SEEDS / "003_e091965162a3741c.txt"
S004 = SEEDS / "004_a224db91dbdf5e26.txt"

CJK = re.compile(r"[\u4e00-\u9fff]")

# Every cell key either template can have (2021 may print （六）其他处理 undivided: ``other``).
ALL_KEYS = {f"{t.key}.{r.key}.{c.key}" for tables in spec.TABLES.values() for t in tables
            for r in t.rows for c in r.columns}

# Rules whose findings are about cells: they must name them (``keys``). C106 is about a header
# label and Y103 about a part's text; S and P findings are about the document's structure.
NO_KEYS = {"C106", "Y103"}


def _names_cells(code: str) -> bool:
    return code[0] in "ACTY" and code not in NO_KEYS


# Which of expected / actual each rule reports (the others may be None).
EXPECTED_ACTUAL = {
    "S101": ("expected",), "S102": ("expected",), "S104": ("expected", "actual"), "S105": ("actual",),
    "C101": ("expected", "actual"), "C102": ("expected", "actual"), "C103": ("expected", "actual"),
    "C104": ("expected", "actual"), "C105": ("actual",), "C106": ("expected", "actual"),
    "P206": ("actual",),  # the candidate readings
}
for _c in CODES:
    if _c[0] in "ATY":
        EXPECTED_ACTUAL[_c] = ("expected", "actual")


# ------------------------------------------------------------------------------ fixture loading

def _resolve(doc: str, base: Path) -> Path:
    if doc.startswith("./"):
        return base / doc[2:]
    if doc.startswith("fixtures/"):
        return FIXTURES / doc[len("fixtures/"):]
    return CORPUS / doc


def apply_edits(text: str, edits) -> str:
    """Apply a fixture's ``replace`` list; every edit must match (fixtures must not rot silently)."""
    for e in edits:
        if isinstance(e, dict):
            text, n = re.subn(e["re"], e["sub"], text, count=e.get("count", 0), flags=re.S)
            assert n >= 1, f"edit {e['re']!r} matches nothing"
            continue
        old, new = e[0], e[1]
        n = text.count(old)
        how = e[2] if len(e) > 2 else 1
        if how == 1 and len(e) == 2:
            assert n == 1, f"edit {old!r} must occur exactly once, occurs {n} times"
        assert n >= 1, f"edit {old!r} matches nothing"
        text = text.replace(old, new, n if how == "all" else how)
    return text


def source(body: dict, base: Path):
    """(bytes, filename) of a fixture body."""
    enc = body.get("encoding", "utf-8")
    if "text" in body:
        return apply_edits(body["text"], body.get("replace", [])).encode(enc), body.get("filename", "inline.txt")
    path = _resolve(body["doc"], base)
    name = body.get("filename", path.name)
    if not body.get("replace"):
        return path.read_bytes(), name
    return apply_edits(path.read_bytes().decode(enc), body["replace"]).encode(enc), name


def load_body(body: dict, base: Path):
    data, name = source(body, base)
    report = nianbao.parse(data, filename=name)
    previous = load_body(body["previous"], base)[0] if body.get("previous") else None
    return report, previous


@lru_cache(maxsize=None)
def fixture(code: str, kind: str):
    """(fixture JSON, report, previous report) — parsed once per test session."""
    path = RULE_FIXTURES / code / f"{kind}.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    report, previous = load_body(body, path.parent)
    return body, report, previous


# ------------------------------------------------------------------------------ fixtures per rule

def test_every_rule_is_covered_and_no_stray_fixture():
    on_disk = {p.name for p in RULE_FIXTURES.iterdir() if p.is_dir() and re.fullmatch(r"[A-Z]\d{3}", p.name)}
    assert on_disk == set(CODES)


def expect_of(finding) -> dict:
    """What a fail fixture records of one finding (JSON values: tuples become lists)."""
    d = finding.to_dict()
    return json.loads(json.dumps({k: d[k] for k in ("code", "keys", "expected", "actual")}, ensure_ascii=False))


@pytest.mark.parametrize("code", CODES)
def test_fixture_files(code):
    for kind in ("fail", "pass"):
        path = RULE_FIXTURES / code / f"{kind}.json"
        assert path.is_file(), f"{path} missing"
        body = json.loads(path.read_text(encoding="utf-8"))
        assert ("doc" in body) != ("text" in body), f"{path}: exactly one of doc / text"
        assert body.get("note"), f"{path}: say why in a note"
        if "doc" in body:
            assert _resolve(body["doc"], path.parent).is_file(), body["doc"]
    fail = json.loads((RULE_FIXTURES / code / "fail.json").read_text(encoding="utf-8"))
    ok = json.loads((RULE_FIXTURES / code / "pass.json").read_text(encoding="utf-8"))
    assert fail.get("expect") and all(e["code"] == code for e in fail["expect"]), "fail.json: expect"
    assert "expect" not in ok
    for body in (fail, ok, fail.get("previous") or {}, ok.get("previous") or {}):
        assert not body.get("doc", "./").startswith(("seeds/", "real/")), "base documents live in tests/"
    # near twins: the same document (P001: the same page image, with and without OCR text; P214:
    # the same scan with and without a blot; P106, P215: the same page with and without a smudge or fading)
    if code not in ("P001", "P106", "P214", "P215"):
        assert fail.get("doc") == ok.get("doc")
        assert bool(fail.get("previous")) == bool(ok.get("previous"))
        if fail.get("previous"):
            assert fail["previous"]["doc"] == ok["previous"]["doc"]
    assert bool(fail.get("previous")) == RULES[code].needs_previous


@pytest.mark.parametrize("code", CODES)
def test_fail_fixture_fires(code):
    body, report, previous = fixture(code, "fail")
    findings = check(report, previous, select=[code])
    assert findings, f"{code} did not fire on its fail fixture ({body.get('note')})"
    assert [expect_of(f) for f in findings] == body["expect"], \
        "findings differ from fail.json's expect (tests/rule_fixtures/make_expect.py rewrites it)"
    r = RULES[code]
    for f in findings:
        assert f.code == code and f.name == r.name
        assert f.severity in SEVERITIES
        assert isinstance(f.message, str) and CJK.search(f.message), f.message
        assert "{" not in f.message, f"unfilled template: {f.message}"
        assert f.file == report.file
        if _names_cells(code):
            assert f.keys, f"{code} finding names no cell: {f.message}"
            assert set(f.keys) <= ALL_KEYS, set(f.keys) - ALL_KEYS
            assert any(k in report.cells for k in f.keys)
        else:
            assert set(f.keys) <= ALL_KEYS
        for attr in EXPECTED_ACTUAL.get(code, ()):
            assert getattr(f, attr) is not None, f"{code}: {attr} missing ({f.message})"
        d = f.to_dict()
        assert {"file", "code", "name", "severity", "message", "keys", "expected", "actual"} <= d.keys()
        json.dumps(d, ensure_ascii=False)  # serialisable


@pytest.mark.parametrize("code", CODES)
def test_pass_fixture_is_silent(code):
    body, report, previous = fixture(code, "pass")
    findings = check(report, previous, select=[code])
    assert not findings, [f.message for f in findings]


def test_cross_year_rules_need_the_previous_report():
    for code in ("Y101", "Y102", "Y103"):
        _, report, _ = fixture(code, "fail")
        assert not check(report, None, select=[code])


def test_cross_year_rules_need_consecutive_years():
    _, report, previous = fixture("Y101", "fail")
    previous.year -= 1  # two years apart: the chain does not apply
    try:
        assert not check(report, previous, select=["Y"])
    finally:
        previous.year += 1


# ------------------------------------------------------------------------------ regressions of rule fixes

def test_review_and_litigation_combined_count_is_not_compared(shared):
    """T105/T106 compare 复议N件、诉讼M件 stated in one clause, but not a combined count."""
    base = S000.read_text(encoding="utf-8")
    for sentence in ("本年度发生政府信息公开行政复议、行政诉讼共2件。",
                     "本年度因政府信息公开被申请行政复议和提起行政诉讼各1起。",
                     "本年度行政诉讼、行政复议案件3件。"):
        text = base.replace("2020年通过政府网站", sentence + "2020年通过政府网站")
        report = nianbao.parse(text.encode(), filename="combined.txt")
        assert not check(report, select=["T105", "T106"]), sentence
    text = base.replace("2020年通过政府网站", "本年度发生政府信息公开行政复议1件、行政诉讼2件。2020年通过政府网站")
    report = nianbao.parse(text.encode(), filename="separate.txt")
    assert {f.code for f in check(report, select=["T105", "T106"])} == {"T105", "T106"}


def test_label_typo_found_once_or_throughout(shared):
    """C106: seed 002 writes 结果维护 in every group; a single typo of three is found too."""
    p = nianbao.parse(SEEDS / "002_78c6de2d06af13f2.txt")
    [f] = check(p, select=["C106"])
    assert (f.expected, f.actual) == ("结果维持", "结果维护")
    _, report, _ = fixture("C106", "fail")
    assert [(f.expected, f.actual) for f in check(report, select=["C106"])] == [("结果维持", "结果维护")]


# ------------------------------------------------------------------------------ documentation

DOC_SECTIONS = ("说明：", "原因：", "示例：", "依据：")


@pytest.mark.parametrize("code", CODES)
def test_rule_is_documented(code):
    r = RULES[code]
    assert re.fullmatch(r"[A-Z]\d{3}", code) and r.code == code
    assert code[0] in FAMILIES
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", r.name), r.name
    assert r.severity in SEVERITIES
    if code[0] == "P":  # parser diagnostics pass their own Chinese message through
        from nianbao.model.codes import CODES as PARSER_CODES
        assert r.message == "{text}" and CJK.search(PARSER_CODES[code].zh)
        assert (r.name, r.severity) == (PARSER_CODES[code].name, PARSER_CODES[code].severity)
    else:
        assert CJK.search(r.message), "the message template is Chinese"
    doc = r.doc
    lines = doc.splitlines()
    assert lines and lines[0].strip() and not lines[0].startswith(DOC_SECTIONS), "a one-line summary first"
    sections = DOC_SECTIONS
    positions = []
    for s in sections:
        found = [m.start() for m in re.finditer(rf"(?m)^{re.escape(s)}", doc)]
        assert len(found) == 1, f"{code}: section {s} appears {len(found)} times"
        positions.append(found[0])
    assert positions == sorted(positions), f"{code}: sections out of order"
    bodies = re.split(r"(?m)^(?:说明|原因|示例|依据)：", doc)[1:]
    assert all(b.strip() for b in bodies), f"{code}: an empty section"


def test_codes_and_names_unique():
    assert len(set(CODES)) == len(CODES)
    names = [RULES[c].name for c in CODES]
    dupes = {n for n in names if names.count(n) > 1}
    assert not dupes, dupes
    for family in FAMILIES:
        fam = [RULES[c].name for c in CODES if c[0] == family]
        assert len(set(fam)) == len(fam), family


def test_a_code_cannot_be_registered_twice():
    before = dict(RULES)
    with pytest.raises(ValueError):
        rule("A101", "duplicate-rule", "error", "重复")(lambda report, previous: iter(()))
    assert RULES == before


def run_cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "nianbao", *map(str, args)], capture_output=True,
                          text=True, **kw)


def test_cli_rules_lists_every_code():
    p = run_cli("rules")
    assert p.returncode == 0, p.stderr
    for code in CODES:
        assert re.search(rf"^\s+{code}\s+{re.escape(RULES[code].title)}\s", p.stdout, re.M), code
    for name in FAMILIES.values():
        assert name in p.stdout


@pytest.mark.parametrize("code", ["P001", "S102", "C101", "A101", "T101", "Y103"])
def test_cli_rule_prints_its_doc(code):
    p = run_cli("rule", code.lower())
    assert p.returncode == 0, p.stderr
    r = RULES[code]
    assert p.stdout.startswith(f"{code} {r.title}（")
    assert r.message in p.stdout
    for line in r.doc.splitlines():
        assert line in p.stdout


def test_cli_rule_prints_every_doc():
    from click.testing import CliRunner
    from nianbao.cli import main
    runner = CliRunner()
    for code in CODES:
        res = runner.invoke(main, ["rule", code])
        assert res.exit_code == 0 and RULES[code].doc in res.output, code


def test_cli_unknown_rule_exits_2():
    p = run_cli("rule", "NOPE")
    assert p.returncode == 2
    assert "NOPE" in p.stderr and p.stdout == ""


# ------------------------------------------------------------------------------ select / ignore

def test_select_by_prefix(shared):
    _, a103, _ = fixture("A103", "fail")
    families = set()
    for report in (a103, nianbao.parse(S003), nianbao.parse(S004)):
        everything = check(report)
        families |= {f.code[0] for f in everything}
        for prefix in ("A", "a10", "A103", "S", "S1", "P2", "C101", "T"):
            got = check(report, select=[prefix])
            assert all(f.code.startswith(prefix.upper()) for f in got)
            want = [f.code for f in everything if f.code.startswith(prefix.upper())]
            # a parser diagnostic hidden behind its covering rule in the full run comes back alone
            assert [c for c in (f.code for f in got) if not RULES[c].covered_by] == \
                [c for c in want if not RULES[c].covered_by]
    assert families >= {"A", "C", "P", "S"}
    only_a = check(a103, select=["A"])
    assert {f.code for f in only_a} == {"A102", "A103"}  # 予以公开 3 in 总计: A2 and A3 break
    assert {f.code for f in check(a103, select=["A103", "C"])} == {"A103"}


def test_ignore_by_prefix(shared):
    report = nianbao.parse(S003)
    assert any(f.code.startswith("C1") for f in check(report))
    rest = check(report, ignore=["C1"])
    assert not any(f.code.startswith("C1") for f in rest)
    assert not check(report, select=["C"], ignore=["C101"])
    _, a103, _ = fixture("A103", "fail")
    assert {f.code for f in check(a103, select=["A"], ignore=["A101", "a102"])} == {"A103"}


# ------------------------------------------------------------------------------ the corpus

@lru_cache(maxsize=None)
def corpus_reports():
    from nianbao.testing.scoring import answer_files
    return tuple((doc, nianbao.parse(doc)) for _, doc in answer_files(CORPUS))


def test_corpus_seed_004_lacks_table_two(shared):
    findings = check(nianbao.parse(S004))
    s102 = [f for f in findings if f.code == "S102"]
    assert len(s102) == 1 and "主动公开" in s102[0].message and s102[0].severity == "error"


def test_corpus_seed_003_blank_applicant_columns(shared):
    findings = check(nianbao.parse(S003), select=["C101"])
    app = [f for f in findings if f.keys[0].startswith("applications.")]
    assert len(app) >= 20
    cols = {k.rsplit(".", 1)[1] for f in app for k in f.keys}
    assert cols == set(spec.APPLICANT_COLUMNS[:6])  # the six applicant columns; 总计 is filled


def test_corpus_has_no_arithmetic_error(shared):
    reports = corpus_reports()
    assert len(reports) >= 9
    for doc, report in reports:
        assert not check(report, select=["A"]), doc.name


def test_corpus_label_typo_only_in_seed_002(shared):
    hits = {doc.name for doc, report in corpus_reports() if check(report, select=["C106"])}
    assert hits == {"002_78c6de2d06af13f2.txt"}


# ------------------------------------------------------------------------------ nianbao check

def json_lines(stdout: str) -> list:
    return [json.loads(x) for x in stdout.splitlines() if x.strip()]


def test_cli_check_corpus_exit_1(shared):
    p = run_cli("check", CORPUS)
    assert p.returncode == 1, p.stderr
    assert "兑镇镇" in p.stdout and "S102" in p.stdout
    assert "无法读取 0 份" in p.stdout


def test_cli_check_corpus_arithmetic_clean(shared):
    p = run_cli("check", "--select", "A", CORPUS)
    assert p.returncode == 0, p.stdout
    assert not re.search(r"^\s+A1\d\d", p.stdout, re.M)
    p = run_cli("check", "--json", "--select", "A", CORPUS)
    assert p.returncode == 0 and json_lines(p.stdout) == []


def test_cli_check_json_lines(shared):
    p = run_cli("check", "--json", S003, S004)
    assert p.returncode == 1
    recs = json_lines(p.stdout)
    assert recs
    for r in recs:
        assert {"file", "code", "severity", "message", "keys", "expected", "actual"} <= r.keys()
        assert r["severity"] in SEVERITIES and r["code"] in RULES
    assert {r["file"] for r in recs} == {str(S003), str(S004)}
    assert any(r["code"] == "S102" and r["file"] == str(S004) for r in recs)
    c101 = [r for r in recs if r["code"] == "C101"]
    assert c101 and all(r["keys"] and r["expected"] == "数字" for r in c101)


def test_cli_check_zip(shared, tmp_path):
    z = tmp_path / "reports.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(S003, S003.name)
        zf.write(S004, S004.name)
    p = run_cli("check", "--json", z)
    assert p.returncode == 1, p.stderr
    files = {r["file"] for r in json_lines(p.stdout)}
    assert files == {f"{z}!{S003.name}", f"{z}!{S004.name}"}


def test_cli_check_unreadable_file_exit_2_others_checked(shared, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    p = run_cli("check", "--json", empty, S003, tmp_path / "missing.txt")
    assert p.returncode == 2
    assert "empty.txt" in p.stderr and "missing.txt" in p.stderr
    recs = json_lines(p.stdout)
    assert recs and {r["file"] for r in recs if "code" in r} == {str(S003)}
    # an unreadable input is a record line too, with its code and Chinese message
    errors = {r["file"]: r["error"] for r in recs if "error" in r}
    assert errors[str(empty)]["code"] == "empty" and errors[str(empty)]["message"] == "文件为空"
    assert errors[str(tmp_path / "missing.txt")]["code"] == "cannot-open"
    # the human summary counts them
    p = run_cli("check", empty, S000)
    assert p.returncode == 2
    assert "无法读取 1 份" in p.stdout


def test_cli_check_xlsx(shared, tmp_path):
    from openpyxl import load_workbook
    _, a102, _ = fixture("A102", "fail")
    a102_file = tmp_path / "抚远镇-a102.txt"
    a102_file.write_bytes(source(json.loads((RULE_FIXTURES / "A102" / "fail.json").read_text("utf-8")),
                                 RULE_FIXTURES / "A102")[0])
    out = tmp_path / "out.xlsx"
    p = run_cli("check", "--xlsx", out, S003, S004, a102_file)
    assert p.returncode == 1, p.stderr
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["汇总", "问题清单"]
    assert wb.sheetnames[2] == "问题明细"
    assert len(wb.sheetnames) == 3 + 3  # one sheet per report

    summary = [list(r) for r in wb["汇总"].iter_rows(values_only=True)]
    head = summary[0]
    assert {"错误", "警告", "提示"} <= set(head)
    assert len(summary) == 1 + 3
    by_file = {r[head.index("文件")]: dict(zip(head, r)) for r in summary[1:]}
    assert by_file[str(S004)]["错误"] >= 1
    assert by_file[str(S003)]["错误"] == 0 and by_file[str(S003)]["警告"] >= 20
    assert by_file[str(a102_file)]["错误"] >= 1

    issues = [list(r) for r in wb["问题明细"].iter_rows(values_only=True)]
    head = issues[0]
    assert {"代码", "规则", "原文位置", "应为", "实为", "说明"} <= set(head)
    rows = [dict(zip(head, r)) for r in issues[1:]]
    assert {r["代码"] for r in rows} >= {"S102", "C101", "A102"}
    a = next(r for r in rows if r["代码"] == "A102")
    assert a["规则"] == RULES["A102"].title and a["应为"] is not None and a["实为"] is not None
    assert CJK.search(a["说明"])

    # the report sheets mark the failing cells
    filled = {}
    for name in wb.sheetnames[3:]:
        ws = wb[name]
        filled[name] = [c for row in ws.iter_rows() for c in row
                        if c.fill is not None and c.fill.fill_type == "solid"]
    a_sheet = next(n for n in filled if "抚远镇" in n)
    colours = {c.fill.fgColor.rgb[-6:] for c in filled[a_sheet]}
    assert "F8CBAD" in colours  # error fill on the 总计 cells of table 三
    assert any(c.comment is not None and "A102" in c.comment.text for c in filled[a_sheet])
    s003_sheet = next(n for n in filled if "瓦庙镇" in n)
    assert len(filled[s003_sheet]) >= 6 * 20  # the blank applicant cells


def _write_pair(tmp_path, code: str, kind: str, prev_year_shift: int = 0):
    body = json.loads((RULE_FIXTURES / code / f"{kind}.json").read_text("utf-8"))
    base = RULE_FIXTURES / code
    now, _ = source(body, base)
    before, _ = source(body["previous"], base)
    if prev_year_shift:
        before = before.replace(b"2019", str(2019 - prev_year_shift).encode())
    (tmp_path / "fuyuan-2020.txt").write_bytes(now)
    (tmp_path / "fuyuan-2019.txt").write_bytes(before)


@pytest.mark.parametrize("kind, fires", [("fail", True), ("pass", False)])
def test_cli_pairs_consecutive_years_of_one_body(shared, tmp_path, kind, fires):
    _write_pair(tmp_path, "Y101", kind)
    p = run_cli("check", "--json", "--select", "Y101", tmp_path)
    recs = json_lines(p.stdout)
    assert p.returncode == (1 if fires else 0), p.stdout + p.stderr
    if fires:
        assert recs and {r["code"] for r in recs} == {"Y101"}
        assert {r["file"] for r in recs} == {str(tmp_path / "fuyuan-2020.txt")}
        r = recs[0]
        assert r["year"] == 2020 and r["keys"] == ["applications.carried_over.natural_person"]
        assert (r["expected"], r["actual"]) == (1, 0)
    else:
        assert recs == []


def test_cli_does_not_pair_other_years_or_bodies(shared, tmp_path):
    _write_pair(tmp_path, "Y101", "fail", prev_year_shift=1)  # 2018 and 2020
    p = run_cli("check", "--json", "--select", "Y", tmp_path)
    assert p.returncode == 0 and json_lines(p.stdout) == []
    _write_pair(tmp_path, "Y101", "fail")
    other = (tmp_path / "fuyuan-2019.txt").read_text("utf-8").replace("抚远镇人民政府", "寒葱沟镇人民政府")
    (tmp_path / "fuyuan-2019.txt").write_text(other, "utf-8")
    p = run_cli("check", "--json", "--select", "Y", tmp_path)
    assert p.returncode == 0 and json_lines(p.stdout) == []


def test_parser_diagnostic_covered_by_a_rule_is_listed_once(shared):
    """P101/P201/P202/P207 are reported by S101/S102/S103/C105 when those run; alone, they still run."""
    report = nianbao.parse(CORPUS / "seeds" / "004_a224db91dbdf5e26.txt")
    codes = [f.code for f in check(report)]
    assert "S101" in codes and "S102" in codes and "P101" not in codes and "P201" not in codes
    assert [f.code for f in check(report, select=["P2"])].count("P201") == 1
    assert "P101" in [f.code for f in check(report, ignore=["S"])]
