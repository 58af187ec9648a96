"""Isolation: each input in a worker process with a wall-time limit and a memory ceiling; any
failure of one input is recorded for it (code + Chinese message) and the batch goes on."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nianbao.audit import audit_inputs
from nianbao.config import DEFAULT
from nianbao.errors import InputError
from nianbao.isolation import WorkerPool, resident_bytes
from nianbao.store import Corpus
from conftest import CORPUS

HELPERS = Path(__file__).resolve().parent / "helpers"
SEED = CORPUS / "seeds" / "000_287ae363a5fda47a.txt"


@pytest.fixture
def tasks(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(HELPERS) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return "isolation_tasks"


def _map(func, items, workers=2, **settings):
    with WorkerPool(func, workers=workers, settings=DEFAULT.replace(**settings)) as pool:
        return list(pool.map(items))


def _codes(results):
    return [r.code if isinstance(r, InputError) else r for _, r in results]


def test_results_come_back_in_input_order(tasks):
    items = [(f"f{i}", b"x" * i) for i in range(1, 12)]
    assert _map(f"{tasks}:echo", items, workers=3) == [(n, (n, len(b))) for n, b in items]


def test_a_hang_is_killed_at_the_time_limit_and_the_batch_goes_on(tasks):
    got = _map(f"{tasks}:hang", [("a", b"1"), ("slow", b"hang"), ("b", b"22")], time_limit=1)
    assert _codes(got) == [("a", 1), "timeout", ("b", 2)]
    err = got[1][1]
    assert err.zh == "处理超时（超过 1 秒），已终止" and err.params["limit"] == 1


def test_a_slow_worker_start_is_not_counted_as_the_inputs_time(tasks):
    # the module takes 1.5 s to import; the inputs' clock starts when the worker is ready
    got = _map("isolation_slow_start:echo", [("a", b"1"), ("b", b"22"), ("c", b"333")], time_limit=1)
    assert _codes(got) == [("a", 1), ("b", 2), ("c", 3)]


def test_memory_above_the_ceiling_is_killed(tasks):
    got = _map(f"{tasks}:eat_memory", [("a", b"1"), ("hog", b"eat"), ("b", b"22")], memory_limit=300)
    assert _codes(got) == [("a", 1), "memory-limit", ("b", 2)]
    assert "300 MB" in got[1][1].zh


@pytest.mark.parametrize("payload,reason", [(b"segv", "SIGSEGV"), (b"oom-kill", "SIGKILL"), (b"exit", "退出码 3")])
def test_a_native_crash_is_recorded_and_the_worker_replaced(tasks, payload, reason):
    items = [("a", b"1"), ("bad", payload), ("b", b"22"), ("bad2", payload), ("c", b"333")]
    got = _map(f"{tasks}:crash", items, workers=1)
    assert _codes(got) == [("a", 1), "worker-crashed", ("b", 2), "worker-crashed", ("c", 3)]
    assert reason in got[1][1].zh


def test_an_exception_is_an_internal_error(tasks):
    got = _map(f"{tasks}:crash", [("bad", b"raise"), ("b", b"22")])
    assert _codes(got) == ["internal-error", ("b", 2)]
    assert "ValueError: a parser defect" in got[0][1].zh


def test_an_input_error_passes_through_untouched(tasks):
    e = InputError("empty")
    assert _map(f"{tasks}:echo", [("gone", e), ("b", b"22")]) == [("gone", e), ("b", ("b", 2))]


def test_workers_end_with_the_pool(tasks):
    pool = WorkerPool(f"{tasks}:pid", workers=2)
    with pool:
        pids = [r for _, r in pool.map([("a", b"1"), ("b", b"2"), ("c", b"3")])]
    assert pids and all(not _alive(p) for p in set(pids))


def test_resident_memory_is_read_from_proc():
    assert resident_bytes(os.getpid()) > 1024 * 1024
    assert resident_bytes(2 ** 22 + 12345) == 0  # no such process


# ------------------------------------------------------------------ check and ingest

def test_check_records_a_timeout_and_goes_on(shared):
    """The real parser under a time limit no worker can meet (its start-up alone takes longer)."""
    blobs = [("seed.txt", SEED.read_bytes())]
    run = audit_inputs(blobs, settings=DEFAULT.replace(time_limit=0.001))
    (a,) = run.tasks
    assert a.status == "unreadable" and a.error.code == "timeout"
    assert run.exit_code == 2
    assert run.to_dict()["tasks"][0]["error"]["code"] == "timeout"
    ok = audit_inputs(blobs)
    assert ok.tasks[0].status in ("ok", "findings") and ok.exit_code in (0, 1)


def test_audit_run_to_dict(shared, tmp_path):
    run = audit_inputs([("empty.txt", InputError("empty")), ("seed.txt", SEED.read_bytes())])
    d = run.to_dict()
    assert d["exit_code"] == 2 and d["valid"] is False
    assert d["stats"]["inputs"] == 2 and d["stats"]["read"] == 1 and d["stats"]["unreadable"] == 1
    assert [t["status"] for t in d["tasks"]][0] == "unreadable"
    assert d["tasks"][0]["error"] == {"code": "empty", "message": "文件为空", "message_en": "file is empty"}
    assert d["tasks"][1]["agency"] == "抚远镇人民政府" and d["tasks"][1]["status"] == "ok"
    json.dumps(d, ensure_ascii=False)  # serialisable as it is
    lines = list(run.json_lines())
    assert lines[0] == {"file": "empty.txt", "error": {"code": "empty", "message": "文件为空",
                                                       "message_en": "file is empty"}}


def test_ingest_records_a_failure_and_skips_it_until_retried(db_url, shared, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    with Corpus(db_url) as c:
        s = c.ingest([tmp_path], workers=1, settings=DEFAULT.replace(memory_limit=1))
        assert (s.parsed, s.failed) == (0, 1)
        (doc,) = c.documents()
        assert doc["status"] == "failed" and doc["error_code"] == "memory-limit"
        assert "内存占用超过上限（1 MB）" in doc["error_message"]
        # a rerun does not stumble on it again
        s = c.ingest([tmp_path], workers=1)
        assert (s.parsed, s.failed, s.skipped, s.skipped_failed) == (0, 0, 1, 1)
        # until asked to retry it ...
        s = c.ingest([tmp_path], workers=1, retry_failed=True)
        assert (s.parsed, s.failed) == (1, 0)
        (doc,) = c.documents()
        assert doc["status"] == "parsed" and doc["error_code"] is None and len(c.reports()) == 1


def test_a_new_parser_version_retries_a_failure(db_url, shared, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    with Corpus(db_url) as c:
        c.ingest([tmp_path], workers=1, settings=DEFAULT.replace(time_limit=0.001))
        assert c.documents()[0]["error_code"] == "timeout"
        assert c.ingest([tmp_path], workers=1).skipped_failed == 1
        import nianbao.store.corpus as corpus
        monkeypatch.setattr(corpus, "PARSER_VERSION", "999")
        s = c.ingest([tmp_path], workers=1)
        assert s.parsed == 1 and c.documents()[0]["parser_version"] == "999"


def test_cli_ingest_retry_failed(shared, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    run = lambda *a: subprocess.run([sys.executable, "-m", "nianbao", "ingest", "--db", db, *a,  # noqa: E731
                                     str(tmp_path / "in")], capture_output=True, text=True)
    p = run()
    assert p.returncode == 2 and "文件为空" in p.stderr
    p = run()
    assert p.returncode == 0 and "以前无法读取，已跳过" in p.stderr
    p = run("--retry-failed")
    assert p.returncode == 2 and "文件为空" in p.stderr


# ------------------------------------------------------------------ no orphans

def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _children(pid: int) -> list:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().split(")")[-1].split()[1]) == pid:
                        out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


def _wait_for(cond, seconds=60.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killing_ingest_ends_its_workers(shared, tmp_path, sig):
    for i in range(8):  # enough work that workers are busy when the signal comes
        (tmp_path / f"r{i}.txt").write_text(SEED.read_text(encoding="utf-8").replace("抚远镇", f"抚远{i}镇"),
                                            encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "nianbao", "ingest", "--db", f"sqlite:///{tmp_path / 'k.db'}",
                          "--workers", "2", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _wait_for(lambda: len(_children(p.pid)) >= 1 or p.poll() is not None)
    workers = _children(p.pid)
    assert workers, "ingest ended before its workers could be seen"
    os.kill(p.pid, sig)
    p.wait()
    assert _wait_for(lambda: not any(_alive(w) for w in workers)), "orphan workers left behind"


# ------------------------------------------------------------------ two ingests at once

def _state(url):
    with Corpus(url) as c:
        docs = sorted((d["sha256"], d["status"]) for d in c.documents())
        cells = sorted((r["file"], r["table"], r["row"], r["column"], str(r["value"])) for r in c.long_rows())
        finds = sorted((f["file"], f["code"], f["keys"]) for f in c.findings())
    return docs, cells, finds


def test_two_ingests_at_once_on_a_fresh_database_end_as_one(db_url, shared, tmp_path):
    """Overlapping folders and, in each, a report of another body under one shared file name (as
    uploads are named): both stay current, the shared bytes are one document, and
    the whole state equals one run's."""
    from storestate import assert_same_state, canonical_state
    from test_store import seed_year
    text = SEED.read_text(encoding="utf-8")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for y in (2018, 2019, 2020):
        (a / f"{y}.txt").write_text(seed_year(text, y), encoding="utf-8")
    for y in (2019, 2020, 2021):  # overlapping: 2019 and 2020 are the same bytes in both folders
        (b / f"{y}.txt").write_text(seed_year(text, y), encoding="utf-8")
    shared_name = "2023年政府信息公开工作年度报告.txt"
    for d, town in ((a, "黑河镇"), (b, "兴隆镇")):
        (d / shared_name).write_text(seed_year(text, 2023).replace("抚远镇", town), encoding="utf-8")
    # each ingest runs in its folder and names its files as given there: the same names in both
    cmd = [sys.executable, "-m", "nianbao", "ingest", "--db", db_url, "--workers", "2", "."]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    procs = [subprocess.Popen(cmd, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for d in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    concurrent = _state(db_url)
    one = f"sqlite:///{tmp_path / 'one.db'}"
    with Corpus(one) as c:
        c.ingest([a, b], workers=1)
    ref = _state(one)
    assert len(concurrent[0]) == 6 and concurrent[0] == ref[0]
    strip = lambda rows: sorted((Path(r[0]).name, *r[1:]) for r in rows)  # noqa: E731
    assert strip(concurrent[1]) == strip(ref[1])
    assert strip(concurrent[2]) == strip(ref[2])
    with Corpus(db_url) as c:
        current = [r for r in c.reports() if r["file"] == shared_name]
        assert sorted(r["agency"] for r in current) == ["兴隆镇人民政府", "黑河镇人民政府"]
        assert c.conflicts() == []
        # the shared bytes were named alike in both runs ("2019.txt"): one document, one path
        assert [c.paths(d["id"]) for d in c.documents()].count(["2019.txt"]) == 1
        assert c.db.one("SELECT COUNT(*) FROM blobs")[0] == 6
        # a second pair of runs at once changes nothing: the state is a function of the inputs
        before = canonical_state(db_url)
    procs = [subprocess.Popen(cmd, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for d in (a, b)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    assert_same_state(canonical_state(db_url), before)


def test_collector_paused_for_one_input_then_cycles_collected():
    import gc
    import weakref

    from nianbao.isolation import collector_paused

    class Node:
        pass

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        ref = weakref.ref(a)
        del a, b
        assert ref() is not None
    assert gc.isenabled()
    assert ref() is None  # collected right after the input
    gc.disable()
    try:  # a caller that runs without the collector keeps it off
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
