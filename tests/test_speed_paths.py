"""The parse path's guards against inputs that cost more than linear time (no timing here: the
figures are in bench/bench_scaling.py)."""
import random

import nianbao
from nianbao.ingest.text import lines_to_blocks
from nianbao.parsing.candidates import _chunk_splits, count_chunk_splits

SEED = ("某某县某某局2021年政府信息公开工作年度报告\n一、总体情况\n全年公开信息。\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n")


def test_split_count_equals_the_enumeration():
    rng = random.Random(1)
    for _ in range(2000):
        chunk = "".join(rng.choice("0123456789" if rng.random() < .7 else "0") for _ in range(rng.randint(1, 11)))
        if rng.random() < .2:
            chunk += ".5"
        lo = rng.randint(1, 5)
        hi = rng.randint(lo, 7)
        assert count_chunk_splits(chunk, lo, hi) == len(_chunk_splits(chunk, 0, lo, hi, 10 ** 9))


def test_too_many_splits_are_ambiguous_not_enumerated():
    """A 40-digit run in the fifteen-cell table: billions of splits, counted, not enumerated; the
    row is ambiguous (P206) and no cell of it is certain."""
    report = nianbao.parse((SEED + "1" * 40 + "\n五、存在的主要问题及改进情况\n无。\n").encode(), filename="x.txt")
    p206 = [d for d in report.diagnostics if d.code == "P206"]
    assert p206 and len(p206[0].keys) == 15
    assert not any(c.certain for k, c in report.cells.items() if k.startswith("review_litigation."))


def test_continuation_lines_join_into_their_cell():
    blocks = lines_to_blocks(["\t标签", "续行一", "续行二", "\t5", "", "段落"])
    assert [c.text for c in blocks[0].cells] == ["标签续行一续行二", "5"]
    assert blocks[1].kind == "para"


def test_many_continuation_lines_join_into_one_cell():
    """100,000 continuation lines: one cell holding them all (joined once, not rebuilt per line)."""
    blocks = lines_to_blocks(["\t标签"] + ["续行"] * 100_000 + ["", "段落"])
    assert len(blocks[0].cells) == 1 and len(blocks[0].cells[0].text) == 2 + 2 * 100_000
    assert blocks[1].cells[0].text == "段落"


def _product_candidates(read, unit):
    """The split readings as the reader enumerated them before (every combination of one split per
    token, in itertools.product order), for comparison with the depth-first walk."""
    import itertools

    from nianbao.parsing import candidates as C
    n = len(read.columns)
    toks = C.trim_padding(read.group.values, n)
    most = [sum(ch.isdigit() for ch in t.text) if t.fused else 1 for t in toks]
    bounds = [(max(1, n - (sum(most) - most[i])), n - (len(toks) - 1)) for i in range(len(toks))]
    per_token = [C._token_splits(t, lo, hi, 10 ** 6) if t.fused else [[(t.text, None)]]
                 for t, (lo, hi) in zip(toks, bounds)]
    out = []
    for combo in itertools.product(*per_token):
        flat = [(t, text, off) for t, pieces in zip(toks, combo) for text, off in pieces]
        if len(flat) != n:
            continue
        cand = []
        for i, (t, text, off) in enumerate(flat):
            try:
                cand.append(C._piece(t, text, off, read.columns[i], unit)[0])
            except C.ValueError_:
                break
        else:
            out.append(tuple(cand))
    return out


def test_split_readings_are_those_of_every_combination_in_order():
    from nianbao import spec
    from nianbao.model.document import Cell, Location
    from nianbao.parsing.candidates import read_to_candidates
    from nianbao.parsing.rows import Group, Read
    from nianbao.parsing.tokens import Token
    rng = random.Random(4)
    table = spec.table("2021", "applications")
    row = table.rows[3]
    checked = 0
    for _ in range(300):
        values = []
        for _ in range(rng.randint(1, 4)):
            if rng.random() < .3:
                text = str(rng.randint(0, 99))
                fused = False
            else:
                text = " ".join("".join(rng.choice("0123456789") for _ in range(rng.randint(1, 4)))
                                for _ in range(rng.randint(1, 3)))
                fused = True
            values.append(Token("num", text, Cell(text, Location(1)), 0, 3, False, fused, 0))
        read = Read(table.row_keys(row), list(row.columns), row.label, Group([], values))
        read_to_candidates(read, 1)
        if read.overflow or len(values) == len(row.columns):
            continue
        assert read.candidates == _product_candidates(read, 1)
        checked += 1
    assert checked > 50


