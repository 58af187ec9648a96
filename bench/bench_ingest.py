"""End-to-end ingest of a synthetic corpus: parse + check + store, per store and engine.

usage: python bench/bench_ingest.py [--n 10000] [--pg postgresql://user:pw@host/db] [--only sqlite-1,dask-2]
                                    [--formats text,html] [--defect-rate 0.1] [--seed 0] [--keep DIR]

Target (issue): ≥ 100 reports/s end to end on 2 cores for text formats, growing linearly with
workers. The corpus (nianbao.testing.synth.write_corpus: text and HTML reports of varied bodies, 2019–2024,
~10 % with planted defects) is written to a temporary directory, then ingested into a fresh store
for each configuration:

  sqlite-1   SQLite, local process pool, 1 worker (parsing in the ingesting process)
  sqlite-2   SQLite, local process pool, 2 workers
  pg-2       PostgreSQL (--pg: an admin URL; a throwaway database is created and dropped), 2 workers
  dask-2     Dask distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True) → SQLite

The timed span is ``Corpus.ingest`` (reading files, hashing, parse + check on the workers, one
transaction per document, and the cross-year pass). Cluster start-up is timed separately.
"""
from __future__ import annotations

import argparse
import os
import shutil
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


def _ingest(url: str, docs: Path, **kw) -> dict:
    with Corpus(url) as c:
        t0 = time.perf_counter()
        s = c.ingest([docs], **kw)
        dt = time.perf_counter() - t0
        size = c.db.size_bytes()
    return {"seconds": dt, "summary": s, "size": size}


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
    ap.add_argument("--keep", help="write the corpus and databases here and keep them (default: a temp dir)")
    a = ap.parse_args(argv)

    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    docs = work / "docs"
    try:
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
        for name in a.only.split(","):
            res = run_config(name.strip(), docs, work, a.pg)
            if res is None:
                continue
            s = res["summary"]
            rows.append((name, res))
            print(f"  {name}: {s.parsed} parsed, {s.failed} failed in {res['seconds']:.1f} s "
                  f"{res.get('note', '')}", file=sys.stderr)

        head = f"{'config':<9} {'docs':>6} {'parsed':>6} {'failed':>6} {'w/ errors':>9} {'pairs':>6} " \
               f"{'seconds':>8} {'reports/s':>9} {'db MB':>7} {'KB/report':>9}"
        print(head)
        print("-" * len(head))
        for name, res in rows:
            s = res["summary"]
            rate = s.total / res["seconds"]
            print(f"{name:<9} {s.total:>6} {s.parsed:>6} {s.failed:>6} {s.with_errors:>9} {s.cross_year_pairs:>6} "
                  f"{res['seconds']:>8.1f} {rate:>9.1f} {_mb(res['size']):>7} {res['size'] / 1024 / max(s.total, 1):>9.1f}")
        rates = {name: res["summary"].total / res["seconds"] for name, res in rows}
        if "sqlite-1" in rates and "sqlite-2" in rates:
            print(f"\nscaling sqlite 1 → 2 workers: ×{rates['sqlite-2'] / rates['sqlite-1']:.2f}")
        for name, rate in rates.items():
            if name.endswith("-2"):
                print(f"target ≥ 100 reports/s on 2 workers: {name} {'met' if rate >= 100 else 'NOT met'} ({rate:.0f}/s)")
        for name, res in rows:
            if res.get("note"):
                print(f"{name}: {res['note']}")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
