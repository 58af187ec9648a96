"""Cells that are safe to open in a spreadsheet (OWASP “CSV injection”) and sheet names Excel accepts.

* A text field that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
  run as a formula by Excel/LibreOffice: it is written with a leading ``'`` (shown as text).
  A number stays a number (``int``/``float``/``Decimal`` are never touched), and so does a text
  that is just a signed number (``-3``), which no spreadsheet runs.
* XLSX cannot hold most control characters: they are dropped.
* Sheet names lose ``[]:*?/\\``, keep at most 31 characters and are made unique.
"""
from __future__ import annotations

import re

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def csv_cell(v):
    """``v`` neutralised for CSV: a formula-looking text gets a leading ``'``."""
    if isinstance(v, str) and v[:1] in _TRIGGERS and not _PLAIN_NUMBER.fullmatch(v):
        return "'" + v
    return v


def xlsx_cell(v):
    """``v`` for an XLSX cell: control characters dropped, then neutralised as for CSV."""
    if isinstance(v, str):
        return csv_cell(_CONTROL.sub("", v))
    return v


def safe_row(values) -> list:
    return [xlsx_cell(v) for v in values]


def sheet_name(name: str, used: set) -> str:
    """A valid, unique sheet name for ``name`` (``used``: names taken so far; updated)."""
    base = _SHEET_BAD.sub("_", str(name)).strip("'").strip() or "Sheet"
    base = base[:31]
    out, n = base, 1
    while out.lower() in used:
        n += 1
        tail = f"~{n}"
        out = base[: 31 - len(tail)] + tail
    used.add(out.lower())
    return out
