"""Writing worker results into the store: in batches, on a thread of its own (``Corpus`` mixes this in)."""
from __future__ import annotations

import hashlib
import queue
import threading
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..parsing.meta import norm_agency
from . import ocr_pages
from .codec import cell_set, columns_cells, j, set_columns
from .current import settle
from .db import Database
from .migrations import CELL_SETS

if TYPE_CHECKING:
    from .corpus import IngestSummary

BATCH = 100  # documents written per transaction (each one still all or nothing: the batch is)
BATCH_BYTES = 64 << 20  # … or fewer, once their kept bytes reach this
BATCH_SECONDS = 2.0  # … or fewer, once the oldest has waited this long
_WRITE_LOCK = 0x6E696133  # PostgreSQL: one batch written at a time (SQLite: BEGIN IMMEDIATE)
CELL_SET_COLUMNS = ("report_id", "key_ids", "values_exact", "raws", "flags", "loc_lines", "loc_tables", "loc_rows",
                    "loc_cols", "loc_pages", "loc_bboxes", "loc_chars")
FINDING_COLUMNS = ("report_id", "code", "name", "severity", "message", "keys", "loc", "expected", "actual",
                   "cross_year")


class Writing:
    """The write path of :class:`~nianbao.store.corpus.Corpus` (``self.db``, ``self._keys``, ``self._labels``)."""

    def _write_all(self, todo, workers, engine, scheduler, settings, summary, progress=None, *,
                   replace: bool = False) -> None:
        """Run ``todo(probe)`` on the workers and write the results as they come, in batches: one
        transaction per :data:`BATCH` documents (or fewer, by bytes or time), in a thread of its own,
        so the workers get their next inputs while a batch is written. A batch is all or nothing (a
        killed run loses at most the batches not yet committed; a rerun does them again)."""
        batches: queue.Queue = queue.Queue(maxsize=2)
        failed: list = []
        counted = self.summary_type()

        def writer():
            while (batch := batches.get()) is not None:
                if not failed:
                    try:
                        self.store_results(batch, counted, replace=replace)
                    except BaseException as e:  # noqa: BLE001 — raised again in the caller's thread
                        failed.append(e)

        thread = threading.Thread(target=writer, name="nianbao-writer", daemon=True)
        thread.start()
        probe = Database(self.db.url)
        results = self._run(todo(probe), workers, engine, scheduler, settings)
        batch, size, started = [], 0, 0.0
        try:
            for result in results:
                if not batch:
                    started = time.monotonic()
                batch.append(result)
                size += len(result.get("data") or b"")
                if progress:
                    progress(1)
                if len(batch) >= BATCH or size >= BATCH_BYTES or time.monotonic() - started >= BATCH_SECONDS:
                    batches.put(batch)
                    batch, size = [], 0
                    if failed:
                        break
            if batch and not failed:
                batches.put(batch)
        finally:
            batches.put(None)
            thread.join()
            results.close()
            probe.close()
            _add(summary, counted)
        if failed:
            raise failed[0]

    def _seen(self, doc_id, path: str, data=None, sha: str | None = None, db=None) -> None:
        """Record that document ``doc_id`` was found at ``path``; keep its bytes if not kept yet."""
        db = db or self.db
        now = datetime.now(timezone.utc).isoformat()
        db.execute("INSERT INTO document_paths (document_id, path, first_seen) VALUES (?, ?, ?) "
                        "ON CONFLICT (document_id, path) DO NOTHING", (doc_id, path, now))
        if isinstance(data, (bytes, bytearray)):
            sha = sha or hashlib.sha256(data).hexdigest()
            if db.one("SELECT 1 FROM blobs WHERE sha256 = ?", (sha,)) is None:
                db.execute("INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?) "
                                "ON CONFLICT (sha256) DO NOTHING", (sha, len(data), bytes(data)))

    def store_result(self, res: dict, summary: IngestSummary | None = None, *, replace: bool = False) -> None:
        """Write one worker result (see :meth:`store_results`)."""
        self.store_results([res], summary, replace=replace)

    def store_results(self, results: list, summary: IngestSummary | None = None, *, replace: bool = False) -> None:
        """Write worker results in one transaction: for each, a document row (and its bytes,
        ``res["data"]``, and path), and its report, cells, parts, findings. All or nothing: an
        exception (or a killed process) leaves none of them written.

        A recorded failure of the same bytes is replaced (a retry); stored parsed bytes are kept
        (their new path recorded), unless ``replace`` (a reprocess: the document's report is
        replaced by this result's).

        The statements are made per batch, not per document (one lookup of the batch's hashes, one
        multi-row insert of its documents, of its reports, …); the same bytes twice in a batch are
        written as if one after the other (:func:`_runs`)."""
        summary = summary if summary is not None else self.summary_type()
        counted = self.summary_type()
        with self.db.transaction():
            self.db.lock(_WRITE_LOCK)  # PostgreSQL: two ingests at once never wait on each other's rows
            try:
                rows = {"cell_values": {}, "parts": [], "findings": [], "groups": set()}
                for run in _runs(results):
                    self._store_run(run, counted, rows, replace)
                settle(self.db, rows["groups"])  # which report of each (body, year) written to is current
                for columns, cells in rows["cell_values"].items():
                    self.db.insert_rows("cell_sets", columns, cells)
                self.db.insert_rows("parts", ("report_id", "number", "title", "text", "loc"), rows["parts"])
                self.db.insert_rows("findings", FINDING_COLUMNS, rows["findings"])
                ocr_pages.keep(self.db, results, counted)  # after the documents' rows they refer to
            except BaseException:
                self._keys.rollback()
                self._labels.rollback()
                self._key_sets.rollback()
                raise
        self._keys.commit()
        self._labels.commit()
        self._key_sets.commit()
        _add(summary, counted)

    def _store_run(self, run: list, summary: IngestSummary, rows: dict, replace: bool) -> None:
        """Write results whose bytes differ from each other (``(sha256, result)`` pairs), in batched statements."""
        db = self.db
        now = datetime.now(timezone.utc).isoformat()
        old = _lookup(db, "SELECT sha256, id, status FROM documents WHERE sha256 IN ({})", [s for s, _ in run])
        doc_ids: dict = {}  # sha256 → the document id of this result
        fresh, again, kept = [], [], []  # results to write as new documents, over recorded ones, and not at all
        for sha, res in run:
            error = res.get("error")
            fields = (res.get("format"), res["size"], now, "failed" if error else "parsed",
                      error[0] if error else None, f"{error[1]}（{error[2]}）" if error else None, self.parser_version)
            found = old.get(sha)
            if found is not None and found[1] == "parsed" and not replace:
                doc_ids[sha] = found[0]
                kept.append(sha)
            elif found is not None:  # a failure recorded before (its retry), or a reprocess
                doc_ids[sha] = found[0]
                again.append((*fields, found[0]))
            else:
                fresh.append((sha, res["name"], *fields))
        if again:  # cells, parts, findings too; its (body, year) may have another current report now
            db.executemany("UPDATE documents SET format = ?, size = ?, ingested_at = ?, status = ?, "
                           "error_code = ?, error_message = ?, parser_version = ? WHERE id = ?", again)
            rows["groups"].update(_lookup(db, "DELETE FROM reports WHERE document_id IN ({}) RETURNING agency_norm, year",
                                          [a[-1] for a in again], keyed=False))
        for i in range(0, len(fresh), _CHUNK):
            chunk = fresh[i:i + _CHUNK]
            doc_ids.update(db.query(
                "INSERT INTO documents (sha256, name, format, size, ingested_at, status, error_code, "
                "error_message, parser_version) VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
                + " ON CONFLICT (sha256) DO NOTHING RETURNING sha256, id", [x for row in chunk for x in row]))
        lost = [row[0] for row in fresh if row[0] not in doc_ids]
        if lost:  # another ingest stored these bytes a moment ago
            doc_ids.update((s, v[0]) for s, v in
                           _lookup(db, "SELECT sha256, id FROM documents WHERE sha256 IN ({})", lost).items())
            kept += lost
        self._seen_many(db, [(doc_ids[sha], res["name"], res.get("data"), sha) for sha, res in run], now)
        kept = set(kept)
        reports = []
        for sha, res in run:
            if sha in kept:
                summary.skipped += 1
            elif error := res.get("error"):
                summary.failed += 1
                summary.failures.append((res["name"], error[1]))
            else:
                reports.append((doc_ids[sha], res))
        self._insert_reports(reports, summary, rows)

    def _insert_reports(self, reports: list, summary: IngestSummary, rows: dict) -> None:
        """Insert the reports of ``(document id, result)`` pairs (current, version 1 — the defaults — until
        settled with their (body, year)'s others); their cells, parts and findings go to ``rows``."""
        db = self.db
        values = []
        for doc_id, res in reports:
            agency, year, template, title = res["meta"]
            errors, warnings, infos = res["counts"]
            norm = norm_agency(agency) or None
            values.append((doc_id, agency, norm, year, template, title, errors, warnings, infos,
                           res["record"], self.parser_version, self._labels.id(*res["labels"])))
            rows["groups"].add((norm, year))
        report_ids: dict = {}  # document id → report id
        for i in range(0, len(values), _CHUNK):
            chunk = values[i:i + _CHUNK]
            report_ids.update(db.query(
                "INSERT INTO reports (document_id, agency, agency_norm, year, template, title, errors, warnings, "
                "infos, record, parser_version, labels_id) VALUES "
                + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk)) + " RETURNING document_id, id",
                [x for row in chunk for x in row]))
        shape = CELL_SETS[db.dialect]
        ids = self._keys.known
        for doc_id, res in reports:
            report_id = report_ids[doc_id]
            cells = res["cells"]  # (keys, JSON text): codec.cell_set; PostgreSQL: columns (codec.cell_columns)
            if cells and shape == "json":  # SQLite: one row, the text as the worker made it
                if not isinstance(cells[1], str):  # sent as columns (for PostgreSQL): made into the text here
                    cells = cell_set(columns_cells(cells))
                rows["cell_values"].setdefault(("report_id", "key_set", "cells"), []).append(
                    (report_id, self._key_sets.id(cells[0]), cells[1]))
            elif cells:  # PostgreSQL: one row of arrays (columns from the worker; from the text if sent so)
                cols = set_columns(*cells) if isinstance(cells[1], str) else cells
                try:
                    key_ids = [ids[k] for k in cols[0]]
                except KeyError:  # a key not stored yet
                    key_ids = [self._keys.id(k) for k in cols[0]]
                rows["cell_values"].setdefault(CELL_SET_COLUMNS, []).append(
                    (report_id, _array(key_ids, False),
                     *(None if col is None else _array(col, quote) for quote, col in zip(_QUOTED[1:], cols[1:]))))
            rows["parts"] += [(report_id, *p) for p in res["parts"]]
            rows["findings"] += [(report_id, *f, 0) for f in res["findings"]]
            summary.parsed += 1
            summary.new_reports.append(report_id)
            summary.with_errors += bool(res["counts"][0])

    @staticmethod
    def _seen_many(db, seen: list, now: str) -> None:
        """Record each ``(document id, path, bytes or None, sha256)`` of ``seen``: its path, and its
        bytes if not kept yet (the batch's kept hashes looked up at once)."""
        db.executemany("INSERT INTO document_paths (document_id, path, first_seen) VALUES (?, ?, ?) "
                       "ON CONFLICT (document_id, path) DO NOTHING", [(d, path, now) for d, path, _, _ in seen])
        blobs = {sha: data for _, _, data, sha in seen if isinstance(data, (bytes, bytearray))}
        if blobs:
            have = _lookup(db, "SELECT sha256 FROM blobs WHERE sha256 IN ({})", list(blobs), keyed=False)
            have = {h[0] for h in have}
            todo = [(sha, len(data), bytes(data)) for sha, data in blobs.items() if sha not in have]
            if todo:
                db.executemany("INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?) "
                               "ON CONFLICT (sha256) DO NOTHING", todo)

    def _insert_findings(self, report_id, findings, cross_year: bool):
        self.db.insert_rows(
            "findings", FINDING_COLUMNS,
            [(report_id, f["code"], f["name"], f["severity"], f["message"], j(f["keys"]), j(f["loc"]),
              j(f["expected"]), j(f["actual"]), int(cross_year)) for f in findings])


