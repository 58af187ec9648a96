"""``Corpus``: a store of parsed and audited reports (SQLite file or PostgreSQL)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from ..config import DEFAULT, Settings
from ..ingest.sources import iter_inputs
from ..model import Report
from ..parsing import PARSER_VERSION
from ..parsing.meta import norm_agency
from ..rules import check
from .db import Database
from .migrations import migrate
from .work import run_local


@dataclass
class IngestSummary:
    parsed: int = 0
    failed: int = 0
    skipped: int = 0  # already stored (same bytes), or failed before with this parser version
    skipped_failed: int = 0  # of ``skipped``: recorded failures not retried (``retry_failed`` retries them)
    with_errors: int = 0  # parsed, with error-level findings
    cross_year_pairs: int = 0
    failures: list = field(default_factory=list)  # (name, reason)
    new_reports: list = field(default_factory=list)  # ids of the reports this run stored

    @property
    def total(self) -> int:
        return self.parsed + self.failed + self.skipped


_CROSS_YEAR_LOCK = 0x6E696132


def _j(v):
    return None if v is None else json.dumps(v, ensure_ascii=False)


_CELL_COLUMNS = ("report_id", "key", "tbl", "row_key", "col_key", "value", "raw", "certain", "loc_line", "loc_table",
                 "loc_row", "loc_col", "loc_page", "loc_bbox", "loc_char", "value_exact")


def exact(v):
    """A cell value as exact decimal text (``value_exact``): ints as they are; a float from the
    parser (money with cents) by its shortest repr, which is the decimal the report wrote (values
    are below 10¹² with at most a few decimals, well within a double's 15 exact digits)."""
    if v is None:
        return None
    if isinstance(v, float):
        return str(Decimal(repr(v)))
    return str(int(v))


def from_exact(text, fallback=None, *, decimal: bool = False):
    """``value_exact`` back as int (whole) or, for a fraction, float (``decimal=True``: Decimal)."""
    if text is None:
        return _number(fallback)
    d = Decimal(str(text))
    if d == d.to_integral_value():
        return int(d)
    return d.normalize() if decimal else float(d)
_LOC_FIELDS = ("line", "table", "row", "col", "page", "bbox", "char")


def _loc_columns(loc) -> tuple:
    loc = loc or {}
    bbox = loc.get("bbox")
    return (loc.get("line"), loc.get("table"), loc.get("row"), loc.get("col"), loc.get("page"),
            None if bbox is None else ",".join(str(x) for x in bbox), loc.get("char"))


def _loc_dict(cols) -> dict:
    d = {k: v for k, v in zip(_LOC_FIELDS, cols) if v is not None}
    if "bbox" in d:
        d["bbox"] = [float(x) for x in d["bbox"].split(",")]
    return d


def _number(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


class Corpus:
    """A corpus of reports in a database. ``Corpus()`` opens ``./nianbao.db`` (or ``$NIANBAO_DB``)."""

    def __init__(self, url: str | None = None):
        self.db = Database(url)
        self.schema_version = migrate(self.db)

    def close(self):
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---------------------------------------------------------------- ingest

    def known(self, sha256: str) -> bool:
        return self.db.one("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)) is not None

    def _skip(self, sha256: str, retry_failed: bool):
        """Why these bytes need no work: ``"parsed"``, ``"failed"`` (same parser version), or None."""
        row = self.db.one("SELECT status, parser_version FROM documents WHERE sha256 = ?", (sha256,))
        if row is None:
            return None
        if row[0] == "parsed":
            return "parsed"
        if row[1] == PARSER_VERSION and not retry_failed:
            return "failed"
        return None

    def ingest(self, paths, *, workers: int | None = None, engine: str = "local", scheduler: str | None = None,
               progress=None, cross_year: bool = True, settings: Settings | None = None,
               retry_failed: bool = False) -> IngestSummary:
        """Parse, audit and store every report under ``paths`` (files, directories, zip archives).

        Each document is parsed in an isolated worker process (``settings.time_limit``,
        ``settings.memory_limit``) and written in one transaction; documents already stored (same
        bytes) are skipped, so re-running after an interruption continues where it stopped. A
        document that failed is recorded with its reason and skipped by later runs until its
        bytes or the parser version change (``retry_failed=True`` retries it now).
        """
        settings = settings or DEFAULT
        summary = IngestSummary()

        def todo():
            for name, blob in iter_inputs(paths, settings=settings):
                if not isinstance(blob, Exception):
                    why = self._skip(hashlib.sha256(blob).hexdigest(), retry_failed)
                    if why is not None:
                        summary.skipped += 1
                        summary.skipped_failed += why == "failed"
                        if progress:
                            progress(1)
                        continue
                yield name, blob

        for result in self._run(todo(), workers, engine, scheduler, settings):
            self.store_result(result, summary)
            if progress:
                progress(1)
        if cross_year and summary.new_reports:
            summary.cross_year_pairs = self.run_cross_year(only=summary.new_reports)
        return summary

    def _run(self, todo, workers, engine, scheduler, settings):
        if engine == "dask":
            from .distributed import run_on_dask
            yield from run_on_dask(todo, scheduler, settings)
            return
        yield from run_local(todo, workers, settings)

    def store_result(self, res: dict, summary: IngestSummary | None = None) -> None:
        """Write one worker result: a document row, and its report, cells, parts, findings.

        A recorded failure of the same bytes is replaced (a retry); stored parsed bytes are kept."""
        summary = summary if summary is not None else IngestSummary()
        now = datetime.now(timezone.utc).isoformat()
        db = self.db
        with db.transaction():
            error = res.get("error")
            sha = res["sha256"] or f"unreadable:{res['name']}"
            fields = (res["name"], res.get("format"), res["size"], now, "failed" if error else "parsed",
                      error[0] if error else None, f"{error[1]}（{error[2]}）" if error else None, PARSER_VERSION)
            old = db.one("SELECT id, status FROM documents WHERE sha256 = ?", (sha,))
            if old is not None and old[1] == "parsed":
                summary.skipped += 1
                return
            if old is not None:  # a failure recorded before: this is its retry
                doc_id = old[0]
                db.execute("UPDATE documents SET name = ?, format = ?, size = ?, ingested_at = ?, status = ?, "
                           "error_code = ?, error_message = ?, parser_version = ? WHERE id = ?", (*fields, doc_id))
            else:
                # one round trip: next version of this name, and nothing if these bytes are stored already
                row = db.one(
                    "INSERT INTO documents (sha256, name, format, size, version, ingested_at, status, error_code, "
                    "error_message, parser_version) SELECT ?, ?, ?, ?, COALESCE(MAX(version), 0) + 1, ?, ?, ?, ?, ? "
                    "FROM documents WHERE name = ? ON CONFLICT (sha256) DO NOTHING RETURNING id",
                    (sha, *fields[:3], *fields[3:], res["name"]))
                if row is None:
                    summary.skipped += 1
                    return
                doc_id = row[0]
            if error:
                summary.failed += 1
                summary.failures.append((res["name"], error[1]))
                return
            rec = dict(res["record"])
            details = rec.pop("cell_details")
            parts = rec.pop("parts")
            rec.pop("cells", None)
            findings = res["findings"]
            counts = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")}
            report_id = db.one(
                "INSERT INTO reports (document_id, agency, agency_norm, year, template, title, errors, warnings, "
                "infos, record, parser_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (doc_id, rec["agency"], norm_agency(rec["agency"]) or None, rec["year"], rec["template"],
                 rec["title"], counts["error"], counts["warning"], counts["info"], _j(rec), PARSER_VERSION))[0]
            db.insert_rows("cells", _CELL_COLUMNS,
                           [(report_id, k, *k.split("."), c["value"], c["raw"], int(c["certain"]),
                             *_loc_columns(c.get("loc")), exact(c["value"])) for k, c in details.items()])
            db.insert_rows("parts", ("report_id", "number", "title", "text", "loc"),
                           [(report_id, p["number"], p["title"], p["text"], _j(p.get("loc"))) for p in parts])
            self._insert_findings(report_id, findings, cross_year=False)
            summary.parsed += 1
            summary.new_reports.append(report_id)
            summary.with_errors += bool(counts["error"])

    def _insert_findings(self, report_id, findings, cross_year: bool):
        self.db.insert_rows(
            "findings", ("report_id", "code", "name", "severity", "message", "keys", "loc", "expected", "actual",
                         "cross_year"),
            [(report_id, f["code"], f["name"], f["severity"], f["message"], _j(f["keys"]), _j(f["loc"]),
              _j(f["expected"]), _j(f["actual"]), int(cross_year)) for f in findings])

    # ---------------------------------------------------------------- cross-year

    def run_cross_year(self, only=None) -> int:
        """Run the cross-year rules (Y…) for every body with consecutive years in the store
        (``only``: just the pairs that involve these report ids)."""
        rows = self.db.query("SELECT id, agency_norm, year FROM current_reports "
                             "WHERE agency_norm IS NOT NULL AND year IS NOT NULL")
        by = {(a, y): i for i, a, y in rows}
        touched = None if only is None else set(only)
        pairs = []
        for (agency, year), rid in sorted(by.items()):
            prev_id = by.get((agency, year - 1))
            if prev_id is not None and (touched is None or rid in touched or prev_id in touched):
                pairs.append((rid, prev_id))
        results = {}
        for i in range(0, len(pairs), 250):  # bounded memory, few queries
            chunk = pairs[i: i + 250]
            loaded = self.reports_by_id([x for pair in chunk for x in pair])
            for rid, prev_id in chunk:
                results[rid] = [f.to_dict() for f in check(loaded[rid], loaded[prev_id], select=["Y"])]
        with self.db.transaction():
            self.db.lock(_CROSS_YEAR_LOCK)  # two ingests at once: one rewrites the Y findings at a time
            for rid, found in results.items():
                self.db.execute("DELETE FROM findings WHERE report_id = ? AND cross_year = 1", (rid,))
                self._insert_findings(rid, found, cross_year=True)
                self._recount(rid)
        return len(results)

    def _recount(self, rid):
        counts = dict(self.db.query("SELECT severity, COUNT(*) FROM findings WHERE report_id = ? GROUP BY severity",
                                    (rid,)))
        self.db.execute("UPDATE reports SET errors = ?, warnings = ?, infos = ? WHERE id = ?",
                        (counts.get("error", 0), counts.get("warning", 0), counts.get("info", 0), rid))

    # ---------------------------------------------------------------- read

    def report(self, report_id: int) -> Report:
        """The stored record, rebuilt from its metadata, cells and parts."""
        return self.reports_by_id([report_id])[report_id]

    def reports_by_id(self, ids, batch: int = 500) -> dict:
        """{id: Report} for many reports, a few queries per batch (not per report)."""
        out = {}
        ids = list(dict.fromkeys(ids))
        for i in range(0, len(ids), batch):
            chunk = ids[i: i + batch]
            marks = ", ".join("?" for _ in chunk)
            recs = {rid: json.loads(rec) for rid, rec in
                    self.db.query(f"SELECT id, record FROM reports WHERE id IN ({marks})", chunk)}
            for rec in recs.values():
                rec["cell_details"], rec["parts"] = {}, []
            for rid, key, value, vx, raw, certain, *loc in self.db.query(
                    "SELECT report_id, key, value, value_exact, raw, certain, loc_line, loc_table, loc_row, loc_col, "
                    f"loc_page, loc_bbox, loc_char FROM cells WHERE report_id IN ({marks})", chunk):
                recs[rid]["cell_details"][key] = {"value": from_exact(vx, value), "raw": raw, "certain": bool(certain),
                                                  "loc": _loc_dict(loc)}
            for rid, n, t, x, loc in self.db.query(
                    f"SELECT report_id, number, title, text, loc FROM parts WHERE report_id IN ({marks}) "
                    "ORDER BY report_id, number", chunk):
                recs[rid]["parts"].append({"number": n, "title": t, "text": x,
                                           "loc": json.loads(loc) if loc else None})
            out.update({rid: Report.from_dict(rec) for rid, rec in recs.items()})
        missing = [i for i in ids if i not in out]
        if missing:
            raise KeyError(f"no report {missing[0]}")
        return out

    def reports(self, *, year=None, agency=None, template=None) -> list:
        """Current reports (latest version of each document name) as dict rows, filtered."""
        sql = ("SELECT id, document_name, agency, year, template, errors, warnings, infos, version "
               "FROM current_reports WHERE 1=1")
        params: list = []
        sql, params = _filters(sql, params, year, agency, template)
        rows = self.db.query(sql + " ORDER BY agency_norm, year, id", params)
        cols = ["id", "file", "agency", "year", "template", "errors", "warnings", "infos", "version"]
        return [dict(zip(cols, r)) for r in rows]

    def documents(self) -> list:
        rows = self.db.query("SELECT id, name, sha256, format, size, version, status, error_code, error_message, "
                             "parser_version FROM documents ORDER BY id")
        cols = ["id", "name", "sha256", "format", "size", "version", "status", "error_code", "error_message",
                "parser_version"]
        return [dict(zip(cols, r)) for r in rows]

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

    def export(self, out, *, fmt: str = "csv", shape: str = "both", year=None, agency=None, template=None):
        """Write tidy datasets (long and/or wide) to ``out``; returns the paths written."""
        from .export import export
        return export(self, out, fmt=fmt, shape=shape, year=year, agency=agency, template=template)

    def stats(self) -> dict:
        q = self.db.query
        return {
            "documents": q("SELECT status, COUNT(*) FROM documents GROUP BY status ORDER BY status"),
            "reports_by_year_template": q("SELECT year, template, COUNT(*) FROM current_reports "
                                          "GROUP BY year, template ORDER BY year, template"),
            "findings_by_rule": q("SELECT f.code, f.name, f.severity, COUNT(*) FROM findings f "
                                  "JOIN current_reports r ON r.id = f.report_id "
                                  "GROUP BY f.code, f.name, f.severity ORDER BY COUNT(*) DESC, f.code"),
            "applications_by_outcome_year": q(
                "SELECT r.year, c.row_key, SUM(c.value) FROM cells c JOIN current_reports r ON r.id = c.report_id "
                "WHERE c.tbl = 'applications' AND c.col_key = 'total' AND c.certain = 1 "
                "GROUP BY r.year, c.row_key ORDER BY r.year, c.row_key"),
        }


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
