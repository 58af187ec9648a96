"""Full-text search over the parts' text (the six sections of each current report).

SQLite: an FTS5 table with the trigram tokenizer (any substring of three characters or more is found
through the index; shorter queries, common in Chinese — 复议, 诉讼 — scan the parts). The index is
kept beside ``parts`` and brought up to date before each search (reports are written once, so only
new reports are added and deleted ones dropped). PostgreSQL: ``ILIKE`` over ``parts.text``, with a
``pg_trgm`` GIN index created on first use when the extension can be created (else a scan).

Not a migration: both are optional features (a SQLite built with FTS5's trigram tokenizer, the
right to create the ``pg_trgm`` extension); a migration that fails stops the store from opening,
while here a missing feature only makes search scan the parts.
"""
from __future__ import annotations

import threading

_SQLITE_SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS parts_search USING fts5(text, report_id UNINDEXED, number UNINDEXED, "
    "tokenize = 'trigram')",
    "CREATE TABLE IF NOT EXISTS parts_search_done (report_id INTEGER PRIMARY KEY)",
)
_PG_INDEX = ("CREATE EXTENSION IF NOT EXISTS pg_trgm",
             "CREATE INDEX IF NOT EXISTS parts_text_trgm ON parts USING gin (text gin_trgm_ops)")
_ready: dict = {}  # database url → "fts" | "scan" | "trgm"
_lock = threading.Lock()
CONTEXT = 60


def _prepare(db) -> str:
    key = getattr(db, "url", id(db))
    with _lock:
        mode = _ready.get(key)
        if mode is None or mode == "fts":  # (cheap; a SQLite file may have been replaced)
            stmts, mode = (_SQLITE_SCHEMA, "fts") if db.dialect == "sqlite" else (_PG_INDEX, "trgm")
            try:
                with db.transaction():
                    for s in stmts:
                        db.execute(s)
            except Exception:  # no FTS5 / trigram in this SQLite, no right to create the extension
                mode = "scan"
            _ready[key] = mode
    if mode == "fts":
        with db.transaction():  # new reports in, deleted ones out, as one step
            db.execute("INSERT INTO parts_search (text, report_id, number) SELECT p.text, p.report_id, p.number "
                       "FROM parts p WHERE p.text IS NOT NULL AND p.text <> '' "
                       "AND p.report_id NOT IN (SELECT report_id FROM parts_search_done)")
            db.execute("INSERT INTO parts_search_done (report_id) SELECT DISTINCT p.report_id FROM parts p "
                       "WHERE p.report_id NOT IN (SELECT report_id FROM parts_search_done)")
            if db.one("SELECT 1 FROM parts_search_done WHERE report_id NOT IN (SELECT id FROM reports) LIMIT 1"):
                db.execute("DELETE FROM parts_search WHERE report_id NOT IN (SELECT id FROM reports)")
                db.execute("DELETE FROM parts_search_done WHERE report_id NOT IN (SELECT id FROM reports)")
    return mode


def passage(text: str, q: str, context: int = CONTEXT) -> dict:
    """The first place ``q`` occurs in ``text``: ``{"before", "match", "after"}`` (for highlighting)."""
    i = text.lower().find(q.lower())
    if i < 0:
        return {"before": text[: 2 * context], "match": "", "after": ""}
    start, end = max(0, i - context), min(len(text), i + len(q) + context)
    return {"before": ("…" if start else "") + text[start:i], "match": text[i:i + len(q)],
            "after": text[i + len(q):end] + ("…" if end < len(text) else "")}


def search(db, q: str, *, year=None, limit: int = 100) -> dict:
    """The current reports whose parts contain ``q``: ``{"q", "reports", "total", "rows": [{report_id,
    agency, year, template, part, passage, hits}]}`` (a row per matching part, at most ``limit``)."""
    q = (q or "").strip()
    if not q:
        return {"q": q, "reports": 0, "total": 0, "rows": []}
    mode = _prepare(db)
    where, params = [], []
    if mode == "fts" and len(q) >= 3:
        src = "parts_search s"
        where.append("s.parts_search MATCH ?")
        params.append('"' + q.replace('"', '""') + '"')
    elif db.dialect == "postgresql":
        src = "parts s"
        where.append("s.text ILIKE ? ESCAPE '\\'")
        params.append("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    else:
        src = "parts s"
        where.append("instr(lower(s.text), lower(?)) > 0")
        params.append(q)
    if year:
        where.append("r.year = ?")
        params.append(int(year))
    base = (f"FROM {src} JOIN current_reports r ON r.id = s.report_id WHERE " + " AND ".join(where))
    total, reports = db.one("SELECT COUNT(*), COUNT(DISTINCT r.id) " + base, params)
    rows = db.query("SELECT r.id, r.agency, r.year, r.template, r.document_name, s.number, s.text " + base +
                    " ORDER BY r.agency_norm, r.year, s.number LIMIT ?", params + [limit])
    out = []
    for rid, agency, y, tpl, name, number, text in rows:
        text = text or ""
        out.append({"report_id": rid, "agency": agency, "year": y, "template": tpl, "name": name,
                    "part": int(number), "passage": passage(text, q), "hits": text.lower().count(q.lower())})
    return {"q": q, "reports": reports or 0, "total": total or 0, "rows": out}


def parts_of(db, where: str, params: list, *, limit: int = 3000) -> tuple:
    """The parts' texts of a filtered set of current reports (``where`` over ``current_reports r``, see
    :func:`nianbao.store.aggregates.report_set`), at most ``limit`` reports: ``(reports, parts)`` with
    ``reports`` ``{id: {"agency", "agency_norm", "year"}}`` and ``parts`` ``[(report_id, number, text)]``,
    and the set's size (for saying when it was cut)."""
    total = db.one(f"SELECT COUNT(*) FROM current_reports r WHERE {where}", params)[0]
    rows = db.query(f"SELECT r.id, r.agency, r.agency_norm, r.year FROM current_reports r WHERE {where} "
                    "ORDER BY r.agency_norm, r.year, r.id LIMIT ?", params + [limit])
    reports = {i: {"report_id": i, "agency": a, "agency_norm": n, "year": y} for i, a, n, y in rows}
    parts = []
    ids = list(reports)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        parts += db.query(f"SELECT report_id, number, text FROM parts WHERE report_id IN "
                          f"({', '.join('?' for _ in chunk)}) AND text IS NOT NULL ORDER BY report_id, number", chunk)
    return reports, parts, total
