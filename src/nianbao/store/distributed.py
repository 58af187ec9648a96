"""Run the parsing on a Dask distributed cluster; results come back to the caller, which writes."""
from __future__ import annotations

from itertools import islice

from ..errors import InputError
from .work import failure, parse_and_check_many

TASK = 16  # documents per task: fewer, larger tasks cost less scheduling
IN_FLIGHT = 32  # tasks submitted ahead (bounds the client's memory on national-size batches)


def run_on_dask(todo, scheduler, settings=None):
    """Yield worker results as they complete. ``todo``: an iterable of (name, bytes | InputError[,
    sha256[, stored OCR pages]]) (:func:`~nianbao.store.work.run_local`'s items: the stored OCR
    pages travel to the worker with the bytes);
    ``scheduler``: address of a running scheduler (``tcp://host:8786``) or a ``distributed.Client``.
    On the Dask worker each document runs in its own isolated process (time and memory limits);
    a task that fails as a whole (a lost worker) is recorded for each of its documents."""
    from distributed import Client, as_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    todo = iter(todo)
    try:
        chunks = iter(lambda: list(islice(todo, TASK)), [])
        pending = as_completed()
        inputs = {}

        def submit(chunk):
            fut = client.submit(parse_and_check_many, chunk, settings, pure=False)
            inputs[fut.key] = chunk
            pending.add(fut)

        for chunk in islice(chunks, IN_FLIGHT):
            submit(chunk)
        for fut in pending:
            chunk = inputs.pop(fut.key)
            try:
                results = fut.result()
            except Exception as e:  # the task died with its Dask worker (KilledWorker …)
                err = InputError("worker-crashed", reason=f"Dask 任务失败：{type(e).__name__}")
                results = [failure(name, data, err) for name, data, *_ in chunk]
            fut.release()
            for res, (_, data, *_) in zip(results, chunk):  # the bytes stayed here: the writer keeps them
                if isinstance(data, (bytes, bytearray)):
                    res["data"] = data
            nxt = next(chunks, None)
            if nxt is not None:
                submit(nxt)
            yield from results
    finally:
        if client is not scheduler:
            client.close()
