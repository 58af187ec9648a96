"""OCR results kept in the store (issue 14): a scan ingested once is never OCR'd again by that
store — reprocessing, re-ingesting after a failure, another machine or user without a cache
directory (``ocr_cache`` off) — and its pages are written in the transaction of its document."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from nianbao.ingest import ocr
from nianbao.store import Corpus, ocr_pages
from nianbao.store.work import parse_and_check

pytestmark = pytest.mark.skipif(not ocr.available(), reason="OCR extra not installed (pip install 'nianbao[ocr]')")

SCAN = Path(__file__).parent / "rule_fixtures" / "P214" / "clean.pdf"  # a one-page scan


def _stored(c: Corpus) -> tuple:
    """The stored report (record and cells) and findings of the one document."""
    record = c.db.query("SELECT agency, year, template, errors, warnings, infos, record FROM reports")
    cells = sorted(map(tuple, c.db.query("SELECT key, value_exact, raw, certain, loc_page, loc_bbox FROM cells")))
    findings = sorted(map(tuple, c.db.query("SELECT code, severity, message, keys, loc FROM findings")))
    return [tuple(r) for r in record], cells, findings


def test_scan_ocrd_once_per_store(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_OCR_CACHE", "off")  # no user cache, in the workers too
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SCAN, src / "scan.pdf")
    data = SCAN.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    with Corpus(db_url) as c:
        # a batch that fails after its pages were inserted leaves neither document nor pages
        real = c.db.execute

        def fail_after_pages(sql, params=()):
            out = real(sql, params)
            if sql.startswith("INSERT INTO ocr_pages"):
                raise RuntimeError("disk full")
            return out

        monkeypatch.setattr(c.db, "execute", fail_after_pages)
        with pytest.raises(RuntimeError):
            c.ingest([src], workers=1, cross_year=False)
        monkeypatch.setattr(c.db, "execute", real)
        assert c.db.one("SELECT COUNT(*) FROM documents")[0] == 0
        assert c.db.one("SELECT COUNT(*) FROM ocr_pages")[0] == 0

        s = c.ingest([src], workers=1, cross_year=False)
        assert (s.parsed, s.ocr_pages) == (1, 1)  # nothing kept from the failed batch: OCR'd again
        [(key, page)] = c.db.query("SELECT cache_key, page FROM ocr_pages WHERE sha256 = ?", (sha,))
        assert page == 0 and key == ocr.cache_key(ocr.DEFAULT)
        before = _stored(c)
        assert before[1], "no cells read from the scan"

        s = c.reprocess("all", workers=1)
        assert (s.parsed, s.ocr_pages) == (1, 0)  # the store's pages, no OCR
        assert _stored(c) == before
        assert c.db.one("SELECT COUNT(*) FROM ocr_pages")[0] == 1

        # the worker's unit of work with the store's pages: OCR is never called
        pages = ocr_pages.stored(c.db, sha)
        monkeypatch.setattr(ocr, "recognise", lambda *a, **k: pytest.fail("OCR ran again"))
        name = c.db.one("SELECT name FROM documents")[0]
        seeded = parse_and_check(name, (data, sha, pages))
        assert "ocr_recognised" not in seeded and "ocr_pages" not in seeded
        assert seeded["record"] == c.db.one("SELECT record FROM reports")[0]


def test_seed_reports_pages_from_the_user_cache(tmp_path, monkeypatch):
    """A page the user cache holds but the store does not is handed to the store, without OCR."""
    monkeypatch.setenv("NIANBAO_OCR_CACHE", str(tmp_path))
    data = SCAN.read_bytes()
    page = {"height": 842.0, "width": 595.0, "chars": [], "rules": []}
    cache = ocr.Cache(data, ocr.DEFAULT)
    cache.put(0, page)  # as a `nianbao check` of this scan left it
    seed = ocr.Seed()
    with ocr.seeded(seed):
        again = ocr.Cache(data, ocr.DEFAULT)
        assert again.get(0) == page and again.computed == []
    assert seed.sha256 == hashlib.sha256(data).hexdigest() and seed.recognised == 0
    assert seed.fresh == {ocr.cache_key(ocr.DEFAULT): {"0": page}}
    other = ocr.Seed("0" * 64, {})
    with ocr.seeded(other):
        ocr.Cache(data, ocr.DEFAULT)  # other bytes than the seed's: the seed is not theirs
    assert other.fresh == {}


def test_dask_workers_get_and_return_the_stored_pages(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("NIANBAO_OCR_CACHE", "off")  # before the cluster starts: its workers inherit it
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SCAN, src / "scan.pdf")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with Corpus(f"sqlite:///{tmp_path / 'd.db'}") as c:
            s = c.ingest([src], engine="dask", scheduler=cluster.scheduler_address, cross_year=False)
            assert (s.parsed, s.ocr_pages) == (1, 1)
            assert c.db.one("SELECT COUNT(*) FROM ocr_pages")[0] == 1
            before = _stored(c)
            s = c.reprocess("all", engine="dask", scheduler=cluster.scheduler_address)
            assert (s.parsed, s.ocr_pages) == (1, 0)
            assert _stored(c) == before


def test_the_cli_says_how_many_pages_ocr_read(tmp_path):
    # a user ingests a scan, then reprocesses it: OCR reads its page once, and the CLI says so once
    import os
    import subprocess
    import sys
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SCAN, src / "scan.pdf")
    db = str(tmp_path / "n.db")
    env = dict(os.environ, NIANBAO_OCR_CACHE="off")

    def run(*args):
        p = subprocess.run([sys.executable, "-m", "nianbao", *args, "--db", db], capture_output=True, text=True, env=env)
        assert p.returncode in (0, 1), p.stderr
        return p.stderr

    assert "扫描件文字识别（OCR）1 页" in run("ingest", str(src))
    assert "OCR" not in run("reprocess", "--all")