_CHUNK = 100  # rows per multi-row statement (SQLite: well under its limit of bound parameters)


def _runs(results: list):
    """The batch's results as runs of ``(sha256, result)`` pairs, in order, none holding the same
    bytes twice: a run is written as one, the next sees what it wrote."""
    run: list = []
    shas: set = set()
    for res in results:
        sha = res["sha256"] or f"unreadable:{res['name']}"
        if sha in shas:
            yield run
            run, shas = [], set()
        run.append((sha, res))
        shas.add(sha)
    if run:
        yield run


def _lookup(db, sql: str, keys: list, keyed: bool = True):
    """Run ``sql`` (``{}``: the placeholders of ``keys``) over ``keys`` in chunks: rows by their first column
    (``keyed``; the rest of the row its value), or a list of rows."""
    out: dict | list = {} if keyed else []
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        got = db.query(sql.format(", ".join("?" for _ in chunk)), chunk)
        if keyed:
            out.update((r[0], tuple(r[1:])) for r in got)
        else:
            out += got
    return out


_QUOTED = (False, False, True, False, False, False, False, False, False, True, False)  # text arrays: quoted


def _array(col, quote: bool) -> str:
    """A PostgreSQL array literal (``{1,NULL,3}``), made here: cheaper than adapting each element."""
    if quote:
        return "{" + ",".join("NULL" if x is None else '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'
                              for x in col) + "}"
    return "{" + ",".join("NULL" if x is None else str(x) for x in col) + "}"


def _add(summary, counted) -> None:
    for name in ("parsed", "failed", "skipped", "with_errors", "ocr_pages"):
        setattr(summary, name, getattr(summary, name) + getattr(counted, name))
    summary.failures += counted.failures
    summary.new_reports += counted.new_reports
