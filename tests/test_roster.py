"""The roster (名录): who an office expects reports from; `stats --missing` lists who has not filed,
reports that match no entry, and matches that are only likely — on SQLite and PostgreSQL."""
import json
import random
import subprocess
import sys

import nianbao
from nianbao.store.roster import Entry, filing, import_roster, read_roster
from nianbao.testing import synth


def _corpus_with(db_url, tmp_path, bodies, year=2022):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, agency in enumerate(bodies):
        rng = random.Random(i)
        values = synth.random_values(rng, "2021")
        text = synth.render_text(values, agency=agency, year=year, template="2021", rng=rng, shape="rows")
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    corpus = nianbao.Corpus(db_url)
    corpus.ingest([folder], workers=1)
    return corpus


def test_missing_unknown_and_unsure(db_url, tmp_path):
    corpus = _corpus_with(db_url, tmp_path, ["甲镇人民政府", "乙县交通运输局", "丙街道办事处", "某某县卫生健康委员会"])
    import_roster(corpus.db, [Entry("甲镇人民政府", "乡镇", "某某县"), Entry("乙县交通运输局", "部门", "乙县"),
                              Entry("丁乡人民政府", "乡镇", "某某县"), Entry("丙街道", "街道", "某某区", ["丙街道办"]),
                              Entry("某某县卫生健康委", "部门", "某某县")])
    f = filing(corpus.db, 2022)
    assert [e.name for e in f.missing] == ["丁乡人民政府"]
    assert f.matched == 2
    assert ("某某县卫生健康委员会", "某某县卫生健康委") in f.unsure
    assert ("丙街道办事处", "丙街道") in f.unsure
    assert f.unknown == []
    corpus.close()


def test_roster_import_and_stats_missing_cli(tmp_path):
    db = tmp_path / "r.db"
    corpus = _corpus_with(f"sqlite:///{db}", tmp_path, ["甲镇人民政府", "戊镇人民政府"])
    corpus.close()
    roster = tmp_path / "名录.csv"
    roster.write_text("名称,层级,上级,别名\n甲镇人民政府,乡镇,某某县,\n丁乡人民政府,乡镇,某某县,丁乡\n", encoding="gb18030")
    run = lambda *a: subprocess.run([sys.executable, "-m", "nianbao", *a], capture_output=True, text=True)  # noqa: E731
    p = run("roster", "import", str(roster), "--db", str(db))
    assert p.returncode == 0 and "2 个机关" in p.stdout, p.stderr
    p = run("stats", "--missing", "--year", "2022", "--db", str(db))
    assert p.returncode == 0, p.stderr
    assert "丁乡人民政府" in p.stdout and "戊镇人民政府" in p.stdout  # missing; filed but not in the roster
    data = json.loads(run("stats", "--missing", "--year", "2022", "--db", str(db), "--json").stdout)
    assert [m["name"] for m in data["missing"]] == ["丁乡人民政府"] and data["unknown"] == ["戊镇人民政府"]
    p = run("stats", "--missing", "--db", str(db))
    assert p.returncode == 2 and "--year" in p.stderr


def test_roster_files(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["单位名称", "级别", "上级机关", "简称"])
    wb.active.append(["某某市教育局", "部门", "某某市", "市教育局；教育局"])
    wb.save(tmp_path / "r.xlsx")
    [e] = read_roster(tmp_path / "r.xlsx")
    assert (e.name, e.level, e.parent, e.aliases) == ("某某市教育局", "部门", "某某市", ["市教育局", "教育局"])
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    import pytest
    from nianbao.store.roster import RosterError
    with pytest.raises(RosterError) as err:
        read_roster(tmp_path / "bad.csv")
    assert "名称" in err.value.zh
