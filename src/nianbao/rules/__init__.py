"""Audit a parsed report with named rules: a linter for 年报.

``check(report, previous=None, select=None, ignore=None) -> list[Finding]``
"""
from __future__ import annotations

from . import arithmetic, cells, crossyear, parser, structure, text  # noqa: F401  (register rules)
from .registry import FAMILIES, RULES, Finding, Rule, selected


def check(report, previous=None, *, select=None, ignore=None) -> list:
    """All findings of the selected rules on ``report`` (``previous``: the same body's report of the
    year before, for the cross-year rules)."""
    out = []
    unreadable = any(d.code == "P001" for d in report.diagnostics)  # a scan: nothing else to audit
    for code, r in RULES.items():
        if unreadable and not code.startswith("P"):
            continue
        if r.covered_by and selected(r.covered_by, select, ignore):
            continue  # the same defect is reported by the covering rule
        if selected(code, select, ignore):
            out.extend(r.run(report, previous))
    return out


def rules_list() -> list:
    return [RULES[c] for c in sorted(RULES)]


__all__ = ["check", "RULES", "Rule", "Finding", "FAMILIES", "rules_list", "selected"]
