"""A bounded fuzz run (tests/fuzz_run.py) in a subprocess, so a native crash cannot take pytest
down: mutated corpus files and generated hostile structures through the isolated ``check`` path
and the CLI. No exception escapes, the limits hold, exit codes are 0/1/2."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_bounded_fuzz_run(tmp_path):
    p = subprocess.run([sys.executable, str(HERE / "fuzz_run.py"), "--seed", "7", "--cases", "250",
                        "--out", str(tmp_path / "cases")], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "cases=250" in p.stdout
