"""A draft report's data: body, year and the template's cell values; what last year's report
carries into it; the record (``Report``) that ``nianbao.check`` audits.

Values are the record's: counts are ``int``, money (``active.fees.amount_yuan``) is yuan
(``int`` when whole, else ``float``), ``None`` is a blank cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .. import spec
from ..model import CellValue, Part, Report
from ..parsing.sections import PART_TITLES
from . import layout

TEMPLATE = layout.TEMPLATE
IN_FORCE_ROWS = ("regulations", "normative_documents")  # 现行有效件数 continues from last year


@dataclass
class Draft:
    agency: str
    year: int
    values: dict  # cell key -> value (every key of the 2021 template)
    previous: dict | None = None  # last year's values, when the draft was prefilled from them
    previous_agency: str | None = None
    previous_year: int | None = None
    starts: dict = field(default_factory=dict)  # row key -> last year's 现行有效件数

    @property
    def title(self) -> str:
        return report_title(self.agency, self.year)


def report_title(agency: str, year: int) -> str:
    """The official title: 某某镇人民政府2025年政府信息公开工作年度报告."""
    return f"{agency}{year}年政府信息公开工作年度报告"


def empty_values() -> dict:
    return {k: None for k in layout.keys()}


def _known(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def prefill(previous: Report | dict | None) -> tuple:
    """What the template links from last year's report: ``(values, starts)``.

    上年结转 (each column) = last year's 结转下年度继续办理; 现行有效件数 of 规章 and 行政规范性文件
    starts from last year's (``starts``; this year's is start + 制发 − 废止). ``previous``: a parsed
    ``Report`` or its ``values()``.
    """
    values = empty_values()
    starts: dict = {}
    if previous is None:
        return values, starts
    last = previous.values() if isinstance(previous, Report) else dict(previous)
    for c in spec.APPLICANT_COLUMNS:
        values[f"applications.carried_over.{c}"] = _known(last.get(f"applications.carried_forward.{c}"))
    for r in IN_FORCE_ROWS:
        before = _known(last.get(f"active.{r}.in_force"))
        if before is not None and f"active.{r}.issued" in spec.all_keys(TEMPLATE):
            starts[r] = before
            values[f"active.{r}.in_force"] = before  # nothing issued or repealed yet
    return values, starts


def in_force(start, issued, repealed):
    """现行有效件数 continued: last year's + 本年制发 − 本年废止 (blank counting 0)."""
    return (start or 0) + (issued or 0) - (repealed or 0)


# ------------------------------------------------------------------------------------- money

def yuan_from_wan(x) -> int | float | None:
    """A 万元 figure (as typed: int, float or text) in yuan, exactly: ``int`` when whole."""
    if x is None or x == "":
        return None
    try:
        d = Decimal(str(x).strip()) * 10000
    except InvalidOperation:
        raise ValueError(x) from None
    return int(d) if d == d.to_integral_value() else float(d)


def wan_text(yuan) -> str:
    """Yuan written in 万元 without needless digits: 1522100 → ``152.21``, 0 → ``0``."""
    d = Decimal(str(yuan)) / 10000
    s = format(d.normalize(), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def cell_text(key: str, value) -> str:
    """How a figure is printed in the template's table (money in 万元 as its header says)."""
    if value is None:
        return ""
    if spec.column_of(key, TEMPLATE).money:
        return wan_text(value)
    return str(value)


# ------------------------------------------------------------------------------------ record

def to_report(draft: Draft, parts: dict | None = None, *, file: str | None = None) -> Report:
    """The record of a draft, as ``nianbao.parse`` would make of the published report: the three
    tables with every cell, the title, and the parts when their texts are given."""
    cells = {k: CellValue(value=v, raw=cell_text(k, v)) for k, v in draft.values.items()}
    rep = Report(file=file, format="draft", sha256="", agency=draft.agency, year=draft.year,
                 template=TEMPLATE, title=draft.title, cells=cells, tables=list(layout.TABLE_KEYS))
    if parts is not None:
        rep.parts = [Part(n, PART_TITLES[n], parts.get(n, "")) for n in range(1, 7)]
    return rep


def previous_report(draft: Draft) -> Report | None:
    """Last year's figures as a record, for the cross-year rules (Y101 上年结转, Y102 现行有效)."""
    if draft.previous is None:
        return None
    cells = {k: CellValue(value=v, raw="" if v is None else str(v)) for k, v in draft.previous.items()}
    return Report(file=None, format="draft", sha256="", agency=draft.previous_agency or draft.agency,
                  year=draft.previous_year or draft.year - 1, template=TEMPLATE, cells=cells,
                  tables=list(layout.TABLE_KEYS))
