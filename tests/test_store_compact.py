"""The compact store (migration 5): cells by integer key ids, raw text only where it differs,
labels once per text, results written in batches; what is read back is still the parser's."""
import pytest

import nianbao
from nianbao.rules import check
from nianbao.store import Corpus, migrations
from nianbao.store.codec import cell_from_row, cell_row
from nianbao.testing.synth import write_corpus
from conftest import CORPUS
from storestate import canonical_state


def test_cell_rows_round_trip():
    from nianbao.model.document import Location
    from nianbao.model.report import CellValue
    cells = [CellValue(3, "3", Location(line=4), True), CellValue(3, "３件", Location(table=1, row=2, col=3), False),
             CellValue(None, "", None, False), CellValue(None, None, None, True), CellValue(7, None, None, True),
             CellValue(1522100, "152.21万元", Location(page=2, bbox=(1.5, 2.0, 30.25, 40.0), char=3), True),
             CellValue(242523110.82, "242523110.82", Location(line=9, char=0), True)]
    for c in cells:
        assert cell_from_row(*cell_row("a.b.c", c)[1:]) == c


def test_synthetic_records_read_back_as_parsed_and_light_cross_year_is_the_full_one(db_url, shared, tmp_path):
    manifest = write_corpus(tmp_path / "in", 40, seed=5)
    with Corpus(db_url) as c:
        s = c.ingest([tmp_path / "in"], workers=2)
        assert s.parsed == 40 and s.cross_year_pairs > 10
        rows = c.reports()
        full = c.reports_by_id([r["id"] for r in rows])
        for r in rows[:8]:
            parsed = nianbao.parse(r["file"])
            parsed.file = r["file"]
            assert full[r["id"]] == parsed
        stored = sorted((f["file"], f["code"], f["keys"], f["expected"], f["actual"]) for f in c.findings(code="Y"))
        pairs = c._pairs()
        want = []
        for rid, prev in pairs.items():
            for f in check(full[rid], full[prev], select=["Y"]):
                d = f.to_dict()
                want.append((next(r["file"] for r in rows if r["id"] == rid), d["code"],
                             None if not d["keys"] else __import__("json").dumps(d["keys"], ensure_ascii=False),
                             __import__("json").dumps(d["expected"], ensure_ascii=False),
                             __import__("json").dumps(d["actual"], ensure_ascii=False)))
        assert stored == sorted(want) and len(manifest) == 40


def test_a_failed_batch_writes_none_of_its_documents(db_url, shared, tmp_path, monkeypatch):
    write_corpus(tmp_path / "in", 6, seed=3)
    with Corpus(db_url) as c:
        real = c.db.insert_rows

        def boom(table, columns, rows):
            if table == "findings":
                raise RuntimeError("disk full")
            return real(table, columns, rows)

        monkeypatch.setattr(c.db, "insert_rows", boom)
        with pytest.raises(RuntimeError):
            c.ingest([tmp_path / "in"], workers=1)
        for table in ("documents", "blobs", "document_paths", "reports", "cells", "parts", "labels"):
            assert c.db.one(f"SELECT COUNT(*) FROM {table}")[0] == 0, table
        monkeypatch.setattr(c.db, "insert_rows", real)
        assert c.ingest([tmp_path / "in"], workers=1).parsed == 6


