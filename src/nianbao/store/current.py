"""Which report is current, kept in the store instead of ranked per query.

Each (body, year) — ``reports.agency_norm``, ``reports.year`` — has one current report: the one of
the document chosen by ``Corpus.resolve`` (``resolutions``), else the latest (highest document id);
its reports are numbered by document id (``version``, 1 for the first). A report without a body or
a year stands alone (current, version 1). ``reports.is_current`` and ``reports.version`` hold this
(migration 10); a new report is written as current, version 1 (the column defaults: right for a
(body, year) of its own), and :func:`settle` sets them again for every (body, year) whose reports or
resolution changed, in the writer's transaction (under its lock, so two writers never settle one
(body, year) at once). The views ``report_versions`` and ``current_reports`` read the columns."""
from __future__ import annotations

_CHUNK = 200  # (body, year) pairs per query


def settle(db, groups) -> int:
    """Set ``is_current`` and ``version`` of every report of these (agency_norm, year) pairs from
    their documents and resolution; returns how many reports changed. Inside a transaction."""
    groups = sorted({g for g in groups if g[0] is not None and g[1] is not None})
    changed = []
    for i in range(0, len(groups), _CHUNK):
        chunk = groups[i:i + _CHUNK]
        names = sorted({a for a, _ in chunk})
        years = sorted({y for _, y in chunk})
        wanted = set(chunk)
        members: dict = {}
        # a superset (every pair of these names and years) through the (body, year) index, then exact
        for rid, a, y, doc, version, current, chosen in db.query(
                "SELECT r.id, r.agency_norm, r.year, r.document_id, r.version, r.is_current, s.document_id "
                "FROM reports r LEFT JOIN resolutions s ON s.agency_norm = r.agency_norm AND s.year = r.year "
                f"WHERE r.agency_norm IN ({', '.join('?' for _ in names)}) "
                f"AND r.year IN ({', '.join('?' for _ in years)})", names + years):
            if (a, y) in wanted:
                members.setdefault((a, y), []).append((doc, rid, version, current, chosen))
        for rows in members.values():
            rows.sort()
            docs = {doc for doc, *_ in rows}
            chosen = rows[0][4]
            pick = chosen if chosen in docs else rows[-1][0]
            for n, (doc, rid, version, current, _) in enumerate(rows, 1):
                now = int(doc == pick)
                if (version, current) != (n, now):
                    changed.append((n, now, rid))
    if changed:
        db.executemany("UPDATE reports SET version = ?, is_current = ? WHERE id = ?", changed)
    return len(changed)

