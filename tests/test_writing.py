"""nianbao write: the draft workbook, its check, and the report rendered on the official template.

Proof by round trip: every report ``write render`` makes (DOCX, HTML) parses back with
``nianbao.parse`` to exactly the data that went in, and ``nianbao check`` finds no error in it —
over the complete 2021-template reports of the shared corpus whose own arithmetic holds and a
synthetic set. The PDF leg (LibreOffice) is in ``test_writing_pdf.py``.
"""
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import nianbao
from conftest import ROOT, answer_files
from nianbao import spec, writing
from nianbao.testing.synth import random_body, random_values
from nianbao.writing import layout
from nianbao.writing.workbook import INFO, START_COL, TOP

AGENCY = "某某镇人民政府"


def corpus_cases():
    """(name, agency, year, values) of the shared corpus' complete 2021 reports whose A1–A4 hold."""
    out = []
    for answer, doc in answer_files():
        truth = json.loads(answer.read_text(encoding="utf-8"))
        cells = truth.get("cells", {})
        if truth.get("template") != "2021" or truth.get("missing_tables") or truth.get("uncertain"):
            continue
        if set(cells) != set(layout.keys()):
            continue

        def value(k, cells=cells):
            return cells.get(k)
        if all(r.holds(value, lambda k: k in cells) for r in spec.RELATIONS["2021"] if r.code != "A5"):
            out.append((doc.name, truth["agency"], truth["year"], cells))
    return out


CORPUS_CASES = corpus_cases()


def _synth(seed):
    rng = random.Random(seed)
    agency, scale = random_body(rng)
    return f"synth-{seed}", agency, 2021 + seed % 5, random_values(rng, "2021", scale=scale)


SYNTH_CASES = [_synth(seed) for seed in range(12)]
CASES = CORPUS_CASES + SYNTH_CASES
MARKDOWN = """# 标题（以数据为准）

本报告根据《中华人民共和国政府信息公开条例》编制。

## 一、总体情况

### （一）主动公开

本年度严格落实主动公开要求，及时更新政府信息公开目录，围绕重大决策、财政预决算、重点领域信息和
政策解读做好公开工作，通过门户网站、政务新媒体和公开栏等渠道发布信息，方便群众查阅。

### （二）依申请公开

依法规范办理政府信息公开申请，答复期限均符合规定。

## 五、存在的主要问题及改进情况

主动公开的及时性仍需提高，个别栏目更新不够及时，政策解读形式较为单一。下一步将加强业务培训和
考核，完善信息发布审核机制，丰富解读形式，持续提升政府信息公开工作质量。

## 六、其他需要报告的事项

本年度未收取信息处理费。上年度政务公开工作要点已逐项落实。
"""


def test_corpus_cases_found(shared):
    names = {c[0] for c in CORPUS_CASES}
    assert {"huaian-2024.pdf", "shuyang-fgj-2023.html"} <= names, names


def test_grid_is_the_templates_and_keys_every_cell():
    found = [k for g in layout.grids() for k in g.key_cells()]
    assert sorted(found) == sorted(layout.keys()) and len(found) == len(set(found))
    app = layout.grid("applications")
    note = next(c for c in app.cells if c.text.startswith("（本列数据的勾稽关系"))
    assert (note.rowspan, note.colspan) == (3, 3)
    assert any(c.text == "本年收费金额（单位：万元）" and c.colspan == 3 for c in layout.grid("active").cells)


def test_only_the_cli_imports_writing():
    pkg = ROOT / "src" / "nianbao"
    users = [p.relative_to(pkg).as_posix() for p in pkg.rglob("*.py")
             if "writing" not in p.relative_to(pkg).parts and p.name != "cli.py"
             and ("from .writing" in p.read_text(encoding="utf-8") or "nianbao.writing" in p.read_text(encoding="utf-8")
                  or "from . import writing" in p.read_text(encoding="utf-8"))]
    assert not users, users


def _assert_same(report, agency, year, values):
    assert (report.agency, report.year, report.template) == (agency, year, "2021")
    assert set(report.tables) == set(layout.TABLE_KEYS)
    wrong = [(k, v, report.value(k)) for k, v in values.items()
             if k not in report.cells or report.cells[k].value != v or not report.cells[k].certain]
    assert not wrong, wrong
    extra = set(report.cells) - set(values)
    assert not extra, extra
    errors = [f for f in nianbao.check(report) if f.severity == "error"]
    assert not errors, [(f.code, f.message) for f in errors]


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("name,agency,year,values", CASES, ids=[c[0] for c in CASES])
def test_render_parses_back_exactly(tmp_path, fmt, name, agency, year, values):
    draft = writing.Draft(agency, year, dict(values))
    narrative = writing.parse_markdown(MARKDOWN)
    out = tmp_path / f"{year}年{agency}政府信息公开工作年度报告.{fmt}"
    writing.render(draft, narrative, out, fmt=fmt)
    report = nianbao.parse(out)
    _assert_same(report, agency, year, values)
    assert "政务公开工作要点" in report.part(6).text and "培训" in report.part(5).text
    assert "依申请公开" in report.part(1).text


