"""Which report is current, kept in the store (reports.is_current, reports.version; migration 10)
instead of ranked per query: after every kind of write — a new version, two documents of one
(body, year), a resolution, a failure retried, a reprocess that moves a report to another body or
drops it, several of these in one batch, two writers at once, a migration of an older store — the
stored flags equal the ranking the view current_reports did (``storestate.RANKING``), on a SQLite
file and on the PostgreSQL server."""
import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

from nianbao.model import Report
from nianbao.store import Corpus, migrations
from nianbao.store.codec import encode_report
from storestate import RANKING, assert_current_is_ranked

AGENCIES = ["甲镇人民政府", "乙镇人民政府", None]
YEARS = [2021, 2022, None]


def result(agency, year, tag: str, *, error: bool = False) -> dict:
    """A worker's result for a small report of ``agency`` and ``year`` (no parsing), or a failure."""
    name = f"{agency}-{year}-{tag}.txt"
    sha = hashlib.sha256(name.encode()).hexdigest()
    return with_meta({"name": name, "sha256": sha, "size": 10}, agency, year, error=error)


def with_meta(res: dict, agency, year, *, error: bool = False) -> dict:
    out = {"name": res["name"], "sha256": res["sha256"], "size": res["size"]}
    if error:
        return {**out, "error": ["empty", "文件是空的", "empty file"]}
    report = Report(file=res["name"], format="text", sha256=res["sha256"], agency=agency, year=year, template="2021",
                    title=f"{agency}{year}年政府信息公开工作年度报告")
    return {**out, **encode_report(report, [])}


def current_doc(db, agency: str, year: int):
    return db.one("SELECT r.document_id FROM current_reports r WHERE r.agency = ? AND r.year = ?", (agency, year))[0]


def test_new_versions_resolve_retry_and_reprocess_keep_the_ranking(db_url):
    with Corpus(db_url) as c:
        c.store_results([result("甲镇人民政府", 2021, "a"), result("甲镇人民政府", 2022, "a"),
                         result(None, 2021, "a"), result("乙镇人民政府", None, "a")])
        assert assert_current_is_ranked(c.db) == 4
        first = current_doc(c.db, "甲镇人民政府", 2021)
        failed = result("甲镇人民政府", 2021, "failed-first", error=True)
        c.store_results([failed, result("甲镇人民政府", 2021, "b")])  # a newer version; a failure recorded
        assert_current_is_ranked(c.db)
        second = current_doc(c.db, "甲镇人民政府", 2021)
        assert second > first
        c.store_results([with_meta(failed, "甲镇人民政府", 2021)])  # retried: an older document id, not current
        assert_current_is_ranked(c.db)
        assert current_doc(c.db, "甲镇人民政府", 2021) == second
        assert [r["version"] for r in c.reports(year=2021) if r["agency"] == "甲镇人民政府"] == [3]
        c.resolve(first)
        assert_current_is_ranked(c.db)
        assert current_doc(c.db, "甲镇人民政府", 2021) == first
        c.store_results([result("甲镇人民政府", 2021, "c")])  # a later document: the resolution still holds
        assert_current_is_ranked(c.db)
        assert current_doc(c.db, "甲镇人民政府", 2021) == first
        # a reprocess that reads the chosen document as another body's: 甲's latest is current again
        res = result("甲镇人民政府", 2021, "a")
        c.store_results([with_meta(res, "乙镇人民政府", 2021)], replace=True)
        assert_current_is_ranked(c.db)
        assert current_doc(c.db, "乙镇人民政府", 2021) == first
        assert current_doc(c.db, "甲镇人民政府", 2021) > second
        # … and one that cannot read it any more: the report goes, its (body, year) has none
        c.store_results([with_meta(res, "乙镇人民政府", 2021, error=True)], replace=True)
        assert_current_is_ranked(c.db)
        assert c.db.one("SELECT COUNT(*) FROM reports WHERE agency = '乙镇人民政府' AND year = 2021")[0] == 0


