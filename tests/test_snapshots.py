"""Every record of the fixed document set equals its stored snapshot (see tests/snapshots/records.py).

A deliberate change of the parser's output is recorded with ``python tests/snapshots/records.py
--update`` and reviewed in the diff; an accidental one fails here.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "snapshots"))

import records  # noqa: E402


def test_records_equal_snapshots(shared):
    diffs = records.compare()
    assert not diffs, "\n".join(diffs[:20])
