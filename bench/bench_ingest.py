"""End-to-end ingest of a synthetic corpus: parse + check + store, per store and engine.

usage: python bench/bench_ingest.py [--n 10000] [--pg postgresql://user:pw@host/db] [--only sqlite-1,dask-2]
                                    [--formats text,html] [--defect-rate 0.1] [--seed 0] [--keep DIR]

Targets (issue 10): ≥ 250 reports/s end to end on 2 cores, 2 workers ≥ 1.8× one worker on a quiet
machine (the writing process must cost little next to a worker: see "ms/doc main" against "ms/doc
work"), ≤ 12 KB per report in the store without the kept originals (which are measured apart). The corpus (nianbao.testing.synth.write_corpus: text and HTML reports of varied bodies, 2019–2024,
~10 % with planted defects) is written to a temporary directory, then ingested into a fresh store
for each configuration:

  sqlite-1   SQLite, local process pool, 1 worker (parsing in the ingesting process)
  sqlite-2   SQLite, local process pool, 2 workers
  pg-2       PostgreSQL (--pg: an admin URL; a throwaway database is created and dropped), 2 workers
  dask-2     Dask distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True) → SQLite

The timed span is ``Corpus.ingest`` (reading files, hashing, parse + check on the workers, writing in
batches of documents, and the cross-year pass). Cluster start-up is timed separately. CPU: the
ingesting process's own (``main CPU``) and its local workers' (``workers CPU``); ``CPU use`` is both
over the wall time (2.0 = two cores busy). Sizes: every table and index but the kept originals
(``KB/report``), and with them (``+originals``).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from nianbao.store import Corpus
from nianbao.testing.synth import write_corpus

CONFIGS = ("sqlite-1", "sqlite-2", "pg-2", "dask-2")


def _mb(n: int) -> str:
    return f"{n / 1048576:.1f}"


class _PgDatabase:
    """A throwaway PostgreSQL database on the server of ``admin_url`` (dropped on exit)."""

    def __init__(self, admin_url: str):
        self.admin = admin_url
        self.name = f"nianbao_bench_{uuid.uuid4().hex[:10]}"
        self.url = f"{admin_url.rsplit('/', 1)[0]}/{self.name}"

    def __enter__(self):
        import psycopg
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def __exit__(self, *exc):
        import psycopg
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def store_sizes(db) -> tuple:
    """(bytes of the store without the kept originals, bytes of the kept originals): pages of every
    table and index (SQLite dbstat, else the file less the blobs' payload; PostgreSQL relation sizes)."""
    if db.dialect == "postgresql":
        rows = db.query("SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')")
        blobs = sum(int(b) for name, b in rows if name == "blobs")
        return sum(int(b) for _, b in rows) - blobs, blobs
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    try:
        rows = db.query("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
    except Exception:  # no dbstat in this SQLite build
        blobs = db.one("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM blobs")[0]
        return db.size_bytes() - blobs, blobs
    blobs = sum(b for name, b in rows if name in ("blobs", "sqlite_autoindex_blobs_1"))
    return sum(b for _, b in rows) - blobs, blobs


def _ingest(url: str, docs: Path, **kw) -> dict:
    with Corpus(url) as c:
        t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
        s = c.ingest([docs], **kw)
        dt, cpu, kids = time.perf_counter() - t0, time.process_time() - c0, _children_cpu() - k0
        size, blobs = store_sizes(c.db)
    return {"seconds": dt, "summary": s, "size": size, "blobs": blobs, "cpu": cpu, "workers_cpu": kids}


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the local workers, reaped at the pool's end)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_config(name: str, docs: Path, work: Path, pg: str | None) -> dict | None:
    if name == "sqlite-1":
        return _ingest(f"sqlite:///{work / 'sqlite-1.db'}", docs, workers=1)
    if name == "sqlite-2":
        return _ingest(f"sqlite:///{work / 'sqlite-2.db'}", docs, workers=2)
    if name == "pg-2":
        if not pg:
            print("pg-2: skipped (no --pg URL)", file=sys.stderr)
            return None
        with _PgDatabase(pg) as url:
            return _ingest(url, docs, workers=2)
    if name == "dask-2":
        import distributed
        t0 = time.perf_counter()
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            startup = time.perf_counter() - t0
            out = _ingest(f"sqlite:///{work / 'dask-2.db'}", docs, engine="dask", scheduler=client)
        out["note"] = f"cluster start {startup:.1f} s (not timed)"
        return out
    raise SystemExit(f"unknown configuration {name!r} (choose from {', '.join(CONFIGS)})")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000, help="documents to generate (default 10000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--formats", default="text,html", help="comma-separated: text, html")
    ap.add_argument("--defect-rate", type=float, default=0.1)
    ap.add_argument("--pg", default=os.environ.get("NIANBAO_BENCH_PG"),
                    help="PostgreSQL admin URL (a throwaway database is created on its server and dropped)")
    ap.add_argument("--only", default=",".join(CONFIGS), help=f"configurations to run ({', '.join(CONFIGS)})")
    ap.add_argument("--repeat", type=int, default=1, help="run each configuration this many times (medians)")
    ap.add_argument("--docs", help="ingest this corpus directory (from an earlier --keep) instead of generating one")
    ap.add_argument("--keep", help="write the corpus and databases here and keep them (default: a temp dir)")
    a = ap.parse_args(argv)
    from nianbao.isolation import tune_gc
    tune_gc()  # as the CLI's ingest does

    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    docs = work / "docs"
    try:
        if a.docs:
            docs = Path(a.docs)
            files = [p for p in docs.iterdir() if p.is_file()]
            print(f"corpus: {len(files)} files from {docs}, {_mb(sum(p.stat().st_size for p in files))} MB")
        else:
            t0 = time.perf_counter()
            manifest = write_corpus(docs, a.n, seed=a.seed, formats=tuple(a.formats.split(",")),
                                    defect_rate=a.defect_rate)
            gen = time.perf_counter() - t0
            size = sum((docs / e["name"]).stat().st_size for e in manifest)
            fmts = Counter(e["format"] for e in manifest)
            defects = sum(bool(e["planted"]) for e in manifest)
            bodies = len({e["agency"] for e in manifest})
            print(f"corpus: {len(manifest)} documents ({', '.join(f'{k} {v}' for k, v in sorted(fmts.items()))}), "
                  f"{bodies} bodies, {defects} with planted defects, {_mb(size)} MB, generated in {gen:.1f} s")
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}\n")

        rows = []
        for name in [n.strip() for n in a.only.split(",")] * a.repeat:
            for old in work.glob(f"{name}.db*"):
                old.unlink()
            res = run_config(name, docs, work, a.pg)
            if res is None:
                continue
            s = res["summary"]
            rows.append((name, res))
            print(f"  {name}: {s.parsed} parsed, {s.failed} failed in {res['seconds']:.1f} s "
                  f"{res.get('note', '')}", file=sys.stderr)

        head = f"{'config':<9} {'docs':>6} {'parsed':>6} {'pairs':>6} {'seconds':>8} {'reports/s':>9} " \
               f"{'main CPU':>8} {'workers CPU':>11} {'CPU use':>7} {'ms/doc main':>11} {'ms/doc work':>11} " \
               f"{'KB/report':>9} {'+originals':>10}"
        print(head)
        print("-" * len(head))
        for name, res in rows:
            s = res["summary"]
            n = max(s.total, 1)
            rate = s.total / res["seconds"]
            kids = res["workers_cpu"] if not name.startswith("dask") else float("nan")
            print(f"{name:<9} {s.total:>6} {s.parsed:>6} {s.cross_year_pairs:>6} {res['seconds']:>8.1f} {rate:>9.1f} "
                  f"{res['cpu']:>8.1f} {kids:>11.1f} {(res['cpu'] + kids) / res['seconds']:>7.2f} "
                  f"{1000 * res['cpu'] / n:>11.2f} {1000 * kids / n:>11.2f} "
                  f"{res['size'] / 1024 / n:>9.1f} {(res['size'] + res['blobs']) / 1024 / n:>10.1f}")
        rates = {}
        for name, res in rows:
            rates.setdefault(name, []).append(res["summary"].total / res["seconds"])
        if len(rows) > len(rates):
            print("\nmedians: " + ", ".join(f"{k} {statistics.median(v):.1f}/s" for k, v in rates.items()))
        rates = {k: statistics.median(v) for k, v in rates.items()}
        if "sqlite-1" in rates and "sqlite-2" in rates:
            print(f"\nscaling sqlite 1 → 2 workers: ×{rates['sqlite-2'] / rates['sqlite-1']:.2f} "
                  f"(CPU use: see the table; on 2 cores the writer shares them with the workers)")
        for name, rate in rates.items():
            if name.endswith("-2"):
                print(f"target ≥ 250 reports/s on 2 workers: {name} {'met' if rate >= 250 else 'NOT met'} ({rate:.0f}/s)")
        for name, res in rows:
            if res.get("note"):
                print(f"{name}: {res['note']}")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
