"""The record: one parsed report, serialisable to JSON and back without loss."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from .document import Location


@dataclass(init=False)
class Diagnostic:
    """A coded finding of the parser itself about what it could not read with certainty.

    ``code`` is permanent (see :mod:`nianbao.model.codes`), ``params`` holds the fields of its
    message template; ``message`` (Chinese) is rendered from the code catalogue, never stored as
    the truth. ``keys`` names the cells concerned, ``candidates`` lists the readings left when
    several remain. A diagnostic made without ``params`` (a literal ``message``) keeps that text.
    """

    code: str
    severity: str
    loc: Optional[Location]
    keys: list
    candidates: list
    params: Optional[dict]
    text: Optional[str]  # a literal message, only for a diagnostic made without params

    def __init__(self, code: str, message: Optional[str] = None, severity: str = "warning",
                 loc: Optional[Location] = None, keys=None, candidates=None, params: Optional[dict] = None):
        self.code = code
        self.severity = severity  # error | warning | info
        self.loc = loc
        self.keys = list(keys or [])
        self.candidates = list(candidates or [])
        self.params = None if params is None else dict(params)
        self.text = None if params is not None else message

    @property
    def message(self) -> str:
        """The Chinese message, rendered from the code catalogue and ``params``."""
        if self.params is None and self.text is not None:
            return self.text
        from .codes import render
        return render(self.code, self.params)

    def message_in(self, lang: str = "zh") -> str:
        """The message in ``zh`` or ``en``."""
        if lang == "zh":
            return self.message
        from .codes import render
        return render(self.code, self.params, lang)

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"code": self.code, "severity": self.severity, "message": self.message}
        if self.params is not None:
            d["params"] = dict(self.params)
        if self.loc is not None:
            d["loc"] = self.loc.to_dict()
        if self.keys:
            d["keys"] = list(self.keys)
        if self.candidates:
            d["candidates"] = self.candidates
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Diagnostic":
        """Rebuilt from code + params when the record has them (the stored message is then only a
        copy for readers); from the stored message otherwise."""
        params = d.get("params")
        return cls(code=d["code"], message=None if params is not None else d.get("message"),
                   severity=d.get("severity", "warning"), params=params,
                   loc=Location.from_dict(d["loc"]) if d.get("loc") else None,
                   keys=list(d.get("keys", [])), candidates=list(d.get("candidates", [])))


@dataclass(slots=True)
class CellValue:
    """One template cell: its value (int, money as yuan; None when blank or unreadable), the raw
    text as written, where it was found, and whether the parser is sure of it."""

    value: Any
    raw: str
    loc: Optional[Location] = None
    certain: bool = True

    def to_dict(self) -> dict:
        d = {"value": self.value, "raw": self.raw, "certain": self.certain}
        if self.loc is not None:
            d["loc"] = self.loc.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "CellValue":
        return cls(value=d["value"], raw=d["raw"], certain=d.get("certain", True),
                   loc=Location.from_dict(d["loc"]) if d.get("loc") else None)


@dataclass(slots=True)
class Part:
    number: int  # 1..6
    title: str
    text: str
    loc: Optional[Location] = None

    def to_dict(self) -> dict:
        d = {"number": self.number, "title": self.title, "text": self.text}
        if self.loc is not None:
            d["loc"] = self.loc.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Part":
        return cls(number=d["number"], title=d["title"], text=d["text"],
                   loc=Location.from_dict(d["loc"]) if d.get("loc") else None)


@dataclass
class Report:
    file: Optional[str]
    format: str
    sha256: str
    agency: Optional[str] = None
    year: Optional[int] = None
    template: Optional[str] = None
    title: Optional[str] = None
    parts: list = field(default_factory=list)  # list[Part]
    cells: dict = field(default_factory=dict)  # key -> CellValue
    tables: list = field(default_factory=list)  # table ids found: "active", ...
    diagnostics: list = field(default_factory=list)  # list[Diagnostic]
    labels: dict = field(default_factory=dict)  # table id -> its label text as written (headers, row labels)

    def value(self, key: str) -> Any:
        c = self.cells.get(key)
        return None if c is None else c.value

    def values(self) -> dict:
        """Mapping from each cell key to its value."""
        return {k: c.value for k, c in self.cells.items()}

    def part(self, number: int) -> Optional[Part]:
        return next((p for p in self.parts if p.number == number), None)

    def to_dict(self, full: bool = True) -> dict:
        d = {
            "file": self.file, "format": self.format, "sha256": self.sha256,
            "agency": self.agency, "year": self.year, "template": self.template, "title": self.title,
            "tables": list(self.tables),
            "cells": self.values(),
            "diagnostics": [x.to_dict() for x in self.diagnostics],
        }
        if full:
            d["parts"] = [p.to_dict() for p in self.parts]
            d["cell_details"] = {k: c.to_dict() for k, c in self.cells.items()}
            d["labels"] = dict(self.labels)
        return d

    def to_json(self, full: bool = True) -> str:
        return json.dumps(self.to_dict(full), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        details = d.get("cell_details")
        if details is None:
            cells = {k: CellValue(value=v, raw="" if v is None else str(v)) for k, v in d.get("cells", {}).items()}
        else:
            cells = {k: CellValue.from_dict(v) for k, v in details.items()}
        return cls(file=d.get("file"), format=d["format"], sha256=d["sha256"], agency=d.get("agency"),
                   year=d.get("year"), template=d.get("template"), title=d.get("title"),
                   parts=[Part.from_dict(p) for p in d.get("parts", [])], cells=cells,
                   tables=list(d.get("tables", [])), labels=dict(d.get("labels", {})),
                   diagnostics=[Diagnostic.from_dict(x) for x in d.get("diagnostics", [])])

    @classmethod
    def from_json(cls, s: str) -> "Report":
        return cls.from_dict(json.loads(s))