def test_fast_normalisation_equals_the_translation_tables():
    from nianbao.parsing import normalise as N
    from nianbao.parsing._t2s import TRADITIONAL
    rng = random.Random(2)
    pool = list("规章（）：，；！、。 ab12") + [chr(0xFF01 + i) for i in range(94)] + list(TRADITIONAL[:40]) \
        + ["\u3000", "\u00a0", "\u2212", "𪙏", "😀"]
    for _ in range(3000):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(0, 120)))
        assert N.to_halfwidth(s) == s.translate(N._FW_TABLE)
        assert N.to_simplified(s) == s.translate(N._T2S_TABLE)


def test_squeezed_offsets_equal_the_offset_list():
    from nianbao.parsing import meta
    from nianbao.parsing.normalise import fold_with_offsets, to_halfwidth
    rng = random.Random(5)
    pool = list("鎮(zhèn)年二〇二一 \t\u3000ab（xiàng）")
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        folded, offsets = fold_with_offsets(text)
        folded = to_halfwidth(folded)
        folded = meta._CN_YEAR.sub(lambda m: m.group(1).translate(meta._CN_DIGITS) + "年", folded)
        keep = [i for i, c in enumerate(folded) if not c.isspace()]
        want = [offsets[i] for i in keep] + [offsets[-1]]
        got_text, got = meta._prep(text)
        assert got_text == "".join(folded[i] for i in keep)
        assert [got[i] for i in range(len(want))] == want and got[-1] == want[-1]
        assert [got[2:][i] for i in range(len(want) - 2)] == want[2:]


def test_title_search_near_the_years_finds_what_a_full_scan_finds():
    from nianbao.parsing import meta
    rng = random.Random(6)
    words = ["2021年", "2019年度", "20", "年", "政府", "信息公开", "工作", "年度报告", "报告", "年报", "某某县",
             "人民政府", "，", "。", "的", "x" * 30, "z" * 70]
    for _ in range(1000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 25)))
        for rx, anchor, before, longest in meta._TITLE_RUNS:
            assert [m.span() for m in meta._finditer_near(rx, anchor, text, before, longest)] == \
                [m.span() for m in rx.finditer(text)]


def test_metadata_is_looked_for_in_a_bounded_head():
    """A report on one line of megabytes: the clues are sought in the first META_CHARS characters,
    and its title is still found."""
    from nianbao.parsing import meta
    texts = meta._capped(["标题" * 100_000, "后文"])
    assert [len(t) for t in texts] == [meta.META_CHARS]
    line = "某某县某某局2021年政府信息公开工作年度报告 一、总体情况 " + "全年公开信息，" * 300_000
    report = nianbao.parse(line.encode(), filename="x.txt")
    assert (report.agency, report.year) == ("某某县某某局", 2021)


def test_the_cli_tunes_the_collector_for_batch_runs_not_for_serve():
    import subprocess
    import sys
    probe = ("import atexit, gc, sys; atexit.register(lambda: print('GC', gc.get_threshold()[0], gc.get_freeze_count() > 0));"
             "sys.argv = ['nianbao'] + sys.argv[1:]; from nianbao.cli import main; main()")
    from nianbao.isolation import GC_THRESHOLD

    def run(*args):
        out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120)
        return next(line for line in out.stdout.splitlines() if line.startswith("GC"))
    assert run("--version") == f"GC {GC_THRESHOLD[0]} True"
    assert run("serve", "--help") != f"GC {GC_THRESHOLD[0]} True"