def _fill(path, values, skip=()):
    """Type figures into a draft workbook's input cells, as a clerk would (formula cells left)."""
    wb = load_workbook(path)
    for g in layout.grids():
        ws = wb[layout.SHEET_NAMES[g.table]]
        for key, c in g.key_cells().items():
            cell = ws.cell(TOP + c.row, c.col + 1)
            if key in skip or (isinstance(cell.value, str) and cell.value.startswith("=")):
                continue
            v = values[key]
            if v is not None and spec.column_of(key, "2021").money:
                v = float(writing.draft.wan_text(v))
            cell.value = v
    wb.save(path)


@pytest.mark.parametrize("seed", range(6))
def test_workbook_round_trip(tmp_path, seed):
    values = random_values(random.Random(100 + seed), "2021")
    path = tmp_path / "draft.xlsx"
    writing.init(AGENCY, 2025, path)
    _fill(path, values)
    draft, problems = writing.load(path)
    assert not problems and (draft.agency, draft.year) == (AGENCY, 2025)
    assert draft.values == values
    assert not [f for f in writing.check_draft(draft, problems) if f.severity != "info"]


def test_workbook_layout_protection_and_validation(tmp_path):
    path = tmp_path / "draft.xlsx"
    writing.init(AGENCY, 2025, path)
    wb = load_workbook(path)
    assert wb.sheetnames[:4] == [INFO, "表二", "表三", "表四"]
    ws = wb["表三"]
    assert ws.protection.sheet and not ws.protection.password
    g = layout.grid("applications")
    kc = g.key_cells()
    total = ws.cell(TOP + kc["applications.total.natural_person"].row, kc["applications.total.natural_person"].col + 1)
    assert total.value.startswith("=SUM(") and total.protection.locked
    row_total = ws.cell(TOP + kc["applications.granted.total"].row, kc["applications.granted.total"].col + 1)
    assert row_total.value.startswith("=SUM(") and row_total.protection.locked
    inp = ws.cell(TOP + kc["applications.granted.natural_person"].row, kc["applications.granted.natural_person"].col + 1)
    assert not inp.protection.locked
    assert any(dv.type == "whole" and inp.coordinate in dv.sqref for dv in ws.data_validations.dataValidation)
    assert "（本列数据的勾稽关系为" in str(ws.cell(TOP, 1).value)
    assert any(str(r) == f"A{TOP}:C{TOP + 2}" for r in ws.merged_cells.ranges)
    fee = layout.grid("active").key_cells()["active.fees.amount_yuan"]
    ws2 = wb["表二"]
    assert any(dv.type == "decimal" and ws2.cell(TOP + fee.row, fee.col + 1).coordinate in dv.sqref
               for dv in ws2.data_validations.dataValidation)
    assert ws2.cell(TOP + fee.row - 1, 2).value == "本年收费金额（单位：万元）"


@pytest.mark.parametrize("seed", range(8))
def test_prefill_from_last_years_report_is_exact(tmp_path, seed):
    rng = random.Random(200 + seed)
    last = random_values(rng, "2021")
    this = random_values(rng, "2021", previous=last)
    last_doc = tmp_path / "last.docx"
    writing.render(writing.Draft(AGENCY, 2024, last), writing.parse_markdown(MARKDOWN), last_doc)
    previous = nianbao.parse(last_doc)
    path = tmp_path / "draft.xlsx"
    writing.init(AGENCY, 2025, path, previous=previous)
    linked = {f"applications.carried_over.{c}" for c in spec.APPLICANT_COLUMNS} | {
        f"active.{r}.in_force" for r in ("regulations", "normative_documents")}
    _fill(path, this, skip=linked)  # the clerk types everything but what last year's report gives
    draft, problems = writing.load(path)
    assert draft.values == this
    assert draft.starts == {r: last[f"active.{r}.in_force"] for r in ("regulations", "normative_documents")}
    findings = writing.check_draft(draft, problems)
    assert not [f for f in findings if f.code.startswith(("Y", "A"))], [f.message for f in findings]
    # the same through JSON and CSV
    for fmt in ("json", "csv"):
        flat = tmp_path / f"draft.{fmt}"
        writing.init(AGENCY, 2025, flat, previous=previous)
        d, _ = writing.load(flat)
        assert all(d.values[k] == this[k] for k in linked if "carried_over" in k)


