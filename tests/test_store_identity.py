"""Identity in the store (SQLite file and PostgreSQL server): a document is its bytes, a report
belongs to a (body, year), versions are successive documents of one body and year — never the
file name; bytes are kept; reprocessing from them after a parser upgrade."""
import json
import subprocess
import sys

import pytest

from nianbao.config import DEFAULT
from nianbao.store import Corpus
from nianbao.store import migrations
from conftest import CORPUS
from storestate import assert_same_state, canonical_state
from test_store import SEED, seed_year

NAME = "2023年政府信息公开工作年度报告.txt"


def body(text: str, town: str) -> str:
    return text.replace("抚远镇", town)


def test_same_file_name_from_two_bodies_is_two_current_reports(db_url, shared, tmp_path, monkeypatch):
    text = SEED.read_text(encoding="utf-8")
    for d, town in (("a", "抚远镇"), ("b", "黑河镇")):
        (tmp_path / d).mkdir()
        (tmp_path / d / NAME).write_text(body(text, town), encoding="utf-8")
    with Corpus(db_url) as c:
        for d in ("a", "b"):  # uploads of one name: the name alone, as a web upload gives it
            monkeypatch.chdir(tmp_path / d)
            assert c.ingest([NAME], workers=1).parsed == 1
        rows = c.reports()
        assert sorted(r["agency"] for r in rows) == ["抚远镇人民政府", "黑河镇人民政府"]
        assert {r["file"] for r in rows} == {NAME} and {r["version"] for r in rows} == {1}
        assert c.conflicts() == [] and all(d["current"] for d in c.documents())


def test_same_bytes_from_two_folders_is_one_document_with_two_paths(db_url, shared, tmp_path):
    data = SEED.read_bytes()
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "r.txt").write_bytes(data)
    with Corpus(db_url) as c:
        s = c.ingest([tmp_path / "x", tmp_path / "y"], workers=1)
        assert (s.parsed, s.skipped) == (1, 1)
        (doc,) = c.documents()
        assert c.paths(doc["id"]) == [str(tmp_path / "x" / "r.txt"), str(tmp_path / "y" / "r.txt")]
        assert c.document_bytes(doc["id"]) == data == c.document_bytes(doc["sha256"])
        c.ingest([tmp_path / "y"], workers=1)  # seen again: nothing new
        assert len(c.paths(doc["id"])) == 2 and c.db.one("SELECT COUNT(*) FROM blobs")[0] == 1


