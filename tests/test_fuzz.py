"""A bounded fuzz run (tests/fuzz_run.py) in a subprocess, so a native crash cannot take pytest
down: Hypothesis-drawn mutations of corpus files and hostile structures (fixed seed: the same cases
in every run) through the isolated ``check`` path and the CLI. No exception escapes, the limits
hold, exit codes are 0/1/2. And two hostile inputs stated explicitly."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from fuzz_run import pdf_page  # noqa: E402


def test_bounded_fuzz_run(tmp_path):
    p = subprocess.run([sys.executable, str(HERE / "fuzz_run.py"), "--seed", "7", "--cases", "250",
                        "--out", str(tmp_path / "cases")], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "cases=250" in p.stdout


@pytest.mark.parametrize("name, data, code", [
    ("negative-mediabox.pdf", pdf_page("0 0 -612 -792"), "P001"),  # a page, no text on it
    ("bom-only.txt", b"\xef\xbb\xbf", "no-content"),
    ("utf16-bom-only.txt", b"\xff\xfe", "no-content"),
])
def test_hostile_input_is_unreadable_exit_2(tmp_path, name, data, code):
    f = tmp_path / name
    f.write_bytes(data)
    p = subprocess.run([sys.executable, "-m", "nianbao", "check", "--json", str(f)], capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    (line,) = [json.loads(x) for x in p.stdout.splitlines()]
    assert line.get("code", (line.get("error") or {}).get("code")) == code
    assert "无法读取" in p.stderr or "扫描件" in line.get("message", "")
    p = subprocess.run([sys.executable, "-m", "nianbao", "parse", str(f)], capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr
