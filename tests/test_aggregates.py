"""Aggregates in SQL over a store with known numbers (SQLite and PostgreSQL): by year, body, rule
and the roster's parent; `nianbao stats --by … --format json|csv|table`."""
import csv
import io
import json
import random
import subprocess
import sys

import nianbao
from nianbao.store.aggregates import aggregate
from nianbao.store.roster import Entry, import_roster
from nianbao.testing import synth

BODIES = ["甲镇人民政府", "乙镇人民政府", "丙街道办事处"]


def _store(db_url, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    n = 0
    for year in (2021, 2022):
        for i, agency in enumerate(BODIES):
            rng = random.Random(year * 10 + i)
            values = synth.random_values(rng, "2021")
            if agency == "乙镇人民政府" and year == 2022:
                values["applications.total.natural_person"] = (values["applications.total.natural_person"] or 0) + 5
            text = synth.render_text(values, agency=agency, year=year, template="2021", rng=rng, shape="rows")
            (folder / f"{n}.txt").write_text(text, encoding="utf-8")
            n += 1
    corpus = nianbao.Corpus(db_url)
    corpus.ingest([folder], workers=1)
    import_roster(corpus.db, [Entry(b, "乡镇", "某某县") for b in BODIES] + [Entry("丁乡人民政府", "乡镇", "某某县"),
                                                                          Entry("某某县交通运输局", "部门", "")])
    return corpus


def test_aggregates_have_the_known_numbers(db_url, tmp_path):
    corpus = _store(db_url, tmp_path)
    years = {r["year"]: r for r in aggregate(corpus.db, "year")}
    assert years[2021]["reports"] == 3 and years[2022]["reports"] == 3
    assert years[2022]["with_errors"] >= 1  # 乙镇's broken 总计
    agencies = {r["agency"]: r for r in aggregate(corpus.db, "agency")}
    assert set(agencies) == set(BODIES)
    assert agencies["甲镇人民政府"]["reports"] == 2 and agencies["甲镇人民政府"]["first_year"] == 2021
    rules = {r["code"]: r for r in aggregate(corpus.db, "rule")}
    assert rules["A102"]["reports"] >= 1 and rules["A102"]["findings"] >= 1
    parents = {r["parent"]: r for r in aggregate(corpus.db, "parent", 2022)}
    assert parents["某某县"]["bodies"] == 4 and parents["某某县"]["filed"] == 3
    assert parents["（未填上级）"]["filed"] == 0
    corpus.close()


def test_stats_by_in_three_formats(tmp_path):
    db = tmp_path / "a.db"
    _store(f"sqlite:///{db}", tmp_path).close()
    run = lambda *a: subprocess.run([sys.executable, "-m", "nianbao", *a], capture_output=True, text=True)  # noqa: E731
    rows = json.loads(run("stats", "--db", str(db), "--by", "year", "--format", "json").stdout)
    assert rows[0].keys() >= {"year", "template", "reports", "with_errors", "with_warnings", "clean"}
    table = list(csv.DictReader(io.StringIO(run("stats", "--db", str(db), "--by", "rule", "--format", "csv").stdout)))
    assert any(r["code"] == "A102" for r in table)
    p = run("stats", "--db", str(db), "--by", "parent", "--year", "2022")
    assert p.returncode == 0 and "上级机关" in p.stdout and "某某县" in p.stdout


def test_dashboard_aggregates_have_the_known_numbers(db_url, tmp_path):
    from nianbao.store.aggregates import awaiting_review, by_status, missing_by_year
    corpus = _store(db_url, tmp_path)
    assert by_status(corpus.db) == {"with_errors": 3, "with_warnings": 0, "clean": 3, "unreadable": 0, "total": 6}
    waiting = awaiting_review(corpus.db)
    assert (waiting["reports"], waiting["findings"]) == (3, 10)
    assert waiting["rows"][0]["agency"] == "乙镇人民政府" and waiting["rows"][0]["undecided_errors"] == 5
    missing = {y["year"]: y for y in missing_by_year(corpus.db)}
    assert set(missing) == {2021, 2022}
    assert [m["name"] for m in missing[2022]["missing"]] == ["丁乡人民政府", "某某县交通运输局"]
    assert missing[2022]["expected"] == 5 and missing[2022]["filed"] == 3
    corpus.close()
