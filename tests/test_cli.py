"""The CLI as a user runs it (a real subprocess of the installed console script)."""
import json
import subprocess
import sys


from conftest import CORPUS


def run(*args):
    return subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, text=True)


def test_parse_json_lines_one_per_file(shared):
    files = [CORPUS / "seeds" / "000_287ae363a5fda47a.txt", CORPUS / "real" / "pingtan-2021.txt"]
    p = run("parse", "--json", *map(str, files))
    assert p.returncode == 0, p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert [x["file"] for x in lines] == [str(f) for f in files]
    for rec in lines:
        assert {"file", "agency", "year", "template", "cells", "diagnostics"} <= rec.keys()
    assert lines[0]["cells"]["active.procurement.amount_yuan"] == 1522100
    assert lines[1]["cells"]["applications.new_requests.total"] == 70


def test_parse_human_output_is_chinese(shared):
    p = run("parse", str(CORPUS / "seeds" / "004_a224db91dbdf5e26.txt"))
    assert p.returncode == 0
    assert "机关：兑镇镇" in p.stdout and "模板：2021年版" in p.stdout
    assert "P201" in p.stdout and "未找到表格" in p.stdout


def test_unreadable_input_exit_2_others_still_parse(shared, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage garbage")
    good = CORPUS / "seeds" / "001_6762482f42d905fe.txt"
    p = run("parse", "--json", str(empty), str(bad), str(tmp_path / "missing.txt"), str(good))
    assert p.returncode == 2
    assert "文件为空" in p.stderr and "file is empty" not in p.stderr  # Chinese only
    assert "PDF" in p.stderr
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert [r["file"] for r in recs] == [str(good)]


def test_debug_view_shows_blocks_and_headings(shared):
    p = run("parse", "--debug", str(CORPUS / "seeds" / "003_e091965162a3741c.txt"))
    assert p.returncode == 0
    assert "══ 第二部分标题：二、主动公开政府信息情况" in p.stdout
    assert "[行 第17行] 规章 | 0 | 0 | 0" in p.stdout
    assert "[行 第106行] 一、本年新收政府信息公开申请数量 | · | · | · | · | · | · | 0" in p.stdout
    assert "结果维持" in p.stdout
    # then what the table reader did with them: each row, the label it took and how
    assert "══ 表 二、主动公开政府信息情况（已找到）" in p.stdout
    assert "规章" in p.stdout and "按标签，候选 1 种" in p.stdout


def test_debug_view_shows_what_no_row_took(tmp_path):
    text = ("某某县某某局2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 0 | 0 | 0 |\n"
            "| 行政规范性文件 | 1 | 0 | 4 |\n| 行政许可 | 5 | | |\n| 行政处罚 | 2 | | |\n"
            "| 行政强制 | 0 | | |\n| 行政事业性收费 | 0 | | |\n| 2022年本部门发布信息总数量 | 17 | | |\n")
    f = tmp_path / "x.md"
    f.write_text(text, encoding="utf-8")
    p = run("parse", "--debug", str(f))
    assert "未对应任何行：“2022年本部门发布信息总数量”［17 · ·］" in p.stdout, p.stdout


def test_check_exits_2_on_a_scanned_pdf(shared):
    from conftest import ROOT
    scan = ROOT / "tests" / "rule_fixtures" / "P001" / "scanned.pdf"
    p = run("check", str(scan), str(CORPUS / "seeds" / "000_287ae363a5fda47a.txt"))
    assert p.returncode == 2
    assert "P001" in p.stdout and "抚远镇" in p.stdout


def test_folder_reads_markdown_and_skips_readme_with_a_note(tmp_path):
    import random

    from nianbao.testing import synth
    from shapes import markdown

    rng = random.Random(5)
    values = synth.random_values(rng, "2021")
    text = synth.render_text(values, agency="某某县某某镇人民政府", year=2022, template="2021", rng=rng, shape="rows")
    (tmp_path / "report.md").write_text(markdown(text), encoding="utf-8")
    (tmp_path / "README.md").write_text("# 说明\n这些是年报。\n", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("MIT", encoding="utf-8")
    p = run("check", "--json", str(tmp_path))
    assert p.returncode in (0, 1), p.stderr
    assert "跳过" in p.stderr and "README.md" in p.stderr and "说明文件" in p.stderr
    db = tmp_path / "x.db"
    p = run("ingest", "--db", f"sqlite:///{db}", str(tmp_path))
    assert p.returncode == 0, p.stderr
    assert "共 1 份" in p.stdout and "README.md" in p.stderr


def test_database_errors_are_one_chinese_line_exit_2(tmp_path):
    cases = [
        (["stats", "--db", str(tmp_path / "nope.db")], "不存在"),
        (["export", "--db", str(tmp_path / "nope.db"), "--out", str(tmp_path / "o")], "不存在"),
        (["stats", "--db", "mysql://u@h/db"], "不支持的数据库地址"),
        (["stats", "--db", str(tmp_path / "no-such-dir" / "x.db")], "文件夹"),
        (["stats", "--db", "postgresql://nobody:wrong@127.0.0.1:1/none"], "无法连接 PostgreSQL"),
    ]
    for args, words in cases:
        p = run(*args)
        assert p.returncode == 2, (args, p.stderr)
        assert words in p.stderr and "Traceback" not in p.stderr, (args, p.stderr)
    assert not (tmp_path / "nope.db").exists()  # stats/export never create an empty database


def test_db_takes_a_plain_file_path(tmp_path, shared):
    db = tmp_path / "plain.db"
    p = run("ingest", "--db", str(db), str(CORPUS / "seeds" / "000_287ae363a5fda47a.txt"))
    assert p.returncode == 0, p.stderr
    p = run("stats", "--db", str(db))
    assert p.returncode == 0 and db.exists()


def test_check_db_pairs_a_new_report_with_last_years_stored_one(tmp_path):
    """`check --db` finds the same body's stored report of the year before for the cross-year
    rules (A5: 上年结转 = last year's 结转下年度)."""
    import random

    from nianbao.testing import synth
    rng = random.Random(3)
    last = synth.random_values(rng, "2021")
    this = synth.random_values(rng, "2021", previous=last)
    key = "applications.carried_over.natural_person"
    this[key] = (last["applications.carried_forward.natural_person"] or 0) + 1  # breaks the chain
    this["applications.carried_over.total"] = (this["applications.carried_over.total"] or 0) + 1
    this["applications.new_requests.natural_person"] = (this["applications.new_requests.natural_person"] or 0)
    agency = "某某县某某镇人民政府"
    a = tmp_path / "2022.txt"
    a.write_text(synth.render_text(last, agency=agency, year=2022, template="2021", rng=rng, shape="rows"), encoding="utf-8")
    b = tmp_path / "2023.txt"
    b.write_text(synth.render_text(this, agency=agency, year=2023, template="2021", rng=rng, shape="rows"), encoding="utf-8")
    db = tmp_path / "c.db"
    assert run("ingest", "--db", str(db), str(a)).returncode == 0
    alone = run("check", "--json", "--select", "Y101", str(b))
    paired = run("check", "--json", "--select", "Y101", "--db", str(db), str(b))
    assert "Y101" not in alone.stdout
    assert any(json.loads(x).get("code") == "Y101" and key in json.loads(x)["keys"] for x in paired.stdout.splitlines()), paired.stdout


def test_every_file_of_a_folder_is_accounted_for(tmp_path):
    import zipfile
    (tmp_path / "a.xls").write_bytes(b"x")
    (tmp_path / "b.et").write_bytes(b"x")
    (tmp_path / "notes").write_text("x", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as z:
        z.writestr("slides.dps", b"x")
    p = run("check", str(tmp_path))
    for name, words in (("a.xls", "电子表格（.xls）"), ("b.et", "电子表格（WPS）（.et）"), ("notes", "没有扩展名"),
                        ("c.zip!slides.dps", "演示文稿（WPS）（.dps）")):
        assert f"{name}：" in p.stderr and words in p.stderr, (name, p.stderr)
    assert "旧版 Word" not in p.stderr
