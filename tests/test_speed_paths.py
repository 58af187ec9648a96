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
