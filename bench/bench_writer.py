"""The ingest writer alone: CPU time per document of :meth:`Corpus.store_results` (the ingesting
process's share of ``nianbao ingest``, without receiving results or reading inputs).

    PYTHONPATH=src python bench/bench_writer.py [--n 1000] [--repeats 5] [--pg URL] [--against OLD_WRITE_PY]

``n`` synthetic documents are parsed and checked once (as a worker would, bytes kept), then stored
into a fresh store ``repeats`` times, 100 a transaction; prints the median CPU ms per document.
``--against``: also time the writer of another ``store/write.py`` (e.g. a former version), side by
side in this process, as a ratio — of the same schema and result shape only; across a change of
either (e.g. migration 12, SQLite's cells as one row per report), run this script from each tree,
alternately, and compare the medians.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path


def _results(n: int, shape: str) -> list:
    import random

    from nianbao.store.work import parse_and_check
    from nianbao.testing.synth.corpus import corpus_documents, render_entry
    out = []
    for _, entry, rng in corpus_documents(n, seed=0):
        r = random.Random()
        r.setstate(rng.getstate())
        data, _ = render_entry(entry, r)
        res = parse_and_check(entry["name"], (data, None, None, shape))  # cells as this store keeps them
        res["data"] = data
        out.append(res)
    return out


def _corpus_class(write_py: str | None):
    from nianbao.store import Corpus
    if write_py is None:
        return Corpus
    spec = importlib.util.spec_from_file_location("nianbao.store._write_other", write_py)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return type("OtherCorpus", (mod.Writing, Corpus), {})


def _fresh_url(pg: str | None, work: Path):
    if pg is None:
        return f"sqlite:///{work / (uuid.uuid4().hex + '.db')}", None
    import psycopg
    name = f"nianbao_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{pg.rsplit('/', 1)[0]}/{name}", name


def _drop(pg: str | None, name: str | None) -> None:
    if name:
        import psycopg
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _once(cls, results: list, pg, work: Path) -> float:
    url, name = _fresh_url(pg, work)
    try:
        with cls(url) as c:
            c0 = time.process_time()
            for i in range(0, len(results), 100):
                c.store_results(results[i:i + 100])
            return time.process_time() - c0
    finally:
        _drop(pg, name)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--pg", default=None, help="a PostgreSQL URL (a throwaway database is made on its server)")
    ap.add_argument("--against", default=None, help="another store/write.py to time beside this one")
    args = ap.parse_args(argv)
    from nianbao.store.migrations import CELL_SETS
    results = _results(args.n, CELL_SETS["postgresql" if args.pg else "sqlite"])
    kinds = {"this": _corpus_class(None)}
    if args.against:
        kinds["other"] = _corpus_class(args.against)
    times: dict = {k: [] for k in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeats):
            for k, cls in kinds.items():  # interleaved: the same machine load for both
                times[k].append(_once(cls, results, args.pg, Path(tmp)))
    med = {k: statistics.median(v) * 1000 / args.n for k, v in times.items()}
    db = "PostgreSQL" if args.pg else "SQLite"
    print(f"writer CPU per document, {db}, {args.n} documents, median of {args.repeats}: {med['this']:.3f} ms")
    if "other" in med:
        print(f"  {args.against}: {med['other']:.3f} ms  (this / other = {med['this'] / med['other']:.2f})")


if __name__ == "__main__":
    main()
