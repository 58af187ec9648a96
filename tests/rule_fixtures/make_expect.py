"""Write the ``"expect"`` list of every ``fail.json``: the findings of its rule, as the rules give them today.

    PYTHONPATH=src python tests/rule_fixtures/make_expect.py           # all codes
    PYTHONPATH=src python tests/rule_fixtures/make_expect.py A101 C106  # just these

Each entry is ``{code, keys, expected, actual}`` of one finding of ``check(report, previous,
select=[CODE])``, in order. ``tests/test_rules.py`` asserts them exactly (like ruff's fixture
snapshots), so a change in what a rule reports shows in the diff of these files: review it there
and rerun this script only after a deliberate change.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from test_rules import CODES, RULE_FIXTURES, expect_of, fixture  # noqa: E402

from nianbao.rules import check  # noqa: E402


def main(codes) -> None:
    for code in codes:
        path = RULE_FIXTURES / code / "fail.json"
        body, report, previous = fixture(code, "fail")
        body = json.loads(path.read_text(encoding="utf-8"))  # unparsed, in its own key order
        body["expect"] = [expect_of(f) for f in check(report, previous, select=[code])]
        path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{code}: {len(body['expect'])} finding(s)")


if __name__ == "__main__":
    main([c.upper() for c in sys.argv[1:]] or CODES)
