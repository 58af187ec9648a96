"""The roster (名录): the bodies an office expects reports from, with their level and parent, and
who has not filed for a year.

A roster file is CSV or XLSX with a header row naming the columns 名称/name, 层级/level,
上级/parent and 别名/aliases (aliases separated by ``;`` ``；`` ``、`` or ``|``). Names are matched
as the cross-year pairing matches them (:func:`nianbao.parsing.meta.norm_agency`): exactly, or
through an alias, or — reported as unsure — when one name contains the other.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from ..parsing.meta import norm_agency

_COLUMNS = {"name": ("名称", "机关", "机关名称", "单位", "单位名称", "name", "body"),
            "level": ("层级", "级别", "level"),
            "parent": ("上级", "上级机关", "所属", "parent"),
            "aliases": ("别名", "简称", "aliases", "alias")}
_SPLIT = re.compile(r"[;；、|]")


class RosterError(ValueError):
    """A roster file that cannot be used (``zh`` says why)."""

    def __init__(self, zh: str):
        super().__init__(zh)
        self.zh = zh


@dataclass
class Entry:
    name: str
    level: str = ""
    parent: str = ""
    aliases: list = field(default_factory=list)


def read_roster(path) -> list:
    """The entries of a roster file (CSV in UTF-8/GB18030, or XLSX: the first sheet)."""
    from ..ingest.sources import read_table_rows
    try:
        rows = read_table_rows(path)
    except ValueError as e:
        raise RosterError(f"名录文件无法打开：{e}") from None
    if rows is None:
        raise RosterError("名录文件的编码无法识别：请另存为 UTF-8 的 CSV 或 XLSX")
    if not rows:
        raise RosterError("名录文件是空的")
    header = [h.lower() for h in rows[0]]
    where = {}
    for key, names in _COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                where[key] = i
                break
    if "name" not in where:
        raise RosterError("名录文件第一行应为表头，且含“名称”一列（可选：层级、上级、别名）")

    def col(row, key):
        i = where.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""
    entries = []
    for row in rows[1:]:
        name = col(row, "name")
        if name:
            entries.append(Entry(name, col(row, "level"), col(row, "parent"),
                                 [a.strip() for a in _SPLIT.split(col(row, "aliases")) if a.strip()]))
    return entries


def import_roster(db, entries: list) -> int:
    """Store the entries (a body already in the roster is updated). Returns how many."""
    with db.transaction():
        for e in entries:
            norm = norm_agency(e.name)
            aliases = "|".join(e.aliases)
            if db.one("SELECT 1 FROM roster WHERE name_norm = ?", (norm,)):
                db.execute("UPDATE roster SET name = ?, level = ?, parent = ?, aliases = ? WHERE name_norm = ?",
                           (e.name, e.level, e.parent, aliases, norm))
            else:
                db.execute("INSERT INTO roster (name, name_norm, level, parent, aliases) VALUES (?, ?, ?, ?, ?)",
                           (e.name, norm, e.level, e.parent, aliases))
    return len(entries)


def roster_entries(db) -> list:
    return [Entry(n, lv or "", p or "", [a for a in (al or "").split("|") if a])
            for n, lv, p, al in db.query("SELECT name, level, parent, aliases FROM roster ORDER BY id")]


@dataclass
class Filing:
    """Who filed for a year: bodies of the roster without a report (``missing``), reports that
    match no roster entry (``unknown``), and matches that are only likely (``unsure``: the
    report's body, the roster name)."""

    year: int
    missing: list = field(default_factory=list)  # Entry
    unknown: list = field(default_factory=list)  # agency names as written
    unsure: list = field(default_factory=list)  # (agency as written, roster name)
    matched: int = 0

    def to_dict(self) -> dict:
        return {"year": self.year, "matched": self.matched,
                "missing": [{"name": e.name, "level": e.level, "parent": e.parent} for e in self.missing],
                "unknown": list(self.unknown),
                "unsure": [{"agency": a, "roster": r} for a, r in self.unsure]}


class _Names:
    """The roster's names (and aliases), normalised, with every substring of each indexed: a report's
    body matches a name exactly, or is near one when either contains the other (names of two or
    more characters), found by lookups instead of a scan of the roster per report."""

    def __init__(self, entries: list):
        self.names: dict = {}
        self.cache: dict = {}  # a body's name → its near entries (a body files several years)
        for e in entries:
            for n in [e.name] + e.aliases:
                self.names[norm_agency(n)] = e
        self.within: dict = {}  # a substring → the entries whose name contains it
        self.starts: dict = {}  # a name's first two characters → the names (of two or more)
        for n, e in self.names.items():
            if len(n) >= 2:
                self.starts.setdefault(n[:2], []).append(n)
                for i in range(len(n)):
                    for j in range(i + 1, len(n) + 1):
                        self.within.setdefault(n[i:j], []).append(e)
        # any of those first two characters, found in one pass (most bodies contain none of them)
        firsts: dict = {}
        for pair in self.starts:
            firsts.setdefault(pair[0], set()).add(pair[1])
        self.any_start = re.compile("|".join(re.escape(a) + "[" + "".join(re.escape(b) for b in sorted(bs)) + "]"
                                             for a, bs in sorted(firsts.items()))) if firsts else None

    def maybe_near(self, norms: list) -> set:
        """Those of ``norms`` that may be near a roster name (a superset: :meth:`near` decides): inside
        one, or holding one's first two characters — found for all at once (a set intersection and
        one regular-expression pass over them joined), not name by name."""
        found = self.within.keys() & norms
        if "" in norms:  # near every name
            found.add("")
        if self.any_start is not None and norms:
            text = "\n".join(norms)
            starts = list(itertools.accumulate((len(n) + 1 for n in norms[:-1]), initial=0))
            found.update(norms[bisect.bisect_right(starts, m.start()) - 1] for m in self.any_start.finditer(text))
        return found

    def near(self, norm: str) -> list:
        if not norm:
            found = [e for n, e in self.names.items() if len(n) >= 2]
        elif self.any_start is None or not self.any_start.search(norm):  # no roster name inside it
            found = self.within.get(norm, [])
        else:
            starts = self.starts
            found = [self.names[n] for i in range(len(norm) - 1) for n in starts.get(norm[i:i + 2], ())
                     if norm.startswith(n, i)]
            found += self.within.get(norm, [])
        return list({id(x): x for x in found}.values())


def filing(db, year: int) -> Filing:
    """Compare the roster with the current reports of ``year`` (see :class:`Filing`)."""
    return filings(db, [year])[year]


def filings(db, years=None, *, bodies_only: bool = False) -> dict:
    """:func:`filing` for several years at once (``None``: every year of the store): ``{year: Filing}``,
    the roster read once, the reports in one query. ``bodies_only``: only ``missing`` and
    ``matched`` are wanted (``unknown`` is left empty, ``unsure`` names bodies by their normalised
    name), see :func:`_bodies_filings`."""
    entries = roster_entries(db)
    names = _Names(entries)
    where, params = "", []
    if years is not None:
        years = list(years)
        if not years:
            return {}
        where, params = f" AND year IN ({', '.join('?' for _ in years)})", years
    if bodies_only:
        return _bodies_filings(db, years, where, params, entries, names)
    by_year: dict = {y: [] for y in years or ()}
    norms: dict = {}  # the stored normalised name (as the cross-year rules pair reports)
    sql = "SELECT DISTINCT year, agency, agency_norm FROM current_reports WHERE agency IS NOT NULL"
    for y, a, n in db.query(sql + " AND year IS NOT NULL" + where, params):
        by_year.setdefault(y, []).append(a)
        if n is not None:
            norms[a] = n
    return {y: _filing(y, sorted(by_year[y]), entries, names, norms) for y in sorted(by_year)}


def _bodies_filings(db, years, where: str, params: list, entries: list, names: _Names) -> dict:
    """The current reports' normalised bodies, each matched once with the roster (not once a year),
    from the index of the current reports' (body, year); then the years of the few that match."""
    sql = " FROM reports WHERE is_current = 1 AND agency_norm IS NOT NULL AND year IS NOT NULL" + where
    if years is None:  # every year of the store
        from .aggregates import years as store_years
        years = store_years(db)
    out = {y: Filing(y) for y in sorted(years)}
    norms = [n for (n,) in db.query("SELECT DISTINCT agency_norm" + sql, params)]
    match: dict = {}  # a body → (its roster entry, exactly)
    for norm in names.names.keys() & norms:
        match[norm] = (names.names[norm], True)
    for norm in names.maybe_near(norms):
        if norm not in match:
            near = names.near(norm)
            if len(near) == 1:
                match[norm] = (near[0], False)
    filed: dict = {y: set() for y in out}
    found = sorted(match)
    for i in range(0, len(found), 500):
        chunk = found[i:i + 500]
        for y, norm in db.query(f"SELECT year, agency_norm{sql} AND agency_norm IN ({', '.join('?' for _ in chunk)})",
                                params + chunk):
            e, exact = match[norm]
            filed[y].add(id(e))
            if exact:
                out[y].matched += 1
            else:
                out[y].unsure.append((norm, e.name))
    for y, f in out.items():
        f.unsure.sort()
        f.missing = [e for e in entries if id(e) not in filed[y]]
    return out


def _filing(year: int, agencies: list, entries: list, names: _Names, norms: dict) -> Filing:
    out = Filing(year)
    filed = set()
    for agency in agencies:
        norm = norms.get(agency)
        if norm is None:
            norm = norms[agency] = norm_agency(agency)
        e = names.names.get(norm)
        if e is not None:
            filed.add(id(e))
            out.matched += 1
            continue
        near = names.cache.get(norm)
        if near is None:
            near = names.cache[norm] = names.near(norm)
        if len(near) == 1:
            out.unsure.append((agency, near[0].name))
            filed.add(id(near[0]))
        else:
            out.unknown.append(agency)
    out.missing = [e for e in entries if id(e) not in filed]
    return out