def test_pipe_rows_make_their_cells_when_asked():
    """A long pipe region's rows are LazyRows: their cells, made when asked for, are the fields
    of the line stripped, at the fields' character offsets (none for the line's first field)."""
    from nianbao.ingest.text import LAZY_ROWS, region_to_blocks
    from nianbao.model.document import Block, LazyRow, Location
    lines = ["| 行政许可 | 3 | 4 |", "| 其他 | 5 | 6 |", "| 合计 | 8 | 10 |"]
    assert type(region_to_blocks(lines, 9)[1]) is Block  # a table's rows: blocks as they were
    blocks = region_to_blocks(lines + ["| 其他 | 0 | 0 |"] * LAZY_ROWS, 9)
    lazy = blocks[1]
    assert isinstance(lazy, LazyRow) and lazy.grid and lazy.kind == "row"
    assert [c.text for c in lazy.cells] == ["其他", "5", "6"]
    assert [c.loc for c in lazy.cells] == [Location(11, char=1), Location(11, char=6), Location(11, char=10)]
    assert lazy.cells is lazy.cells  # made once
    assert [c.text for c in blocks[0].cells] == ["行政许可", "3", "4"]  # the leading empty field dropped
    assert [c.text for c in blocks[2].cells] == ["合计", "8", "10"]
    assert [c.text for c in blocks[-1].cells] == ["其他", "0", "0"]  # the trailing empty field dropped


def test_rows_before_a_missing_headings_table_are_not_tokenised():
    """Part 一 read only from the header of a table whose heading is missing: the rows before
    it make no tokens, and the region the reader gets is the one it got from all the tokens."""
    from nianbao.ingest.text import text_to_document
    from nianbao.parsing.rows import SIGNATURES, region_tokens, tokens_by_part
    from nianbao.parsing.sections import blocks_to_headings
    from nianbao.parsing.tokens import blocks_to_tokens
    text = ("某某局2021年政府信息公开工作年度报告\n一、总体情况\n" + "| 其他对外管理服务事项 | 0 | 0 | 0 |\n" * 50
            + "\n| 申请人情况 | 自然人 | 法人或其他组织 |\n| 一、本年新收政府信息公开申请数量 | 3 | 4 |\n"
            "四、政府信息公开行政复议、行政诉讼情况\n")
    doc = text_to_document(text)
    headings = blocks_to_headings(doc.blocks)
    found = {h.part for h in headings}
    assert found == {1, 4}
    every = blocks_to_tokens(doc.blocks, headings, parts={1, 2, 3, 4})
    sought = blocks_to_tokens(doc.blocks, headings, parts={1, 2, 3, 4}, seek={1: [SIGNATURES[2], SIGNATURES[3]]})
    assert len(sought) < len(every) - 100
    assert not any(t.text == "其他对外管理服务事项" for t in sought)
    assert any(t.text == "其他对外管理服务事项" for t in every)
    for p in (2, 3, 4):
        assert region_tokens(tokens_by_part(sought), p, found) == region_tokens(tokens_by_part(every), p, found)
    assert region_tokens(tokens_by_part(sought), 3, found)


