"""Tables as web copies and Markdown conversions print them: pipes, padding, lone separators,
indented one-cell-per-line. Every shape of a synthetic report reads back to the values it was
made from (see tests/shapes.py for how each shape is made)."""
import random

import pytest

import nianbao
from nianbao.testing import synth

from shapes import SHAPES


def _report(seed: int, template: str):
    rng = random.Random(seed)
    values = synth.random_values(rng, template)
    year = 2022 if template == "2021" else 2020
    text = synth.render_text(values, agency="某某县某某镇人民政府", year=year, template=template, rng=rng, shape="rows")
    return values, text


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shape_reads_back(shape, template, seed):
    values, text = _report(seed, template)
    report = nianbao.parse(SHAPES[shape](text).encode(), filename=f"{shape}.txt")
    assert report.template == template
    got = report.values()
    wrong = {k: (got.get(k, "<missing>"), v) for k, v in values.items() if got.get(k, "<missing>") != v}
    assert not wrong, wrong


def test_change_words_and_value_words():
    text = "二、主动公开政府信息情况\n| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n" \
           "| 行政许可 | 92 | 增98 | 0 |\n| 其他对外管理服务事项 | 3 | 减少2 | 1 |\n| 行政处罚 | 0 | 未增未减 | 25 |\n"
    r = nianbao.parse(("某某局2020年政府信息公开工作年度报告\n" + text).encode(), filename="x.md")
    assert r.value("active.licensing.change") == 98
    assert r.value("active.other_services.change") == -2
    c = r.cells["active.penalty.change"]
    assert c.value is None and not c.certain and c.raw == "未增未减"
    assert any(d.code == "P205" and "active.penalty.change" in d.keys for d in r.diagnostics)
    assert r.value("active.penalty.decisions") == 25


def _check_placed(report, values):
    """Every cell right, or flagged: uncertain and named by a diagnostic; never a silent wrong."""
    named = {k for d in report.diagnostics for k in d.keys}
    for k, want in values.items():
        c = report.cells.get(k)
        assert c is not None, k
        if c.certain:
            assert c.value == want, (k, c.value, want)
        else:
            assert k in named, k


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(6))
def test_row_label_typos_cost_no_row(template, seed):
    from shapes import with_label_typos
    values, text = _report(seed, template)
    text, changed = with_label_typos(text, random.Random(seed), share=0.35)
    report = nianbao.parse(pipe_rows_text(text).encode(), filename="typos.md")
    _check_placed(report, values)
    assert not any(d.code in ("P202", "P209") for d in report.diagnostics), [d.message for d in report.diagnostics]
    variants = [d for d in report.diagnostics if d.code in ("P211", "P212")]
    assert len(variants) <= len(changed)  # the others still match the row's pattern
    # table 三's rows are confirmed by its arithmetic: certain; table 二 has none: uncertain
    for d in variants:
        assert d.code == ("P211" if d.keys[0].startswith("applications.") else "P212")


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(6))
def test_lost_row_labels_filled_between_anchors(template, seed):
    from shapes import with_labels_lost
    values, text = _report(seed, template)
    text, lost = with_labels_lost(text, random.Random(seed))
    report = nianbao.parse(pipe_rows_text(text).encode(), filename="lost.md")
    _check_placed(report, values)
    assert len([d for d in report.diagnostics if d.code in ("P211", "P212")]) == len(lost)


def pipe_rows_text(text):
    return SHAPES["pipe_rows"](text)


@pytest.mark.parametrize("shape", ["pipe_rows", "cell_per_line", "space_padded"])
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_generic_numbered_header_is_not_values(shape, template):
    from shapes import with_generic_header
    values, text = _report(7, template)
    report = nianbao.parse(SHAPES[shape](with_generic_header(text)).encode(), filename="x.md")
    got = report.values()
    assert {k: got.get(k, "<missing>") for k in values if got.get(k, "<missing>") != values[k]} == {}


@pytest.mark.parametrize("shape", ["pipe_rows", "cell_per_line"])
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(4))
def test_an_odd_cell_costs_only_itself(shape, template, seed):
    from shapes import with_odd_cells
    values, text = _report(seed, template)
    text, changed = with_odd_cells(text, random.Random(seed))
    report = nianbao.parse(SHAPES[shape](text).encode(), filename="x.md")
    _check_placed(report, values)
    uncertain = [k for k, c in report.cells.items() if not c.certain]
    # each odd cell makes its own cell unreadable; the arithmetic may leave its row's other
    # cells unconfirmed in table 三, but never more than the row
    assert len({k.rsplit(".", 1)[0] for k in uncertain}) <= len(changed)
    assert not any(d.code in ("P202", "P209") for d in report.diagnostics)
