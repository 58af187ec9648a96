"""Synthetic annual reports: plausible cell values rendered as realistic report documents.

Used by the round-trip tests (render → ``nianbao.parse`` → the same values) and by the scale
benchmark (``bench/bench_ingest.py``). Everything is deterministic for a given
:class:`random.Random` state / seed.

Values
    ``random_values(rng, template, *, previous=None, scale=None) -> {cell key: value}`` gives a
    value for every key of :func:`nianbao.spec.all_keys` that satisfies the template's arithmetic
    A1–A4 (counts are ``int``; money is yuan: ``int`` when whole, else ``float``; ``None`` is a
    blank cell). ``previous`` (the same body's values of the year before) chains 上年结转 to last
    year's 结转下年度 (A5) and, for two 2021 reports, 现行有效件数 to last year's.

    ``plant_defects(rng, values, template, *, kinds=None) -> (values, planted)`` breaks an
    arithmetic relation (A101–A104) or blanks a zero cell (C101) and returns the rule codes that
    must fire (computed from the new values with :func:`arithmetic_findings`).

Documents
    ``render_text(values, *, agency, year, template, rng, shape=None) -> str`` — a plain-text
    report in one of the two shapes of the seeds: ``"cells"`` (one cell per tab-led line, rows
    separated by blank lines, like seeds/000) or ``"rows"`` (one row per line, tab-separated
    cells, like seeds/004 but with every cell present).
    ``encode_text(text, encoding) -> bytes``.

    ``render_html(values, *, agency, year, template, rng, charset="utf-8") -> str`` — a web page
    with portal chrome (header, nav, breadcrumb, metadata box, footer) around the article; the
    three tables use the official rowspan/colspan layout with cells wrapped in ``<p><span>``
    as in real pages. ``charset`` is declared in a ``<meta>``; ``encode_html(html, charset)``
    turns the page into bytes in that encoding (``"gbk"``/``"gb2312"``/``"gb18030"``/``"utf-8"``).

Corpus
    ``write_corpus(out_dir, n, *, seed=0, formats=("text", "html"), defect_rate=0.1)`` writes n
    documents of varied bodies, years 2019–2024 (several consecutive years per body) and returns
    the manifest (also written to ``out_dir/manifest.json``). Any ``n`` (10⁵ and more): every
    (body, year) is distinct (:func:`plan_corpus`). ``corpus_documents`` yields the same documents
    in memory.

Stores
    ``fill_store(corpus, n, *, seed=0, formats=("text", "html"), defect_rate=0.1, workers=None,
    keep_bytes=True, batch=500)`` stores the corpus ``write_corpus`` would write (the same records
    ``nianbao ingest`` makes of it) straight through the store's batched writer, no files: the
    quick way to a 10⁴ (SQLite) or 10⁵ (PostgreSQL) store for dashboards and benchmarks.

Modules: :mod:`.values` (values, defects), :mod:`.layout` (what both renderings share: number
styles, table layouts, narrative), :mod:`.text`, :mod:`.html` (documents), :mod:`.corpus`, :mod:`.store`.
"""
from __future__ import annotations

from .corpus import (
    YEARS,  # noqa: F401  (public before the split)
    corpus_documents,
    plan_corpus,
    random_body,
    render_document,
    write_corpus,
)
from .store import fill_store
from .html import HTML_CHARSETS, encode_html, render_html
from .text import TEXT_SHAPES, encode_text, render_text
from .values import (
    DEFECT_KINDS,
    arithmetic_findings,
    plant_defects,
    random_values,
    template_for_year,
)

__all__ = [
    "template_for_year", "random_values", "plant_defects", "arithmetic_findings", "render_text",
    "render_html", "encode_text", "encode_html", "render_document", "write_corpus", "TEXT_SHAPES",
    "HTML_CHARSETS", "DEFECT_KINDS", "random_body", "plan_corpus", "corpus_documents", "fill_store",
]
