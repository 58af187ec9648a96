"""Audit many reports at once: parse, pair each body's consecutive years, run the rules."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .errors import InputError
from .model import Report
from .parsing import parse
from .parsing.meta import norm_agency
from .rules import check


@dataclass
class Audited:
    name: str
    report: Optional[Report] = None
    findings: list = field(default_factory=list)
    error: Optional[InputError] = None

    @property
    def unreadable(self) -> bool:
        """Parsed, but nothing could be read (a scanned PDF: P001)."""
        return self.report is not None and any(d.code == "P001" for d in self.report.diagnostics)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def body_key(report: Report) -> str:
    return norm_agency(report.agency or "")


def audit_inputs(named_blobs, select=None, ignore=None) -> list:
    """[(name, bytes | InputError)] → [Audited], with previous years paired by normalised body name."""
    out = []
    for name, blob in named_blobs:
        if isinstance(blob, InputError):
            out.append(Audited(name, error=blob))
            continue
        try:
            out.append(Audited(name, report=parse(blob, filename=name)))
        except InputError as e:
            out.append(Audited(name, error=e))
    by_body = {}
    for a in out:
        if a.report is not None and a.report.agency and a.report.year:
            by_body[(body_key(a.report), a.report.year)] = a.report
    for a in out:
        if a.report is None:
            continue
        prev = None
        if a.report.agency and a.report.year:
            prev = by_body.get((body_key(a.report), a.report.year - 1))
        a.findings = check(a.report, prev, select=select, ignore=ignore)
    return out
