"""``Corpus``: a store of parsed and audited reports (SQLite file or PostgreSQL)."""
from __future__ import annotations

import hashlib
import itertools
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..config import DEFAULT, Settings
from ..ingest.sources import iter_inputs
from ..model import Report
from ..parsing import PARSER_VERSION
from ..parsing.meta import norm_agency
from ..rules import check
from . import ocr_pages
from .codec import cell_from_row, exact, from_exact, j  # noqa: F401  (exact, from_exact: public here too)
from .db import Database
from .migrations import CELL_SETS, migrate
from .rows import Interned, KeySets, StoredCells, key_columns
from .current import settle
from .work import run_local
from .write import _WRITE_LOCK, Writing

LOOKUP = 64  # inputs hashed and looked up in the store at once, before they go to the workers
LOOKUP_BYTES = 16 << 20  # … or fewer, once their bytes reach this


@dataclass
class IngestSummary:
    parsed: int = 0
    failed: int = 0
    skipped: int = 0  # already stored (same bytes), or failed before with this parser version
    skipped_failed: int = 0  # of ``skipped``: recorded failures not retried (``retry_failed`` retries them)
    with_errors: int = 0  # parsed, with error-level findings
    cross_year_pairs: int = 0
    conflicts: int = 0  # (body, year) with more than one distinct document, not resolved
    missing_bytes: int = 0  # reprocess: stored before bytes were kept (ingest them again)
    ocr_pages: int = 0  # pages OCR read in this run (pages the store held are not read again)
    failures: list = field(default_factory=list)  # (name, reason)
    new_reports: list = field(default_factory=list)  # ids of the reports this run stored

    @property
    def total(self) -> int:
        return self.parsed + self.failed + self.skipped


_CROSS_YEAR_LOCK = 0x6E696132
REPROCESS = ("all", "failed", "older")


_j = j


