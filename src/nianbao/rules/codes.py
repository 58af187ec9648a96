"""Every code nianbao has ever issued, with its status (like ruff's ``codes.rs`` + ``RuleStatus``).

The store keeps findings forever, so a code must stay explainable after its rule is gone. Three
sources make up the table:

* the rule codes S/C/A/T/Y, listed here in :data:`RULE_CODES` (``active`` ones are registered by
  ``@rule`` in this package; ``retired`` ones keep their text in :data:`RETIRED_RULES`);
* the parser diagnostics P… and the input errors (``bad-encoding`` …), whose ``status`` is a field
  of the code catalogue :data:`nianbao.model.codes.CATALOGUE`.

Retire a rule by deleting its ``@rule`` function, setting its status here to ``RETIRED`` and
moving its name, severity, message and doc into :data:`RETIRED_RULES`. Never reuse a code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..model.codes import ACTIVE, CATALOGUE, RETIRED

RULE_CODES: dict = {
    "S101": ACTIVE, "S102": ACTIVE, "S103": ACTIVE, "S104": ACTIVE, "S105": ACTIVE,
    "C101": ACTIVE, "C102": ACTIVE, "C103": ACTIVE, "C104": ACTIVE, "C105": ACTIVE, "C106": ACTIVE,
    "A101": ACTIVE, "A102": ACTIVE, "A103": ACTIVE, "A104": ACTIVE,
    "T101": ACTIVE, "T102": ACTIVE, "T103": ACTIVE, "T104": ACTIVE, "T105": ACTIVE, "T106": ACTIVE,
    "T107": ACTIVE,
    "Y101": ACTIVE, "Y102": ACTIVE, "Y103": ACTIVE,
}
"""Rule codes (families S, C, A, T, Y) ever issued → ``active`` | ``retired``."""


@dataclass(frozen=True)
class Retired:
    """What is kept of a retired rule, so that ``nianbao rule CODE`` can still explain it."""
    code: str
    name: str
    severity: str
    message: str
    doc: str
    retired: str = ""  # when and why (version, date, replacement)


RETIRED_RULES: dict = {}
"""code → :class:`Retired`, for every rule code whose status is ``retired`` (none yet)."""


def status_table() -> dict:
    """Every code ever issued → ``active`` | ``retired``: P codes, rule codes, input error codes."""
    table = {code: e.status for code, e in CATALOGUE.items()}
    table.update(RULE_CODES)
    table.update({code: RETIRED for code in RETIRED_RULES})
    return table


@dataclass(frozen=True)
class Explanation:
    """One code explained (the shape ``nianbao rule`` prints)."""
    code: str
    name: str
    kind: str  # rule | diagnostic | input
    severity: str
    status: str
    message: str  # the Chinese message template
    doc: str
    retired: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def explain(code: str) -> Optional[Explanation]:
    """The explanation of any code ever issued (case-insensitive), or None."""
    from . import RULES  # the registered (active) rules

    for key in dict.fromkeys((code.upper(), code.lower())):
        r = RULES.get(key)
        if r is not None:
            return Explanation(r.code, r.name, "diagnostic" if r.family == "P" else "rule", r.severity,
                               status_table().get(key, ACTIVE), r.message, r.doc)
        old = RETIRED_RULES.get(key)
        if old is not None:
            return Explanation(old.code, old.name, "rule", old.severity, RETIRED, old.message, old.doc,
                               old.retired)
        e = CATALOGUE.get(key)
        if e is not None:
            from .zh import input_doc, p_doc
            doc = p_doc(e.code) if e.kind == "diagnostic" else input_doc(e.code)
            return Explanation(e.code, e.name, e.kind, e.severity, e.status, e.zh, doc)
    return None
