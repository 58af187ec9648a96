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
    """表三某一列：第一项加第二项之和不等于第三项加第四项之和。

    说明：每一列：“一、本年新收” ＋ “二、上年结转” ＝ “三、本年度办理结果（七）总计” ＋ “四、结转下年度继续办理”。
    原因：表格自身注明了这一勾稽关系；不相等说明有申请漏计或重复计算。
    示例：新收23、上年结转0，总计22、结转下年度0：23 ≠ 22。
    依据：年度报告格式（国办公开办函〔2021〕30号）表三所注“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”。
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
    """表三某一列各项办理结果之和与“（七）总计”不符。

    说明：每一列：予以公开＋部分公开＋不予公开（1—8）＋无法提供（1—3）＋不予处理（1—5）＋其他处理（或其三个子行）＝（七）总计。
    原因：“（七）总计”即各项办理结果之和；不符说明漏计或多计了某项结果。
    示例：予以公开7＋本机关不掌握7＋……＝22，总计填23。
    依据：年度报告格式（表格自身的勾稽关系：“（七）总计”为各项办理结果之和）。
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
    """表三某一行各类申请人之和与“总计”列不符。

    说明：每一行：自然人＋商业企业＋科研机构＋社会公益组织＋法律服务机构＋其他＝总计。
    原因：“总计”即各类申请人之和。
    示例：予以公开一行为27、0、0、2、0、1，和为30，总计填31。
    依据：年度报告格式（表格自身的勾稽关系：“总计”列为各类申请人之和）。
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
    """表四某一组之和与该组“总计”不符。

    说明：行政复议、行政诉讼（未经复议直接起诉）、行政诉讼（复议后起诉）三组，每组：结果维持＋结果纠正＋其他结果＋尚未审结＝总计。
    原因：每一案件只处于这四种状态之一。
    示例：行政复议结果维持1、结果纠正1，总计填1。
    依据：年度报告格式（表格自身的勾稽关系：各组“总计”为结果维持、结果纠正、其他结果、尚未审结之和）。
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
