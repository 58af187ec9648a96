"""Document → Report, in pipeline order. ``parse``: any report file → one :class:`~nianbao.model.Report`.

bytes → Document (ingest) → headings (sections) → tokens → tables → Report.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Union

from .. import spec
from ..config import DEFAULT, Settings
from ..errors import InputError
from ..ingest import bytes_to_document
from ..model import Report
from ..model.codes import diag
from ..model.document import Document
from .meta import detect_template, find_metadata
from .parts import blocks_to_parts
from .sections import PART_TITLES, blocks_to_headings
from .statements import text_to_statements
from .rows import SIGNATURES, tokens_by_part
from .tables import region_tokens, structure_fit, table_to_cells
from .tokens import blocks_to_tokens

PARSER_VERSION = "0.1.0"
"""The parser's version, stored with every report and every recorded failure. Bump it whenever
the parsing output may change: a stored failure is retried, and ``nianbao reprocess --older``
re-reads the documents parsed by an older version."""


def parse(source: Union[str, os.PathLike, bytes], *, filename: str | None = None,
          settings: Settings | None = None, trace: dict | None = None) -> Report:
    """Parse a report given as a path or as bytes (``filename`` names it in the record).

    ``settings``: a :class:`nianbao.config.Settings` (default :data:`nianbao.config.DEFAULT`);
    passed down to ingest (size cap, span cap, PDF tolerances) and the table reader.
    ``trace``: a dict that receives what the parser saw (``document``, ``headings``, and a
    :class:`~nianbao.parsing.tables.TableReading` per table) — ``parse --debug`` prints it.
    """
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    else:
        from ..ingest.sources import read_regular
        path = Path(source)
        data = read_regular(path, settings)  # regular files only, size capped before reading
        filename = filename or path.name
    doc = bytes_to_document(data, filename, settings)
    if trace is not None:
        trace["document"] = doc
    return document_to_report(doc, filename=filename, sha256=hashlib.sha256(data).hexdigest(), settings=settings,
                              trace=trace)


def document_to_report(doc: Document, *, filename: str | None = None, sha256: str = "",
                       settings: Settings | None = None, trace: dict | None = None) -> Report:
    """The record of one document. ``trace``: a dict that receives what the parser saw —
    ``headings`` and, per table key, a :class:`~nianbao.parsing.tables.TableReading`."""
    report = Report(file=filename, format=doc.format, sha256=sha256)
    report.diagnostics.extend(doc.diagnostics)
    if not doc.blocks:
        return report

    headings = blocks_to_headings(doc.blocks)
    found = {h.part for h in headings}
    # the table parts, and the part before each missing one (where its table then lies)
    before = {p: max((q for q in found if q < p), default=0) for p in (2, 3, 4) if p not in found}
    wanted = {2, 3, 4} | set(before.values())
    # a part before the tables' parts is read from a missing heading's table header on (region_tokens)
    seek: dict = {}
    for p, q in before.items():
        if q not in (2, 3, 4):
            seek.setdefault(q, []).append(SIGNATURES[p])
    tokens = blocks_to_tokens(doc.blocks, headings, grid_rows=doc.format in ("html", "docx"), parts=wanted,
                              seek=seek)
    if trace is not None:
        trace["headings"] = headings

    # metadata: a title line first; else clues in the text, each named in a P105
    first = headings[0].block if headings else min(len(doc.blocks), 40)
    texts = [b.text for b in doc.blocks[: min(max(first, 1) + 1, 400)] if b.kind == "para"]  # (a title is near the top)
    body = (" ".join(c.text for c in b.cells) for b in doc.blocks[:400])  # read only when the title lines do not tell
    meta = find_metadata(texts, body, doc.title)
    report.title, report.agency, report.year = meta.title, meta.agency, meta.year
    if report.title is None and report.agency is None:
        report.diagnostics.append(diag("P102"))
    for what, value, clue in (("发布机关", meta.agency, meta.agency_clue), ("报告年度", meta.year, meta.year_clue)):
        if value is not None and clue != "title":
            report.diagnostics.append(diag("P105", what=what, value=value, clue=clue))
    if report.year is None:
        report.diagnostics.append(diag("P103"))
    report.diagnostics.extend(_unsure_meta(doc.blocks[: max(first, 1) + 1], meta, settings or DEFAULT))

    # parts
    report.parts = blocks_to_parts(doc.blocks, headings)
    for n, title in PART_TITLES.items():
        if n not in found:
            report.diagnostics.append(diag("P101", part=spec.part_numeral(n), title=title))

    # template
    by_part = tokens_by_part(tokens)
    signatures: dict = {}
    regions = {p: region_tokens(by_part, p, found, signatures) for p in (2, 3, 4)}
    label_texts = {p: "".join([t.text for t in regions[p] if t.kind == "label"]) for p in (2, 3, 4)}
    memo: dict = {}  # the active table's groups and reads, made once for the template choice and the reader
    template, diags = choose_template(regions, report.year, memo, label_texts)
    report.diagnostics.extend(diags)
    report.template = template

    # tables (table 二's fused digits may be settled by figures the text states)
    statements = lazy(lambda: text_to_statements("\n".join(p.text for p in report.parts if p.number in (1, 2))))
    for table in spec.TABLES[template]:
        cells, diags, ok = table_to_cells(table, regions[table.part], template, settings or DEFAULT, trace,
                                          statements, memo)
        report.cells.update(cells)
        report.diagnostics.extend(diags)
        if ok:
            report.tables.append(table.key)
            report.labels[table.key] = label_texts[table.part]
    if not headings and not report.tables and report.title is None:
        raise InputError("not-a-report")
    return report


def lazy(make):
    """A value computed the first time it is asked for (``lazy(f)()``), at most once."""
    box: list = []

    def get():
        if not box:
            box.append(make())
        return box[0]
    return get


def choose_template(regions: dict, year, memo: dict | None = None, label_texts: dict | None = None) -> tuple:
    """2019 or 2021, from the active table's rows and columns first (a row with one value is a
    2021 row), then from the header and row wording; from the year when neither tells.
    Returns (template, diagnostics): P104 when the year decided, P110 when the structure
    contradicts the wording. ``label_texts``: each region's label tokens joined, when made already."""
    active = regions[2]
    if label_texts is None:
        label_texts = {p: "".join([t.text for t in regions[p] if t.kind == "label"]) for p in (2, 3)}
    by_words, _ = detect_template(label_texts[2], label_texts[3])
    if by_words is not None:
        fit, clean = structure_fit(spec.table(by_words, "active"), active, memo)
        if clean:  # every row fits the wording's template: the other cannot fit better
            return by_words, []
    fit = {tpl: structure_fit(spec.table(tpl, "active"), active, memo)[0] for tpl in spec.TEMPLATES}
    by_structure = None
    if fit["2019"] != fit["2021"]:
        by_structure = max(fit, key=fit.get)
    if by_structure is not None:
        if by_words is not None and by_words != by_structure:
            return by_structure, [diag("P110", words=by_words, structure=by_structure)]
        return by_structure, []
    if by_words is not None:
        return by_words, []
    template = "2021" if (year or 2021) >= 2021 else "2019"
    return template, [diag("P104", year=year or "未知", template=template)]


def _unsure_meta(blocks: list, meta, settings: Settings) -> list:
    """P106 for the agency or year read by OCR from a line with a character below
    ``ocr_min_confidence``: the first line that shows it (the title line, when it was read from
    there; ``Cell.confidence`` is None for text not read by OCR)."""
    out = []
    for what, value in (("发布机关", meta.agency), ("报告年度", meta.year)):
        first = next((b for b in blocks if b.kind == "para" and value is not None and str(value) in b.text), None)
        if first is None:
            continue
        confs = [c.confidence for c in first.cells if c.confidence is not None]
        if confs and min(confs) < settings.ocr_min_confidence:
            out.append(diag("P106", what=what, value=value, confidence=f"{min(confs):.2f}"))
    return out
