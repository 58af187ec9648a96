"""Crash safety covering derived data: an ingest killed with SIGKILL at random points, again and
again, then rerun to completion, ends in the state of an uninterrupted run — documents, paths,
kept bytes, reports and their versions, cells, parts, findings including the cross-year ones —
on a SQLite file and on the PostgreSQL server; and no worker outlives a killed ingest."""
import os
import random
import shutil
import signal
import subprocess
import sys

from nianbao.store.db import Database
from nianbao.testing.synth import write_corpus
from conftest import CORPUS
from storestate import assert_same_state, canonical_state
from test_isolation import _alive, _children, _wait_for

KILLS = 5


def make_corpus(root):
    """The shared corpus, a synthetic one (bodies over consecutive years), a second version of one
    synthetic report (a conflict), the same bytes in a second folder, and an unreadable file."""
    shutil.copytree(CORPUS, root / "shared")
    manifest = write_corpus(root / "synth", 36, seed=11)
    later = root / "zz-later"
    later.mkdir()
    first = manifest[1]
    (later / "更正.txt").write_bytes(open(first["file"], "rb").read() + "\n附：更正版\n".encode())
    shutil.copytree(root / "synth", root / "copy", ignore=lambda d, names: [n for n in names if n[:6] > "000004"])
    (later / "empty.txt").write_bytes(b"")
    return sum(1 for p in root.rglob("*") if p.is_file() and p.suffix in (".txt", ".html", ".pdf"))


def documents(url):
    try:
        db = Database(url)
    except Exception:
        return 0
    try:
        return db.one("SELECT COUNT(*) FROM documents")[0]
    except Exception:  # not created yet
        return 0
    finally:
        db.close()


def test_killed_ingests_end_as_an_uninterrupted_one(db_url, shared, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    make_corpus(src)
    cmd = lambda url: [sys.executable, "-m", "nianbao", "ingest", "--db", url, "--workers", "2", str(src)]  # noqa: E731
    ref = f"sqlite:///{tmp_path / 'ref.db'}" if db_url.startswith("sqlite") else None
    if ref is None:  # the reference on a second PostgreSQL database
        import psycopg
        from conftest import _pg_admin_url
        admin = _pg_admin_url()
        ref_name = db_url.rsplit("/", 1)[1] + "_ref"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{ref_name}"')
        ref = admin.rsplit("/", 1)[0] + "/" + ref_name
    try:
        p = subprocess.run(cmd(ref), capture_output=True, text=True)
        assert p.returncode == 2, p.stderr  # the empty file: recorded, exit 2
        want = canonical_state(ref)
        total = len(want["documents"])
        assert total > 40 and len(want["cross_year_pairs"]) > 10 and want["resolutions"] == []
        assert any(r[-2] == 2 for r in want["reports"])  # a second version
        assert len(want["paths"]) > total  # the copies

        rng = random.Random(20261129)
        for k in range(KILLS):
            before = documents(db_url)
            # a random point: after a few more documents, or (last) once all are stored — the cross-year pass
            target = total if k == KILLS - 1 else before + rng.randint(0, max(1, (total - before) // 3))
            p = subprocess.Popen(cmd(db_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            assert _wait_for(lambda: documents(db_url) >= target or p.poll() is not None, 120)
            workers = _children(p.pid)
            p.send_signal(signal.SIGKILL)
            p.wait()
            assert _wait_for(lambda: not any(_alive(w) for w in workers)), "orphan workers left behind"
        p = subprocess.run(cmd(db_url), capture_output=True, text=True)
        assert p.returncode in (0, 2) and "Traceback" not in p.stderr, p.stderr  # 2 if it met the empty file
        assert_same_state(canonical_state(db_url), want)
    finally:
        if not ref.startswith("sqlite"):
            import psycopg
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{ref_name}" WITH (FORCE)')