def test_random_writes_keep_the_ranking(db_url):
    """Random batches of new documents (some of one (body, year) in one batch), failures and their
    retries, reprocesses to another body or year or to a failure, and resolutions."""
    rng = random.Random(13)
    with Corpus(db_url) as c:
        parsed, failed, n = [], [], 0
        for step in range(40):
            op = rng.choice(["new", "new", "fail", "retry", "replace", "resolve"])
            if op == "new" or (op == "retry" and not failed) or (op in ("replace", "resolve") and not parsed):
                batch = []
                for _ in range(rng.randint(1, 4)):
                    n += 1
                    batch.append(result(rng.choice(AGENCIES), rng.choice(YEARS), str(n)))
                if parsed and rng.random() < 0.3:  # a reprocess in the same batch
                    batch.append(with_meta(rng.choice(parsed), rng.choice(AGENCIES), rng.choice(YEARS)))
                c.store_results(batch, replace=len(batch) > 0 and batch[-1]["sha256"] in {p["sha256"] for p in parsed})
                parsed += [r for r in batch if r["sha256"] not in {p["sha256"] for p in parsed}]
            elif op == "fail":
                n += 1
                failed.append(result(rng.choice(AGENCIES), rng.choice(YEARS), str(n), error=True))
                c.store_results([failed[-1]])
            elif op == "retry":
                res = with_meta(failed.pop(rng.randrange(len(failed))), rng.choice(AGENCIES), rng.choice(YEARS))
                c.store_results([res])
                parsed.append(res)
            elif op == "replace":
                res = rng.choice(parsed)
                c.store_results([with_meta(res, rng.choice(AGENCIES), rng.choice(YEARS), error=rng.random() < 0.2)],
                                replace=True)
            else:
                rows = c.db.query("SELECT document_id FROM reports WHERE agency_norm IS NOT NULL AND year IS NOT NULL "
                                  "ORDER BY document_id")
                if rows:
                    c.resolve(rng.choice(rows)[0])
            assert_current_is_ranked(c.db), (step, op)
        assert c.db.one("SELECT COUNT(*) FROM reports")[0] > 20
        assert c.db.one("SELECT COUNT(*) FROM reports WHERE is_current = 0")[0] > 3
        assert c.db.one("SELECT COUNT(*) FROM resolutions")[0] > 0


WRITER = """
import sys
from nianbao.store import Corpus
from test_store_current import result
url, who = sys.argv[1], sys.argv[2]
with Corpus(url) as c:
    for k in range(12):
        c.store_results([result(a, y, f"{who}-{k}") for a in ("甲镇人民政府", "乙镇人民政府") for y in (2021, 2022)])
        if k == 6 and who == "p0":
            c.resolve(c.db.one("SELECT document_id FROM reports WHERE agency = '甲镇人民政府' AND year = 2021 "
                               "ORDER BY document_id DESC LIMIT 1")[0])
"""


def test_two_writers_at_once_keep_one_current_report_per_body_and_year(db_url):
    with Corpus(db_url):
        pass  # migrated once, before the writers start
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[1] / "src"),
                                                       str(Path(__file__).resolve().parent)]))
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, db_url, who], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for who in ("p0", "p1")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    with Corpus(db_url) as c:
        assert assert_current_is_ranked(c.db) == 2 * 12 * 4
        assert len(c.reports()) == 4
        chosen = c.db.one("SELECT document_id FROM resolutions")[0]
        assert current_doc(c.db, "甲镇人民政府", 2021) == chosen  # the resolution holds after later versions
        latest = c.db.one("SELECT MAX(document_id) FROM reports WHERE agency = '乙镇人民政府' AND year = 2022")[0]
        assert current_doc(c.db, "乙镇人民政府", 2022) == latest


