"""The three statistics tables laid out like the official template: header rows with merged cells,
row labels nested as printed (三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密), one slot per cell key.

Each table becomes ``{"key", "name", "head": [[th]], "body": [[td]]}``; a ``th``/label is
``{"text", "colspan", "rowspan"}``, a value slot is ``{"key": cell key}`` (filled by the caller).
"""
from __future__ import annotations

from .. import spec

_APP_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_GROUPS = {  # applications rows under a second-level heading: heading, member row keys
    "withheld": ("（三）不予公开", [k for k in (r.key for r in spec.APPLICATIONS_2021.rows) if k.startswith("withheld_")]),
    "unavailable": ("（四）无法提供", [k for k in (r.key for r in spec.APPLICATIONS_2021.rows) if k.startswith("unavailable_")]),
    "not_processed": ("（五）不予处理", [k for k in (r.key for r in spec.APPLICATIONS_2021.rows) if k.startswith("not_processed_")]),
    "other": ("（六）其他处理", list(spec.OTHER_SUBROWS)),
}
_TOP = {"new_requests", "carried_over", "carried_forward"}


def _th(text, colspan=1, rowspan=1, cls=""):
    return {"text": text, "colspan": colspan, "rowspan": rowspan, "cls": cls}


def tables(template: str | None, present_rows: set) -> list:
    """The layouts of the template's three tables (``present_rows``: ``table.row`` keys the report has)."""
    tpl = template if template in spec.TABLES else "2021"
    out = []
    for t in spec.TABLES[tpl]:
        present = {k.split(".", 1)[1] for k in present_rows if k.startswith(t.key + ".")}
        rows = spec.expected_rows(t, tpl, present)
        if t.key == "active":
            head, body = _active(rows)
        elif t.key == "applications":
            head, body = _applications(t, rows)
        else:
            head, body = _review()
        out.append({"key": t.key, "name": t.name, "head": head, "body": body})
    return out


def _active(rows):
    width = max(len(r.columns) for r in rows)
    body, last = [], None
    for r in rows:
        cols = tuple(c.label for c in r.columns)
        if cols != last:
            body.append([_th("信息内容", cls="sub")] + [_th(c, colspan=1 + (width - len(cols) if i == len(cols) - 1 else 0),
                                                              cls="sub") for i, c in enumerate(cols)])
            last = cols
        slots = [{"key": f"active.{r.key}.{c.key}", "colspan": 1 + (width - len(cols) if i == len(cols) - 1 else 0)}
                 for i, c in enumerate(r.columns)]
        body.append([_th(r.label, cls="label")] + slots)
    return [], body


def _applications(t, rows):
    head = [
        [_th(_APP_NOTE, colspan=3, rowspan=3, cls="note"), _th("申请人情况", colspan=7)],
        [_th("自然人", rowspan=2), _th("法人或其他组织", colspan=5), _th("总计", rowspan=2)],
        [_th(spec.APPLICANT_COLUMN_LABELS[c]) for c in spec.APPLICANT_COLUMNS[1:6]],
    ]
    keys = [r.key for r in rows]
    results = [k for k in keys if k not in _TOP]
    body = []
    for r in rows:
        labels = []
        if r.key in _TOP:
            labels.append(_th(r.label, colspan=3, cls="label"))
        else:
            if r.key == results[0]:
                labels.append(_th("三、本年度办理结果", rowspan=len(results), cls="label vertical"))
            group = next((g for g, (_, members) in _GROUPS.items() if r.key in members), None)
            if group is None:
                text = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" if r.key == "partially_granted" else r.label
                labels.append(_th(text, colspan=2, cls="label"))
            else:
                members = [k for k in _GROUPS[group][1] if k in keys]
                if r.key == members[0]:
                    labels.append(_th(_GROUPS[group][0], rowspan=len(members), cls="label"))
                labels.append(_th(r.label, cls="label sub-label"))
        body.append(labels + [{"key": k, "colspan": 1} for k in t.row_keys(r)])
    return head, body


def _review():
    labels = [spec.REVIEW_COLUMN_LABELS[c] for c in spec.REVIEW_COLUMNS]
    head = [
        [_th("行政复议", colspan=5), _th("行政诉讼", colspan=10)],
        [_th(x, rowspan=2) for x in labels] + [_th("未经复议直接起诉", colspan=5), _th("复议后起诉", colspan=5)],
        [_th(x) for x in labels] + [_th(x) for x in labels],
    ]
    body = [[{"key": f"review_litigation.{g}.{c}", "colspan": 1} for g in spec.REVIEW_GROUPS for c in spec.REVIEW_COLUMNS]]
    return head, body
