"""Schema migrations: an ordered list; each runs once, in a transaction, and is recorded.

Never edit a released migration: add a new one. ``{id}`` is the dialect's auto-increment key.
"""
from __future__ import annotations

from datetime import datetime, timezone

MIGRATIONS = [
    (1, "initial schema", """
CREATE TABLE documents (
    id {id},
    sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    format TEXT,
    size BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    ingested_at TEXT NOT NULL,
    status TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT
);
CREATE INDEX documents_name ON documents (name, version);
CREATE TABLE reports (
    id {id},
    document_id BIGINT NOT NULL UNIQUE REFERENCES documents (id),
    agency TEXT,
    agency_norm TEXT,
    year INTEGER,
    template TEXT,
    title TEXT,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    infos INTEGER NOT NULL DEFAULT 0,
    record TEXT NOT NULL  -- the record's JSON without cells and parts (they have their tables)
);
CREATE INDEX reports_body_year ON reports (agency_norm, year);
CREATE TABLE cells (
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_key TEXT NOT NULL,
    col_key TEXT NOT NULL,
    value DOUBLE PRECISION,
    raw TEXT,
    certain INTEGER NOT NULL,
    loc_line INTEGER,
    loc_table INTEGER,
    loc_row INTEGER,
    loc_col INTEGER,
    loc_page INTEGER,
    loc_bbox TEXT,
    loc_char INTEGER,
    PRIMARY KEY (report_id, key)
);
CREATE TABLE parts (
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT,
    text TEXT,
    loc TEXT,
    PRIMARY KEY (report_id, number)
);
CREATE TABLE findings (
    id {id},
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    keys TEXT,
    loc TEXT,
    expected TEXT,
    actual TEXT,
    cross_year INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX findings_report ON findings (report_id);
CREATE INDEX findings_code ON findings (code);
CREATE VIEW current_reports AS
    SELECT r.*, d.name AS document_name, d.sha256, d.version
    FROM reports r JOIN documents d ON d.id = r.document_id
    WHERE d.version = (SELECT MAX(d2.version) FROM documents d2 WHERE d2.name = d.name);
"""),
    (2, "parser version of each document and report (a failure is retried when it changes)", """
ALTER TABLE documents ADD COLUMN parser_version TEXT;
ALTER TABLE reports ADD COLUMN parser_version TEXT;
"""),
    (3, "exact cell values (counts and money as decimals, never binary floating point)", """
ALTER TABLE cells ADD COLUMN value_exact {numeric};
"""),
    (4, "identity: a document is its bytes (kept, deduplicated, with every path it came from), a report "
        "belongs to a (body, year), versions are successive documents of one body and year; cross-year "
        "pairs recorded", """
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    data {blob} NOT NULL
);
CREATE TABLE document_paths (
    document_id BIGINT NOT NULL REFERENCES documents (id),
    path TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (document_id, path)
);
INSERT INTO document_paths (document_id, path, first_seen) SELECT id, name, ingested_at FROM documents;
CREATE TABLE resolutions (
    agency_norm TEXT NOT NULL,
    year INTEGER NOT NULL,
    document_id BIGINT NOT NULL REFERENCES documents (id),
    resolved_at TEXT NOT NULL,
    PRIMARY KEY (agency_norm, year)
);
CREATE TABLE cross_year_pairs (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    previous_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    checked_at TEXT NOT NULL
);
CREATE INDEX cross_year_pairs_previous ON cross_year_pairs (previous_id);
CREATE INDEX findings_cross_year ON findings (report_id) WHERE cross_year = 1;
CREATE INDEX documents_parser_version ON documents (parser_version, status);
DROP VIEW current_reports;
CREATE VIEW report_versions AS
    SELECT x.*, CASE WHEN x.agency_norm IS NULL OR x.year IS NULL OR x.pick = 1 THEN 1 ELSE 0 END AS is_current
    FROM (SELECT r.*, d.name AS document_name, d.sha256,
                 CASE WHEN r.agency_norm IS NULL OR r.year IS NULL THEN 1
                      ELSE ROW_NUMBER() OVER (PARTITION BY r.agency_norm, r.year ORDER BY r.document_id) END
                     AS version,
                 ROW_NUMBER() OVER (PARTITION BY r.agency_norm, r.year
                                    ORDER BY CASE WHEN s.document_id IS NULL THEN 1 ELSE 0 END, r.document_id DESC)
                     AS pick
          FROM reports r JOIN documents d ON d.id = r.document_id
          LEFT JOIN resolutions s ON s.agency_norm = r.agency_norm AND s.year = r.year
                                 AND s.document_id = r.document_id) x;
CREATE VIEW current_reports AS SELECT * FROM report_versions WHERE is_current = 1;
"""),
    (5, "review: users with roles, sessions, API tokens, decisions on findings, cell corrections, upload jobs", """
CREATE TABLE users (
    id {id},
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE api_tokens (
    id {id},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE decisions (
    id {id},
    sha256 TEXT NOT NULL,
    code TEXT NOT NULL,
    keys TEXT NOT NULL,
    expected TEXT,
    actual TEXT,
    decision TEXT NOT NULL,
    comment TEXT,
    user_name TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX decisions_finding ON decisions (code, keys);
CREATE INDEX decisions_sha ON decisions (sha256, code, keys);
CREATE TABLE corrections (
    id {id},
    sha256 TEXT NOT NULL,
    key TEXT NOT NULL,
    original_value TEXT,
    original_raw TEXT,
    value TEXT,
    candidate INTEGER,
    reason TEXT NOT NULL,
    user_name TEXT NOT NULL,
    corrected_at TEXT NOT NULL
);
CREATE INDEX corrections_sha ON corrections (sha256, key);
CREATE TABLE upload_jobs (
    id {id},
    user_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    message TEXT
);
CREATE TABLE upload_items (
    job_id BIGINT NOT NULL REFERENCES upload_jobs (id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    report_id BIGINT,
    PRIMARY KEY (job_id, n)
);
CREATE INDEX findings_report_code ON findings (report_id, code);
CREATE INDEX reports_year ON reports (year);
"""),
    (6, "compact cells: integer key ids (cell_keys), one narrow row per cell (SQLite WITHOUT ROWID), raw text "
        "kept only where it differs from the value, the value derived from value_exact; the view cells restores "
        "the readable columns; the record's table labels kept once per distinct text (labels)", """
CREATE TABLE cell_keys (
    id {id},
    key TEXT NOT NULL UNIQUE,
    tbl TEXT NOT NULL,
    row_key TEXT NOT NULL,
    col_key TEXT NOT NULL
);
INSERT INTO cell_keys (key, tbl, row_key, col_key) SELECT DISTINCT key, tbl, row_key, col_key FROM cells ORDER BY key;
CREATE TABLE cell_values (
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    key_id {smallint} NOT NULL,
    value_exact {numeric},
    raw TEXT,  -- NULL: the value's digits as written (flags bit 2: raw itself is NULL)
    flags {smallint} NOT NULL,  -- bit 1: certain, bit 2: raw is NULL
    loc_line INTEGER,
    loc_table INTEGER,
    loc_row INTEGER,
    loc_col INTEGER,
    loc_page INTEGER,
    loc_bbox TEXT,
    loc_char INTEGER,
    PRIMARY KEY (report_id, key_id)
){without_rowid};
INSERT INTO cell_values (report_id, key_id, value_exact, raw, flags, loc_line, loc_table, loc_row, loc_col, loc_page,
                         loc_bbox, loc_char)
    SELECT c.report_id, k.id, c.value_exact, c.raw, c.certain + CASE WHEN c.raw IS NULL THEN 2 ELSE 0 END,
           c.loc_line, c.loc_table, c.loc_row, c.loc_col, c.loc_page, c.loc_bbox, c.loc_char
    FROM cells c JOIN cell_keys k ON k.key = c.key;
DROP TABLE cells;
CREATE VIEW cells AS
    SELECT v.report_id, k.key, k.tbl, k.row_key, k.col_key, CAST(v.value_exact AS {double}) AS value,
           CASE WHEN v.raw IS NOT NULL THEN v.raw WHEN (v.flags & 2) = 2 OR v.value_exact IS NULL THEN NULL
                ELSE CAST(CAST(v.value_exact AS {bigint}) AS TEXT) END AS raw,
           v.flags & 1 AS certain, v.loc_line, v.loc_table, v.loc_row, v.loc_col, v.loc_page, v.loc_bbox, v.loc_char,
           v.value_exact
    FROM cell_values v JOIN cell_keys k ON k.id = v.key_id;
CREATE TABLE labels (
    id {id},
    digest TEXT NOT NULL UNIQUE,
    labels TEXT NOT NULL
);
ALTER TABLE reports ADD COLUMN labels_id BIGINT REFERENCES labels (id);
"""),
    (7, "roster: the bodies an office expects reports from (name, level, parent, aliases)", """
CREATE TABLE roster (
    id {id},
    name TEXT NOT NULL,
    name_norm TEXT NOT NULL UNIQUE,
    level TEXT,
    parent TEXT,
    aliases TEXT NOT NULL DEFAULT ''
);
CREATE INDEX roster_parent ON roster (parent)
"""),
    (8, "provenance: where each document came from (source URL, publication date, 索引号), from a manifest", """
CREATE TABLE provenance (
    document_id BIGINT NOT NULL PRIMARY KEY REFERENCES documents (id),
    source_url TEXT,
    published TEXT,
    index_no TEXT,
    manifest_file TEXT
)
"""),
    (9, "PostgreSQL: a report's cells in one row of parallel arrays (cell_sets; a row per cell costs ~28 bytes of "
        "header and index entry each, more than its data); the view cell_values gives the rows SQLite keeps, and "
        "the view cells the readable columns, as before", {"sqlite": "", "postgresql": """
CREATE TABLE cell_sets (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    key_ids SMALLINT[] NOT NULL,
    values_exact NUMERIC(30, 6)[] NOT NULL,
    raws TEXT[],  -- each array: NULL when every element is (the view reads NULLs from it)
    flags SMALLINT[] NOT NULL,
    loc_lines INTEGER[],
    loc_tables INTEGER[],
    loc_rows INTEGER[],
    loc_cols INTEGER[],
    loc_pages INTEGER[],
    loc_bboxes TEXT[],
    loc_chars INTEGER[]
);
INSERT INTO cell_sets
    SELECT report_id, array_agg(key_id ORDER BY key_id), array_agg(value_exact ORDER BY key_id),
           CASE WHEN COUNT(raw) > 0 THEN array_agg(raw ORDER BY key_id) END, array_agg(flags ORDER BY key_id),
           CASE WHEN COUNT(loc_line) > 0 THEN array_agg(loc_line ORDER BY key_id) END,
           CASE WHEN COUNT(loc_table) > 0 THEN array_agg(loc_table ORDER BY key_id) END,
           CASE WHEN COUNT(loc_row) > 0 THEN array_agg(loc_row ORDER BY key_id) END,
           CASE WHEN COUNT(loc_col) > 0 THEN array_agg(loc_col ORDER BY key_id) END,
           CASE WHEN COUNT(loc_page) > 0 THEN array_agg(loc_page ORDER BY key_id) END,
           CASE WHEN COUNT(loc_bbox) > 0 THEN array_agg(loc_bbox ORDER BY key_id) END,
           CASE WHEN COUNT(loc_char) > 0 THEN array_agg(loc_char ORDER BY key_id) END
    FROM cell_values GROUP BY report_id;
DROP VIEW cells;
DROP TABLE cell_values;
CREATE VIEW cell_values AS
    SELECT s.report_id, u.key_id, u.value_exact, u.raw, u.flags, u.loc_line, u.loc_table, u.loc_row, u.loc_col,
           u.loc_page, u.loc_bbox, u.loc_char
    FROM cell_sets s CROSS JOIN LATERAL unnest(s.key_ids, s.values_exact, s.raws, s.flags, s.loc_lines, s.loc_tables,
        s.loc_rows, s.loc_cols, s.loc_pages, s.loc_bboxes, s.loc_chars)
        AS u(key_id, value_exact, raw, flags, loc_line, loc_table, loc_row, loc_col, loc_page, loc_bbox, loc_char);
CREATE VIEW cells AS
    SELECT v.report_id, k.key, k.tbl, k.row_key, k.col_key, CAST(v.value_exact AS DOUBLE PRECISION) AS value,
           CASE WHEN v.raw IS NOT NULL THEN v.raw WHEN (v.flags & 2) = 2 OR v.value_exact IS NULL THEN NULL
                ELSE CAST(CAST(v.value_exact AS BIGINT) AS TEXT) END AS raw,
           v.flags & 1 AS certain, v.loc_line, v.loc_table, v.loc_row, v.loc_col, v.loc_page, v.loc_bbox, v.loc_char,
           v.value_exact
    FROM cell_values v JOIN cell_keys k ON k.id = v.key_id
"""}),
    (10, "which report is current, stored: reports.is_current and reports.version, kept by the store whenever reports "
         "are written, replaced or resolved (store.current), filled here from the ranking the view did; the views "
         "read them (no ranking of every report per query), the current reports' figures through a covering index", {
        dialect: """
CREATE TABLE current_fill AS SELECT id, version, is_current FROM report_versions WHERE is_current = 0 OR version <> 1;
DROP VIEW current_reports;
DROP VIEW report_versions;
ALTER TABLE reports ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE reports ADD COLUMN is_current {smallint} NOT NULL DEFAULT 1;
UPDATE reports SET version = (SELECT f.version FROM current_fill f WHERE f.id = reports.id),
                   is_current = (SELECT f.is_current FROM current_fill f WHERE f.id = reports.id)
    WHERE id IN (SELECT id FROM current_fill);
DROP TABLE current_fill;
CREATE INDEX reports_current ON reports (agency_norm, year, id, template, errors, warnings) WHERE is_current = 1;
CREATE VIEW report_versions AS
    SELECT r.*, d.name AS document_name, d.sha256 FROM reports r LEFT JOIN documents d ON d.id = r.document_id;
CREATE VIEW current_reports AS SELECT * FROM report_versions WHERE is_current = 1
""" + analyze for dialect, analyze in (("sqlite", ""),  # PostgreSQL: the new column's statistics, for the planner
                                       ("postgresql", ";\nANALYZE reports"))}),
    (11, "OCR results kept in the store: each page OCR read, by the document's SHA-256 and the OCR cache key "
         "(engine, models, pipeline, settings), so a document is OCR'd once per store (store/ocr_pages.py)", """
CREATE TABLE ocr_pages (
    sha256 TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
    cache_key TEXT NOT NULL,
    page INTEGER NOT NULL,  -- index of the page in the document (from 0)
    data {blob} NOT NULL,  -- the page as ingest.ocr.recognise gives it: JSON, zlib-compressed
    PRIMARY KEY (sha256, cache_key, page)
)
"""),
    (12, "SQLite: a report's cells in one row (cell_sets: a JSON array, a cell [value, flags, line, table, row, "
         "col, raw, page, bbox, char] without trailing nulls — an integer value as a JSON number, a fraction as its "
         "digits — in the order of the report's key set, cell_key_sets, kept once per distinct list of key ids and "
         "as rows in cell_key_set_items), written as one row per report instead of ~200; the view cell_values gives "
         "the rows as before, and the view cells the readable columns", {"postgresql": "", "sqlite": """
CREATE TABLE cell_key_sets (
    id INTEGER PRIMARY KEY,
    key_ids TEXT NOT NULL UNIQUE  -- JSON array of cell_keys ids, in the order of a report's cells
);
CREATE TABLE cell_key_set_items (
    set_id INTEGER NOT NULL REFERENCES cell_key_sets (id),
    pos INTEGER NOT NULL,
    key_id INTEGER NOT NULL,
    PRIMARY KEY (set_id, pos)
) WITHOUT ROWID;
CREATE TABLE cell_sets (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    key_set INTEGER NOT NULL REFERENCES cell_key_sets (id),
    cells TEXT NOT NULL  -- JSON array: the cell of the key set's key at the same position
);
CREATE INDEX cell_sets_key_set ON cell_sets (key_set);
CREATE TABLE cell_sets_fill AS
    SELECT report_id, json_group_array(key_id) AS key_ids, json_group_array(json(cell)) AS cells FROM (
        SELECT report_id, key_id,
            CASE WHEN loc_char IS NOT NULL THEN json_array(v, flags, loc_line, loc_table, loc_row, loc_col, raw, loc_page, loc_bbox, loc_char)
                 WHEN loc_bbox IS NOT NULL THEN json_array(v, flags, loc_line, loc_table, loc_row, loc_col, raw, loc_page, loc_bbox)
                 WHEN loc_page IS NOT NULL THEN json_array(v, flags, loc_line, loc_table, loc_row, loc_col, raw, loc_page)
                 WHEN raw IS NOT NULL THEN json_array(v, flags, loc_line, loc_table, loc_row, loc_col, raw)
                 WHEN loc_col IS NOT NULL THEN json_array(v, flags, loc_line, loc_table, loc_row, loc_col)
                 WHEN loc_row IS NOT NULL THEN json_array(v, flags, loc_line, loc_table, loc_row)
                 WHEN loc_table IS NOT NULL THEN json_array(v, flags, loc_line, loc_table)
                 WHEN loc_line IS NOT NULL THEN json_array(v, flags, loc_line)
                 ELSE json_array(v, flags) END AS cell
        FROM (SELECT *, CASE WHEN CAST(CAST(value_exact AS INTEGER) AS TEXT) = value_exact THEN CAST(value_exact AS INTEGER) ELSE value_exact END
                  AS v FROM cell_values)
        ORDER BY report_id, key_id)
    GROUP BY report_id;
INSERT INTO cell_key_sets (key_ids) SELECT DISTINCT key_ids FROM cell_sets_fill ORDER BY key_ids;
INSERT INTO cell_key_set_items (set_id, pos, key_id)
    SELECT s.id, e.key, e.value FROM cell_key_sets s, json_each(s.key_ids) e;
INSERT INTO cell_sets (report_id, key_set, cells)
    SELECT f.report_id, k.id, f.cells FROM cell_sets_fill f JOIN cell_key_sets k ON k.key_ids = f.key_ids;
DROP TABLE cell_sets_fill;
DROP VIEW cells;
DROP TABLE cell_values;
CREATE VIEW cell_values AS
    SELECT s.report_id, k.key_id, CAST(json_extract(e.value, '$[0]') AS TEXT) AS value_exact,
           json_extract(e.value, '$[6]') AS raw, json_extract(e.value, '$[1]') AS flags,
           json_extract(e.value, '$[2]') AS loc_line, json_extract(e.value, '$[3]') AS loc_table,
           json_extract(e.value, '$[4]') AS loc_row, json_extract(e.value, '$[5]') AS loc_col,
           json_extract(e.value, '$[7]') AS loc_page, json_extract(e.value, '$[8]') AS loc_bbox,
           json_extract(e.value, '$[9]') AS loc_char  -- json_extract, not ->> (SQLite 3.38): older SQLites read it
    FROM cell_sets s CROSS JOIN json_each(s.cells) e CROSS JOIN cell_key_set_items k  -- in this order: a
    WHERE k.set_id = s.key_set AND k.pos = e.key;  -- report's cells walked once, each one's key id looked up
CREATE VIEW cells AS
    SELECT v.report_id, k.key, k.tbl, k.row_key, k.col_key, CAST(v.value_exact AS REAL) AS value,
           CASE WHEN v.raw IS NOT NULL THEN v.raw WHEN (v.flags & 2) = 2 OR v.value_exact IS NULL THEN NULL
                ELSE CAST(CAST(v.value_exact AS INTEGER) AS TEXT) END AS raw,
           v.flags & 1 AS certain, v.loc_line, v.loc_table, v.loc_row, v.loc_col, v.loc_page, v.loc_bbox, v.loc_char,
           v.value_exact
    FROM cell_values v JOIN cell_keys k ON k.id = v.key_id
"""}),
]