def test_migration_fills_the_flags_from_the_ranking(db_url, monkeypatch):
    """A store of schema 9 (the view ranked): versions, a resolved conflict, reports without a body
    or year; migration 10 stores what the view said."""
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:9])
        with Corpus(db_url) as c:
            assert c.schema_version == 9
            rows = [("甲镇", 2021), ("甲镇", 2021), ("甲镇", 2021), ("甲镇", 2022), ("乙镇", 2021), ("乙镇", 2021),
                    (None, 2021), ("丙镇", None), (None, None)]
            for i, (agency, year) in enumerate(rows):
                doc = c.db.one("INSERT INTO documents (sha256, name, size, ingested_at, status) "
                               "VALUES (?, ?, 1, '2026-01-01', 'parsed') RETURNING id", (f"sha{i}", f"f{i}.txt"))[0]
                c.db.execute("INSERT INTO reports (document_id, agency, agency_norm, year, record) "
                             "VALUES (?, ?, ?, ?, '{}')", (doc, agency, agency, year))
            middle = c.db.query("SELECT document_id FROM reports WHERE agency_norm = '甲镇' AND year = 2021 "
                                "ORDER BY document_id")[1][0]
            c.db.execute("INSERT INTO resolutions (agency_norm, year, document_id, resolved_at) "
                         "VALUES ('甲镇', 2021, ?, '2026-01-02')", (middle,))
            view = sorted(c.db.query("SELECT id, version, is_current FROM report_versions"))
            assert sorted(c.db.query(RANKING)) == view
            current = sorted(r[0] for r in c.db.query("SELECT id FROM current_reports"))
    with Corpus(db_url) as c:
        assert c.schema_version == migrations.MIGRATIONS[-1][0]
        assert sorted(c.db.query("SELECT id, version, is_current FROM reports")) == view
        assert sorted(r[0] for r in c.db.query("SELECT id FROM current_reports")) == current
        assert len(current) == 6 and assert_current_is_ranked(c.db) == 9
        assert [d["version"] for d in c.documents()][:3] == [1, 2, 3]


def _stored(c) -> dict:
    db = c.db
    return {
        "documents": sorted(db.query("SELECT sha256, status, error_code FROM documents")),
        "paths": sorted(db.query("SELECT d.sha256, p.path FROM document_paths p JOIN documents d ON d.id = p.document_id")),
        "blobs": sorted(db.query("SELECT sha256, size FROM blobs")),
        "reports": sorted(db.query("SELECT d.sha256, r.agency, r.year, r.version, r.is_current, "
                                   "(SELECT COUNT(*) FROM cell_values v WHERE v.report_id = r.id) "
                                   "FROM reports r JOIN documents d ON d.id = r.document_id")),
    }


def test_one_batch_stores_what_its_results_one_at_a_time_store(db_url, tmp_path):
    """The writer's per-batch statements (one lookup of the batch's hashes, multi-row inserts) store
    what writing the same results one after the other does: the same bytes at two paths in one
    batch, a failure and its retry in one batch, bytes kept once, a reprocess of the lot."""
    a, b = result("甲镇人民政府", 2021, "a"), result("甲镇人民政府", 2021, "b")
    a["data"], b["data"] = b"bytes of a", b"bytes of b"
    a2 = {**a, "name": "elsewhere/" + a["name"]}  # the same bytes found at another path
    bad = result("乙镇人民政府", 2022, "x", error=True)
    retried = with_meta(bad, "乙镇人民政府", 2022)  # its retry parses
    batch = [a, bad, b, a2, retried, a, result(None, None, "alone")]
    other = str(db_url).replace("corpus.db", "one-by-one.db") if "sqlite" in str(db_url) else None
    urls = [db_url, other or db_url]
    states, summaries = [], []
    for k, url in enumerate(urls):
        with Corpus(url) as c:
            if k and other is None:  # PostgreSQL: one database, emptied between the two ways
                c.db.execute("TRUNCATE documents, blobs RESTART IDENTITY CASCADE")
            summary = c.summary_type()
            if k == 0:
                c.store_results(batch, summary)
            else:
                for res in batch:
                    c.store_results([res], summary)
            states.append(_stored(c))
            summaries.append((summary.parsed, summary.failed, summary.skipped, sorted(summary.failures)))
            c.store_results(batch, replace=True)  # a reprocess of the lot
            states.append(_stored(c))
    assert summaries[0] == summaries[1] == (4, 1, 2, [(bad["name"], "文件是空的")])
    assert states[0] == states[2] and states[1] == states[3]
    assert [s for s, *_ in states[0]["documents"]] == sorted({a["sha256"], b["sha256"], bad["sha256"],
                                                               batch[-1]["sha256"]})
    assert len(states[0]["paths"]) == 5 and len(states[0]["blobs"]) == 2
    assert sorted((str(ag), y or 0, v, cur) for _, ag, y, v, cur, _ in states[0]["reports"]) == [
        ("None", 0, 1, 1), ("乙镇人民政府", 2022, 1, 1), ("甲镇人民政府", 2021, 1, 0), ("甲镇人民政府", 2021, 2, 1)]
