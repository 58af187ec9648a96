"""Run the parsing on a Dask distributed cluster; results come back to the caller, which writes."""
from __future__ import annotations

from itertools import islice

from .work import parse_and_check_many

TASK = 16  # documents per task: fewer, larger tasks cost less scheduling
IN_FLIGHT = 32  # tasks submitted ahead (bounds the client's memory on national-size batches)


def run_on_dask(todo, scheduler):
    """Yield worker results as they complete. ``scheduler``: address of a running scheduler
    (``tcp://host:8786``) or a ``distributed.Client``."""
    from distributed import Client, as_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        chunks = (todo[i: i + TASK] for i in range(0, len(todo), TASK))
        pending = as_completed()
        for chunk in islice(chunks, IN_FLIGHT):
            pending.add(client.submit(parse_and_check_many, chunk, pure=False))
        for fut in pending:
            results = fut.result()
            fut.release()
            nxt = next(chunks, None)
            if nxt is not None:
                pending.add(client.submit(parse_and_check_many, nxt, pure=False))
            yield from results
    finally:
        if client is not scheduler:
            client.close()
