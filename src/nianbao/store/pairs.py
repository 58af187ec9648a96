"""The cross-year rules over many pairs, in worker processes: the checking scales with the workers,
the writing process only stores the findings.

A worker opens the store to read (:meth:`Corpus.reader`, once per process and database), loads a
chunk of pairs light and returns their findings as plain dicts; it writes nothing. A chunk whose
worker fails (a crash, a limit) is checked in the calling process instead, so the pass is the same
either way.
"""
from __future__ import annotations

CHUNK = 250  # pairs per transaction (and per worker task): bounded memory, few queries
WORKER_CHUNK = 50  # … per worker task when workers check them (smaller: both workers busy to the end)
MIN_PAIRS = 100  # fewer pairs than this: checked here (starting workers would cost more)
TASK = "nianbao.store.pairs:check_chunk"

_readers: dict = {}


def check_chunk(name: str, payload, settings=None) -> dict:
    """The worker's task: ``payload`` is (database URL, [(report id, previous id), …])."""
    from .corpus import Corpus
    url, pairs = payload
    corpus = _readers.get(url)
    if corpus is None:
        corpus = _readers[url] = Corpus.reader(url)
    return corpus.check_pairs(pairs)


def checked_chunks(corpus, todo: list, workers: int | None, *, first: bool = False):
    """Yield (chunk of pairs, {report id: (previous id, [finding dicts])}) for ``todo``, in order;
    ``first``: yield one (empty) chunk even when there is nothing to check."""
    if workers is not None and workers > 0 and len(todo) >= MIN_PAIRS:
        from ..errors import InputError
        from ..isolation import run_isolated
        chunks = [todo[i: i + WORKER_CHUNK] for i in range(0, len(todo), WORKER_CHUNK)]
        items = ((f"cross-year {i}", (corpus.db.url, chunk)) for i, chunk in enumerate(chunks))
        for chunk, (_, result) in zip(chunks, run_isolated(TASK, items, workers)):
            if isinstance(result, InputError):  # that worker failed: this process checks the chunk
                result = corpus.check_pairs(chunk)
            else:
                result = {int(rid): (prev, found) for rid, (prev, found) in result.items()}
            yield chunk, result
        return
    for i in range(0, max(len(todo), 1 if first else 0), CHUNK):
        chunk = todo[i: i + CHUNK]
        yield chunk, corpus.check_pairs(chunk)
