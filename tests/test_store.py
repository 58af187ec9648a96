"""The corpus store against real databases: a temporary SQLite file and a PostgreSQL server."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

import nianbao
from nianbao.store import Corpus
from conftest import CORPUS

SEED = CORPUS / "seeds" / "000_287ae363a5fda47a.txt"


def seed_year(text: str, year: int, carried_forward_first: int = 0) -> str:
    """The seed report re-dated to ``year``; optionally with 结转下年度 自然人/总计 set."""
    text = text.replace("2020年", f"{year}年")
    if carried_forward_first:
        head, tail = text.split("\t四、结转下年度继续办理\n", 1)
        lines = tail.split("\n")
        lines[0] = f"\t{carried_forward_first}"
        lines[6] = f"\t{carried_forward_first}"
        text = head + "\t四、结转下年度继续办理\n" + "\n".join(lines)
    return text


def test_ingest_corpus_idempotent_and_faithful(db_url, shared, tmp_path):
    with Corpus(db_url) as c:
        s = c.ingest([CORPUS], workers=2)
        assert (s.parsed, s.failed, s.skipped) == (9, 0, 0)
        assert s.with_errors == 1  # seed 004 lacks part 二's table
        again = c.ingest([CORPUS], workers=2)
        assert (again.parsed, again.skipped) == (0, 9)
        assert len(c.documents()) == 9
        rows = c.reports()
        assert {r["agency"] for r in rows} >= {"淮安市人民政府", "平潭综合实验区", "抚远镇人民政府"}
        # the stored cells are the parser's, value for value
        report = nianbao.parse(CORPUS / "real" / "pingtan-2021.txt")
        stored = {(r["table"], r["row"], r["column"]): r["value"]
                  for r in c.long_rows(agency="平潭", year=2021)}
        # money with cents comes back exact (Decimal), never as a binary float
        from decimal import Decimal
        assert stored == {tuple(k.split(".")): Decimal(repr(v)) if isinstance(v, float) else v
                          for k, v in report.values().items()}
        assert stored[("active", "fees", "amount_yuan")] == Decimal("242523110.82")
        assert c.schema_version >= 1
        finds = c.findings(code="S102")
        assert [f["file"].endswith("004_a224db91dbdf5e26.txt") for f in finds] == [True]


def test_bad_file_recorded_batch_goes_on(db_url, shared, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 nonsense")
    shutil.copy(SEED, tmp_path / "good.txt")
    with Corpus(db_url) as c:
        s = c.ingest([tmp_path], workers=1)
        assert (s.parsed, s.failed) == (1, 2)
        failed = {d["name"].rsplit("/", 1)[-1]: d for d in c.documents() if d["status"] == "failed"}
        assert failed["empty.txt"]["error_code"] == "empty" and "文件为空" in failed["empty.txt"]["error_message"]
        assert failed["broken.pdf"]["error_code"].startswith("corrupt")


def test_changed_file_is_a_new_version(db_url, shared, tmp_path):
    f = tmp_path / "report.txt"
    f.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    with Corpus(db_url) as c:
        c.ingest([f], workers=1)
        f.write_text(SEED.read_text(encoding="utf-8").replace("\t152.21万元", "\t152.22万元"), encoding="utf-8")
        s = c.ingest([f], workers=1)
        assert s.parsed == 1
        docs = c.documents()
        assert [d["version"] for d in docs] == [1, 2]  # the old version is kept
        (current,) = c.reports()
        assert current["version"] == 2
        amount = [r["value"] for r in c.long_rows() if r["row"] == "procurement" and r["column"] == "amount_yuan"]
        assert amount == [1522200]


def test_cross_year_rules_run_across_the_store(db_url, shared, tmp_path):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "2019.txt").write_text(seed_year(text, 2019, carried_forward_first=1), encoding="utf-8")
    (tmp_path / "2020.txt").write_text(text, encoding="utf-8")
    with Corpus(db_url) as c:
        s = c.ingest([tmp_path], workers=1)
        assert s.cross_year_pairs == 1
        y = c.findings(code="Y101")
        assert len(y) == 2 and {f["year"] for f in y} == {2020}
        assert {json.loads(f["keys"])[0] for f in y} == {"applications.carried_over.natural_person",
                                                         "applications.carried_over.total"}
        assert json.loads(y[0]["expected"]) == 1 and json.loads(y[0]["actual"]) == 0


def test_failed_write_leaves_nothing_half_written(db_url, shared, monkeypatch):
    with Corpus(db_url) as c:
        real = c.db.insert_rows

        def boom(table, columns, rows):
            if table == "parts":
                raise RuntimeError("disk full")
            return real(table, columns, rows)

        monkeypatch.setattr(c.db, "insert_rows", boom)
        with pytest.raises(RuntimeError):
            c.ingest([SEED], workers=1)
        assert c.db.one("SELECT COUNT(*) FROM documents")[0] == 0
        assert c.db.one("SELECT COUNT(*) FROM cells")[0] == 0
        monkeypatch.setattr(c.db, "insert_rows", real)
        assert c.ingest([SEED], workers=1).parsed == 1


def test_killed_ingest_resumes_without_partial_reports(shared, tmp_path):
    """kill -9 in the middle of a real `nianbao ingest`; the store stays consistent; re-run completes."""
    src = tmp_path / "src"
    src.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(1000):  # distinct bytes: distinct documents (enough that a kill lands between two batches)
        (src / f"r{i:03d}.txt").write_text(text + f"\n附：编号{i}\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'k.db'}"
    cmd = [sys.executable, "-m", "nianbao", "ingest", "--db", db, "--workers", "2", str(src)]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(0.2)
        if (tmp_path / "k.db").exists():
            with Corpus(db) as c:
                n = c.db.one("SELECT COUNT(*) FROM documents")[0]
            if n >= 20:
                break
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    with Corpus(db) as c:
        docs = c.db.one("SELECT COUNT(*) FROM documents")[0]
        assert 0 < docs < 1000, docs
        orphans = c.db.one("SELECT COUNT(*) FROM documents d LEFT JOIN reports r ON r.document_id = d.id "
                           "WHERE r.id IS NULL AND d.status = 'parsed'")[0]
        assert orphans == 0
        short = c.db.one("SELECT COUNT(*) FROM (SELECT report_id FROM cells GROUP BY report_id "
                         "HAVING COUNT(*) <> 198) x")[0]
        assert short == 0
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with Corpus(db) as c:
        assert c.db.one("SELECT COUNT(*) FROM reports")[0] == 1000


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet", "json"])
def test_export_long_and_wide(shared, tmp_path, fmt):
    db = f"sqlite:///{tmp_path / 'e.db'}"
    with Corpus(db) as c:
        c.ingest([CORPUS], workers=2)
        paths = c.export(tmp_path / ("out.xlsx" if fmt == "xlsx" else "out"), fmt=fmt, template="2021")
    if fmt == "xlsx":
        from openpyxl import load_workbook
        wb = load_workbook(paths[0])
        assert wb.sheetnames == ["cells_long", "active", "applications", "review_litigation", "harmonised",
                                 "documents", "findings", "codebook"]
        rows = list(wb["applications"].values)
        header, body = rows[0], rows[1:]
    elif fmt == "csv":
        import csv
        with open(tmp_path / "out" / "applications.csv", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
    elif fmt == "json":
        data = [json.loads(x) for x in (tmp_path / "out" / "applications.jsonl").read_text(encoding="utf-8").splitlines()]
        header, body = list(data[0]), [list(d.values()) for d in data]
    else:
        import pyarrow.parquet as pq
        t = pq.read_table(tmp_path / "out" / "applications.parquet")
        header, body = t.column_names, [list(r.values()) for r in t.to_pylist()]
    assert list(header[:4]) == ["agency", "year", "template", "file"]
    assert "new_requests__total" in header and not any("." in str(h) for h in header)
    assert len(body) == 4  # the four 2021-template reports
    i = header.index("new_requests__total")
    got = {str(r[0]): r[i] for r in body}
    assert float(got["淮安市人民政府"]) == 3119


def test_stats_and_cli_round_trip(shared, tmp_path):
    db = f"sqlite:///{tmp_path / 's.db'}"
    run = lambda *a: subprocess.run([sys.executable, "-m", "nianbao", *a], capture_output=True, text=True)  # noqa: E731
    p = run("ingest", "--db", db, "--workers", "2", str(CORPUS))
    assert p.returncode == 0, p.stderr
    assert "新解析 9 份" in p.stdout
    p = run("stats", "--db", db)
    assert "2021年度  2021版  2" in p.stdout and "S102" in p.stdout
    p = run("stats", "--db", db, "--json")
    st = json.loads(p.stdout)
    assert {"year": 2024, "template": "2021", "reports": 1} in st["reports_by_year_template"]
    p = run("export", "--db", db, "--out", str(tmp_path / "x"), "--shape", "long", "--year", "2024")
    assert p.returncode == 0
    lines = (tmp_path / "x" / "cells_long.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 200


def test_dask_engine_on_a_real_local_cluster(shared, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        db = f"sqlite:///{tmp_path / 'd.db'}"
        with Corpus(db) as c:
            s = c.ingest([CORPUS], engine="dask", scheduler=cluster.scheduler_address)
            assert (s.parsed, s.failed) == (9, 0)
            dask_rows = c.long_rows()
        with Corpus(f"sqlite:///{tmp_path / 'l.db'}") as c:
            c.ingest([CORPUS], workers=1)
            local_rows = c.long_rows()
        assert dask_rows == local_rows


def test_stored_record_is_the_parsed_record(db_url, shared):
    """Metadata, every cell with raw text and location (text line, HTML grid, PDF page+bbox), parts."""
    files = [CORPUS / "real" / "huaian-2024.pdf", CORPUS / "real" / "shuyang-fgj-2023.html",
             CORPUS / "real" / "pingtan-2019.txt"]
    with Corpus(db_url) as c:
        c.ingest(files, workers=1)
        for row in c.reports():
            stored = c.report(row["id"])
            parsed = nianbao.parse(row["file"])
            parsed.file = row["file"]
            assert stored == parsed, row["file"]


def test_cli_ingest_on_a_dask_scheduler(shared, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        db = f"sqlite:///{tmp_path / 'cli.db'}"
        p = subprocess.run([sys.executable, "-m", "nianbao", "ingest", "--db", db, "--engine", "dask",
                            "--scheduler", cluster.scheduler_address, str(CORPUS)],
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        assert "新解析 9 份" in p.stdout
    p = subprocess.run([sys.executable, "-m", "nianbao", "ingest", "--db", db, "--engine", "dask", str(CORPUS)],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "--scheduler" in p.stderr


def test_export_codebook_harmonised_documents_findings_and_chinese_labels(shared, tmp_path):
    import csv
    db = f"sqlite:///{tmp_path / 'h.db'}"
    with Corpus(db) as c:
        c.ingest([CORPUS], workers=1)
        c.export(tmp_path / "out", fmt="csv")
        c.export(tmp_path / "zh", fmt="csv", labels="zh", shape="wide")

    def read(path):
        with open(path, encoding="utf-8-sig") as f:
            return list(csv.DictReader(f))
    book = {r["column"]: r for r in read(tmp_path / "out" / "codebook.csv") if r["table"] == "active"}
    assert book["licensing__decisions"]["comparable"] == "是"
    assert book["regulations__made"]["comparable"] == "否" and book["fees__amount_yuan"]["unit"] == "元"
    harmonised = read(tmp_path / "out" / "harmonised.csv")
    assert {r["template"] for r in harmonised} == {"2019", "2021"}
    assert "applications__new_requests__total" in harmonised[0]
    assert not any(k.startswith("active__regulations") or k.startswith("active__fees") for k in harmonised[0])
    docs = read(tmp_path / "out" / "documents.csv")
    assert len(docs) == 9 and all(len(d["sha256"]) == 64 for d in docs)
    findings = read(tmp_path / "out" / "findings.csv")
    assert any(f["code"] == "S102" for f in findings)
    zh = read(tmp_path / "zh" / "applications.csv")
    assert "机关" in zh[0] and "表三/（七）总计/总计" in zh[0]


def test_export_streams_the_long_table(shared, tmp_path):
    db = tmp_path / "s.db"
    run = lambda *a: subprocess.run([sys.executable, "-m", "nianbao", *a], capture_output=True, text=True)  # noqa: E731
    assert run("ingest", "--db", str(db), str(CORPUS / "real" / "huaian-2024.pdf")).returncode == 0
    p = run("export", "--db", str(db), "--out", "-", "--format", "json")
    rows = [json.loads(x) for x in p.stdout.splitlines()]
    assert p.returncode == 0 and len(rows) == 200 and all("value" in r for r in rows)


def test_ingest_manifest_records_provenance_shown_in_exports(shared, tmp_path):
    import csv
    db = tmp_path / "m.db"
    manifest = tmp_path / "清单.csv"
    manifest.write_text("文件,来源,发布日期,索引号\nhuaian-2024.pdf,https://www.huaian.gov.cn/x.html,2025-01-20,"
                        "11320800014169040W/2025-00012\nnot-here.pdf,https://example.invalid/,2025-01-01,\n",
                        encoding="gb18030")
    run = lambda *a: subprocess.run([sys.executable, "-m", "nianbao", *a], capture_output=True, text=True)  # noqa: E731
    p = run("ingest", "--db", str(db), "--manifest", str(manifest), str(CORPUS / "real"))
    assert p.returncode == 0, p.stderr
    assert "1 份文件已记录来源" in p.stderr and "not-here.pdf" in p.stderr
    assert run("export", "--db", str(db), "--out", str(tmp_path / "o"), "--shape", "long").returncode == 0
    with open(tmp_path / "o" / "documents.csv", encoding="utf-8-sig") as f:
        docs = {d["file"].replace("\\", "/").rsplit("/", 1)[-1]: d for d in csv.DictReader(f)}
    assert docs["huaian-2024.pdf"]["source_url"] == "https://www.huaian.gov.cn/x.html"
    assert docs["huaian-2024.pdf"]["index_no"] == "11320800014169040W/2025-00012"


def test_ingest_summary_counts_errors_after_the_cross_year_rules(tmp_path):
    """A body whose 上年结转 breaks last year's 结转下年度 has an error (Y101) only after the
    cross-year pass: the summary counts it, as the database does."""
    import random

    from nianbao.testing import synth
    rng = random.Random(4)
    last = synth.random_values(rng, "2021")
    this = synth.random_values(rng, "2021", previous=last)
    k = "applications.carried_over.natural_person"
    this[k] = (this[k] or 0) + 1
    for key in ("applications.carried_over.total",):
        this[key] = (this[key] or 0) + 1
    this["applications.new_requests.natural_person"] = (this["applications.new_requests.natural_person"] or 0)
    folder = tmp_path / "in"
    folder.mkdir()
    for year, values in ((2022, last), (2023, this)):
        text = synth.render_text(values, agency="某某县某某镇人民政府", year=year, template="2021", rng=rng, shape="rows")
        (folder / f"{year}.txt").write_text(text, encoding="utf-8")
    with Corpus(f"sqlite:///{tmp_path / 'x.db'}") as c:
        s = c.ingest([folder], workers=1)
        in_db = c.db.one("SELECT COUNT(DISTINCT report_id) FROM findings WHERE severity = 'error'")[0]
        assert any(f["code"] == "Y101" for f in c.findings())
    assert s.with_errors == in_db >= 1