def test_values_no_row_takes_make_p209s_then_one_p216():
    """Many repeated fused rows inside table 二 (after the page's own row of that label: groups of
    values no row takes): the first 20 a P209 each, each with its own location and parameters;
    the rest one P216 with their count and the lines they run over."""
    from pathlib import Path
    from nianbao.parsing.tables import UNPLACED_SHOWN
    page = (Path(__file__).resolve().parents[2] / "shared" / "pages" / "page-001.txt").read_text()
    head, sep, tail = page.partition("(五)项")
    assert sep
    run = "其他对外管理服务事项 1234567890123\n"
    report = nianbao.parse((head + sep + "\n" + run * 50 + tail).encode(), filename="x.txt")
    p209 = [d for d in report.diagnostics if d.code == "P209"]
    assert len(p209) == UNPLACED_SHOWN
    assert len({d.loc for d in p209}) == len(p209)  # each its own place
    first, later = p209[0], p209[-1]
    assert later.params == {"table": first.params["table"], "label": "其他对外管理服务事项 ", "values": "1234567890123"}
    assert "其他对外管理服务事项" in later.message
    later.keys.append("x")  # lists of their own, not shared
    assert "x" not in first.keys
    [p216] = [d for d in report.diagnostics if d.code == "P216"]
    start = head.count("\n") + 2  # the line of the first run
    rest = 50 - UNPLACED_SHOWN  # the runs after the P209s'
    assert first.loc.line == start - 1  # its label run begins with the header line (…第(五)项)
    assert p216.params == {"table": first.params["table"], "n": rest, "shown": UNPLACED_SHOWN,
                           "first": f"第{start + UNPLACED_SHOWN}行", "last": f"第{start + 49}行"}
    assert p216.loc.line == start + UNPLACED_SHOWN and later.loc.line == start + UNPLACED_SHOWN - 1
    assert f"另有 {rest} 组数值" in p216.message


def test_normalise_label_drops_what_its_former_regular_expression_dropped():
    """Label normalisation drops bookmarks, white space (every character ``\\s`` matches) and
    quotes without one regular expression over the text (a long table region's labels, joined,
    run to megabytes): the same text as the expression it replaced, on tricky inputs."""
    import random
    import re
    from nianbao.parsing.normalise import fold, normalise_label, to_halfwidth
    former = re.compile(r"[\s\"'“”‘’「」『』]+|\[bookmark:[^\]]*\]")

    def reference(text):
        t = former.sub("", to_halfwidth(fold(text))).replace("规范性档案", "规范性文件")
        return t.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    spaces = [chr(c) for c in range(0x3001) if re.match(r"\s", chr(c))]
    alphabet = spaces + list("\"'“”‘’「」『』[]bookmark:规范性档案行政许可1（）【】")
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        if rng.random() < 0.3:
            text = text[:4] + "[bookmark: a b]" + text[4:]
        assert normalise_label.__wrapped__(text) == reference(text), repr(text)


def test_statements_after_a_long_unpunctuated_text_are_those_of_the_clause():
    from nianbao.parsing.statements import text_to_statements
    short = "本年制发行政规范性文件69件，废止3件，现行有效665件。行政处罚结果82条。"
    padded = "文" * 100000 + "。" + short
    assert text_to_statements(padded) == text_to_statements(short)
    assert text_to_statements(short)["normative_documents.repealed"] == {3}


def _significant_by_scan(tokens, table):
    """Layout blanks dropped as the reader did before: every token of the list scanned."""
    from nianbao.parsing.rows import _any_row
    blank_blocks = {t.block for t in tokens if t.kind == "blank"}
    labels, first_label, has_num, blanks = {}, {}, set(), []
    for i, t in enumerate(tokens):
        if t.block not in blank_blocks:
            continue
        if t.kind == "label":
            labels.setdefault(t.block, []).append(t.text)
            first_label.setdefault(t.block, i)
        elif t.kind == "num":
            has_num.add(t.block)
        elif t.kind == "blank":
            blanks.append(i)
    drop = set()
    for i in blanks:
        b = tokens[i].block
        if b not in first_label:
            continue
        if i < first_label[b] or (b not in has_num and not _any_row(table, "".join(labels[b]))):
            drop.add(i)
    return [t for i, t in enumerate(tokens) if i not in drop]


def test_layout_blanks_read_block_by_block_equal_a_scan_of_every_token():
    from nianbao import spec
    from nianbao.model import Cell, Location
    from nianbao.parsing.rows import significant_tokens
    from nianbao.parsing.tokens import Token
    table = spec.table("2021", "applications")
    rng = random.Random(3)
    words = ["自然人", "商业企业", "合计", "信息内容", "本年新收政府信息公开申请数量", "其他"]
    for _ in range(500):
        tokens = []
        for block in range(rng.randint(1, 8)):
            for _ in range(rng.randint(1, 5)):
                kind = rng.choice(["label", "num", "blank", "blank", "text"])
                text = rng.choice(words) if kind == "label" else ("3" if kind == "num" else "/")
                tokens.append(Token(kind, text, Cell(text, Location(block)), block, 3, True))
        assert significant_tokens(tokens, table) == _significant_by_scan(tokens, table)