def test_two_documents_for_one_body_and_year_are_kept_as_a_conflict(db_url, shared, tmp_path):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "1").mkdir(), (tmp_path / "2").mkdir()
    (tmp_path / "1" / "2019.txt").write_text(seed_year(text, 2019, carried_forward_first=1), encoding="utf-8")
    (tmp_path / "1" / "2020.txt").write_text(text, encoding="utf-8")
    (tmp_path / "2" / "2020-更正.txt").write_text(text + "\n附：更正版\n", encoding="utf-8")
    with Corpus(db_url) as c:
        c.ingest([tmp_path / "1", tmp_path / "2"], workers=1)
        docs = {d["name"].rsplit("/", 1)[-1]: d for d in c.documents()}
        assert [docs["2020.txt"]["version"], docs["2020-更正.txt"]["version"]] == [1, 2]
        assert not docs["2020.txt"]["current"] and docs["2020-更正.txt"]["current"]
        (conflict,) = c.conflicts()
        assert (conflict["agency"], conflict["year"], len(conflict["documents"])) == ("抚远镇人民政府", 2020, 2)
        y = c.findings(code="Y101")
        assert {f["file"].rsplit("/", 1)[-1] for f in y} == {"2020-更正.txt"}  # the current one's pair
        n_cross = c.db.one("SELECT COUNT(*) FROM findings WHERE cross_year = 1")[0]
        # the reviewer chooses the first: it is current, its pair is checked, the other's findings go
        c.resolve(docs["2020.txt"]["id"])
        assert c.conflicts() == [] and len(c.conflicts(resolved=True)) == 1
        assert [r["file"].rsplit("/", 1)[-1] for r in c.reports(year=2020)] == ["2020.txt"]
        assert {f["file"].rsplit("/", 1)[-1] for f in c.findings(code="Y101")} == {"2020.txt"}
        assert c.db.one("SELECT COUNT(*) FROM findings WHERE cross_year = 1")[0] == n_cross
        st = c.stats()
        assert st["conflicts"] == []
    p = subprocess.run([sys.executable, "-m", "nianbao", "ingest", "--db", db_url, str(tmp_path / "2")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_stats_lists_open_conflicts(shared, tmp_path):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text + "\n附：更正版\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    p = subprocess.run([sys.executable, "-m", "nianbao", "ingest", "--db", db, str(tmp_path)],
                       capture_output=True, text=True)
    assert p.returncode == 0 and "1 个机关年度有多份不同的报告文件" in p.stderr
    p = subprocess.run([sys.executable, "-m", "nianbao", "stats", "--db", db], capture_output=True, text=True)
    assert "待核对" in p.stdout and "抚远镇人民政府 2020年度  2 份  当前：" in p.stdout
    assert p.stdout.split("当前：")[1].split("\n")[0].endswith("b.txt")
    p = subprocess.run([sys.executable, "-m", "nianbao", "stats", "--db", db, "--json"], capture_output=True, text=True)
    conflict = json.loads(p.stdout)["conflicts"][0]
    assert (conflict["agency"], conflict["year"], conflict["documents"]) == ("抚远镇人民政府", 2020, 2)


def _older(c, which="WHERE 1=1"):
    """What an older parser left: another version number, and (here) a wrong cell."""
    reports = f"SELECT r.id FROM reports r JOIN documents d ON d.id = r.document_id {which}"
    c.db.execute(f"UPDATE reports SET parser_version = '0.0.1' WHERE id IN ({reports})")
    key = "(SELECT id FROM cell_keys WHERE key = 'applications.new_requests.total')"
    if c.db.dialect == "postgresql":  # a report's cells are one row of arrays there
        c.db.execute(f"UPDATE cell_sets SET values_exact[array_position(key_ids, CAST({key} AS SMALLINT))] = 424242 "
                     f"WHERE report_id IN ({reports})")
    else:  # SQLite: one JSON array, the key's cell at its position in the report's key set
        c.db.execute(f"UPDATE cell_sets SET cells = json_set(cells, '$[' || (SELECT pos FROM cell_key_set_items k "
                     f"WHERE k.set_id = cell_sets.key_set AND k.key_id = {key}) || '][0]', 424242) "
                     f"WHERE report_id IN ({reports})")
    c.db.execute(f"UPDATE documents SET parser_version = '0.0.1' {which.replace('d.name', 'name')}")


def test_reprocess_older_from_kept_bytes_restores_the_state(db_url, shared, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with Corpus(db_url) as c:
        c.ingest([CORPUS, tmp_path], workers=2)
        want = canonical_state(db_url)
        _older(c)
        assert canonical_state(db_url) != want
        assert c.reprocess_count("older") == 10  # the empty file too: its 0 bytes are kept
        s = c.reprocess("older", workers=2)
        assert (s.parsed, s.failed, s.missing_bytes) == (9, 1, 0)
        assert_same_state(canonical_state(db_url), want)
        assert c.reprocess("older").parsed == 0  # nothing older left
        s = c.reprocess("all", workers=2)
        assert (s.parsed, s.failed) == (9, 1)
        assert_same_state(canonical_state(db_url), want)


def test_reprocess_failed_and_bytes_not_kept(db_url, shared, tmp_path):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b.txt").write_bytes(body(SEED.read_text(encoding="utf-8"), "黑河镇").encode())
    with Corpus(db_url) as c:
        s = c.ingest([tmp_path], workers=1, settings=DEFAULT.replace(memory_limit=1))
        assert s.failed == 2
        c.db.execute("DELETE FROM blobs WHERE sha256 = (SELECT sha256 FROM documents ORDER BY id DESC LIMIT 1)")
        s = c.reprocess("failed", workers=1)
        assert (s.parsed, s.failed, s.missing_bytes) == (1, 0, 1)
        assert [d["status"] for d in c.documents()] == ["parsed", "failed"]
        c.ingest([tmp_path], workers=1)  # seen again: its bytes are kept now
        assert c.reprocess("failed", workers=1).parsed == 1
        assert len(c.reports()) == 2


def test_cli_reprocess(shared, tmp_path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    run = lambda *a: subprocess.run([sys.executable, "-m", "nianbao", *a, "--db", db],  # noqa: E731
                                    capture_output=True, text=True)
    assert run("ingest", str(CORPUS / "seeds")).returncode == 0
    with Corpus(db) as c:
        want = canonical_state(db)
        _older(c, "WHERE d.name LIKE '%000_%'")
    p = run("reprocess")
    assert p.returncode == 0, p.stderr
    assert "重新解析 1 份：成功 1 份" in p.stdout
    assert_same_state(canonical_state(db), want)
    p = run("reprocess", "--all")
    assert p.returncode == 0 and "重新解析 5 份：成功 5 份" in p.stdout
    assert "重新解析 0 份" in run("reprocess", "--failed").stdout


def test_migration_from_before_identity_keeps_everything(db_url, shared, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
        with Corpus(db_url) as c:
            assert c.schema_version == 3
            c.db.execute("INSERT INTO documents (sha256, name, size, version, ingested_at, status, parser_version) "
                         "VALUES ('abc', 'old.txt', 3, 1, '2025-01-01', 'parsed', '0.0.1')")
            doc = c.db.one("SELECT id FROM documents")[0]
            c.db.execute("INSERT INTO reports (document_id, agency, agency_norm, year, record) "
                         "VALUES (?, '某某县人民政府', '某某县人民政府', 2020, '{}')", (doc,))
    with Corpus(db_url) as c:
        assert c.schema_version == migrations.MIGRATIONS[-1][0]
        assert c.paths("abc") == ["old.txt"]
        assert [(r["file"], r["version"]) for r in c.reports()] == [("old.txt", 1)]
        s = c.reprocess("older")
        assert s.missing_bytes == 1  # stored before bytes were kept: ingest it again to keep them