def test_prefill_chain_broken_is_an_error(tmp_path):
    rng = random.Random(7)
    last = random_values(rng, "2021")
    last["applications.carried_forward.natural_person"] = 5
    path = tmp_path / "draft.xlsx"
    prev = writing.Draft(AGENCY, 2024, last)
    writing.init(AGENCY, 2025, path, previous=writing.draft.to_report(prev))
    this = random_values(rng, "2021")  # not chained: 上年结转 typed over
    this["applications.carried_over.natural_person"] = 4
    _fill(path, this)
    draft, problems = writing.load(path)
    assert any(f.code == "Y101" and f.severity == "error" for f in writing.check_draft(draft, problems))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_flat_drafts_round_trip(tmp_path, fmt):
    values = random_values(random.Random(9), "2021")
    draft = writing.Draft(AGENCY, 2025, values)
    from nianbao.writing.flat import to_csv, to_json
    path = tmp_path / f"d.{fmt}"
    path.write_text(to_json(draft) if fmt == "json" else to_csv(draft), encoding="utf-8")
    again, problems = writing.load(path)
    assert not problems and again.values == values and again.agency == AGENCY and again.year == 2025


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nianbao", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})


def test_cli_init_check_render(tmp_path):
    path = tmp_path / "draft.xlsx"
    p = _cli("write", "init", "--agency", AGENCY, "--year", 2025, "--out", path)
    assert p.returncode == 0, p.stderr
    values = random_values(random.Random(11), "2021")
    _fill(path, values)
    p = _cli("write", "check", path)
    assert p.returncode == 0 and "错误 0 条" in p.stdout, p.stdout + p.stderr
    md = tmp_path / "parts.md"
    md.write_text(MARKDOWN, encoding="utf-8")
    out = tmp_path / f"2025年{AGENCY}政府信息公开工作年度报告.docx"
    p = _cli("write", "render", path, "--text", md, "--out", out)
    assert p.returncode == 0 and out.exists(), p.stderr
    _assert_same(nianbao.parse(out), AGENCY, 2025, values)
    p = _cli("write", "render", path, "--text", md, "--out", tmp_path / "r.html")
    assert p.returncode == 0 and "<table" in (tmp_path / "r.html").read_text(encoding="utf-8")
    # an error: a negative count and a non-number, named by their labels and cells
    wb = load_workbook(path)
    kc = layout.grid("applications").key_cells()
    ws = wb["表三"]
    ws.cell(TOP + kc["applications.granted.natural_person"].row, 4).value = -2
    ws.cell(TOP + kc["applications.granted.commercial"].row, 5).value = "若干"
    wb.save(path)
    p = _cli("write", "check", path)
    assert p.returncode == 1, p.stdout
    assert "C103" in p.stdout and "（一）予以公开/自然人" in p.stdout and "表三!D8" in p.stdout
    assert "C102" in p.stdout and "若干" in p.stdout
    p = _cli("write", "render", path, "--text", md, "--out", tmp_path / "no.docx")
    assert p.returncode == 1 and not (tmp_path / "no.docx").exists()
    # unreadable
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    assert _cli("write", "check", bad).returncode == 2
    assert _cli("write", "check", tmp_path / "missing.xlsx").returncode == 2


def test_render_from_last_years_text_is_a_marked_draft(tmp_path):
    rng = random.Random(12)
    last = random_values(rng, "2021")
    last_doc = tmp_path / "last.docx"
    writing.render(writing.Draft(AGENCY, 2024, last), writing.parse_markdown(MARKDOWN), last_doc)
    previous = nianbao.parse(last_doc)
    narrative = writing.from_previous(previous)
    assert narrative.warnings and "雷同" in narrative.warnings[0]
    this = random_values(rng, "2021", previous=last)
    out = tmp_path / "this.docx"
    writing.render(writing.Draft(AGENCY, 2025, this), narrative, out)
    report = nianbao.parse(out)
    assert writing.narrative.DRAFT_MARK in report.part(1).text
    assert any(f.code == "Y103" for f in nianbao.check(report, previous))


def test_in_force_formula_continues_last_year(tmp_path):
    path = tmp_path / "draft.xlsx"
    prev = writing.Draft(AGENCY, 2024, dict(random_values(random.Random(13), "2021")))
    prev.values["active.normative_documents.in_force"] = 40
    writing.init(AGENCY, 2025, path, previous=writing.draft.to_report(prev))
    wb = load_workbook(path)
    ws = wb["表二"]
    c = layout.grid("active").key_cells()
    row = TOP + c["active.normative_documents.in_force"].row
    assert ws.cell(row, START_COL).value == 40
    ws.cell(row, 2).value, ws.cell(row, 3).value = 7, 3
    wb.save(path)
    draft, _ = writing.load(path)
    assert draft.values["active.normative_documents.in_force"] == 44