def test_a_text_line_is_one_block_that_reads_as_a_paragraph_of_one_cell():
    """A text file's paragraph line is a ``Line``: the same block as a paragraph of one cell at
    that line (equal, the same source key and text), its ``Cell`` made when asked for; the
    tokeniser's tokens hold the line itself as their cell (its text, location, no ghost, no OCR
    confidence)."""
    from nianbao.ingest.text import text_to_document
    from nianbao.model.document import Block, Cell, Line, Location
    from nianbao.parsing.tokens import blocks_to_tokens
    lines = ["标题"] * 3 + ["规章 5"] * 60000
    doc = text_to_document("\n".join(lines))
    last = doc.blocks[-1]
    assert type(last) is Line and last.line == 60003 and last.kind == "para"
    plain = Block("para", [Cell("规章 5", Location(60003))])
    assert last.source_key() == plain.source_key() and last.text == plain.text
    tokens = blocks_to_tokens(doc.blocks[-2:], [])
    assert [(t.kind, t.text) for t in tokens] == [("label", "规章 "), ("num", "5")] * 2
    cell = tokens[-1].cell
    assert cell is last and (cell.loc, cell.ghost, cell.confidence) == (Location(60003), False, None)
    assert last == plain and plain == last and last != doc.blocks[-2]
    assert last.cells == plain.cells and last.cells is last.cells  # made once, when asked for


def test_documents_with_lazy_blocks_pickle_and_compare_as_plain_blocks():
    """A document of ``Line``, ``LazyRow`` and ``TableRow`` blocks pickles (and copies) as the
    plain blocks they stand for, compares equal to them either way round, and parses to the same
    record."""
    import copy
    import pickle

    from nianbao.ingest import bytes_to_document
    from nianbao.model.document import Block, LazyRow, Line, TableRow
    from nianbao.parsing import document_to_report
    from conftest import CORPUS
    text = (CORPUS / "seeds" / "000_287ae363a5fda47a.txt").read_bytes()
    doc = bytes_to_document(text, "a.txt")
    assert any(type(b) is Line for b in doc.blocks)
    doc.blocks += [LazyRow(900, 0, ["a", " 1", " 2"]), TableRow(1, 201, ["规章", "3"], [1, 2])]
    back = pickle.loads(pickle.dumps(doc))
    assert back == doc and copy.deepcopy(doc) == doc
    assert {type(b) for b in back.blocks} == {Block}
    for lazy, plain in zip(doc.blocks, back.blocks):
        assert lazy == plain and plain == lazy
    doc.blocks, back.blocks = doc.blocks[:-2], back.blocks[:-2]
    assert document_to_report(back).to_dict() == document_to_report(doc).to_dict()


def test_long_texts_are_not_kept_by_the_memos():
    """``short_text_cache``: texts up to ``SHORT_TEXT`` characters are memoised, of longer ones only
    the last (a worker reading many documents keeps no megabyte labels); results are the same."""
    from nianbao.parsing.normalise import SHORT_TEXT, normalise_label, short_text_cache
    calls = []

    @short_text_cache(4)
    def f(text):
        calls.append(text)
        return text.upper()

    short, long1, long2 = "ab", "x" * (SHORT_TEXT + 1), "y" * (SHORT_TEXT + 1)
    assert [f(short), f(short), f(long1), f(long1), f(long2), f(long1)] == [
        "AB", "AB", long1.upper(), long1.upper(), long2.upper(), long1.upper()]
    assert calls == [short, long1, long2, long1]
    text = "（一） 收到“申请”数 " * 40
    assert len(text) > SHORT_TEXT and normalise_label(text) == normalise_label.__wrapped__(text)
