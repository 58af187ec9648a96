"""Aggregates over the current reports, computed in SQL (never by loading every report): by year,
by body, by rule, and by the roster's parent body. Each returns a list of dicts with named fields,
for ``nianbao stats --by …`` and, later, the dashboards."""
from __future__ import annotations

from .migrations import CELL_SETS

BY = ("year", "agency", "rule", "parent")

# ``r`` (a row of ``reports``) is its body and year's current report (the resolved document, else
# the latest): the flag the store keeps (:mod:`nianbao.store.current`), as ``current_reports`` reads it.
# Figures over every current report read ``reports r WHERE`` this, not the view: PostgreSQL then
# answers them from the covering index ``reports_current`` alone (the view's join to documents,
# though removed, keeps it from an index-only scan).
CURRENT = "r.is_current = 1"


def by_year(db) -> list:
    rows = db.query(
        "SELECT year, template, COUNT(*), "
        "SUM(CASE WHEN errors > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN errors = 0 AND warnings > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN errors = 0 AND warnings = 0 THEN 1 ELSE 0 END) "
        "FROM reports r WHERE " + CURRENT + " GROUP BY year, template ORDER BY year, template")
    return [{"year": y, "template": t, "reports": n, "with_errors": e, "with_warnings": w, "clean": c}
            for y, t, n, e, w, c in rows]


def by_agency(db) -> list:
    rows = db.query(
        "SELECT MIN(agency), agency_norm, COUNT(*), MIN(year), MAX(year), SUM(errors), SUM(warnings) "
        "FROM reports r WHERE " + CURRENT + " AND agency_norm IS NOT NULL AND agency_norm <> '' "
        "GROUP BY agency_norm ORDER BY agency_norm")
    return [{"agency": a, "reports": n, "first_year": y0, "last_year": y1, "errors": e, "warnings": w}
            for a, _, n, y0, y1, e, w in rows]


def by_rule(db) -> list:
    rows = db.query(
        "SELECT f.code, MIN(f.name), MIN(f.severity), COUNT(*), COUNT(DISTINCT f.report_id) "
        "FROM findings f JOIN reports r ON r.id = f.report_id WHERE " + CURRENT + " GROUP BY f.code ORDER BY f.code")
    from ..rules import RULES
    return [{"code": c, "title": RULES[c].title if c in RULES else n, "name": n, "severity": s, "findings": k,
             "reports": r} for c, n, s, k, r in rows]


def by_parent(db, year=None) -> list:
    """Per parent body of the roster: bodies expected, how many filed (for ``year``, or any year),
    and how many of their reports have errors."""
    params: list = []
    year_sql = ""
    if year is not None:
        year_sql = " AND r.year = ?"
        params.append(year)
    rows = db.query(
        "SELECT COALESCE(NULLIF(o.parent, ''), '（未填上级）'), COUNT(DISTINCT o.id), "
        "COUNT(DISTINCT CASE WHEN r.id IS NOT NULL THEN o.id END), "
        "COUNT(DISTINCT CASE WHEN r.errors > 0 THEN r.id END) "
        "FROM roster o LEFT JOIN reports r ON r.agency_norm = o.name_norm AND " + CURRENT + year_sql +
        " GROUP BY COALESCE(NULLIF(o.parent, ''), '（未填上级）') ORDER BY 1", params)
    return [{"parent": p, "bodies": b, "filed": f, "reports_with_errors": e} for p, b, f, e in rows]


def aggregate(db, by: str, year=None) -> list:
    if by == "year":
        return by_year(db)
    if by == "agency":
        return by_agency(db)
    if by == "rule":
        return by_rule(db)
    if by == "parent":
        return by_parent(db, year)
    raise ValueError(by)


# ---------------------------------------------------------------- the dashboards

def by_status(db) -> dict:
    """How many current reports have errors, only warnings, nothing (clean), and how many documents
    could not be read (a failed document, or a report with P001)."""
    return overview_counts(db)[1]


