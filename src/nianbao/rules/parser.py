"""Parser diagnostics surface as findings (family P), so one report lists everything."""
from __future__ import annotations

from ..model.codes import CODES
from .registry import hit, inner_quotes, rule
from .zh import p_doc

# parser diagnostics that a structure or cell rule already reports to the reviewer, in its words
COVERED_BY = {"P101": "S101", "P201": "S102", "P202": "S103", "P207": "C105"}


def _register(code: str, name: str, severity: str, doc: str):
    def func(report, previous):
        for d in report.diagnostics:
            if d.code == code:
                yield hit(d.keys, d.loc, severity=d.severity, text=_message(d),
                          expected=None, actual=d.candidates or None)
    func.__doc__ = p_doc(code)
    func.__name__ = f"parser_{code}"
    rule(code, name, severity, "{text}", covered_by=COVERED_BY.get(code))(func)


def _message(d) -> str:
    """The diagnostic's Chinese message, quoted values inside it with ‘…’ (never “…“…””)."""
    try:
        return CODES[d.code].render({k: inner_quotes(v) for k, v in (d.params or {}).items()})
    except (KeyError, IndexError, ValueError):
        return d.message


for _code, _entry in CODES.items():
    if _entry.status == "active":
        _register(_code, _entry.name, _entry.severity, _entry.doc)
