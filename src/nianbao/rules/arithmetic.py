"""Arithmetic rules (A): the relations the template itself states (勾稽关系 A1–A4), as
:data:`nianbao.spec.RELATIONS` declares them (the table reader narrows fused digits with the same
relations).

Blank cells count as 0 here (blanks are reported by C101); uncertain cells are skipped (the
parser already says it could not read them).
"""
from __future__ import annotations

from .. import spec
from .registry import hit, rule


def _val(report, key):
    """(value or 0, usable) — usable is False when the cell is absent or uncertain."""
    c = report.cells.get(key)
    if c is None or not c.certain:
        return 0, False
    return (c.value or 0), True


def _sum(report, keys):
    total, ok = 0, True
    for k in keys:
        v, u = _val(report, k)
        total += v
        ok = ok and u
    return total, ok


def _fmt(x):
    return int(x) if isinstance(x, float) and x.is_integer() else x


@rule("A101", "applications-not-balanced", "error",
      "表三“{col}”列：新收{new}＋上年结转{carried}＝{lhs}，不等于办理结果总计{total}＋结转下年度{fwd}＝{rhs}")
def applications_balance(report, previous):
    """A1: new + carried over ≠ handled (总计) + carried forward, in a column of table 三.

    What: for each applicant column c: 本年新收[c] + 上年结转[c] = （七）总计[c] + 结转下年度[c].
    Why: the table's own note states it (第一项加第二项之和，等于第三项加第四项之和); a mismatch
    means applications were lost or double counted.
    Example: new 23, carried over 0, total 22, carried forward 0 → 23 ≠ 22.
    Basis: the note printed under table 三 in both templates.
    """
    if "applications" not in report.tables:
        return
    for rel in spec.relations(report.template, "A1"):
        keys = list(rel.terms + rel.totals)
        vals = [_val(report, k) for k in keys]
        if not all(u for _, u in vals) or all(report.cells[k].value is None for k in keys):
            continue
        new, carried, total, fwd = (v for v, _ in vals)
        if new + carried != total + fwd:
            yield hit(keys, report.cells[keys[2]].loc, expected=_fmt(new + carried), actual=_fmt(total + fwd),
                      col=rel.label, new=new, carried=carried, lhs=new + carried,
                      total=total, fwd=fwd, rhs=total + fwd)


@rule("A102", "outcomes-not-summing-to-total", "error",
      "表三“{col}”列：各项办理结果之和为{actual}，与（七）总计{expected}不符")
def outcomes_sum(report, previous):
    """A2: the outcome rows of table 三 do not add up to （七）总计 in a column.

    What: for each column, 予以公开 + 部分公开 + 不予公开(1–8) + 无法提供(1–3) + 不予处理(1–5) +
    其他处理 (or its three sub-rows) = 总计.
    Why: 总计 is defined as the sum of the outcomes; a mismatch means a lost or invented outcome.
    Example: 予以公开 7 + 本机关不掌握 7 + … = 22, 总计 23.
    Basis: template table 三 (row （七）总计).
    """
    if "applications" not in report.tables:
        return
    present = {k.split(".")[1] for k in report.cells if k.startswith("applications.")}
    for rel in spec.relations(report.template, "A2"):
        keys = [k for k in rel.terms if k.split(".")[1] in present]
        total_key = rel.totals[0]
        s, ok = _sum(report, keys)
        t, ok_t = _val(report, total_key)
        if ok and ok_t and s != t:
            yield hit(keys + [total_key], report.cells[total_key].loc, expected=_fmt(t), actual=_fmt(s),
                      col=rel.label)


@rule("A103", "applicants-not-summing-to-total", "error",
      "表三“{row}”行：各类申请人之和为{actual}，与总计列{expected}不符")
def applicants_sum(report, previous):
    """A3: in a row of table 三 the applicant columns do not add up to the 总计 column.

    What: 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他 = 总计, in every row.
    Why: 总计 is the sum of the applicant types.
    Example: 予以公开 27,0,0,2,0,1 → 30; a 总计 of 31 is wrong.
    Basis: template table 三 (column 总计).
    """
    if "applications" not in report.tables:
        return
    for rel in spec.relations(report.template, "A3"):
        keys, total_key = list(rel.terms), rel.totals[0]
        if total_key not in report.cells or not any(k in report.cells for k in keys):
            continue
        s, ok = _sum(report, keys)
        t, ok_t = _val(report, total_key)
        if ok and ok_t and s != t and report.cells[total_key].value is not None:
            yield hit(keys + [total_key], report.cells[total_key].loc, expected=_fmt(t), actual=_fmt(s),
                      row=rel.label)


@rule("A104", "review-litigation-not-summing", "error",
      "表四“{group}”：结果维持＋结果纠正＋其他结果＋尚未审结＝{actual}，与总计{expected}不符")
def review_sum(report, previous):
    """A4: a group of table 四 does not add up to its 总计.

    What: for 行政复议, 行政诉讼（未经复议直接起诉） and 行政诉讼（复议后起诉）: 结果维持 + 结果纠正 +
    其他结果 + 尚未审结 = 总计.
    Why: every case ends in exactly one of the four states.
    Example: 行政复议 1 维持, 1 纠正, 总计 1.
    Basis: template table 四.
    """
    if "review_litigation" not in report.tables:
        return
    for rel in spec.relations(report.template, "A4"):
        keys, total_key = list(rel.terms), rel.totals[0]
        s, ok = _sum(report, keys)
        t, ok_t = _val(report, total_key)
        if ok and ok_t and s != t:
            yield hit(keys + [total_key], report.cells[total_key].loc, expected=_fmt(t), actual=_fmt(s),
                      group=rel.label)
