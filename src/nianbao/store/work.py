"""The unit of work that runs on a worker (a local process or a Dask worker): bytes → result dict.

It must stay picklable and import-light; it never touches the database. Both engines run it in
an isolated worker process (:mod:`nianbao.isolation`): a crash, a hang or a memory blow-up of one
document becomes that document's coded failure.
"""
from __future__ import annotations

import hashlib

from ..config import DEFAULT, Settings
from ..errors import InputError
from ..isolation import run_isolated

TASK = "nianbao.store.work:parse_and_check"


def failure(name: str, data, error: InputError, sha256: str | None = None) -> dict:
    """The result dict of a document that could not be read (``data``: its bytes, if any)."""
    ok = isinstance(data, (bytes, bytearray))
    return {"name": name, "sha256": (sha256 or hashlib.sha256(data).hexdigest()) if ok else None,
            "size": len(data) if ok else 0, "error": [error.code, error.zh, error.en]}


def parse_and_check(name: str, data, settings: Settings | None = None) -> dict:
    """Parse and audit one document. Returns a plain dict (safe to send between processes): the
    rows the store writes (:func:`nianbao.store.codec.encode_report`), made here on the worker.

    ``data``: the bytes, or ``(bytes, sha256, stored OCR pages[, cell shape])`` (:func:`run_local`):
    OCR starts from the pages the store holds for the document (:mod:`nianbao.store.ocr_pages`); the
    result carries the pages it added (``"ocr_pages"``) and how many the engine read
    (``"ocr_recognised"``); its cells are in the shape the store keeps them in
    (:func:`nianbao.store.codec.encode_report`)."""
    if isinstance(data, InputError):
        return failure(name, None, data)
    from ..ingest.ocr_cache import Seed, seeded
    from .ocr_pages import encode
    sha, pages, shape = None, None, None
    if isinstance(data, tuple):
        data, sha, pages, *more = data
        shape = more[0] if more else None
    seed = Seed(sha, pages)
    with seeded(seed):
        out = _parse_and_check(name, data, settings, shape)
    fresh = encode(seed)
    if fresh:
        out["ocr_pages"] = fresh  # kept even for a failure: the OCR work is done
    if seed.recognised:
        out["ocr_recognised"] = seed.recognised
    return out


def _parse_and_check(name: str, data, settings: Settings | None, shape: str | None = None) -> dict:
    from ..parsing import parse
    from ..rules import check
    from .codec import encode_report

    out = {"name": name, "sha256": None, "size": len(data)}
    try:
        report = parse(data, filename=name, settings=settings)
        findings = check(report)
    except InputError as e:
        out["error"] = [e.code, e.zh, e.en]
        return out
    except Exception as e:  # a parser defect is recorded with its reason; the batch goes on
        err = InputError("internal-error", error=f"{type(e).__name__}: {e}"[:500], message=str(e)[:500])
        out["error"] = [err.code, err.zh, err.en]
        return out
    out["sha256"] = report.sha256  # hashed once, by parse
    out.update(encode_report(report, findings, shape))
    return out


def run_local(todo, workers: int | None = None, settings: Settings | None = None, keep_data: bool = True):
    """Yield a result dict for each (name, bytes | InputError[, sha256[, stored OCR pages[, cell shape]]]) of
    ``todo``, each parsed in an isolated worker process (``workers`` at once). ``keep_data``: the
    input's bytes come back in the result (``"data"``), for the writer to keep; they never travel to
    the worker and back. The bytes are hashed once, here (or by the caller, who passes the digest
    along). The stored OCR pages (:func:`nianbao.store.ocr_pages.stored`) go to the worker with the
    bytes."""
    from collections import deque
    blobs: deque = deque()  # the inputs in flight, in order (results come back in input order)

    def feed():
        for name, data, *rest in todo:
            ok = isinstance(data, (bytes, bytearray))
            sha = (rest[0] if rest and rest[0] else hashlib.sha256(data).hexdigest()) if ok else None
            blobs.append((data, sha))
            yield name, ((data, sha, rest[1] if len(rest) > 1 else None, *rest[2:3]) if ok else data)

    for name, res in run_isolated(TASK, feed(), workers, settings or DEFAULT):
        data, sha = blobs.popleft()
        out = failure(name, data, res, sha) if isinstance(res, InputError) else res
        if sha is not None:
            out["sha256"] = sha
        if keep_data and isinstance(data, (bytes, bytearray)):
            out["data"] = data
        yield out


def parse_and_check_many(items: list, settings: Settings | None = None) -> list:
    """A batch of (name, data) for one task (Dask): fewer, larger tasks cost less scheduling.
    Each document still runs in its own isolated worker process on the Dask worker."""
    return list(run_local(items, workers=1, settings=settings, keep_data=False))
