"""Fill a store with a synthetic corpus, quickly (no files; records as ``nianbao ingest`` makes them).

usage: python bench/fill_store.py --db sqlite:///big.db --n 10000 [--seed 0] [--workers 2] [--no-bytes]
       python bench/fill_store.py --db postgresql://user:pw@host/db --n 100000

The documents are those ``bench/bench_ingest.py`` (``nianbao.testing.synth.write_corpus``) writes for
the same ``--n`` and ``--seed``; see :func:`nianbao.testing.synth.fill_store`. Running it again on the
same store adds nothing (the documents are already stored); a larger ``--n`` adds the rest.
"""
from __future__ import annotations

import argparse
import sys
import time

from nianbao.isolation import tune_gc
from nianbao.store import Corpus
from nianbao.testing.synth import fill_store


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="store URL (sqlite:///file.db or postgresql://…)")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--no-bytes", action="store_true", help="do not keep the documents' bytes")
    a = ap.parse_args(argv)
    tune_gc()
    t0 = time.perf_counter()
    done = [0]

    def progress(k):
        done[0] += k
        print(f"\r{done[0]}/{a.n} documents, {time.perf_counter() - t0:.0f} s", end="", file=sys.stderr)

    with Corpus(a.db) as c:
        s = fill_store(c, a.n, seed=a.seed, workers=a.workers, keep_bytes=not a.no_bytes, progress=progress)
    print(f"\n{s.parsed} stored, {s.skipped} already there, {s.failed} failed, {s.cross_year_pairs} cross-year pairs "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
