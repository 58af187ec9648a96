"""Fill a store with a synthetic corpus quickly: no files, no isolated workers, batched writes.

    from nianbao.store import Corpus
    from nianbao.testing.synth import fill_store
    with Corpus("sqlite:///big.db") as c:          # or a PostgreSQL URL
        fill_store(c, 10_000)                       # 10⁴: ~1 min on 2 cores; 10⁵: ~10 min

The documents are those of :func:`~nianbao.testing.synth.write_corpus` (same ``n``, ``seed``,
``formats``, ``defect_rate``: the same bytes, names, bodies and years). Each is rendered, parsed and
audited in a plain process pool (``workers``) and written through the store's batched writer
(:meth:`Corpus.store_results`, ``batch`` documents per transaction), then the cross-year pass runs
once. The records are exactly what ``nianbao ingest`` stores for the written corpus; only the
isolation (time and memory limits per document) is left out, as the inputs are known to be benign.
A store filled before is filled further: documents already stored (same bytes) are skipped.
"""
from __future__ import annotations

import multiprocessing
import os

from .corpus import corpus_documents, render_entry


def _init() -> None:
    from ...isolation import tune_gc
    tune_gc()


def _work(args) -> dict:
    from ...store.work import parse_and_check
    entry, state, keep_bytes, shape = args
    import random
    rng = random.Random()
    rng.setstate(state)
    data, _ = render_entry(entry, rng)
    out = parse_and_check(entry["name"], (data, None, None, shape))  # cells as the store keeps them
    if keep_bytes:
        out["data"] = data
    return out


def fill_store(corpus, n: int, *, seed: int = 0, formats=("text", "html"), defect_rate: float = 0.1,
               workers: int | None = None, keep_bytes: bool = True, batch: int = 500, cross_year: bool = True,
               progress=None):
    """Store the ``n`` documents of the synthetic corpus ``(n, seed, formats, defect_rate)`` in
    ``corpus`` (a :class:`~nianbao.store.Corpus`); returns its ingest summary. ``keep_bytes``:
    keep each document's bytes as ingest does (False: a smaller store, documents not viewable).
    ``progress(k)``: called as documents are written."""
    summary = corpus.summary_type()
    from ...store.migrations import CELL_SETS
    shape = CELL_SETS[corpus.db.dialect]
    jobs = ((entry, rng.getstate(), keep_bytes, shape)
            for _, entry, rng in corpus_documents(n, seed=seed, formats=formats, defect_rate=defect_rate))
    ctx = multiprocessing.get_context("fork")  # the caller needs no __main__ guard; children never use its connections
    with ctx.Pool(max(1, workers or os.cpu_count() or 1), initializer=_init) as pool:
        pending: list = []
        for res in pool.imap(_work, jobs, chunksize=8):
            pending.append(res)
            if len(pending) >= batch:
                corpus.store_results(pending, summary)
                if progress:
                    progress(len(pending))
                pending = []
        if pending:
            corpus.store_results(pending, summary)
            if progress:
                progress(len(pending))
    if cross_year:
        summary.cross_year_pairs = corpus.run_cross_year()
    return summary
