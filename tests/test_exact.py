"""Exact values and safe outputs: int64 counts with a sanity cap, money exact in every backend
and export, spreadsheet cells that cannot run formulas."""
import csv
import json
from decimal import Decimal

import pytest

import nianbao
from nianbao.output.safe import csv_cell, sheet_name, xlsx_cell
from nianbao.parsing.normalise import MAX_VALUE, ValueError_, parse_number
from nianbao.store import Corpus
from nianbao.store.export import write_tables
from conftest import CORPUS

SEED = CORPUS / "seeds" / "000_287ae363a5fda47a.txt"


@pytest.mark.parametrize("raw,money", [("1000000000000", False), ("9" * 400, False), ("100000000万元", True),
                                       ("1,000,000,000,000", False)])
def test_a_value_of_10_to_the_12_or_more_is_unreadable(raw, money):
    with pytest.raises(ValueError_) as e:
        parse_number(raw, money=money)
    assert "数值过大" in str(e.value)
    assert parse_number(str(MAX_VALUE - 1)) == (MAX_VALUE - 1, None)


def test_a_huge_count_in_a_report_is_a_p205_cell(shared):
    text = SEED.read_text(encoding="utf-8")
    assert "\t152.21万元" in text
    report = nianbao.parse(text.replace("\t152.21万元", "\t99999999999999万元").encode(), filename="r.txt")
    p205 = [d for d in report.diagnostics if d.code == "P205"]
    assert p205 and "数值过大" in p205[0].message
    assert report.cells["active.procurement.amount_yuan"].certain is False


def _cents_report(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("\t152.21万元", "\t0.1元")  # 0.1: no exact binary float
    f = tmp_path / "r.txt"
    f.write_text(text, encoding="utf-8")
    return f


def test_money_is_exact_in_the_store_and_every_export(db_url, shared, tmp_path):
    f = _cents_report(tmp_path)
    with Corpus(db_url) as c:
        c.ingest([f], workers=1)
        (row,) = [r for r in c.long_rows() if r["column"] == "amount_yuan" and r["row"] == "procurement"]
        assert row["value"] == Decimal("0.1")
        assert c.report(c.reports()[0]["id"]).cells["active.procurement.amount_yuan"].value == 0.1
        out = tmp_path / "out"
        c.export(out, fmt="csv", shape="both")
        c.export(out, fmt="parquet", shape="both")
        c.export(out, fmt="json", shape="long")
    with open(out / "cells_long.csv", encoding="utf-8-sig") as fh:
        vals = {(r["row"], r["column"]): r["value"] for r in csv.DictReader(fh)}
    assert vals[("procurement", "amount_yuan")] == "0.1"
    import pyarrow as pa
    import pyarrow.parquet as pq
    active = pq.read_table(out / "active.parquet")
    assert active.schema.field("regulations__made").type == pa.int64()
    money = active.schema.field("procurement__amount_yuan").type
    assert pa.types.is_decimal(money) and money.scale >= 2
    assert active.column("procurement__amount_yuan").to_pylist() == [Decimal("0.1")]
    long = pq.read_table(out / "cells_long.parquet")
    assert pa.types.is_decimal(long.schema.field("value").type)
    data = [json.loads(x) for x in (out / "cells_long.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [d["value"] for d in data if d["column"] == "amount_yuan" and d["row"] == "procurement"] == [0.1]


@pytest.mark.parametrize("text", ["=1+1", "+1x", "-2+3", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_formula_text_is_neutralised(text):
    assert csv_cell(text) == "'" + text
    assert xlsx_cell(text).startswith("'")


def test_numbers_stay_numbers_and_plain_text_stays():
    for v in (3, -3, 1.5, Decimal("0.10"), None, "-3", "+4", "12.5", "淮安市人民政府"):
        assert csv_cell(v) == v
    assert xlsx_cell("a\x00b\x07c\td") == "abc\td"


def test_sheet_names_are_valid_and_unique():
    used: set = set()
    names = [sheet_name(n, used) for n in ["a/b", "a/b", "x" * 40, "x" * 40, "[汇总]", "'", ""]]
    assert len({n.lower() for n in names}) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_exports_neutralise_formulas_and_keep_numbers(tmp_path):
    tables = {"t/1": (["file", "=col"], [["=cmd|' /C calc'!A0", 5], ["@x\x01", Decimal("1.25")]]),
              "t/1 ": (["file"], [["ok"]])}
    (path,) = write_tables(tables, tmp_path / "o.xlsx", "xlsx")
    from openpyxl import load_workbook
    wb = load_workbook(path)
    assert len(wb.sheetnames) == 2 and all("/" not in n for n in wb.sheetnames)
    rows = list(wb[wb.sheetnames[0]].values)
    assert rows[0] == ("file", "'=col")
    assert rows[1] == ("'=cmd|' /C calc'!A0", 5) and rows[2] == ("'@x", 1.25)
    write_tables({"t": tables["t/1"]}, tmp_path / "c", "csv")
    with open(tmp_path / "c" / "t.csv", encoding="utf-8-sig") as fh:
        got = list(csv.reader(fh))
    assert got[1] == ["'=cmd|' /C calc'!A0", "5"] and got[2][1] == "1.25"


def test_audit_workbook_neutralises_formulas(shared, tmp_path):
    from nianbao.audit import audit_inputs
    from nianbao.output.xlsx import audits_to_workbook
    run = audit_inputs([("=evil().txt", SEED.read_bytes()), ("=evil().txt", SEED.read_bytes())])
    audits_to_workbook(run, tmp_path / "a.xlsx")
    from openpyxl import load_workbook
    wb = load_workbook(tmp_path / "a.xlsx")
    summary = list(wb["汇总"].values)
    assert summary[1][summary[0].index("文件")] == "'=evil().txt"
    assert len(wb.sheetnames) == len(set(wb.sheetnames)) == 5  # 汇总, 问题清单, 问题明细, two reports
