"""Run the parsing on a Dask distributed cluster; results come back to the caller, which writes."""
from __future__ import annotations

from .work import parse_and_check

BATCH = 256


def run_on_dask(todo, scheduler):
    """Yield worker results as they complete. ``scheduler``: address of a running scheduler
    (``tcp://host:8786``) or a ``distributed.Client``."""
    from distributed import Client, as_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        for i in range(0, len(todo), BATCH):
            batch = todo[i: i + BATCH]
            futures = client.map(parse_and_check, [n for n, _ in batch], [b for _, b in batch], pure=False)
            for fut in as_completed(futures):
                yield fut.result()
                fut.release()
    finally:
        if client is not scheduler:
            client.close()
