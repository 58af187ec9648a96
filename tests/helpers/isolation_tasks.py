"""Task functions that misbehave, run by the worker pool in tests (imported in the worker, which
finds this folder on PYTHONPATH)."""
import ctypes
import os
import signal
import time


def echo(name, payload, settings=None):
    return (name, len(payload))


def hang(name, payload, settings=None):
    if payload == b"hang":
        while True:
            time.sleep(0.01)
    return echo(name, payload)


def eat_memory(name, payload, settings=None):
    if payload == b"eat":
        hog = []
        while True:
            hog.append(bytearray(16 * 1024 * 1024))  # touched pages: resident
    return echo(name, payload)


def crash(name, payload, settings=None):
    if payload == b"segv":
        ctypes.string_at(0)  # a native crash: SIGSEGV
    if payload == b"oom-kill":
        os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
    if payload == b"raise":
        raise ValueError("a parser defect")
    if payload == b"exit":
        os._exit(3)
    return echo(name, payload)


def pid(name, payload, settings=None):
    """The worker's pid, after a pause long enough to be seen busy."""
    if payload == b"wait":
        time.sleep(60)
    return os.getpid()
