"""Parser diagnostics surface as findings (family P), so one report lists everything."""
from __future__ import annotations

from ..model.codes import CODES
from .registry import hit, rule

# parser diagnostics that a structure or cell rule already reports to the reviewer, in its words
COVERED_BY = {"P101": "S101", "P201": "S102", "P202": "S103", "P207": "C105"}


def _register(code: str, name: str, severity: str, doc: str):
    def func(report, previous):
        for d in report.diagnostics:
            if d.code == code:
                yield hit(d.keys, d.loc, severity=d.severity, text=d.message,
                          expected=None, actual=d.candidates or None)
    summary, _, example = doc.partition(" Example: ")
    func.__doc__ = (f"{summary}\n\nWhat: {summary}\n"
                    "Why: the parser could not read this part of the document with certainty; a value it is "
                    "not sure of is never emitted as if it were, so the reviewer knows what to check by hand.\n"
                    f"Example: {example or summary}\n"
                    "Basis: 《政府信息公开工作年度报告》格式（国办公开办函〔2019〕60号、〔2021〕30号）.")
    func.__name__ = f"parser_{code}"
    rule(code, name, severity, "{text}", covered_by=COVERED_BY.get(code))(func)


for _code, _entry in CODES.items():
    if _entry.status == "active":
        _register(_code, _entry.name, _entry.severity, _entry.doc)
