"""``nianbao write``: draft a body's report in the official 2021 template from its data, and
check it before it is published.

* :func:`init` — the workbook to fill in (表二/表三/表四 as the template lays them out), or the
  same as keys → values (JSON, CSV), prefilled from last year's report where the template links
  the years (上年结转 = last year's 结转下年度; 现行有效件数 continued).
* :func:`load` — a filled draft (xlsx, JSON, CSV) → ``(Draft, problems)``.
* :func:`check_draft` — the rules of ``nianbao check`` on the draft's record.
* :func:`render` — the complete report (DOCX on the official blank template, or HTML).

Stage 4 (with the outputs): imports spec, model, parsing and rules; only the CLI imports it.
"""
from __future__ import annotations

from pathlib import Path

from ..model import Report
from ..model.codes import diag
from ..rules import check as _check
from . import layout
from .draft import Draft, prefill, previous_report, report_title, to_report
from .narrative import Narrative, from_previous, parse_markdown, placeholders

FORMATS = ("xlsx", "csv", "json")
NO_TEXT_RULES = ["S101", "S105", "T", "Y103"]  # about the narrative: not in a data-only draft


def new_draft(agency: str, year: int, previous: Report | None = None) -> Draft:
    """An empty draft, prefilled from last year's report (a parsed ``Report``) when given."""
    values, starts = prefill(previous)
    d = Draft(agency, int(year), values, starts=starts)
    if previous is not None:
        d.previous = previous.values()
        d.previous_agency, d.previous_year = previous.agency, previous.year or int(year) - 1
    return d


def init(agency: str, year: int, out, *, previous: Report | None = None, fmt: str | None = None) -> Draft:
    """Write the draft to fill in to ``out`` (format from ``fmt`` or the file's extension)."""
    draft = new_draft(agency, year, previous)
    fmt = fmt or Path(str(out)).suffix.lstrip(".").lower() or "xlsx"
    if fmt == "xlsx":
        from .workbook import write_workbook
        write_workbook(draft, out)
    elif fmt in ("csv", "json"):
        from .flat import to_csv, to_json
        text = to_csv(draft) if fmt == "csv" else to_json(draft)
        Path(out).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return draft


def load(path) -> tuple:
    """A filled draft: ``(Draft, problems)``; ``problems``: ``(key, raw text, reason)`` of cells
    that hold no usable number. Raises ``ValueError``/``OSError`` when the file cannot be read."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext == ".json":
        from .flat import read_json
        return read_json(p.read_text(encoding="utf-8-sig"))
    if ext == ".csv":
        from .flat import read_csv
        return read_csv(p.read_text(encoding="utf-8-sig"))
    from .workbook import read_workbook
    try:
        return read_workbook(p)
    except (KeyError, OSError, ValueError) as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise ValueError(f"不是 nianbao write init 生成的工作簿：{e}") from None
    except Exception as e:  # a zip that is no workbook, a damaged file
        raise ValueError(f"无法读取工作簿：{type(e).__name__}: {e}") from None


def draft_report(draft: Draft, problems=(), narrative: Narrative | None = None) -> Report:
    """The record ``nianbao check`` audits: the draft's tables (and parts when given); a cell
    with no usable number carries the parser's P205, so C102/C104 name it."""
    rep = to_report(draft, narrative.texts() if narrative is not None else None)
    from ..model import CellValue
    for key, raw, reason in problems:
        rep.cells[key] = CellValue(value=None, raw=raw)
        rep.diagnostics.append(diag("P205", None, [key], label=layout_label(key), reason=reason))
    return rep


def layout_label(key: str) -> str:
    from .. import spec
    return spec.label_of(key, layout.TEMPLATE)


def check_draft(draft: Draft, problems=(), *, narrative: Narrative | None = None,
                previous: Report | None = None) -> list:
    """Findings of ``nianbao check`` on the draft (cross-year rules against ``previous`` or the
    figures of last year kept in the draft)."""
    rep = draft_report(draft, problems, narrative)
    prev = previous if previous is not None else previous_report(draft)
    ignore = ["P"] + ([] if narrative is not None else NO_TEXT_RULES)
    return _check(rep, prev, ignore=ignore)


def render(draft: Draft, narrative: Narrative, out=None, *, fmt: str = "docx"):
    """The complete report: DOCX bytes on the official template, or an HTML page."""
    if fmt == "docx":
        from .render_docx import render_docx
        return render_docx(draft, narrative, out)
    if fmt == "html":
        from .render_html import render_html
        return render_html(draft, narrative, out)
    raise ValueError(f"unknown format {fmt!r}")


def cell_ref(key: str) -> str:
    """Where a key sits in the workbook, e.g. ``表三!D8``."""
    from .workbook import key_ref
    return key_ref(key)


_SEV = {"error": "错误", "warning": "警告", "info": "提示"}


def finding_line(f) -> str:
    """One finding for the clerk: severity, code, the message (cells named by their Chinese
    labels) and where the cells sit in the workbook."""
    refs = []
    for k in f.keys:
        try:
            refs.append(cell_ref(k))
        except KeyError:
            pass
    where = ""
    if refs:
        where = "（" + ("、".join(refs) if len(refs) <= 3 else f"{refs[0]} … {refs[-1]}") + "）"
    return f"[{_SEV.get(f.severity, f.severity)}] {f.code} {f.message}{where}"


__all__ = ["finding_line", "Draft", "Narrative", "new_draft", "init", "load", "check_draft", "draft_report", "render",
           "parse_markdown", "from_previous", "placeholders", "report_title", "cell_ref", "FORMATS"]
