"""Compare parsed reports with hand-written answers (``NAME.expected.json`` beside ``NAME.ext``)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Report
from ..parsing.meta import norm_agency


def answer_files(*roots) -> list:
    """(answer, document) pairs under the given directories."""
    out = []
    for base in roots:
        base = Path(base)
        if not base.exists():
            continue
        for ans in sorted(base.rglob("*.expected.json")):
            stem = ans.name[: -len(".expected.json")]
            docs = [p for p in ans.parent.iterdir() if p.stem == stem and not p.name.endswith(".json")]
            if docs:
                out.append((ans, docs[0]))
    return out




@dataclass
class Score:
    file: str
    cells: int = 0
    exact: int = 0
    wrong: list = field(default_factory=list)  # (key, got, want)
    meta: list = field(default_factory=list)  # metadata mismatches
    diagnostics: int = 0
    unflagged: list = field(default_factory=list)  # wrong keys the record does not flag (silent)

    @property
    def ok(self) -> bool:
        return not self.wrong and not self.meta

    @property
    def silent(self) -> bool:
        """Wrong and not a single diagnostic to say so."""
        return not self.ok and self.diagnostics == 0


def score_report(report: Report, truth: dict) -> Score:
    s = Score(truth.get("file") or report.file or "")
    uncertain = set(truth.get("uncertain", []))
    for key, want in truth["cells"].items():
        if key in uncertain:
            continue
        s.cells += 1
        got = report.cells.get(key)
        value = None if got is None else got.value
        if got is not None and _same(value, want):
            s.exact += 1
        else:
            s.wrong.append((key, "<missing>" if got is None else value, want))
    if truth.get("agency") and norm_agency(report.agency) != norm_agency(truth["agency"]):
        s.meta.append(f"agency {report.agency!r}≠{truth['agency']!r}")
    if truth.get("year") and report.year != truth["year"]:
        s.meta.append(f"year {report.year}≠{truth['year']}")
    if str(report.template) != str(truth.get("template")):
        s.meta.append(f"template {report.template}≠{truth.get('template')}")
    s.diagnostics = len(report.diagnostics)
    named = {k for d in report.diagnostics for k in d.keys}
    for key, _, _ in s.wrong:  # a wrong cell is silent when nothing says the record is unsure of it
        c = report.cells.get(key)
        if key not in named and (c is None or c.certain) and key.split(".")[0] in report.tables:
            s.unflagged.append(key)
    return s


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 0.005


def load_truth(path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
