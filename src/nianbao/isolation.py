"""Work on each input in a worker process, with a wall-time limit and a memory ceiling.

One hostile file must not take a batch down: a parser exception, a hang, a memory blow-up or a
native crash (segfault, OOM kill) of the reader becomes a coded failure of *that* input
(:class:`~nianbao.errors.InputError` ``internal-error``, ``timeout``, ``memory-limit``,
``worker-crashed``) and the batch goes on with a fresh worker in place of the dead one.

    with WorkerPool("nianbao.store.work:parse_and_check", workers=4, settings=s) as pool:
        for name, result in pool.map(named_blobs):   # in input order
            ...                                        # result: the function's value or an InputError

Workers are plain subprocesses (``python -c …_worker_main``) talking over two pipes, so they
also run inside daemonic processes (Dask workers). The parent watches each busy worker's resident
memory (``/proc/PID/statm``) and its wall time and kills it (SIGKILL) above either limit; no
address-space rlimit is used (it breaks allocators that reserve large virtual ranges). A worker
dies with its parent (``PR_SET_PDEATHSIG``), so killing the caller leaves no orphans.
"""
from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .config import DEFAULT, Settings
from .errors import InputError
from .ingest import IMAGE_SIGNATURES, PDF_SIGNATURE

POLL = 0.05  # seconds between two looks at a busy worker's memory
STARTUP = 60.0  # seconds a worker may take to start (its imports), on top of its first input's limit
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes(pid: int) -> int:
    """The resident memory of process ``pid`` in bytes (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _signal_name(n: int) -> str:
    try:
        return signal.Signals(n).name
    except ValueError:
        return str(n)


class _Worker:
    def __init__(self, func: str):
        task_r, task_w = os.pipe()
        res_r, res_w = os.pipe()
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from nianbao.isolation import _worker_main; "
             "_worker_main(*map(int, sys.argv[1:3]), sys.argv[3], int(sys.argv[4]))",
             str(task_r), str(res_w), func, str(os.getpid())],
            pass_fds=(task_r, res_w), env=env, stdin=subprocess.DEVNULL, close_fds=True)
        os.close(task_r)
        os.close(res_w)
        self.tasks = Connection(task_w, readable=False)
        self.results = Connection(res_r, writable=False)
        self.job = None  # (index, name, payload) being worked on
        self.started = 0.0
        self.limit = 0.0  # seconds this job may take
        self.ready = False  # started up (its imports done): until then it may take STARTUP seconds more
        self.measured = 0.0  # when its resident memory was last looked at

    @property
    def pid(self) -> int:
        return self.proc.pid

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass
        self.proc.wait()
        for c in (self.tasks, self.results):
            try:
                c.close()
            except OSError:
                pass


class WorkerPool:
    """Up to ``workers`` worker processes running ``func`` (``"module:function"``, called as
    ``func(name, payload, settings=settings)``) on each input, with ``settings.time_limit`` and
    ``settings.memory_limit`` per input. Workers start lazily, as inputs arrive."""

    def __init__(self, func: str, workers: int | None = None, settings: Settings | None = None):
        self.func = func
        self.size = max(1, workers or os.cpu_count() or 1)
        self.settings = settings or DEFAULT
        self.workers: list = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        """Kill every worker (they hold no state worth keeping)."""
        for w in self.workers:
            w.kill()
        self.workers = []

    def pids(self) -> list:
        return [w.pid for w in self.workers]

    # ---------------------------------------------------------------- running

    def map(self, items):
        """Yield ``(name, result)`` for each ``(name, payload)`` of ``items``, in input order.

        ``result`` is the function's return value, or the :class:`InputError` that stopped it.
        A payload that is already an :class:`InputError` is passed through untouched. At most a
        few inputs per worker are held in memory at once.
        """
        it = iter(items)
        window = self.size * 2
        done: dict = {}
        queue: list = []  # (index, name, payload) not yet handed to a worker
        next_in = next_out = 0
        exhausted = False
        try:
            while True:
                while not exhausted and next_in - next_out < window:
                    try:
                        name, payload = next(it)
                    except StopIteration:
                        exhausted = True
                        break
                    if isinstance(payload, InputError):
                        done[next_in] = (name, payload)
                    else:
                        queue.append((next_in, name, payload))
                    next_in += 1
                self._dispatch(queue, done)  # idle workers take their next input before results go out
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
                if exhausted and next_out == next_in:
                    return
                self._dispatch(queue, done)
                self._collect(done)
        finally:
            self.close()

    def _dispatch(self, queue: list, done: dict) -> None:
        while queue:
            idle = next((w for w in self.workers if w.job is None), None)
            if idle is None:
                if len(self.workers) >= self.size:
                    return
                idle = _Worker(self.func)
                self.workers.append(idle)
            job = queue.pop(0)
            try:
                idle.tasks.send((job[1], job[2], self.settings))
            except (OSError, ValueError):  # died before it took the job: a fresh one takes it
                self._replace(idle)
                queue.insert(0, job)
                continue
            idle.job = job
            idle.started = time.monotonic()
            idle.limit = self.settings.time_limit + self._ocr_allowance(job[2])

    def _ocr_allowance(self, payload) -> float:
        """Extra seconds for a scan (setting ``ocr_seconds_per_page`` per page OCR may read)."""
        if isinstance(payload, tuple):  # (bytes, sha256, stored OCR pages): nianbao.store.work
            payload = payload[0]
        if not isinstance(payload, (bytes, bytearray)) or not payload.startswith((PDF_SIGNATURE, *IMAGE_SIGNATURES)):
            return 0.0  # not a PDF or an image: no OCR (and no import of the PDF reader in this process)
        from .ingest.ocr import scan_pages
        return self.settings.ocr_seconds_per_page * scan_pages(payload)

    def _collect(self, done: dict) -> None:
        busy = [w for w in self.workers if w.job is not None]
        if not busy:
            return
        now = time.monotonic()
        timeout = max(0.0, min(POLL, min(w.started + w.limit + (0 if w.ready else STARTUP) - now for w in busy)))
        ready = wait([w.results for w in busy], timeout=timeout)
        for w in busy:
            if w.results in ready:
                try:
                    kind, value = w.results.recv()
                except (EOFError, OSError):
                    w.proc.wait()
                    rc = w.proc.returncode
                    reason = f"信号 {_signal_name(-rc)}" if rc < 0 else f"退出码 {rc}"
                    self._fail(w, done, InputError("worker-crashed", reason=reason, returncode=rc))
                    continue
                except Exception as e:  # an unpicklable result: a defect of the task
                    self._fail(w, done, InputError("internal-error", error=f"{type(e).__name__}: {e}", message=str(e)))
                    continue
                if kind == "ready":  # started up (imports done): the job's clock starts now
                    w.started, w.ready = time.monotonic(), True
                    continue
                index, name, _ = w.job
                done[index] = (name, value if kind == "ok" else _error(value))
                w.job = None
        now = time.monotonic()
        mem_cap = self.settings.memory_limit * 1024 * 1024
        for w in self.workers:
            if w.job is None:
                continue
            if now - w.started > w.limit + (0 if w.ready else STARTUP):
                self._fail(w, done, InputError("timeout", limit=_num(w.limit)))
            elif now - w.measured >= POLL:  # a look at its memory every POLL seconds, not at every result
                w.measured = now
                if resident_bytes(w.pid) > mem_cap:
                    self._fail(w, done, InputError("memory-limit", limit_mb=self.settings.memory_limit))

    def _fail(self, w: _Worker, done: dict, error: InputError) -> None:
        index, name, _ = w.job
        done[index] = (name, error)
        self._replace(w)

    def _replace(self, w: _Worker) -> None:
        """Kill a worker; a new one starts when there is work for it."""
        w.kill()
        self.workers.remove(w)


def _num(x: float):
    return int(x) if float(x).is_integer() else x


def _error(value) -> InputError:
    code, params, zh, en = value
    e = InputError(code, zh, en, **params)
    return e


def run_isolated(func: str, items, workers: int | None = None, settings: Settings | None = None):
    """``WorkerPool(func, workers, settings).map(items)``, the pool closed when done."""
    with WorkerPool(func, workers, settings) as pool:
        yield from pool.map(items)


# ---------------------------------------------------------------- the worker side

def _die_with_parent(parent: int) -> None:
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


GC_THRESHOLD = (50_000, 20, 100)
"""Generation thresholds of a worker: a parse allocates millions of short-lived objects (cells,
tokens, locations) and the default first-generation threshold (700) makes the collector rescan the
young survivors so often that a large input costs more per KB than a small one."""


MALLOC_TRIM_THRESHOLD = 16 << 20
MALLOC_MMAP_THRESHOLD = 4 << 20
"""glibc's allocator in a worker: keep up to 16 MB of freed memory in the heap and serve blocks
under 4 MB from it. With glibc's adaptive defaults the parsers' large blocks (Lexbor's, lxml's)
are handed back to the system after each document and faulted in again by the next: a DOCX
parse costs ~25 % more, a bare Lexbor parse up to ~2× (``bench/bench_floor.py`` runs the same way)."""


def tune_malloc() -> None:
    """Set :data:`MALLOC_TRIM_THRESHOLD` and :data:`MALLOC_MMAP_THRESHOLD` (glibc ``mallopt``);
    nothing on another C library."""
    import ctypes
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, MALLOC_TRIM_THRESHOLD)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, MALLOC_MMAP_THRESHOLD)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


def tune_gc() -> None:
    """For a process that only parses (a worker, a batch CLI run; not a long-running server that
    keeps state): move what the imports allocated out of the collector's sight (``gc.freeze``) and
    collect the young generation less often (:data:`GC_THRESHOLD`). Reference counting still
    frees everything at once; only cycles wait a little longer. The allocator is tuned too
    (:func:`tune_malloc`)."""
    import gc
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    tune_malloc()


@contextmanager
def collector_paused():
    """One input's parse in a worker (after :func:`tune_gc`): no cyclic collection while it runs,
    one of the young generations after it. A parse makes millions of objects that live until the
    record is made (a block, a cell, tokens, groups per line of a 10 MB input) and almost no
    cycles (a few hundred objects per document, none for most); the collector's young passes
    over the survivors cost ~40 % of such a parse. Reference counting frees everything else at
    once, the cycles are collected right after, and a worker's memory stays bounded by its limit
    (the pool ends a worker whose resident memory passes it)."""
    import gc
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
            gc.collect(1)


def _worker_main(task_fd: int, result_fd: int, func: str, parent: int) -> None:
    _die_with_parent(parent)
    # stray prints of a library must not reach the caller's stdout
    os.dup2(2, 1)
    tasks = Connection(task_fd, writable=False)
    results = Connection(result_fd, readable=False)
    module, _, attr = func.partition(":")
    fn = getattr(importlib.import_module(module), attr)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    tune_gc()
    try:  # a loaded machine may take seconds to start a worker: that is not the first input's time
        results.send(("ready", None))
    except (OSError, BrokenPipeError):
        return
    while True:
        try:
            name, payload, settings = tasks.recv()
        except (EOFError, OSError):
            return
        try:
            with collector_paused():
                out = ("ok", fn(name, payload, settings=settings))
        except InputError as e:
            out = ("error", (e.code, e.params, e.zh, e.en))
        except MemoryError:
            e = InputError("memory-limit", limit_mb=settings.memory_limit)
            out = ("error", (e.code, e.params, e.zh, e.en))
        except BaseException as e:  # noqa: BLE001 — a defect of one input must not end the worker
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            err = InputError("internal-error", error=f"{type(e).__name__}: {e}"[:500], message=str(e)[:500])
            out = ("error", (err.code, err.params, err.zh, err.en))
        try:
            results.send(out)
        except (OSError, BrokenPipeError):
            return
        except Exception as e:  # an unpicklable result
            err = InputError("internal-error", error=f"{type(e).__name__}: {e}"[:500], message=str(e)[:500])
            results.send(("error", (err.code, err.params, err.zh, err.en)))