def overview_counts(db) -> tuple:
    """(:func:`by_year`, :func:`by_status`): one pass over the current reports (the covering index of
    their year, template and counts), and one over the few with P001 (unreadable, not counted as
    errors, warnings or clean)."""
    rows = db.query(
        "SELECT r.year, r.template, COUNT(*), SUM(CASE WHEN r.errors > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.errors = 0 AND r.warnings > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.errors = 0 AND r.warnings = 0 THEN 1 ELSE 0 END) "
        "FROM reports r WHERE " + CURRENT + " GROUP BY r.year, r.template")
    key = lambda r: (r[0] is None, r[0] or 0, r[1] is None, r[1] or "")  # noqa: E731 — NULLs last, as by_year
    years = [{"year": y, "template": t, "reports": n, "with_errors": e, "with_warnings": w, "clean": c}
             for y, t, n, e, w, c in sorted(rows, key=key)]
    unreadable = db.one(
        "SELECT COUNT(*), SUM(CASE WHEN r.errors > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.errors = 0 AND r.warnings > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.errors = 0 AND r.warnings = 0 THEN 1 ELSE 0 END) FROM reports r "
        "WHERE " + CURRENT + " AND r.id IN (SELECT report_id FROM findings WHERE code = 'P001')")
    failed = db.one("SELECT COUNT(*) FROM documents WHERE status = 'failed'")[0] or 0
    u, ue, uw, uc = (v or 0 for v in unreadable)
    e, w, c = (sum(r[i] or 0 for r in rows) for i in (3, 4, 5))
    e, w, c = e - ue, w - uw, c - uc
    return years, {"with_errors": e, "with_warnings": w, "clean": c, "unreadable": u + failed,
                   "total": e + w + c + u + failed}


def awaiting_review(db, limit: int = 50) -> dict:
    """Current reports with error-level findings that no decision covers yet (a decision made on
    another version of the same report counts, as on the review pages), most such findings first.

    The findings a decision covers are found from the decisions (few: only findings with a
    decision's code and cells are looked at), the rest counted per report in one pass."""
    from .review import _decision_for
    decided = ("SELECT f.id FROM findings f JOIN (SELECT DISTINCT code, keys FROM decisions) k "
               "ON k.code = f.code AND k.keys = f.keys JOIN (SELECT rr.id, rr.agency_norm, rr.year, d.sha256, d.name "
               "FROM reports rr JOIN documents d ON d.id = rr.document_id) r ON r.id = f.report_id "
               "WHERE f.severity = 'error' AND EXISTS (" + _decision_for() + ")")
    rows = db.query(
        "SELECT f.report_id, COUNT(*), COUNT(*) OVER (), SUM(COUNT(*)) OVER () FROM findings f "
        "JOIN reports r ON r.id = f.report_id WHERE f.severity = 'error' AND " + CURRENT +
        f" AND f.id NOT IN ({decided}) GROUP BY f.report_id "
        "ORDER BY COUNT(*) DESC, MIN(r.agency_norm), f.report_id LIMIT ?", (limit,))
    about = {}
    if rows:
        about = {i: (a, y, n) for i, a, y, n in db.query(
            "SELECT r.id, r.agency, r.year, d.name FROM reports r JOIN documents d ON d.id = r.document_id "
            f"WHERE r.id IN ({', '.join('?' for _ in rows)})", [r[0] for r in rows])}
    return {"reports": rows[0][2] if rows else 0, "findings": int(rows[0][3]) if rows else 0,
            "rows": [{"report_id": i, "agency": about[i][0], "year": about[i][1], "name": about[i][2],
                      "undecided_errors": k} for i, k, *_ in rows]}


def years(db) -> list:
    """The years of the current reports: those of all reports (each body and year has a current one),
    read by a few probes of the year index (the smallest year, then each next one), not a scan."""
    return [y for (y,) in db.query(
        "WITH RECURSIVE y (year) AS (SELECT MIN(year) FROM reports UNION ALL "
        "SELECT (SELECT MIN(r.year) FROM reports r WHERE r.year > y.year) FROM y WHERE y.year IS NOT NULL) "
        "SELECT year FROM y WHERE year IS NOT NULL ORDER BY year")]


def missing_by_year(db, limit: int = 200) -> list:
    """Per year of the store: the roster's bodies without a current report for it (matched as
    ``nianbao roster`` matches: aliases, unsure containment). Empty when there is no roster."""
    from .roster import filings
    expected = db.one("SELECT COUNT(*) FROM roster")[0]
    if not expected:
        return []
    out = []
    for y, f in filings(db, bodies_only=True).items():
        out.append({"year": y, "expected": expected, "filed": expected - len(f.missing), "missing_count": len(f.missing),
                    "missing": [{"name": e.name, "level": e.level, "parent": e.parent} for e in f.missing[:limit]]})
    return out


# ---------------------------------------------------------------- a filtered set of reports: plots, compare

def _num(v):
    """A summed value as a number (PostgreSQL's NUMERIC arrives as Decimal, SQLite's as float or int)."""
    if v is None:
        return None
    f = float(v)
    return int(f) if f.is_integer() else round(f, 6)


