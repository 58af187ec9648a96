"""SQLite's cells as one row per report (migration 12: ``cell_sets``, a JSON array in the order of a
key set): a store written before it keeps every cell when upgraded, the views give the same rows,
and what the writer makes now reads back as what migration 12 makes of the rows before it."""
import json
import sqlite3

from nianbao.store import Corpus, migrations
from nianbao.store.codec import cell_row, cell_set, set_columns
from nianbao.testing.synth import write_corpus
from conftest import CORPUS, FIXTURES
from storestate import canonical_state

CELL_VALUES = "SELECT * FROM cell_values ORDER BY report_id, key_id"
CELLS = "SELECT * FROM cells ORDER BY report_id, key"


def _inputs(tmp_path):
    write_corpus(tmp_path / "synth", 12, seed=7)
    return [CORPUS, tmp_path / "synth", FIXTURES / "huaian-2024-lo.pdf", FIXTURES / "longnan-lirenzhen-2020-docx.docx"]


def _copy_into_version_11(src: str, dst: str, monkeypatch) -> None:
    """A store of schema version 11 (a row per cell) holding what ``src`` (version 12) holds: every
    table copied, the cells from src's view ``cell_values`` into the table it was."""
    monkeypatch.setattr(migrations, "MIGRATIONS", [m for m in migrations.MIGRATIONS if m[0] <= 11])
    with Corpus(f"sqlite:///{dst}"):
        pass
    monkeypatch.undo()
    conn = sqlite3.connect(dst)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("ATTACH DATABASE ? AS a", (src,))
    tables = [t for (t,) in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT IN "
                                         "('sqlite_sequence', 'schema_migrations')")]
    assert "cell_values" in tables and "cell_sets" not in tables
    for t in tables:
        cols = ", ".join(c[1] for c in conn.execute(f"PRAGMA main.table_info({t})"))
        conn.execute(f"INSERT INTO main.{t} ({cols}) SELECT {cols} FROM a.{t}")
    conn.commit()
    conn.close()


def test_an_old_store_upgraded_keeps_every_cell_and_the_views_give_the_same_rows(shared, tmp_path, monkeypatch):
    new, old = str(tmp_path / "new.db"), str(tmp_path / "old.db")
    with Corpus(f"sqlite:///{new}") as c:
        s = c.ingest(_inputs(tmp_path), workers=2)
        assert s.parsed >= 15
        ids = [r["id"] for r in c.reports()]
        loaded_new = c.reports_by_id(ids)
    _copy_into_version_11(new, old, monkeypatch)
    conn = sqlite3.connect(old)
    before, before_cells = conn.execute(CELL_VALUES).fetchall(), conn.execute(CELLS).fetchall()
    conn.close()
    assert len(before) > 15 * 150
    # every kind of cell is there: fractions, raw text apart from the value, no value, pages with boxes
    assert any(v is not None and "." in v for v in (r[2] for r in before))
    assert any(r[3] is not None for r in before) and any(r[2] is None for r in before)
    assert any(r[9] is not None and r[10] is not None for r in before)

    with Corpus(f"sqlite:///{old}") as c:  # migration 12 runs here
        assert migrations.current_version(c.db) == migrations.MIGRATIONS[-1][0]
        assert c.db.query("SELECT COUNT(*) FROM cell_sets")[0][0] == len({r[0] for r in before})
        after = [tuple(r) for r in c.db.query(CELL_VALUES)]
        after_cells = [tuple(r) for r in c.db.query(CELLS)]
        loaded_old = c.reports_by_id(ids)
        light = c.reports_by_id(ids, light=True)
        key_ids = dict(c.db.query("SELECT key, id FROM cell_keys"))
        assert {i: dict(r.cells) for i, r in light.items()} == {i: r.cells for i, r in loaded_old.items()}
    assert after == before  # the same rows, of the same types (value_exact text, flags integer, …)
    assert after_cells == before_cells
    assert loaded_old == loaded_new
    # a report's cells in the order of their key ids, as a table keyed by (report, key id) gave them
    assert all(list(r.cells) == sorted(r.cells, key=key_ids.get) for r in loaded_old.values())
    # what the writer makes (the worker's text) reads back as migration 12 makes it
    assert canonical_state(f"sqlite:///{old}") == canonical_state(f"sqlite:///{new}")


