"""A task module whose import takes longer than the inputs' time limit (a cold worker on a busy
machine: no bytecode cache, heavy imports)."""
import time

time.sleep(1.5)


def echo(name, payload, settings=None):
    return (name, len(payload))