def report_set(db, *, body=None, agency=None, parent=None, year=None, template=None) -> tuple:
    """The WHERE clause (over ``reports r``, the current ones — or ``current_reports r``) and parameters
    of a filtered set of reports:
    ``body`` a normalised body name (exact), ``agency`` part of a name, ``parent`` the roster's parent
    (its bodies by name and alias, normalised as the cross-year rules pair them), ``year``, ``template``."""
    from ..parsing.meta import norm_agency
    where, params = [CURRENT, "r.year IS NOT NULL"], []
    if body:
        where.append("r.agency_norm = ?")
        params.append(norm_agency(body))
    if agency:
        where.append("r.agency LIKE ?")
        params.append(f"%{agency}%")
    if parent:
        norms = set()
        for name, aliases in db.query("SELECT name, aliases FROM roster WHERE parent = ?", (parent,)):
            norms.update(norm_agency(n) for n in [name] + [a for a in (aliases or "").split("|") if a])
        norms.discard("")
        if not norms:
            where.append("1 = 0")
        else:
            where.append(f"r.agency_norm IN ({', '.join('?' for _ in norms)})")
            params += sorted(norms)
    if year:
        where.append("r.year = ?")
        params.append(int(year))
    if template:
        where.append("r.template = ?")
        params.append(str(template))
    return " AND ".join(where), params


def key_ids(db, keys) -> dict:
    """{key: id} of the cell keys the store has (keys never stored have no cells to sum)."""
    keys = list(keys)
    if not keys:
        return {}
    return {k: i for i, k in db.query(f"SELECT id, key FROM cell_keys WHERE key IN ({', '.join('?' for _ in keys)})",
                                      keys)}


def reports_by_year(db, where: str, params: list) -> dict:
    """{year: {template: reports}} of a filtered set."""
    out: dict = {}
    for y, t, n in db.query(f"SELECT r.year, r.template, COUNT(*) FROM reports r WHERE {where} "
                            "GROUP BY r.year, r.template", params):
        out.setdefault(y, {})[t] = n
    return out


def cell_sums(db, keys, where: str, params: list, *, unless: dict | None = None) -> dict:
    """{(year, key): (sum, reports with the cell)} over a filtered set, summed in SQL. ``unless``
    maps a key to another key: the first is left out of a report that has the second (the 2021
    （六）其他处理 sub-rows where the document gives the row's own total)."""
    ids = key_ids(db, keys)
    if not ids:
        return {}
    names = {i: k for k, i in ids.items()}
    if CELL_SETS[db.dialect] == "json":
        return _cell_sums_json(db, ids, names, where, params, unless or {})
    skip, skip_params = "", []
    for k, other in (unless or {}).items():
        if k in ids and other in ids:
            skip += (" AND NOT (v.key_id = ? AND EXISTS (SELECT 1 FROM cell_values o WHERE o.report_id = v.report_id "
                     "AND o.key_id = ? AND o.value_exact IS NOT NULL))")
            skip_params += [ids[k], ids[other]]
    rows = db.query(
        f"SELECT r.year, v.key_id, SUM(v.value_exact), COUNT(v.value_exact) FROM reports r "
        f"JOIN cell_values v ON v.report_id = r.id WHERE {where} AND v.key_id IN ({', '.join('?' for _ in ids)})"
        f"{skip} GROUP BY r.year, v.key_id", params + list(ids.values()) + skip_params)
    return {(y, names[i]): (_num(s), n) for y, i, s, n in rows}