def test_cell_set_text_and_columns_are_the_cell_rows(shared):
    from nianbao.model.document import Location
    from nianbao.model.report import CellValue
    cells = {"a.b.c": CellValue(3, "3", Location(line=4), True),
             "a.b.d": CellValue(3, "３件", Location(table=1, row=2, col=3), False),
             "a.b.e": CellValue(None, "", None, False), "a.b.f": CellValue(None, None, None, True),
             "a.b.g": CellValue(7, None, None, True),
             "a.b.h": CellValue(1522100, "152.21万元", Location(page=2, bbox=(1.5, 2.0, 30.25, 40.0), char=3), True),
             "a.b.i": CellValue(242523110.82, "242523110.82", Location(line=9, char=0), True),
             "a.b.j": CellValue(5.0, '5"\\', None, True)}
    keys, text = cell_set(cells)
    assert keys == tuple(cells) and isinstance(json.loads(text), list)
    rows = [cell_row(k, c) for k, c in cells.items()]
    want = tuple(tuple(col) for col in zip(*rows))
    got = set_columns(keys, text)
    assert got == tuple(None if g is None else w for g, w in zip(got, want))  # a column of NULLs is one None
    assert all(all(x is None for x in w) for g, w in zip(got, want) if g is None)
    assert json.loads(text)[0] == [3, 1, 4]  # trailing nulls left out, an integer a JSON number
    assert cell_set({}) == ()


def test_cells_sent_in_either_shape_are_stored_alike(db_url, shared):
    """A worker sends the cells as the store keeps them (columns for PostgreSQL's arrays, one JSON
    text for SQLite); sent in the other shape they are stored the same."""
    import nianbao
    from nianbao.store.codec import cell_columns, columns_cells
    from nianbao.store.work import parse_and_check
    path = next(p for p in sorted(CORPUS.rglob("*.txt")))
    data = path.read_bytes()
    report = nianbao.parse(data, filename=path.name)
    assert columns_cells(cell_columns(report.cells)) == report.cells
    got = {}
    for shape in ("json", "arrays"):
        res = parse_and_check(path.name, (data, None, None, shape))
        assert isinstance(res["cells"][1], str) == (shape == "json")
        with Corpus(db_url) as c:
            c.store_results([res], replace=True)
            rid = c.reports()[0]["id"]
            got[shape] = c.reports_by_id([rid])[rid].cells
            rows = c.db.query("SELECT * FROM cells ORDER BY key")
            got[shape + " rows"] = [tuple(r[1:]) for r in rows]
    assert got["json"] == got["arrays"] == report.cells
    assert got["json rows"] == got["arrays rows"] and len(got["json rows"]) == len(report.cells)


def test_sums_read_from_the_json_rows_equal_the_sums_over_the_view(tmp_path, monkeypatch):
    """``aggregates.cell_sums`` on SQLite reads each cell at its key set's position; the same sums
    (and ``unless``) over the view ``cell_values``, a row per cell, as PostgreSQL sums them."""
    from nianbao.store import aggregates
    write_corpus(tmp_path / "in", 30, seed=11)
    with Corpus(f"sqlite:///{tmp_path / 'c.db'}") as c:
        c.ingest([tmp_path / "in"], workers=1)
        keys = [k for (k,) in c.db.query("SELECT key FROM cell_keys ORDER BY id")] + ["no.such.key"]
        other = "applications.other.total"
        unless = {k: other for k in keys if k.startswith("applications.other.") and k != other}
        assert unless and len(keys) > 100
        assert c.db.one("SELECT COUNT(*) FROM cell_key_sets")[0] >= 2  # key sets in more than one statement
        for filters in ({}, {"year": 2021}):
            where, params = aggregates.report_set(c.db, **filters)
            monkeypatch.setitem(migrations.CELL_SETS, "sqlite", "view")  # the generic SQL, through the view
            want = [aggregates.cell_sums(c.db, keys, where, params, unless=u) for u in (None, unless)]
            monkeypatch.undo()
            for chunk in (64, 1):  # one statement for all key sets, or one per group of them (summed after)
                monkeypatch.setattr(aggregates, "_CHUNK", chunk)
                got = [aggregates.cell_sums(c.db, keys, where, params, unless=u) for u in (None, unless)]
                assert got == want and got[0]
            assert got[0] != got[1] or filters  # over every year, some sub-rows are left out