class Corpus(Writing):
    """A corpus of reports in a database. ``Corpus()`` opens ``./nianbao.db`` (or ``$NIANBAO_DB``)."""

    summary_type = IngestSummary

    @property
    def parser_version(self) -> str:
        return PARSER_VERSION

    def __init__(self, url: str | None = None, *, must_exist: bool = False):
        self._open(Database(url, must_exist=must_exist))
        self.schema_version = migrate(self.db)

    def _open(self, db) -> None:
        self.db = db
        self._keys = Interned(self.db, "cell_keys", "key", key_columns)
        self._labels = Interned(self.db, "labels", "digest", None)
        self._key_sets = KeySets(self.db, self._keys)  # SQLite: the lists of keys of reports' cells
        self._rule_keys: set = set()  # cells the cross-year rules looked at (read ahead for the next reports)

    @classmethod
    def reader(cls, url: str) -> Corpus:
        """A corpus opened to read only (no migration: the schema is up to date), e.g. by a worker."""
        self = cls.__new__(cls)
        self._open(Database(url, must_exist=True))
        self.schema_version = None
        return self

    def close(self):
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---------------------------------------------------------------- ingest

    def known(self, sha256: str) -> bool:
        return self.db.one("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)) is not None

    def _skips(self, items: list, retry_failed: bool, db=None) -> list:
        """For each ``(sha256, path)`` of ``items``: why these bytes need no work (``"parsed"``,
        ``"failed"`` with the same parser version, or None); the stored document's id (None when it
        is not stored); and whether this path or the bytes are still to be recorded for it. One
        lookup of the hashes (and one of the found documents' paths) for all of them."""
        db = db or self.db
        shas = list(dict.fromkeys(sha for sha, _ in items))
        found: dict = {}
        for i in range(0, len(shas), 500):
            chunk = shas[i:i + 500]
            found.update((r[0], r[1:]) for r in db.query(
                "SELECT d.sha256, d.id, d.status, d.parser_version, "
                "(SELECT COUNT(*) FROM blobs b WHERE b.sha256 = d.sha256) FROM documents d "
                f"WHERE d.sha256 IN ({', '.join('?' for _ in chunk)})", chunk))
        seen: set = set()
        ids = list({f[0] for f in found.values()})
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            seen.update((d, p) for d, p in db.query(
                f"SELECT document_id, path FROM document_paths WHERE document_id IN ({', '.join('?' for _ in chunk)})",
                chunk))
        out = []
        for sha, path in items:
            row = found.get(sha)
            if row is None:
                out.append((None, None, True))
                continue
            doc_id, status, version, blobs = row
            unrecorded = not ((doc_id, path) in seen and blobs)
            if status == "parsed":
                out.append(("parsed", doc_id, unrecorded))
            elif version == PARSER_VERSION and not retry_failed:
                out.append(("failed", doc_id, unrecorded))
            else:
                out.append((None, doc_id, unrecorded))
        return out

    def ingest(self, paths, *, workers: int | None = None, engine: str = "local", scheduler: str | None = None,
               progress=None, cross_year: bool = True, settings: Settings | None = None,
               retry_failed: bool = False) -> IngestSummary:
        """Parse, audit and store every report under ``paths`` (files, directories, zip archives).

        Each document is parsed in an isolated worker process (``settings.time_limit``,
        ``settings.memory_limit``) and written with its bytes in one transaction; documents already
        stored (same bytes) are skipped, only the path they were found at is recorded, so re-running
        after an interruption continues where it stopped. A document that failed is recorded with
        its reason and skipped by later runs until its bytes or the parser version change
        (``retry_failed=True`` retries it now). At the end the cross-year rules are brought up to
        date for every body/year whose pair is new or was left incomplete (:meth:`run_cross_year`).
        """
        settings = settings or DEFAULT
        summary = IngestSummary()
        shape = CELL_SETS[self.db.dialect]  # the workers send the cells as the store keeps them

        def todo(probe):  # on a connection of its own: the writer thread has self.db
            for name, blob, sha, (why, doc_id, unrecorded) in self._looked_up(
                    iter_inputs(paths, settings=settings), retry_failed, probe):
                if sha is not None:
                    if why is not None:
                        if unrecorded:  # found at a new path, or stored before bytes were kept
                            with probe.transaction():
                                self._seen(doc_id, name, blob, sha, db=probe)
                        summary.skipped += 1
                        summary.skipped_failed += why == "failed"
                        if progress:
                            progress(1)
                        continue
                # OCR pages are kept only for a stored document (their foreign key): a new one has none
                yield name, blob, sha, ocr_pages.stored(probe, sha) if doc_id is not None else {}, shape

        self._write_all(todo, workers, engine, scheduler, settings, summary, progress)
        if cross_year:
            summary.cross_year_pairs = self.run_cross_year(workers=_local_workers(workers, engine))
            summary.with_errors = self._with_errors(summary.new_reports)
        summary.conflicts = len(self.conflicts())
        return summary

    def _looked_up(self, inputs, retry_failed: bool, probe):
        """``(name, bytes or error, sha256 or None, what :meth:`_skips` says)`` for each input, the
        bytes hashed once (here) and looked up in the store a few dozen at a time (at most
        :data:`LOOKUP` inputs or :data:`LOOKUP_BYTES` bytes held at once)."""
        chunk: list = []
        size = 0
        for name, blob in itertools.chain(inputs, [(None, None)]):
            if name is not None:
                ok = not isinstance(blob, Exception)
                chunk.append((name, blob, hashlib.sha256(blob).hexdigest() if ok else None))
                size += len(blob) if ok else 0
                if len(chunk) < LOOKUP and size < LOOKUP_BYTES:
                    continue
            hashed = [(sha, name) for name, _, sha in chunk if sha is not None]
            skips = iter(self._skips(hashed, retry_failed, probe) if hashed else [])
            for name, blob, sha in chunk:
                yield name, blob, sha, (next(skips) if sha is not None else (None, None, True))
            chunk, size = [], 0

    def _with_errors(self, report_ids: list) -> int:
        """How many of these reports have an error-level finding now — the cross-year rules'
        included, so the summary agrees with the database."""
        n = 0
        for i in range(0, len(report_ids), 500):
            chunk = report_ids[i: i + 500]
            marks = ", ".join("?" for _ in chunk)
            n += self.db.one(f"SELECT COUNT(DISTINCT report_id) FROM findings WHERE severity = 'error' "
                             f"AND report_id IN ({marks})", chunk)[0]
        return n

    def _run(self, todo, workers, engine, scheduler, settings):
        if engine == "dask":
            from .distributed import run_on_dask
            yield from run_on_dask(todo, scheduler, settings)
            return
        yield from run_local(todo, workers, settings)

    # ---------------------------------------------------------------- reprocess

    def reprocess(self, which: str = "older", *, workers: int | None = None, engine: str = "local",
                  scheduler: str | None = None, progress=None, settings: Settings | None = None) -> IngestSummary:
        """Parse and audit stored documents again from their kept bytes (after a parser upgrade).

        ``which``: ``"all"``; ``"failed"`` (documents that could not be read); ``"older"`` (read by
        another parser version than this one). Each document runs in an isolated worker, as in
        :meth:`ingest`, and its new report replaces the old one in one transaction: an interrupted
        reprocess leaves every document either as it was or fully redone (``older`` and ``failed``
        continue where it stopped). Documents whose bytes are not kept (stored before bytes were
        kept) are counted in ``missing_bytes``; ingesting them again keeps them."""
        settings = settings or DEFAULT
        summary = IngestSummary()
        rows = self._reprocess_rows(which)
        summary.missing_bytes = sum(1 for r in rows if not r[3])
        shape = CELL_SETS[self.db.dialect]

        def todo(probe):
            for _, name, sha, kept in rows:
                if not kept:
                    if progress:
                        progress(1)
                    continue
                data = probe.one("SELECT data FROM blobs WHERE sha256 = ?", (sha,))[0]
                yield name, bytes(data), sha, ocr_pages.stored(probe, sha), shape

        self._write_all(todo, workers, engine, scheduler, settings, summary, progress, replace=True)
        summary.cross_year_pairs = self.run_cross_year(workers=_local_workers(workers, engine))
        summary.conflicts = len(self.conflicts())
        return summary

    def _reprocess_rows(self, which: str) -> list:
        if which not in REPROCESS:
            raise ValueError(f"unknown selection {which!r}")
        sql = ("SELECT d.id, d.name, d.sha256, b.sha256 IS NOT NULL FROM documents d "
               "LEFT JOIN blobs b ON b.sha256 = d.sha256 "
               "WHERE d.sha256 NOT LIKE ?")  # refused before reading (too large …): there are no bytes
        if which == "failed":
            sql += " AND d.status = 'failed'"
        elif which == "older":
            sql += " AND (d.parser_version IS NULL OR d.parser_version <> ?)"
        return self.db.query(sql + " ORDER BY d.id", ("unreadable:%",) + ((PARSER_VERSION,) if which == "older" else ()))

    def reprocess_count(self, which: str = "older") -> int:
        """How many documents :meth:`reprocess` would go through."""
        return len(self._reprocess_rows(which))

    # ---------------------------------------------------------------- cross-year

    def _pairs(self, bodies_of=None) -> dict:
        """{report id: previous year's report id} for every current report whose body has a current
        report for the year before. ``bodies_of``: only for the bodies of these reports."""
        if bodies_of is None:
            rows = self.db.query("SELECT id, agency_norm, year FROM current_reports "
                                 "WHERE agency_norm IS NOT NULL AND year IS NOT NULL")
        else:  # for a few bodies, through the index of the current reports' (body, year)
            marks = ", ".join("?" for _ in bodies_of)
            rows = self.db.query(
                "SELECT r.id, r.agency_norm, r.year FROM reports r WHERE r.is_current = 1 AND r.year IS NOT NULL "
                f"AND r.agency_norm IN (SELECT agency_norm FROM reports WHERE id IN ({marks}))", list(bodies_of))
        by = {(a, y): i for i, a, y in rows}
        return {rid: by[(a, y - 1)] for (a, y), rid in by.items() if (a, y - 1) in by}

    def _stale_cross_year(self, wanted: dict) -> list:
        """Reports that carry cross-year findings or a pair record they should not: not current any
        more, or their previous year gone."""
        have = {r for (r,) in self.db.query("SELECT report_id FROM cross_year_pairs")}
        have |= {r for (r,) in self.db.query("SELECT DISTINCT report_id FROM findings WHERE cross_year = 1")}
        return sorted(r for r in have if r not in wanted)

    def check_pairs(self, pairs) -> dict:
        """{report id: (previous id, [finding dicts of the Y rules])} for (report id, previous id)
        pairs, the reports read light (:meth:`reports_by_id`); it writes nothing."""
        loaded = self.reports_by_id([x for pair in pairs for x in pair], light=True)
        return {rid: (prev, [f.to_dict() for f in check(loaded[rid], loaded[prev], select=["Y"])])
                for rid, prev in pairs}

    def run_cross_year(self, only=None, *, workers: int | None = None) -> int:
        """Bring the cross-year rules (Y…) up to date across the store; returns the pairs checked.

        Every current report of a body with a current report for the year before is checked against
        it; a pair already checked (recorded in ``cross_year_pairs`` with its findings, in one
        transaction) is not checked again, so this is idempotent, and a pass cut short (a killed
        run) is completed by the next one. Findings of pairs that no longer hold (a newer version
        became current, a year disappeared) are removed. ``only``: check just the pairs that
        involve these report ids (and leave the others for a later pass). ``workers``: check
        the pairs in that many worker processes (:mod:`nianbao.store.pairs`), this process only
        writing their findings; a few pairs are checked here."""
        wanted = self._pairs()
        done = dict(self.db.query("SELECT report_id, previous_id FROM cross_year_pairs"))
        touched = None if only is None else set(only)
        todo = [(rid, prev) for rid, prev in sorted(wanted.items()) if done.get(rid) != prev
                and (touched is None or rid in touched or prev in touched)]
        stale = self._stale_cross_year(wanted) if touched is None else []
        checked = 0
        from .pairs import checked_chunks
        for i, (chunk, results) in enumerate(checked_chunks(self, todo, workers, first=bool(stale))):
            now = datetime.now(timezone.utc).isoformat()
            with self.db.transaction():
                self.db.lock(_CROSS_YEAR_LOCK)  # two ingests at once: one rewrites the Y findings at a time
                # re-read under the lock: another run may have changed them (the chunk's bodies only)
                current = self._pairs() if i == 0 else self._pairs(bodies_of=[rid for rid, _ in chunk])
                for rid, (prev, found) in results.items():
                    if current.get(rid) != prev:
                        continue  # stale already: a later pass (that run's own) checks the new pair
                    self._clear_cross_year(rid)
                    self._insert_findings(rid, found, cross_year=True)
                    self.db.execute("INSERT INTO cross_year_pairs (report_id, previous_id, checked_at) "
                                    "VALUES (?, ?, ?)", (rid, prev, now))
                    self._recount(rid)
                    checked += 1
                if i == 0:
                    for rid in self._stale_cross_year(current):
                        self._clear_cross_year(rid)
                        self._recount(rid)
        return checked

    def _clear_cross_year(self, rid) -> None:
        self.db.execute("DELETE FROM findings WHERE report_id = ? AND cross_year = 1", (rid,))
        self.db.execute("DELETE FROM cross_year_pairs WHERE report_id = ?", (rid,))

    def _recount(self, rid):
        counts = dict(self.db.query("SELECT severity, COUNT(*) FROM findings WHERE report_id = ? GROUP BY severity",
                                    (rid,)))
        self.db.execute("UPDATE reports SET errors = ?, warnings = ?, infos = ? WHERE id = ?",
                        (counts.get("error", 0), counts.get("warning", 0), counts.get("info", 0), rid))

    # ---------------------------------------------------------------- identity

    def document_bytes(self, document) -> bytes:
        """The kept bytes of a document (its id or SHA-256), to read or show it again."""
        sql = ("SELECT b.data FROM documents d JOIN blobs b ON b.sha256 = d.sha256 WHERE "
               + ("d.id = ?" if isinstance(document, int) else "d.sha256 = ?"))
        row = self.db.one(sql, (document,))
        if row is None:
            raise KeyError(f"no kept bytes for document {document}")
        return bytes(row[0])

    def paths(self, document) -> list:
        """Every path a document (id or SHA-256) was found at, in the order first seen."""
        sql = ("SELECT p.path FROM document_paths p JOIN documents d ON d.id = p.document_id WHERE "
               + ("d.id = ?" if isinstance(document, int) else "d.sha256 = ?") + " ORDER BY p.first_seen, p.path")
        return [r[0] for r in self.db.query(sql, (document,))]

    def conflicts(self, *, resolved: bool = False) -> list:
        """(Body, year) with more than one distinct document: every one is kept, the latest (or the
        one chosen by :meth:`resolve`) is current. Open conflicts only unless ``resolved``."""
        rows = self.db.query(
            "SELECT v.agency_norm, v.year, v.agency, v.document_id, v.document_name, v.sha256, v.version, "
            "v.is_current, s.document_id FROM report_versions v "
            "LEFT JOIN resolutions s ON s.agency_norm = v.agency_norm AND s.year = v.year "
            "WHERE v.agency_norm IS NOT NULL AND v.year IS NOT NULL AND EXISTS (SELECT 1 FROM reports r2 "
            "WHERE r2.agency_norm = v.agency_norm AND r2.year = v.year AND r2.id <> v.id) "
            "ORDER BY v.agency_norm, v.year, v.version")
        out: dict = {}
        for norm, year, agency, doc, name, sha, version, current, chosen in rows:
            c = out.setdefault((norm, year), {"agency": agency, "agency_norm": norm, "year": year,
                                              "resolved": False, "documents": []})
            c["resolved"] |= chosen == doc
            c["documents"].append({"id": doc, "file": name, "sha256": sha, "version": version,
                                   "current": bool(current)})
        return [c for c in out.values() if resolved or not c["resolved"]]

    def resolve(self, document_id: int) -> None:
        """Make this document the current report of its (body, year), closing the conflict."""
        row = self.db.one("SELECT agency_norm, year FROM reports WHERE document_id = ?", (document_id,))
        if row is None or row[0] is None or row[1] is None:
            raise KeyError(f"document {document_id} has no report with a body and year")
        with self.db.transaction():
            self.db.lock(_WRITE_LOCK)  # as a writer: one settles a (body, year) at a time
            self.db.execute("DELETE FROM resolutions WHERE agency_norm = ? AND year = ?", row)
            self.db.execute("INSERT INTO resolutions (agency_norm, year, document_id, resolved_at) VALUES (?, ?, ?, ?)",
                            (*row, document_id, datetime.now(timezone.utc).isoformat()))
            settle(self.db, [tuple(row)])
        self.run_cross_year()

    # ---------------------------------------------------------------- read

    def previous_report(self, agency: str, year: int):
        """The current stored report of the same body (normalised as the cross-year rules pair
        bodies) for ``year`` (None when there is none) — to pair a new report with last year's."""
        row = self.db.one("SELECT id FROM current_reports WHERE agency_norm = ? AND year = ? ORDER BY id DESC",
                          (norm_agency(agency), year))
        return self.report(row[0]) if row else None

    def report(self, report_id: int) -> Report:
        """The stored record, rebuilt from its metadata, cells and parts."""
        return self.reports_by_id([report_id])[report_id]

    def reports_by_id(self, ids, batch: int = 500, *, light: bool = False) -> dict:
        """{id: Report} for many reports, a few queries per batch (not per report).

        ``light``: for the rules (the cross-year pass): no table labels, and each cell made only
        when a rule looks at it (``Report.cells`` is then a read-only mapping)."""
        from ..model.report import Part
        out = {}
        ids = list(dict.fromkeys(ids))
        for i in range(0, len(ids), batch):
            chunk = ids[i: i + batch]
            marks = ", ".join("?" for _ in chunk)
            recs = {}
            for rid, rec, labels in self.db.query(
                    f"SELECT r.id, r.record, {'NULL' if light else 'l.labels'} FROM reports r "
                    f"LEFT JOIN labels l ON l.id = r.labels_id WHERE r.id IN ({marks})", chunk):
                rec = json.loads(rec)
                if labels is not None:
                    rec["labels"] = json.loads(labels)
                elif light:
                    rec.pop("labels", None)
                rec.pop("cells", None)
                recs[rid] = rec
            if light:  # the cells the rules looked at so far; any other is read when a rule asks for it
                wanted = [self._keys.known[k] for k in self._rule_keys if k in self._keys.known]
                cells = self._cell_rows(list(recs), wanted)
            else:
                cells = self._cell_rows(list(recs))
            parts = {rid: [] for rid in recs}
            for rid, n, t, x, loc in self.db.query(
                    f"SELECT report_id, number, title, text, loc FROM parts WHERE report_id IN ({marks}) "
                    "ORDER BY report_id, number", chunk):
                parts[rid].append({"number": n, "title": t, "text": x, "loc": json.loads(loc) if loc else None})
            for rid, rec in recs.items():
                if light:
                    report = Report.from_dict({**rec, "cell_details": {}})
                    report.cells = StoredCells(cells[rid], lambda rid=rid: self._cell_rows([rid])[rid],
                                                self._rule_keys)
                    report.parts = [Part.from_dict(p) for p in parts[rid]]
                else:
                    report = Report.from_dict({**rec, "cell_details": {}, "parts": parts[rid]})
                    report.cells = {k: cell_from_row(*row) for k, row in cells[rid].items()}
                out[rid] = report
        missing = [i for i in ids if i not in out]
        if missing:
            raise KeyError(f"no report {missing[0]}")
        return out

    def _cell_rows(self, report_ids: list, key_ids=None) -> dict:
        """{report id: {key: stored row}}; ``key_ids``: only these cells."""
        out: dict = {rid: {} for rid in report_ids}
        if not report_ids or key_ids == []:
            return out
        if CELL_SETS[self.db.dialect] == "json":  # SQLite: a report's row, read here (not through the view)
            return self._key_sets.read(self.db.query(
                f"SELECT report_id, key_set, cells FROM cell_sets WHERE report_id IN ({', '.join('?' for _ in report_ids)})",
                list(report_ids)), out, key_ids)
        keys = self._keys.names()
        sql = ("SELECT report_id, key_id, value_exact, raw, flags, loc_line, loc_table, loc_row, loc_col, loc_page, "
               f"loc_bbox, loc_char FROM cell_values WHERE report_id IN ({', '.join('?' for _ in report_ids)})")
        if key_ids is not None:
            sql += f" AND key_id IN ({', '.join('?' for _ in key_ids)})"
        for rid, kid, *row in self.db.query(sql, list(report_ids) + list(key_ids or [])):
            key = keys.get(kid)
            if key is None:  # made by another process since this one read them
                self._keys.loaded = False
                keys = self._keys.names()
                key = keys[kid]
            out[rid][key] = row
        return out

    def reports(self, *, year=None, agency=None, template=None) -> list:
        """Current reports (one per body and year: the latest document, or the one chosen by
        :meth:`resolve`; reports without a body or year each stand alone) as dict rows, filtered."""
        sql = ("SELECT id, document_name, agency, year, template, errors, warnings, infos, version "
               "FROM current_reports WHERE 1=1")
        params: list = []
        sql, params = _filters(sql, params, year, agency, template)
        rows = self.db.query(sql + " ORDER BY agency_norm, year, id", params)
        cols = ["id", "file", "agency", "year", "template", "errors", "warnings", "infos", "version"]
        return [dict(zip(cols, r)) for r in rows]

    def documents(self) -> list:
        """Every stored document (one per distinct bytes), with its report's version within its
        (body, year) and whether that report is current."""
        rows = self.db.query(
            "SELECT d.id, d.name, d.sha256, d.format, d.size, COALESCE(v.version, 1), d.status, d.error_code, "
            "d.error_message, d.parser_version, v.is_current FROM documents d "
            "LEFT JOIN report_versions v ON v.document_id = d.id ORDER BY d.id")
        cols = ["id", "name", "sha256", "format", "size", "version", "status", "error_code", "error_message",
                "parser_version", "current"]
        return [dict(zip(cols, r[:-1]), current=bool(r[-1])) for r in rows]

    def findings(self, *, code=None) -> list:
        sql = ("SELECT r.document_name, r.agency, r.year, f.code, f.name, f.severity, f.message, f.keys, "
               "f.expected, f.actual FROM findings f JOIN current_reports r ON r.id = f.report_id")
        params = []
        if code:
            sql += " WHERE f.code LIKE ?"
            params.append(code.upper() + "%")
        cols = ["file", "agency", "year", "code", "name", "severity", "message", "keys", "expected", "actual"]
        return [dict(zip(cols, r)) for r in self.db.query(sql + " ORDER BY f.id", params)]

    def long_rows(self, *, year=None, agency=None, template=None) -> list:
        """Tidy long rows: agency, year, template, table, row, column, value (one per cell)."""
        sql = ("SELECT r.agency, r.year, r.template, c.tbl, c.row_key, c.col_key, c.value, c.raw, c.certain, "
               "r.document_name, c.value_exact FROM cells c JOIN current_reports r ON r.id = c.report_id WHERE 1=1")
        sql, params = _filters(sql, [], year, agency, template, prefix="r.")
        cols = ["agency", "year", "template", "table", "row", "column", "value", "raw", "certain", "file"]
        out = []
        for r in self.db.query(sql + " ORDER BY r.agency_norm, r.year, r.id, c.key", params):
            d = dict(zip(cols, r[:-1]))
            d["value"] = from_exact(r[-1], d["value"], decimal=True)  # exact: int, or Decimal for cents
            d["certain"] = bool(d["certain"])
            out.append(d)
        return out

    def export(self, out, *, fmt: str = "csv", shape: str = "both", year=None, agency=None, template=None,
               labels: str = "key"):
        """Write tidy datasets (long, wide, harmonised, documents, findings, codebook) to ``out``;
        returns the paths written (see :mod:`nianbao.store.export`)."""
        from .export import export
        return export(self, out, fmt=fmt, shape=shape, year=year, agency=agency, template=template, labels=labels)

    def document_details(self, *, year=None, agency=None, template=None) -> list:
        """The current reports' documents: hash, file, body, year, template, title, status, counts
        of findings by severity, version — as dict rows, filtered like :meth:`reports`."""
        sql = ("SELECT d.sha256, r.document_name, r.agency, r.year, r.template, r.title, d.format, d.status, "
               "r.errors, r.warnings, r.infos, r.version FROM current_reports r JOIN documents d ON d.id = r.document_id "
               "WHERE 1=1")
        sql, params = _filters(sql, [], year, agency, template, prefix="r.")
        cols = ["sha256", "file", "agency", "year", "template", "title", "format", "status", "errors", "warnings",
                "infos", "version"]
        return [dict(zip(cols, row), current=True) for row in self.db.query(sql + " ORDER BY r.agency_norm, r.year", params)]

    def stats(self) -> dict:
        q = self.db.query
        return {
            "documents": q("SELECT status, COUNT(*) FROM documents GROUP BY status ORDER BY status"),
            "reports_by_year_template": q("SELECT year, template, COUNT(*) FROM current_reports "
                                          "GROUP BY year, template ORDER BY year, template"),
            "findings_by_rule": q("SELECT f.code, f.name, f.severity, COUNT(*) FROM findings f "
                                  "JOIN current_reports r ON r.id = f.report_id "
                                  "GROUP BY f.code, f.name, f.severity ORDER BY COUNT(*) DESC, f.code"),
            "conflicts": [(c["agency"], c["year"], len(c["documents"]),
                           next(d["file"] for d in c["documents"] if d["current"])) for c in self.conflicts()],
            "applications_by_outcome_year": q(
                "SELECT r.year, c.row_key, SUM(c.value) FROM cells c JOIN current_reports r ON r.id = c.report_id "
                "WHERE c.tbl = 'applications' AND c.col_key = 'total' AND c.certain = 1 "
                "GROUP BY r.year, c.row_key ORDER BY r.year, c.row_key"),
        }


def _local_workers(workers, engine):
    """The worker processes of this machine that check the cross-year pairs after an ingest."""
    return None if engine != "local" else (workers or os.cpu_count() or 1)


def _filters(sql, params, year, agency, template, prefix=""):
    if year:
        years = [int(y) for y in (year if isinstance(year, (list, tuple)) else [year])]
        sql += f" AND {prefix}year IN ({', '.join('?' for _ in years)})"
        params += years
    if agency:
        sql += f" AND ({prefix}agency LIKE ? OR {prefix}agency_norm = ?)"
        params += [f"%{agency}%", norm_agency(agency)]
    if template:
        sql += f" AND {prefix}template = ?"
        params.append(str(template))
    return sql, params

