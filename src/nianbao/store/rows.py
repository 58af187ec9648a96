"""Helpers of the compact rows: texts stored once under small ids, and a report's stored cells made
into ``CellValue``s only when a rule asks for them."""
from __future__ import annotations

import json
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
        # a copy first (one C call, under the GIL): another thread of a server may be loading more
        return {i: k for k, i in list(self.known.items())}

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


class KeySets:
    """Ids of the lists of cell keys reports have (SQLite's ``cell_sets``, migration 12): a list is
    stored once (``cell_key_sets``, and its ids by position in ``cell_key_set_items``), cached
    here by the keys themselves, so a report's row is written without a lookup. As with
    :class:`Interned`, an id made inside a transaction is cached for good once it commits."""

    def __init__(self, db, keys: Interned):
        self.db, self.keys = db, keys
        self.known: dict = {}
        self.pending: dict = {}
        self.orders: dict = {}  # key set id → its keys by key id (for reading)

    def id(self, keys: tuple) -> int:
        i = self.known.get(keys)
        if i is None:
            i = self.pending.get(keys)
        if i is None:
            text = json.dumps([self.keys.id(k) for k in keys], separators=(",", ":"))
            row = self.db.one("SELECT id FROM cell_key_sets WHERE key_ids = ?", (text,))
            if row is None:  # new: the writer holds the store's write lock (SQLite: BEGIN IMMEDIATE)
                i = self.db.query("INSERT INTO cell_key_sets (key_ids) VALUES (?) RETURNING id", (text,))[0][0]
                self.db.insert_rows("cell_key_set_items", ("set_id", "pos", "key_id"),
                                    [(i, pos, k) for pos, k in enumerate(json.loads(text))])
            else:
                i = row[0]
            self.pending[keys] = i
        return i

    def read(self, rows, out: dict, key_ids=None) -> dict:
        """Fill ``out`` ({report id: {key: stored row}}, the rows :class:`StoredCells` and
        :func:`~nianbao.store.codec.cell_from_row` take) from ``(report id, key set, cells)`` rows of
        ``cell_sets``; ``key_ids``: only these cells. A report's cells come in the order of their key
        ids, as the rows of a table keyed by (report, key id) came before migration 12."""
        wanted = None if key_ids is None else set(key_ids)
        for rid, key_set, text in rows:
            cells = json.loads(text)
            row = out.setdefault(rid, {})
            for pos, kid, key in self._order(key_set):
                if wanted is None or kid in wanted:
                    c = cells[pos]
                    v = c[0]
                    c = (*c, *_PAD[len(c):])
                    row[key] = (v if v is None or type(v) is str else str(v), c[6], c[1], c[2], c[3], c[4], c[5],
                                c[7], c[8], c[9])
        return out

    def _order(self, key_set: int) -> list:
        """[(position, key id, key)] of a key set, by key id (read once per process)."""
        order = self.orders.get(key_set)
        if order is None:
            ids = json.loads(self.db.one("SELECT key_ids FROM cell_key_sets WHERE id = ?", (key_set,))[0])
            names = self.keys.names()
            if any(i not in names for i in ids):  # made by another process since this one read them
                self.keys.loaded = False
                names = self.keys.names()
            order = self.orders[key_set] = sorted(((pos, i, names[i]) for pos, i in enumerate(ids)),
                                                  key=lambda x: x[1])
        return order

    def commit(self):
        self.known.update(self.pending)
        self.pending.clear()

    def rollback(self):
        self.pending.clear()


_PAD = (None,) * 10


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