def test_migration_to_compact_cells_keeps_every_record(db_url, shared, tmp_path, monkeypatch):
    """A store written before migration 5 (cells as wide rows, labels in the record) reads back the
    same records and the same state after it."""
    files = [CORPUS / "real" / "huaian-2024.pdf", CORPUS / "real" / "shuyang-fgj-2023.html",
             CORPUS / "real" / "pingtan-2019.txt"]
    with Corpus(f"sqlite:///{tmp_path / 'ref.db'}") as c:
        c.ingest(files, workers=1)
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:4])
        with Corpus(db_url) as c:  # write as the store did before: one wide row per cell
            from nianbao.store.codec import exact, j
            for f in files:
                rep = nianbao.parse(f)
                doc = c.db.one("INSERT INTO documents (sha256, name, format, size, ingested_at, status, "
                               "parser_version) VALUES (?, ?, ?, 1, 'now', 'parsed', ?) RETURNING id",
                               (rep.sha256, str(f), rep.format, nianbao.parsing.PARSER_VERSION))[0]
                rec = rep.to_dict(full=True)
                for k in ("cell_details", "parts", "cells"):
                    rec.pop(k)
                rid = c.db.one("INSERT INTO reports (document_id, agency, year, template, title, record) "
                               "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                               (doc, rep.agency, rep.year, rep.template, rep.title, j(rec)))[0]
                for k, cell in rep.cells.items():
                    loc = cell.loc
                    c.db.execute(
                        "INSERT INTO cells (report_id, key, tbl, row_key, col_key, value, raw, certain, loc_line, "
                        "loc_table, loc_row, loc_col, loc_page, loc_bbox, loc_char, value_exact) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (rid, k, *k.split("."), cell.value, cell.raw, int(cell.certain),
                         *((loc.line, loc.table, loc.row, loc.col, loc.page,
                            None if loc.bbox is None else ",".join(str(x) for x in loc.bbox), loc.char)
                           if loc else (None,) * 7), exact(cell.value)))
                for p in rep.parts:
                    c.db.execute("INSERT INTO parts (report_id, number, title, text, loc) VALUES (?, ?, ?, ?, ?)",
                                 (rid, p.number, p.title, p.text, j(p.loc.to_dict()) if p.loc else None))
    with Corpus(db_url) as c:
        assert c.schema_version == migrations.MIGRATIONS[-1][0]
        for r in c.reports():
            parsed = nianbao.parse(r["file"])
            got = c.report(r["id"])
            parsed.file = got.file
            assert got == parsed, r["file"]
    want = canonical_state(f"sqlite:///{tmp_path / 'ref.db'}")["cells"]
    got = canonical_state(db_url)["cells"]
    norm = lambda rows: sorted((r[0], r[1], float(r[2]) if r[2] is not None else None, *r[4:]) for r in rows)  # noqa: E731
    assert norm(got) == norm(want)


def _records_by_sha(url):
    with Corpus(url) as c:
        ids = {r["id"]: r for r in c.reports()}
        sha = dict(c.db.query("SELECT r.id, d.sha256 FROM reports r JOIN documents d ON d.id = r.document_id"))
        out = {}
        for rid, rep in c.reports_by_id(list(ids)).items():
            rep.file = rep.file.rsplit("/", 1)[-1]
            found = sorted((f["code"], f["keys"], f["expected"], f["actual"]) for f in c.findings()
                           if f["file"] == ids[rid]["file"])
            out[sha[rid]] = (rep, ids[rid]["errors"], ids[rid]["warnings"], found)
        return out


def test_fill_store_stores_what_ingest_stores_of_the_written_corpus(db_url, shared, tmp_path):
    from nianbao.testing.synth import fill_store
    folder = tmp_path / "in"
    write_corpus(folder, 24, seed=11)
    ref = f"sqlite:///{tmp_path / 'ref.db'}"
    with Corpus(ref) as c:
        c.ingest([folder], workers=2)
    with Corpus(db_url) as c:
        s = fill_store(c, 24, seed=11, workers=2, batch=10)
        assert s.parsed == 24 and s.cross_year_pairs > 5
        again = fill_store(c, 24, seed=11, workers=2)
        assert (again.parsed, again.skipped) == (0, 24)
    assert _records_by_sha(db_url) == _records_by_sha(ref)
    if db_url.startswith("sqlite"):  # the whole store, but for the folder in the names
        want, got = canonical_state(ref), canonical_state(db_url)
        for table in want:
            assert repr(got[table]) == repr(want[table]).replace(f"{folder}/", ""), table
