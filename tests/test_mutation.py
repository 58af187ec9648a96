"""The issue's proof that the arithmetic rules A101–A104 guard every number of tables 三 and 四.

For every corpus report (each ``*.expected.json`` under ../shared/corpus with its document) and
every cell of ``applications`` and ``review_litigation`` that the parser reads as certain:
changing that one cell by a non-zero amount (+1, +7; a blank cell becomes 1) makes at least one of
A101–A104 fire, naming that cell; putting the value back silences them again (the real reports
satisfy A1–A4). Each document is parsed once; the cells are mutated in the parsed record.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

import nianbao
from nianbao.testing.scoring import answer_files
from nianbao.rules import check

from conftest import CORPUS

TABLES = ("applications.", "review_litigation.")
DELTAS = (1, 7)
MUTATED: dict = {}  # document name -> number of mutations checked


def documents():
    return [doc for _, doc in answer_files(CORPUS)]


@lru_cache(maxsize=None)
def parsed(doc):
    return nianbao.parse(doc)


def arithmetic(report):
    return check(report, select=["A"])


def mutations(cell):
    if cell.value is None:
        return (1,)
    return tuple(cell.value + d for d in DELTAS)


@pytest.mark.parametrize("doc", documents(), ids=lambda p: p.name)
def test_every_certain_cell_is_guarded(doc, shared):
    report = parsed(doc)
    assert not arithmetic(report), f"{doc.name}: the original report already breaks A1–A4"
    keys = [k for k, c in report.cells.items() if k.startswith(TABLES) and c.certain]
    if "applications" in report.tables or "review_litigation" in report.tables:
        assert keys, f"{doc.name}: no certain cell in tables 三/四"
    silent = []
    n = 0
    for key in keys:
        cell = report.cells[key]
        original = cell.value
        try:
            for value in mutations(cell):
                cell.value = value
                n += 1
                findings = arithmetic(report)
                if not any(key in f.keys for f in findings):
                    silent.append((key, original, value, [f.code for f in findings]))
        finally:
            cell.value = original
        assert report.cells[key].value == original
    assert not silent, f"{doc.name}: {len(silent)} mutations not caught, e.g. {silent[:5]}"
    assert not arithmetic(report), f"{doc.name}: restoring the cells did not silence A1–A4"
    MUTATED[doc.name] = n


def test_mutation_count(shared):
    """Run after the per-document tests (same module, defined later): how many were checked."""
    docs = documents()
    assert len(docs) >= 9
    for doc in docs:  # in case this test runs alone
        if doc.name not in MUTATED:
            test_every_certain_cell_is_guarded(doc, shared)
    total = sum(MUTATED.values())
    print(f"\nmutation checks: {total} over {len(MUTATED)} reports: "
          + ", ".join(f"{k} {v}" for k, v in sorted(MUTATED.items())))
    # 9 reports; tables 三 (7×25/26 cells) and 四 (15) in most of them, two values per cell
    assert total >= 2000