CELL_SETS = {"postgresql": "arrays", "sqlite": "json"}
"""How a dialect keeps a report's cells in one row (``cell_sets``; ``cell_values`` is a view): parallel
arrays (PostgreSQL, migration 9) or a JSON array in the order of a key set (SQLite, migration 12)."""

_NUMERIC = {"sqlite": "TEXT",  # SQLite's NUMERIC affinity would turn 12.345 into a REAL: keep the digits
            "postgresql": "NUMERIC(30, 6)"}
_BLOB = {"sqlite": "BLOB", "postgresql": "BYTEA"}
_SMALLINT = {"sqlite": "INTEGER", "postgresql": "SMALLINT"}
_DOUBLE = {"sqlite": "REAL", "postgresql": "DOUBLE PRECISION"}
_BIGINT = {"sqlite": "INTEGER", "postgresql": "BIGINT"}
_WITHOUT_ROWID = {"sqlite": " WITHOUT ROWID", "postgresql": ""}
_ID = {"sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT",
       "postgresql": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"}


def _types(dialect: str) -> dict:
    return {"id": _ID[dialect], "numeric": _NUMERIC[dialect], "blob": _BLOB[dialect], "smallint": _SMALLINT[dialect],
            "double": _DOUBLE[dialect], "bigint": _BIGINT[dialect], "without_rowid": _WITHOUT_ROWID[dialect]}


LOCK_KEY = 0x6E69616E  # "nian": the advisory lock that serialises migrations of one database


def current_version(db) -> int:
    row = db.one("SELECT MAX(version) FROM schema_migrations")
    return (row[0] or 0) if row else 0


def migrate(db) -> int:
    """Bring the schema up to date; returns the version now in force."""
    with db.transaction():  # two processes on a fresh database: one creates, the other waits
        db.lock(LOCK_KEY)
        db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                   "description TEXT NOT NULL, applied_at TEXT NOT NULL)")
        have = current_version(db)
    if have >= MIGRATIONS[-1][0]:
        return have
    for version, description, script in MIGRATIONS:
        if version <= have:
            continue
        with db.transaction():  # SQLite: BEGIN IMMEDIATE is the lock; PostgreSQL: an explicit one
            db.lock(LOCK_KEY)
            if current_version(db) >= version:  # another process migrated while we waited
                have = current_version(db)
                continue
            if isinstance(script, dict):  # a migration of one dialect (the other records it, nothing to do)
                script = script[db.dialect]
            for stmt in script.format(**_types(db.dialect)).split(";"):
                if stmt.strip():
                    db.execute(stmt)
            db.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                       (version, description, datetime.now(timezone.utc).isoformat()))
        have = version
    return have
