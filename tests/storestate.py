"""A canonical dump of a store's whole state, ids and timestamps aside: two stores that hold the
same documents, paths, bytes, reports (with versions), cells, parts, findings and cross-year pairs
dump equal."""
import hashlib

from nianbao.store import Corpus

_DOC = "JOIN documents d ON d.id = r.document_id"


def _rows(db, sql):
    return sorted((tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in db.query(sql)), key=repr)


# Which report is current, ranked as the view current_reports did before the store kept it (migration 4):
# per (body, year), version = rank by document id, current = the resolved document's, else the latest.
RANKING = """
SELECT r.id,
       CASE WHEN r.agency_norm IS NULL OR r.year IS NULL THEN 1
            ELSE ROW_NUMBER() OVER (PARTITION BY r.agency_norm, r.year ORDER BY r.document_id) END,
       CASE WHEN r.agency_norm IS NULL OR r.year IS NULL OR ROW_NUMBER() OVER (
                PARTITION BY r.agency_norm, r.year
                ORDER BY CASE WHEN s.document_id IS NULL THEN 1 ELSE 0 END, r.document_id DESC) = 1 THEN 1 ELSE 0 END
FROM reports r LEFT JOIN resolutions s ON s.agency_norm = r.agency_norm AND s.year = r.year
                                      AND s.document_id = r.document_id"""


def assert_current_is_ranked(db) -> int:
    """The stored ``version`` and ``is_current`` of every report equal the ranking; returns how many
    reports (and each (body, year) has exactly one current report)."""
    ranked = {i: (v, c) for i, v, c in db.query(RANKING)}
    stored = {i: (v, c) for i, v, c in db.query("SELECT id, version, is_current FROM reports")}
    assert stored == ranked, {i: (stored.get(i), ranked.get(i)) for i in set(stored) | set(ranked)
                              if stored.get(i) != ranked.get(i)}
    assert db.query("SELECT agency_norm, year FROM reports WHERE agency_norm IS NOT NULL AND year IS NOT NULL "
                    "GROUP BY agency_norm, year HAVING SUM(is_current) <> 1") == []
    return len(stored)


def canonical_state(url: str) -> dict:
    with Corpus(url) as c:
        db = c.db
        assert_current_is_ranked(db)
        blobs = [(sha, size, hashlib.sha256(bytes(data)).hexdigest() == sha)
                 for sha, size, data in db.query("SELECT sha256, size, data FROM blobs")]
        return {
            "documents": _rows(db, "SELECT sha256, name, format, size, status, error_code, error_message, "
                                   "parser_version FROM documents"),
            "paths": _rows(db, "SELECT d.sha256, p.path FROM document_paths p JOIN documents d ON d.id = p.document_id"),
            "blobs": sorted(blobs),
            "reports": _rows(db, "SELECT sha256, agency, agency_norm, year, template, title, errors, warnings, infos, "
                                 "record, parser_version, version, is_current FROM report_versions"),
            "cells": _rows(db, f"SELECT d.sha256, c.key, c.value, c.value_exact, c.raw, c.certain, c.loc_line, "
                               f"c.loc_table, c.loc_row, c.loc_col, c.loc_page, c.loc_bbox, c.loc_char "
                               f"FROM cells c JOIN reports r ON r.id = c.report_id {_DOC}"),
            "parts": _rows(db, f"SELECT d.sha256, p.number, p.title, p.text, p.loc FROM parts p "
                               f"JOIN reports r ON r.id = p.report_id {_DOC}"),
            "findings": _rows(db, f"SELECT d.sha256, f.code, f.name, f.severity, f.message, f.keys, f.loc, f.expected, "
                                  f"f.actual, f.cross_year FROM findings f JOIN reports r ON r.id = f.report_id {_DOC}"),
            "cross_year_pairs": _rows(db, "SELECT d.sha256, dp.sha256 FROM cross_year_pairs x "
                                          "JOIN reports r ON r.id = x.report_id JOIN documents d ON d.id = r.document_id "
                                          "JOIN reports rp ON rp.id = x.previous_id "
                                          "JOIN documents dp ON dp.id = rp.document_id"),
            "resolutions": _rows(db, "SELECT s.agency_norm, s.year, d.sha256 FROM resolutions s "
                                     "JOIN documents d ON d.id = s.document_id"),
        }


def assert_same_state(got: dict, want: dict) -> None:
    for table in want:
        assert got[table] == want[table], f"{table} differs"
