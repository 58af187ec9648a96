"""Helpers of the compact rows: texts stored once under small ids, and a report's stored cells made
into ``CellValue``s only when a rule asks for them."""
from __future__ import annotations

from collections.abc import Mapping

from .codec import cell_from_row


def key_columns(key: str) -> tuple:
    tbl, row, col = key.split(".")
    return tbl, row, col


class Interned:
    """Small ids for texts stored once (cell keys, label texts), cached in this process. An id
    made inside a transaction is only cached for good once that transaction commits."""

    def __init__(self, db, table: str, column: str, extra):
        self.db, self.table, self.column, self.extra = db, table, column, extra
        self.known: dict = {}
        self.pending: dict = {}
        self.loaded = table != "cell_keys"  # cell keys: a few hundred, all read at once when first needed

    def names(self) -> dict:
        """{id: name} of every committed one (cell keys)."""
        self.load()
        return {i: k for k, i in self.known.items()}

    def load(self) -> None:
        if not self.loaded:
            self.known.update({k: i for i, k in self.db.query(f"SELECT id, {self.column} FROM {self.table}")})
            self.loaded = True

    def id(self, name: str, payload=None):
        self.load()
        i = self.known.get(name)
        if i is None:
            i = self.pending.get(name)
        if i is None:
            i = self._fetch(name)
            if i is None:
                if self.extra is not None:
                    cols, vals = ("tbl", "row_key", "col_key"), self.extra(name)
                else:
                    cols, vals = ("labels",), (payload,)
                self.db.execute(f"INSERT INTO {self.table} ({self.column}, {', '.join(cols)}) "
                                f"VALUES (?, {', '.join('?' for _ in cols)}) ON CONFLICT ({self.column}) DO NOTHING",
                                (name, *vals))
                i = self._fetch(name)
            self.pending[name] = i
        return i

    def _fetch(self, name):
        row = self.db.one(f"SELECT id FROM {self.table} WHERE {self.column} = ?", (name,))
        return None if row is None else row[0]

    def commit(self):
        self.known.update(self.pending)
        self.pending.clear()

    def rollback(self):
        self.pending.clear()


class StoredCells(Mapping):
    """A report's stored cells for the rules, each made (a ``CellValue``) only when asked for. It
    starts with the cells the rules asked for before (``asked``, shared across reports) and reads
    all of this report's cells the first time a rule wants another one or the whole set: the
    cross-year rules read a few cells of each report, not its two hundred."""

    def __init__(self, rows: dict, read_all, asked: set):
        self._rows, self._read_all, self._asked = rows, read_all, asked
        self._complete = False
        self._made: dict = {}

    def _all(self) -> dict:
        if not self._complete:
            self._rows, self._complete = self._read_all(), True
        return self._rows

    def __getitem__(self, key):
        c = self._made.get(key)
        if c is None:
            row = self._rows.get(key)
            if row is None:
                row = self._all()[key]
            self._asked.add(key)
            c = self._made[key] = cell_from_row(*row)
        return c

    def __contains__(self, key):
        return key in self._rows or key in self._all()

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())