def _cell_sums_json(db, ids: dict, names: dict, where: str, params: list, unless: dict) -> dict:
    """:func:`cell_sums` on SQLite, whose report's cells are one JSON array (``cell_sets``, migration
    12): each cell read where its key set puts it (``json_extract`` with a constant path: the
    report's array parsed once for all of them), not a row per cell through the view."""
    others = {ids[o] for k, o in unless.items() if k in ids and o in ids}
    wanted = list(ids.values()) + sorted(others - set(ids.values()))
    at: dict = {}  # key id → {key set: position}
    for set_id, key_id, pos in db.query(
            "SELECT set_id, key_id, pos FROM cell_key_set_items WHERE key_id IN "
            f"({', '.join('?' for _ in wanted)})", wanted):
        at.setdefault(key_id, {})[set_id] = pos

    # key sets that put every wanted key at the same position read alike: one branch for them all;
    # at most CHUNK such groups a statement (each report walks its statement's branches)
    sets = sorted({set_id for where_at in at.values() for set_id in where_at})
    groups: dict = {}
    for set_id in sets:
        groups.setdefault(tuple(at.get(i, {}).get(set_id) for i in wanted), []).append(set_id)
    position = {i: n for n, i in enumerate(wanted)}
    acc: dict = {}
    items = list(groups.items())
    for start in range(0, len(items), _CHUNK):
        chunk = items[start:start + _CHUNK]

        def pick(key_id: int, what: str) -> str:
            """The key's value in a report (or 1 where the report has the key), NULL where it has not."""
            n = position[key_id]
            whens = " ".join(f"WHEN s.key_set IN ({', '.join(map(str, ids_))}) THEN {what.format(int(sig[n]))}"
                             for sig, ids_ in chunk if sig[n] is not None)
            return f"CASE {whens} END" if whens else "NULL"

        cols, keys = [], []
        for k, i in ids.items():
            if i not in at:
                continue
            value, present = pick(i, _VALUE_AT), pick(i, "1")
            other = ids.get(unless.get(k))
            if other is not None and other in at:  # left out where the report gives the other cell
                given = f"({pick(other, _VALUE_AT)}) IS NOT NULL"
                value, present = (f"CASE WHEN {given} THEN NULL ELSE {value} END",
                                  f"CASE WHEN {given} THEN NULL ELSE {present} END")
            cols.append(f"SUM({value}), COUNT({value}), COUNT({present})")
            keys.append(k)
        if not cols:
            return {}
        only = ("" if len(items) <= _CHUNK else  # else this statement's key sets only
                f" AND s.key_set IN ({', '.join(str(set_id) for _, ids_ in chunk for set_id in ids_)})")
        for y, *sums in db.query(f"SELECT r.year, {', '.join(cols)} FROM reports r JOIN cell_sets s ON s.report_id = r.id "
                                 f"WHERE {where}{only} GROUP BY r.year", params):
            for n, k in enumerate(keys):
                total, count, present = sums[3 * n: 3 * n + 3]
                if present:
                    t, c = acc.get((y, k), (None, 0))
                    acc[(y, k)] = (total if t is None else t if total is None else t + total, c + count)
    return {key: (_num(total), count) for key, (total, count) in acc.items()}


_CHUNK = 64
_VALUE_AT = "json_extract(s.cells, '$[{}][0]')"  # the value of the cell at a position of a report's array


def cells_by_body(db, keys, where: str, params: list, limit: int = 2000) -> list:
    """A row per current report of a filtered set (at most ``limit``): ``{"report_id", "agency",
    "year", "template", "errors", "warnings", "values": {key: value}}``, the values read in SQL."""
    ids = key_ids(db, keys)
    reports = db.query(f"SELECT r.id, r.agency, r.year, r.template, r.errors, r.warnings FROM reports r "
                       f"WHERE {where} ORDER BY r.agency_norm, r.year LIMIT ?", params + [limit])
    out = {i: {"report_id": i, "agency": a, "year": y, "template": t, "errors": e, "warnings": w, "values": {}}
           for i, a, y, t, e, w in reports}
    if ids and out:
        names = {i: k for k, i in ids.items()}
        rids = list(out)
        for start in range(0, len(rids), 500):
            chunk = rids[start:start + 500]
            for rid, kid, v in db.query(
                    f"SELECT v.report_id, v.key_id, v.value_exact FROM cell_values v WHERE v.report_id IN "
                    f"({', '.join('?' for _ in chunk)}) AND v.key_id IN ({', '.join('?' for _ in ids)})",
                    chunk + list(ids.values())):
                out[rid]["values"][names[kid]] = _num(v)
    return list(out.values())


def parents(db) -> list:
    """The roster's parent bodies (for choosing a set)."""
    return [p for (p,) in db.query("SELECT DISTINCT parent FROM roster WHERE parent IS NOT NULL AND parent <> '' "
                                   "ORDER BY parent")]


def fingerprint(db) -> tuple:
    """What the overview's figures depend on, read cheaply (counts and largest ids, the roster's
    text): equal fingerprints, equal overviews. Reports, findings (the cross-year pass recounts a
    report's errors with them), documents (failures), resolutions, decisions, the roster."""
    import hashlib
    parts = [db.one(q) for q in (
        "SELECT COUNT(*), MAX(id) FROM reports", "SELECT COUNT(*), MAX(id) FROM findings",
        "SELECT COUNT(*), MAX(id) FROM documents", "SELECT COUNT(*), MAX(resolved_at) FROM resolutions",
        "SELECT COUNT(*), MAX(id) FROM decisions")]
    h = hashlib.sha256()
    for row in db.query("SELECT id, name, level, parent, aliases FROM roster ORDER BY id"):
        h.update(repr(row).encode())
    return tuple(tuple(p) for p in parts) + (h.hexdigest(),)
