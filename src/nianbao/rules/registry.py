"""The rule registry and the finding model.

A rule is a generator function registered with :func:`rule`: permanent code (letter family +
three digits, never reused), a kebab-case name that describes the defect, a severity, a Chinese
message template, and its docstring as documentation (what / why / example / basis). It yields
:func:`hit` dicts; the registry turns them into :class:`Finding` objects.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..model.document import Location

SEVERITIES = ("error", "warning", "info")
FAMILIES = {
    "P": "解析诊断",
    "S": "结构",
    "C": "单元格",
    "A": "勾稽关系",
    "T": "正文与表格一致",
    "Y": "跨年度",
}


def inner_quotes(v):
    """A value quoted inside a “…” message: its own “…” become ‘…’ (Chinese nested quotation)."""
    if isinstance(v, str):
        return v.replace("“", "‘").replace("”", "’")
    return v


@dataclass
class Finding:
    code: str
    name: str
    severity: str
    message: str
    keys: list = field(default_factory=list)
    loc: Optional[Location] = None
    expected: Any = None
    actual: Any = None
    file: Optional[str] = None
    agency: Optional[str] = None
    year: Optional[int] = None

    def to_dict(self) -> dict:
        return {"file": self.file, "agency": self.agency, "year": self.year, "code": self.code,
                "name": self.name, "severity": self.severity, "message": self.message,
                "keys": list(self.keys), "loc": self.loc.to_dict() if self.loc else None,
                "expected": self.expected, "actual": self.actual}


@dataclass
class Rule:
    code: str
    name: str
    severity: str
    message: str  # template with {fields}
    func: Callable
    needs_previous: bool = False
    covered_by: Optional[str] = None  # a rule that reports the same defect for the reviewer

    @property
    def family(self) -> str:
        return self.code[0]

    @property
    def title(self) -> str:
        """The rule's short Chinese name (规则名称), as the workbook and the notice show it."""
        from .zh import TITLES
        return TITLES.get(self.code, self.name)

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    def run(self, report, previous=None):
        if self.needs_previous and previous is None:
            return
        for h in self.func(report, previous):
            sev = h.pop("severity", None) or self.severity
            fields = {"expected": h.get("expected"), "actual": h.get("actual"),
                      **{k: inner_quotes(v) if f"“{{{k}}}”" in self.message else v
                         for k, v in h.pop("fields").items()}}
            yield Finding(self.code, self.name, sev, self.message.format(**fields),
                          keys=h.get("keys", []), loc=h.get("loc"), expected=h.get("expected"),
                          actual=h.get("actual"), file=report.file, agency=report.agency, year=report.year)


RULES: dict = {}


def rule(code: str, name: str, severity: str, message: str, needs_previous: bool = False,
         covered_by: Optional[str] = None):
    assert severity in SEVERITIES and code[0] in FAMILIES and len(code) == 4, code

    def deco(func):
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, name, severity, message, func, needs_previous, covered_by)
        return func
    return deco


def hit(keys=(), loc=None, expected=None, actual=None, severity=None, **fields) -> dict:
    return {"keys": list(keys), "loc": loc, "expected": expected, "actual": actual,
            "severity": severity, "fields": fields}


def selected(code: str, select=None, ignore=None) -> bool:
    """ruff-style selection by code prefix (``A``, ``A1``, ``A101``)."""
    if select and not any(code.startswith(s.upper()) for s in select):
        return False
    if ignore and any(code.startswith(s.upper()) for s in ignore):
        return False
    return True
