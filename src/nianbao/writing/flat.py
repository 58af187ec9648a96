"""The draft as keys → values, for systems that export their statistics: JSON or CSV.

JSON: ``{"agency", "year", "template": "2021", "cells": {key: value}}`` (plus ``"previous"``:
last year's ``{"agency", "year", "cells"}`` when prefilled). CSV: a header ``key,label,value``,
two rows ``agency`` and ``year``, then one row per cell key. Money is yuan, as in the record
(``active.fees.amount_yuan``); a blank value is a blank cell.
"""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, InvalidOperation

from .. import spec
from . import layout
from .draft import Draft, in_force

_LABEL = {"agency": "机关名称", "year": "年度"}


def _label(key: str) -> str:
    t = spec.table(layout.TEMPLATE, key.split(".")[0])
    label = spec.label_of(key, layout.TEMPLATE).replace("（单位：万元）", "（元）")
    return f"{layout.SHEET_NAMES[t.key]} {label}"


def _values(draft: Draft) -> dict:
    v = dict(draft.values)
    for r, start in draft.starts.items():  # 现行有效件数 continued, as the workbook's formula
        v[f"active.{r}.in_force"] = in_force(start, v.get(f"active.{r}.issued"), v.get(f"active.{r}.repealed"))
    return v


def to_json(draft: Draft) -> str:
    d = {"agency": draft.agency, "year": draft.year, "template": layout.TEMPLATE, "cells": _values(draft)}
    if draft.previous is not None:
        d["previous"] = {"agency": draft.previous_agency or draft.agency, "year": draft.previous_year,
                         "cells": draft.previous}
    return json.dumps(d, ensure_ascii=False, indent=1)


def to_csv(draft: Draft) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["key", "label", "value"])
    w.writerow(["agency", _LABEL["agency"], draft.agency])
    w.writerow(["year", _LABEL["year"], draft.year])
    for k, v in _values(draft).items():
        w.writerow([k, _label(k), "" if v is None else v])
    return buf.getvalue()


def _value(key: str, raw, problems: list):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        problems.append((key, str(raw), "不是数字"))
        return None
    try:
        d = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        problems.append((key, str(raw), "不是数字"))
        return None
    if spec.column_of(key, layout.TEMPLATE).money:
        return int(d) if d == d.to_integral_value() else float(d)
    if d != d.to_integral_value():
        problems.append((key, str(raw), "计数应为整数"))
        return None
    return int(d)


def _draft(agency, year, cells: dict, problems: list) -> Draft:
    known = set(layout.keys())
    unknown = sorted(set(cells) - known)
    if unknown:
        raise ValueError(f"未知的单元格代码：{', '.join(unknown[:5])}")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValueError(f"年度不是数字：{year!r}") from None
    values = {k: _value(k, cells.get(k), problems) for k in layout.keys()}
    return Draft(str(agency or "").strip(), year, values)


def read_json(text: str) -> tuple:
    d = json.loads(text)
    problems: list = []
    draft = _draft(d.get("agency"), d.get("year"), d.get("cells", {}), problems)
    prev = d.get("previous")
    if prev:
        draft.previous, draft.previous_agency, draft.previous_year = prev.get("cells", {}), prev.get("agency"), prev.get("year")
    return draft, problems


def read_csv(text: str) -> tuple:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or [c.strip() for c in rows[0][:1]] != ["key"]:
        raise ValueError("CSV 第一行应为表头 key,label,value")
    head = [c.strip() for c in rows[0]]
    vi = head.index("value") if "value" in head else len(head) - 1
    data = {r[0].strip(): (r[vi] if len(r) > vi else "") for r in rows[1:] if r and r[0].strip()}
    problems: list = []
    agency, year = data.pop("agency", ""), data.pop("year", None)
    return _draft(agency, year, data, problems), problems
