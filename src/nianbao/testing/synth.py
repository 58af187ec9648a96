"""Synthetic annual reports: plausible cell values rendered as realistic report documents.

Used by the round-trip tests (render → ``nianbao.parse`` → the same values) and by the scale
benchmark (``bench/bench_ingest.py``). Everything is deterministic for a given
:class:`random.Random` state / seed.

Values
    ``random_values(rng, template, *, previous=None, scale=None) -> {cell key: value}`` gives a
    value for every key of :func:`nianbao.spec.all_keys` that satisfies the template's arithmetic
    A1–A4 (counts are ``int``; money is yuan: ``int`` when whole, else ``float``; ``None`` is a
    blank cell). ``previous`` (the same body's values of the year before) chains 上年结转 to last
    year's 结转下年度 (A5) and, for two 2021 reports, 现行有效件数 to last year's.

    ``plant_defects(rng, values, template, *, kinds=None) -> (values, planted)`` breaks an
    arithmetic relation (A101–A104) or blanks a zero cell (C101) and returns the rule codes that
    must fire (computed from the new values with :func:`arithmetic_findings`).

Documents
    ``render_text(values, *, agency, year, template, rng, shape=None) -> str`` — a plain-text
    report in one of the two shapes of the seeds: ``"cells"`` (one cell per tab-led line, rows
    separated by blank lines, like seeds/000) or ``"rows"`` (one row per line, tab-separated
    cells, like seeds/004 but with every cell present).
    ``encode_text(text, encoding) -> bytes``.

    ``render_html(values, *, agency, year, template, rng, charset="utf-8") -> str`` — a web page
    with portal chrome (header, nav, breadcrumb, metadata box, footer) around the article; the
    three tables use the official rowspan/colspan layout with cells wrapped in ``<p><span>``
    as in real pages. ``charset`` is declared in a ``<meta>``; ``encode_html(html, charset)``
    turns the page into bytes in that encoding (``"gbk"``/``"gb2312"``/``"gb18030"``/``"utf-8"``).

Corpus
    ``write_corpus(out_dir, n, *, seed=0, formats=("text", "html"), defect_rate=0.1)`` writes n
    documents of varied bodies, years 2019–2024 (several consecutive years per body) and returns
    the manifest (also written to ``out_dir/manifest.json``).
"""
from __future__ import annotations

import html as _html
import json
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

from .. import spec

__all__ = [
    "template_for_year", "random_values", "plant_defects", "arithmetic_findings", "render_text",
    "render_html", "encode_text", "encode_html", "render_document", "write_corpus", "TEXT_SHAPES",
    "HTML_CHARSETS", "DEFECT_KINDS", "random_body",
]

TEXT_SHAPES = ("cells", "rows")
HTML_CHARSETS = ("utf-8", "gbk", "gb2312")
DEFECT_KINDS = ("A101", "A102", "A103", "A104", "C101")
YEARS = tuple(range(2019, 2025))

_APP6 = spec.APPLICANT_COLUMNS[:6]


def template_for_year(year: int) -> str:
    """The template a report of ``year`` uses: ≤ 2020 → ``"2019"``, else ``"2021"``."""
    return "2019" if year <= 2020 else "2021"


def _outcome_rows(template: str) -> list:
    if template == "2019":
        return [k for k in spec.OUTCOME_ROWS if not k.startswith("other_")]
    return [k for k in spec.OUTCOME_ROWS if k != "other"]


# ================================================================================== values

_APP_WEIGHT = {"natural_person": 1.0, "commercial": 0.25, "research": 0.02, "social_welfare": 0.03,
               "legal_service": 0.08, "other_org": 0.1}
_APP_ZERO = {"natural_person": 0.35, "commercial": 0.6, "research": 0.95, "social_welfare": 0.93,
             "legal_service": 0.85, "other_org": 0.8}
_OUTCOME_WEIGHT = {
    "granted": 40, "partially_granted": 6, "withheld_state_secret": 0.3, "withheld_law_prohibited": 0.8,
    "withheld_security_stability": 0.3, "withheld_third_party": 1.5, "withheld_internal_affairs": 1.5,
    "withheld_process_info": 2, "withheld_enforcement_file": 1, "withheld_admin_query": 1.5,
    "unavailable_not_held": 20, "unavailable_needs_creation": 4, "unavailable_unclear": 2,
    "not_processed_complaint": 3, "not_processed_duplicate": 3, "not_processed_publication": 0.5,
    "not_processed_excessive": 0.5, "not_processed_confirmation": 1, "other": 6,
    "other_no_correction": 3, "other_no_fee": 0.2, "other_other": 3,
}
# size of a body: township, county department, county government, city department, city government
_SCALES = ((0.3, 30), (1.5, 35), (5.0, 15), (8.0, 12), (40.0, 8))


def _scale(rng: random.Random) -> float:
    return rng.choices([s for s, _ in _SCALES], [w for _, w in _SCALES])[0]


def _count(rng: random.Random, mean: float, zero: float = 0.5) -> int:
    """Mostly small counts, many zeros, occasionally a large one."""
    if mean <= 0 or rng.random() < zero:
        return 0
    if rng.random() < 0.015:
        mean *= 40
    return 1 + int(rng.expovariate(1.0 / max(mean, 0.2)))


def _money(d: Decimal):
    """Yuan as the parser gives it: ``int`` when whole, else ``float``."""
    return int(d) if d == d.to_integral_value() else float(d)


def _spread(rng: random.Random, n: int, weights: dict) -> Counter:
    keys = list(weights)
    return Counter(rng.choices(keys, [weights[k] for k in keys], k=n)) if n else Counter()


def random_values(rng: random.Random, template: str, *, previous: dict | None = None,
                  scale: float | None = None) -> dict:
    """A value for every key of ``spec.all_keys(template)`` satisfying A1–A4.

    ``previous``: the same body's values of the year before (either template): this year's
    上年结转 is last year's 结转下年度 (A5) and, when both are 2021, 现行有效件数 continues
    (现行有效 = last year's + 制发 − 废止). ``scale``: size of the body (≈ mean applications).
    """
    if template not in spec.TABLES:
        raise ValueError(f"unknown template {template!r}")
    scale = _scale(rng) if scale is None else scale
    prev = previous or {}
    v: dict = {}

    # -- table 二
    if template == "2019":
        for r, mean, zero in (("regulations", 0.3, 0.93), ("normative_documents", scale * 0.6, 0.55)):
            made = _count(rng, mean, zero)
            published = made if rng.random() < 0.8 else rng.randint(0, made)
            v[f"active.{r}.made"] = made
            v[f"active.{r}.published"] = published
            v[f"active.{r}.total_published"] = published + _count(rng, mean * 4 + 1, 0.5 if made else 0.8)
        for r, mean in (("licensing", scale * 6), ("other_services", scale * 3), ("penalty", scale * 10),
                        ("coercion", scale * 2)):
            previous_n = _count(rng, max(mean / 4, 1), 0.45)
            v[f"active.{r}.previous"] = previous_n
            v[f"active.{r}.change"] = 0 if rng.random() < 0.6 else rng.randint(-min(previous_n, 5), 6)
            v[f"active.{r}.decisions"] = _count(rng, mean, 0.4)
        fees = _count(rng, 3, 0.6)
        v["active.fees.previous"] = fees
        v["active.fees.change"] = 0 if rng.random() < 0.75 else rng.randint(-min(fees, 2), 2)
        projects = _count(rng, scale, 0.5)
        v["active.procurement.projects"] = projects
        amount = 0
        for _ in range(projects):
            amount += rng.randint(50, 30000) * 100 if rng.random() < 0.6 else rng.randint(3000, 3000000)
        v["active.procurement.amount_yuan"] = amount
    else:
        for r, mean, zero in (("regulations", 0.3, 0.93), ("normative_documents", scale * 0.6, 0.55)):
            issued = _count(rng, mean, zero)
            before = prev.get(f"active.{r}.in_force") if f"active.{r}.issued" in prev else None
            if before is None:
                base = _count(rng, mean * 5 + 1, 0.4 if issued else 0.7)
                repealed = rng.randint(0, base) if base and rng.random() < 0.3 else 0
                in_force = base + issued - repealed
            else:
                repealed = rng.randint(0, before) if before and rng.random() < 0.3 else 0
                in_force = before + issued - repealed
            v[f"active.{r}.issued"] = issued
            v[f"active.{r}.repealed"] = repealed
            v[f"active.{r}.in_force"] = in_force
        for r, mean in (("licensing", scale * 6), ("penalty", scale * 10), ("coercion", scale * 2)):
            v[f"active.{r}.decisions"] = _count(rng, mean, 0.4)
        if rng.random() < 0.7:
            fee = 0
        else:  # 万元 with 2, 4 or 6 decimals
            places = rng.choice((2, 2, 4, 6))
            fee = _money(Decimal(rng.randint(1, 9_999_999 if places == 6 else 999_999)) / (10 ** places) * 10000)
        v["active.fees.amount_yuan"] = fee

    # -- table 三
    weights = {k: _OUTCOME_WEIGHT[k] * rng.uniform(0.3, 1.7) for k in _outcome_rows(template)}
    rows = ["new_requests", "carried_over"] + list(weights) + ["total", "carried_forward"]
    app = {r: {} for r in rows}
    for c in _APP6:
        new = _count(rng, scale * _APP_WEIGHT[c] * 2, _APP_ZERO[c])
        key = f"applications.carried_forward.{c}"
        carried = prev[key] if key in prev and prev[key] is not None else (
            0 if previous is not None or rng.random() < 0.85 else _count(rng, scale * 0.1 + 1, 0.0))
        avail = new + carried
        fwd = rng.randint(0, max(1, avail // 5)) if avail and rng.random() < 0.25 else 0
        fwd = min(fwd, avail)
        handled = avail - fwd
        split = _spread(rng, handled, weights)
        app["new_requests"][c] = new
        app["carried_over"][c] = carried
        app["carried_forward"][c] = fwd
        app["total"][c] = handled
        for r in weights:
            app[r][c] = split.get(r, 0)
    for r in rows:
        app[r]["total"] = sum(app[r][c] for c in _APP6)
        for c in spec.APPLICANT_COLUMNS:
            v[f"applications.{r}.{c}"] = app[r][c]

    # -- table 四
    for g, mean, zero in (("review", scale * 0.15, 0.75), ("suit_direct", scale * 0.08, 0.85),
                          ("suit_after_review", scale * 0.04, 0.9)):
        parts = [_count(rng, mean, zero) for _ in range(4)]
        if rng.random() < 0.6:
            parts[1] = parts[1] // 3  # 纠正 is rare
        for col, n in zip(spec.REVIEW_COLUMNS, parts + [sum(parts)]):
            v[f"review_litigation.{g}.{col}"] = n

    return {k: v[k] for k in spec.all_keys(template)}


def _n(x) -> float:
    return 0 if x is None else x


def arithmetic_findings(values: dict, template: str) -> set:
    """The arithmetic rule codes (A101–A104) that ``values`` break: an independent statement of
    the template's A1–A4 (blank counts as 0)."""
    out = set()
    outcome = _outcome_rows(template)
    for c in spec.APPLICANT_COLUMNS:
        def g(r):
            return _n(values.get(f"applications.{r}.{c}"))
        if g("new_requests") + g("carried_over") != g("total") + g("carried_forward"):
            out.add("A101")
        if sum(g(r) for r in outcome) != g("total"):
            out.add("A102")
    for r in ["new_requests", "carried_over", *outcome, "total", "carried_forward"]:
        if _n(values.get(f"applications.{r}.total")) != sum(_n(values.get(f"applications.{r}.{c}")) for c in _APP6):
            if values.get(f"applications.{r}.total") is not None:
                out.add("A103")
    for grp in spec.REVIEW_GROUPS:
        if _n(values.get(f"review_litigation.{grp}.total")) != sum(
                _n(values.get(f"review_litigation.{grp}.{c}")) for c in spec.REVIEW_COLUMNS[:4]):
            out.add("A104")
    return out


def plant_defects(rng: random.Random, values: dict, template: str, *, kinds=None) -> tuple:
    """Break the arithmetic or blank a cell. Returns ``(new values, planted rule codes)``.

    ``kinds``: the defects to plant (subset of :data:`DEFECT_KINDS`); default one at random,
    sometimes two. A101: 本年新收 of an applicant column and its 总计 raised (A1 fails);
    A102: an outcome cell and its row's 总计 raised (A2 fails); A103: a row's 总计 column made
    different from the sum of its applicant columns (A3 fails, A1/A2 kept); A104: a review group's
    总计 changed; C101: a zero cell left blank (the arithmetic is unchanged). ``planted`` lists the
    rule codes that must fire, sorted.
    """
    v = dict(values)
    if kinds is None:
        kinds = [rng.choice(DEFECT_KINDS)]
        if rng.random() < 0.2:
            kinds.append(rng.choice([k for k in DEFECT_KINDS if k != kinds[0]]))
    kinds = sorted(kinds, key=lambda k: k == "C101")  # blank last: a later change could refill it
    outcome = _outcome_rows(template)
    for kind in kinds:
        d = rng.choice((1, 1, 1, 2, 3, 10))
        if kind == "A101":
            c = rng.choice(_APP6)
            v[f"applications.new_requests.{c}"] = _n(v[f"applications.new_requests.{c}"]) + d
            v["applications.new_requests.total"] = _n(v["applications.new_requests.total"]) + d
        elif kind == "A102":
            r, c = rng.choice(outcome), rng.choice(_APP6)
            v[f"applications.{r}.{c}"] = _n(v[f"applications.{r}.{c}"]) + d
            v[f"applications.{r}.total"] = _n(v[f"applications.{r}.total"]) + d
        elif kind == "A103":
            r1 = rng.choice(outcome)
            donors = [r for r in outcome if r != r1 and _n(v[f"applications.{r}.total"]) >= 1]
            if donors:  # move d between two rows' 总计: column sums (A1, A2) unchanged
                r2 = rng.choice(donors)
                d = min(d, v[f"applications.{r2}.total"])
                v[f"applications.{r1}.total"] = _n(v[f"applications.{r1}.total"]) + d
                v[f"applications.{r2}.total"] -= d
            else:  # raise the 总计 column of 新收, （七）总计 and one outcome: A1, A2 still hold
                for r in ("new_requests", "total", r1):
                    v[f"applications.{r}.total"] = _n(v[f"applications.{r}.total"]) + d
        elif kind == "A104":
            grp = rng.choice(spec.REVIEW_GROUPS)
            key = f"review_litigation.{grp}.total"
            v[key] = _n(v[key]) - d if _n(v[key]) >= d and rng.random() < 0.5 else _n(v[key]) + d
        elif kind == "C101":
            zeros = [k for k, x in v.items() if x == 0 and x is not None]
            if zeros:
                v[rng.choice(zeros)] = None
        else:
            raise ValueError(f"unknown defect kind {kind!r}")
    blanked = any(x is None and values.get(k) is not None for k, x in v.items())
    planted = arithmetic_findings(v, template) | ({"C101"} if blanked else set())
    return v, sorted(planted)


# ================================================================================== cells

_BLANK_MARKS = ("/", "—", "无", "-", "／")
_FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def _wan(yuan) -> Decimal:
    return (Decimal(str(yuan)) / 10000).normalize()


def _fmt_decimal(d: Decimal, lo: int, hi: int, rng: random.Random) -> str:
    """``d`` with between ``lo`` and ``hi`` decimals (at least as many as it needs)."""
    need = max(0, -d.as_tuple().exponent)
    places = max(need, rng.randint(lo, max(lo, min(hi, need + 1))))
    return f"{d:.{places}f}"


class _Style:
    """Per-document rendering choices that affect cell text."""

    def __init__(self, rng: random.Random, *, blank_mark: bool):
        self.rng = rng
        self.blank = rng.choice(_BLANK_MARKS) if blank_mark or rng.random() < 0.3 else ""
        self.thousands = rng.random() < 0.1
        self.zero_money_unit = rng.random() < 0.3
        self.money_wan = rng.random()  # share of 2019 procurement amounts written in 万元
        self.fullwidth = rng.random() < 0.05  # digits typed full-width (０１２)

    def cell(self, key: str, value, template: str) -> str:
        text = self._cell(key, value, template)
        return text.translate(_FULLWIDTH) if self.fullwidth else text

    def _cell(self, key: str, value, template: str) -> str:
        if value is None:
            return self.blank
        col = spec.column_of(key, template)
        if not col.money:
            return f"{value:,}" if self.thousands and value >= 1000 else str(value)
        rng = self.rng
        if col.unit == 10000:  # 2021 fee column: 万元 from the header
            if value == 0:
                return rng.choice(("0", "0", "0.00"))
            return _fmt_decimal(_wan(value), 2, 6, rng)
        if value == 0:  # 2019 procurement amount: unit in the cell
            return "0元" if self.zero_money_unit else "0"
        if value % 100 == 0 and rng.random() < self.money_wan:
            return _fmt_decimal(_wan(value), 0, 2, rng) + "万元"
        if self.thousands and value >= 10000:
            return f"{value:,}元"
        return f"{value}元"


# ================================================================================== table layouts
# A table is a list of rows; a row a list of cells (kind, text or key, colspan, rowspan).
# kind: "h" header label, "l" row label, "v" value (text is the cell key).

def _c(kind, text, cs=1, rs=1):
    return (kind, text, cs, rs)


_ART = ("第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项")


def _active_layout(template: str) -> list:
    t = "active"
    if template == "2019":
        def row3(r, label):
            cols = [c.key for c in spec.ACTIVE_2019.row(r).columns]
            return [_c("l", label)] + [_c("v", f"{t}.{r}.{k}") for k in cols]
        items = [_c("h", "信息内容"), _c("h", "上一年项目数量"), _c("h", "本年增/减"), _c("h", "处理决定数量")]
        return [
            [_c("h", _ART[0], 4)],
            [_c("h", "信息内容"), _c("h", "本年新制作数量"), _c("h", "本年新公开数量"), _c("h", "对外公开总数量")],
            row3("regulations", "规章"), row3("normative_documents", "规范性文件"),
            [_c("h", _ART[1], 4)], list(items),
            row3("licensing", "行政许可"), row3("other_services", "其他对外管理服务事项"),
            [_c("h", _ART[2], 4)], list(items),
            row3("penalty", "行政处罚"), row3("coercion", "行政强制"),
            [_c("h", _ART[3], 4)],
            [_c("h", "信息内容"), _c("h", "上一年项目数量"), _c("h", "本年增/减", 2)],
            [_c("l", "行政事业性收费"), _c("v", f"{t}.fees.previous"), _c("v", f"{t}.fees.change", 2)],
            [_c("h", _ART[4], 4)],
            [_c("h", "信息内容"), _c("h", "采购项目数量"), _c("h", "采购总金额", 2)],
            [_c("l", "政府集中采购"), _c("v", f"{t}.procurement.projects"),
             _c("v", f"{t}.procurement.amount_yuan", 2)],
        ]
    dec = [_c("h", "信息内容"), _c("h", "本年处理决定数量", 3)]
    return [
        [_c("h", _ART[0], 4)],
        [_c("h", "信息内容"), _c("h", "本年制发件数"), _c("h", "本年废止件数"), _c("h", "现行有效件数")],
        [_c("l", "规章")] + [_c("v", f"{t}.regulations.{k}") for k in ("issued", "repealed", "in_force")],
        [_c("l", "行政规范性文件")] + [_c("v", f"{t}.normative_documents.{k}")
                                   for k in ("issued", "repealed", "in_force")],
        [_c("h", _ART[1], 4)], list(dec),
        [_c("l", "行政许可"), _c("v", f"{t}.licensing.decisions", 3)],
        [_c("h", _ART[2], 4)], list(dec),
        [_c("l", "行政处罚"), _c("v", f"{t}.penalty.decisions", 3)],
        [_c("l", "行政强制"), _c("v", f"{t}.coercion.decisions", 3)],
        [_c("h", _ART[3], 4)],
        [_c("h", "信息内容"), _c("h", "本年收费金额（单位：万元）", 3)],
        [_c("l", "行政事业性收费"), _c("v", f"{t}.fees.amount_yuan", 3)],
    ]


_WITHHELD = (("withheld_state_secret", "1.属于国家秘密"), ("withheld_law_prohibited", "2.其他法律行政法规禁止公开"),
             ("withheld_security_stability", "3.危及“三安全一稳定”"), ("withheld_third_party", "4.保护第三方合法权益"),
             ("withheld_internal_affairs", "5.属于三类内部事务信息"), ("withheld_process_info", "6.属于四类过程性信息"),
             ("withheld_enforcement_file", "7.属于行政执法案卷"), ("withheld_admin_query", "8.属于行政查询事项"))
_UNAVAILABLE = (("unavailable_not_held", "1.本机关不掌握相关政府信息"),
                ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
                ("unavailable_unclear", "3.补正后申请内容仍不明确"))
_NOT_PROCESSED = (("not_processed_complaint", "1.信访举报投诉类申请"), ("not_processed_duplicate", "2.重复申请"),
                  ("not_processed_publication", "3.要求提供公开出版物"),
                  ("not_processed_excessive", "4.无正当理由大量反复申请"),
                  ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"))
_OTHER_2021 = (("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
               ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
               ("other_other", "3.其他"))
_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _applications_layout(template: str) -> list:
    def vals(r):
        return [_c("v", f"applications.{r}.{c}") for c in spec.APPLICANT_COLUMNS]

    def group(title, items):
        out = []
        for i, (r, label) in enumerate(items):
            out.append(([_c("l", title, 1, len(items))] if i == 0 else []) + [_c("l", label)] + vals(r))
        return out

    body = [
        [_c("l", "（一）予以公开", 2)] + vals("granted"),
        [_c("l", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2)] + vals("partially_granted"),
        *group("（三）不予公开", _WITHHELD),
        *group("（四）无法提供", _UNAVAILABLE),
        *group("（五）不予处理", _NOT_PROCESSED),
        *([[_c("l", "（六）其他处理", 2)] + vals("other")] if template == "2019" else group("（六）其他处理", _OTHER_2021)),
        [_c("l", "（七）总计", 2)] + vals("total"),
    ]
    body[0] = [_c("l", "三、本年度办理结果", 1, len(body))] + body[0]
    return [
        [_c("h", _NOTE, 3, 3), _c("h", "申请人情况", 7)],
        [_c("h", "自然人", 1, 2), _c("h", "法人或其他组织", 5), _c("h", "总计", 1, 2)],
        [_c("h", "商业企业"), _c("h", "科研机构"), _c("h", "社会公益组织"), _c("h", "法律服务机构"), _c("h", "其他")],
        [_c("l", "一、本年新收政府信息公开申请数量", 3)] + vals("new_requests"),
        [_c("l", "二、上年结转政府信息公开申请数量", 3)] + vals("carried_over"),
        *body,
        [_c("l", "四、结转下年度继续办理", 3)] + vals("carried_forward"),
    ]


def _review_layout() -> list:
    sub = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [_c("h", "行政复议", 5), _c("h", "行政诉讼", 10)],
        [_c("h", s, 1, 2) for s in sub] + [_c("h", "未经复议直接起诉", 5), _c("h", "复议后起诉", 5)],
        [_c("h", s) for s in sub * 2],
        [_c("v", f"review_litigation.{g}.{c}") for g in spec.REVIEW_GROUPS for c in spec.REVIEW_COLUMNS],
    ]


def _layouts(template: str) -> dict:
    return {2: _active_layout(template), 3: _applications_layout(template), 4: _review_layout()}


def _slots(layout: list) -> list:
    """Each row as grid slots: real cells, and ``None`` where a rowspan from above covers it."""
    covered: dict = {}
    out = []
    for r, row in enumerate(layout):
        taken = covered.pop(r, set())
        slots = []
        col = 0
        for cell in row:
            while col in taken:
                slots.append(None)
                col += 1
            slots.append(cell)
            _, _, cs, rs = cell
            for rr in range(r + 1, r + rs):
                covered.setdefault(rr, set()).update(range(col, col + cs))
            col += cs
        while col in taken:
            slots.append(None)
            col += 1
        out.append(slots)
    return out


# ================================================================================== narrative

_SELF = (("街道办事处", "我街道"), ("镇人民政府", "我镇"), ("乡人民政府", "我乡"), ("区人民政府", "我区"),
         ("市人民政府", "我市"), ("县人民政府", "我县"), ("人民政府办公室", "我办"), ("委员会", "我委"),
         ("局", "我局"), ("办公室", "我办"))


def _self_name(agency: str) -> str:
    for suffix, name in _SELF:
        if agency.endswith(suffix):
            return name
    return "本机关"


_ACTIVE_SENTENCES = (
    "{y}年，{s}坚持以公开为常态、不公开为例外，通过政府门户网站主动公开各类政府信息{k}条。",
    "全年在政府信息公开专栏发布政策文件、工作动态、通知公告等信息{k}条，其中政策解读{j}条。",
    "{s}严格落实政府信息公开审查制度，全年主动公开政府信息{k}条，做到应公开尽公开。",
    "围绕群众关注的重点领域，及时公开财政预决算、重大建设项目、民生实事等信息{k}条。",
    "通过政务新媒体同步发布各类信息{j}条，进一步扩大了政府信息的覆盖面和影响力。",
    "持续做好政策解读工作，采用图文、问答等形式解读政策文件{j}篇，提升政策知晓度。",
)
_MANAGEMENT = (
    "严格执行“先审查、后公开”和“一事一审”制度，明确信息发布的审核程序，确保公开信息准确规范。",
    "定期对已公开的政府信息进行清理，及时更新过期信息，保证公开内容的时效性。",
    "建立健全政府信息公开属性源头认定机制，在公文办理环节同步明确公开属性。",
    "组织开展保密审查培训，进一步提高工作人员的保密意识和业务水平。",
    "规范政府信息公开指南和目录，动态调整主动公开基本目录。",
)
_PLATFORM = (
    "持续加强政府网站信息公开专栏建设，优化栏目设置，方便公众查阅。",
    "依托政务服务大厅设置政府信息查阅点，为群众提供便捷的查询服务。",
    "加强政务新媒体规范管理，做到信息发布及时准确、互动回应规范有效。",
    "完善政务公开栏，在村（社区）醒目位置及时张贴公开事项。",
)
_OVERSIGHT = (
    "将政务公开工作纳入年度目标考核，定期开展自查，发现问题及时整改。",
    "主动接受社会公众、新闻媒体的监督，畅通意见反馈渠道。",
    "{y}年度未发生因政府信息公开工作不到位而被责任追究的情况。",
    "组织工作人员参加政务公开业务培训，提升依法公开的能力。",
)
_PROBLEMS = (
    "政策解读的形式还比较单一，图解、视频等多元化解读偏少，解读的针对性和可读性有待增强。",
    "部分栏目信息更新不够及时，个别栏目存在内容空白或长期未更新的情况。",
    "工作人员业务能力有待提高，对《条例》的理解还不够深入，公开意识需要进一步增强。",
    "公开内容与群众需求的契合度不高，重点领域信息公开的深度和广度仍有不足。",
    "信息公开的主动性还需增强，部分业务科室存在重办理、轻公开的现象。",
    "政务新媒体互动功能发挥不够充分，对公众关切的回应还不够及时。",
    "依申请公开答复文书的规范性有待加强，办理流程还需进一步细化。",
    "基层政务公开标准化规范化建设推进不够平衡，公开平台的集约化水平有待提升。",
    "政务公开工作人员调整较为频繁，业务衔接不够顺畅，影响了工作的连续性。",
    "信息发布审核把关还不够严格，个别信息存在格式不规范、要素不齐全的问题。",
)
_IMPROVEMENTS = (
    "加强业务培训，组织工作人员系统学习《条例》及相关规定，提高依法公开的能力和水平。",
    "丰富政策解读形式，综合运用图解、音视频、在线访谈等方式，增强解读效果。",
    "进一步完善工作机制，明确栏目责任人，强化栏目日常维护，确保信息更新及时准确。",
    "健全依申请公开办理流程，规范答复文书格式，严格落实法定时限，提升依法答复水平。",
    "加强对基层政务公开工作的指导，推动公开向基层延伸，更好满足群众需求。",
    "围绕群众关注的热点问题，及时发布权威信息，积极回应社会关切。",
    "严格落实信息发布审核制度，加强保密审查，确保公开信息准确规范。",
    "加大政务新媒体建设力度，完善互动交流功能，提升政务服务的便捷性。",
    "将政务公开工作纳入年度考核，定期通报工作情况，推动各项任务落到实处。",
    "加强与上级部门的沟通联系，学习借鉴先进经验，不断提升政务公开工作质量。",
)
_SIXTH_2019 = (
    "本年度无其他需要报告的事项。",
    "{s}本年度没有其他需要报告的事项。",
    "无。",
    "{y}年度，{s}未收取政府信息公开相关费用，无其他需要报告的事项。",
)
_FEE_SENTENCES = (
    "{y}年度，{s}未收取信息处理费。",
    "本年度{s}未发生收取信息处理费的情况，也未发出收费通知。",
    "根据《政府信息公开信息处理费管理办法》，{s}本年度未向申请人收取信息处理费。",
    "{y}年{s}发出收费通知的件数和总金额以及实际收取的总金额均为0。",
)
_SIXTH_MORE = (
    "{s}进一步规范政府信息公开申请的受理、登记、办理和答复流程，各环节均有记录可查。",
    "本年度{s}未发生因政府信息公开引发的重大舆情。",
    "{s}按要求完成了政府信息公开指南和主动公开目录的更新工作。",
    "全年组织政务公开专题培训{j}次，参训人员{k}人次。",
    "{s}对照政务公开标准目录，对已公开信息进行了全面梳理和动态更新。",
)
_KEYPOINTS = (
    "认真落实上年度政务公开工作要点，各项任务均已按时完成。",
    "{s}将上年度政务公开工作要点分解为具体任务，明确责任科室和完成时限，逐项推进落实。",
    "上年度政务公开工作要点确定的重点任务已全部完成，重点领域信息公开质量稳步提升。",
    "对照上年度政务公开工作要点逐项抓好落实，重点领域信息公开进一步深化。",
    "按照上级政务公开工作要点部署，细化任务分工，确保各项工作落到实处。",
)
_PROPOSALS = (
    "本年度承办人大代表建议{a}件、政协提案{b}件，办理结果均已按规定公开。",
    "{s}本年度承办的人大代表建议和政协提案办理结果已在政府网站公开。",
    "本年度{s}未承办人大代表建议和政协提案。",
)


def _num(values, key) -> int:
    v = values.get(key)
    return 0 if v is None else int(v)


def _narrative(values: dict, agency: str, year: int, template: str, rng: random.Random) -> dict:
    """Paragraphs of parts 1, 5 and 6 (part 1 with its five subsections)."""
    s = _self_name(agency)
    fmt = {"y": year, "s": s, "a": rng.randint(1, 12), "b": rng.randint(1, 9)}

    def pick(pool, k):
        return [p.format(k=rng.randint(20, 900), j=rng.randint(2, 40), **fmt) for p in rng.sample(pool, k)]

    new = _num(values, "applications.new_requests.total")
    carried = _num(values, "applications.carried_over.total")
    handled = _num(values, "applications.total.total")
    fwd = _num(values, "applications.carried_forward.total")
    review = _num(values, "review_litigation.review.total")
    suits = _num(values, "review_litigation.suit_direct.total") + _num(values, "review_litigation.suit_after_review.total")
    if new == 0 and carried == 0:
        apply = [rng.choice((f"{year}年，{s}未收到政府信息公开申请。",
                             f"{year}年度，{s}共收到政府信息公开申请0件。"))]
    else:
        first = rng.choice((f"{year}年，{s}共收到政府信息公开申请{new}件",
                            f"全年共受理政府信息公开申请{new}件",
                            f"本年度{s}新收政府信息公开申请{new}件"))
        parts = [first]
        if carried:
            parts.append(f"上年结转{carried}件")
        parts.append(f"已全部按照法定时限办结{handled}件" if not fwd else f"办结{handled}件")
        if fwd:
            parts.append(f"另有{fwd}件结转下年度继续办理")
        apply = ["，".join(parts) + "。"]
    if review == 0 and suits == 0:
        apply.append(rng.choice(("全年未发生因政府信息公开引起的行政复议、行政诉讼案件。",
                                 f"{s}本年度未发生政府信息公开行政复议和行政诉讼。")))
    else:
        apply.append(f"全年发生政府信息公开行政复议{review}件，行政诉讼{suits}件。")
    part1 = [
        rng.choice((f"{year}年，{s}深入贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作，现将有关情况报告如下。",
                    f"{year}年，在上级政务公开部门的指导下，{s}认真落实政务公开各项工作要求，政府信息公开工作取得新进展。",
                    f"{year}年度，{s}坚持以人民为中心的发展思想，持续深化政务公开，不断提升政府工作透明度。")),
        rng.choice(("（一）主动公开", "（一）主动公开政府信息情况")), *pick(_ACTIVE_SENTENCES, 2),
        rng.choice(("（二）依申请公开", "（二）依申请公开政府信息情况")), *apply,
        rng.choice(("（三）政府信息管理", "（三）加强政府信息管理")), *pick(_MANAGEMENT, 2),
        rng.choice(("（四）平台建设", "（四）政府信息公开平台建设")), *pick(_PLATFORM, 2),
        rng.choice(("（五）监督保障", "（五）强化监督保障")), *pick(_OVERSIGHT, 2),
    ]
    numbered = rng.random() < 0.5

    def listing(pool, k):
        items = pick(pool, k)
        if numbered:
            return ["；".join(f"{'一二三四'[i]}是{t.rstrip('。')}" for i, t in enumerate(items)) + "。"]
        return items

    part5 = [rng.choice(("（一）存在的主要问题", "（一）存在问题")), *listing(_PROBLEMS, rng.randint(2, 3)),
             rng.choice(("（二）改进情况", "（二）改进措施")), *listing(_IMPROVEMENTS, rng.randint(2, 3))]
    if template == "2019":
        part6 = pick(_SIXTH_2019, 1) if rng.random() < 0.6 else pick(_SIXTH_MORE, 2)
    else:
        part6 = pick(_FEE_SENTENCES, 1) + pick(_KEYPOINTS, 1) + pick(_PROPOSALS, 1)
        if rng.random() < 0.5:
            part6 += pick(_SIXTH_MORE, 1)
    return {1: part1, 5: part5, 6: part6}


def _title(agency: str, year: int, rng: random.Random) -> str:
    return rng.choice((f"{agency}{year}年政府信息公开工作年度报告", f"{agency}{year}年度政府信息公开工作年度报告",
                       f"{agency}{year}年政府信息公开年度报告", f"{agency}关于{year}年政府信息公开工作年度报告"))


_INTRO = ("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和有关规定编制。"
          "报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
          "如对本报告有疑问，请与{a}联系。")


# ================================================================================== text

def _text_table_cells(layout: list, values: dict, template: str, style: _Style) -> list:
    """seeds/000 shape: every cell on its own line led by a tab; rows separated by blank lines."""
    lines = []
    for slots in _slots(layout):
        is_header = all(s is None or s[0] == "h" for s in slots)
        for j, slot in enumerate(slots):
            if slot is None:
                if is_header or any(s is not None for s in slots[j:]):
                    lines.append("\t")
                continue
            kind, text, _, _ = slot
            lines.append("\t" + (style.cell(text, values[text], template) if kind == "v" else text))
        lines.append("")
    lines.append("")
    return lines


def _text_table_rows(layout: list, values: dict, template: str, style: _Style, rng: random.Random) -> list:
    """seeds/004 shape: one row per line, cells separated by tabs (every cell present)."""
    pad = rng.random() < 0.5  # PDF exports leave an empty field for each spanned column
    lines = []
    for slots in _slots(layout):
        fields = []
        for slot in slots:
            if slot is None:
                fields.append("")
                continue
            kind, text, cs, _ = slot
            fields.append(style.cell(text, values[text], template) if kind == "v" else text)
            if pad:
                fields.extend([""] * (cs - 1))
        if len(fields) == 1:
            fields.append("")
        lines.append("\t".join(fields))
    lines.append("")
    return lines


_HEADINGS = {n: f"{'一二三四五六'[n - 1]}、{t}" for n, t in
             ((1, "总体情况"), (2, "主动公开政府信息情况"), (3, "收到和处理政府信息公开申请情况"),
              (4, "政府信息公开行政复议、行政诉讼情况"), (5, "存在的主要问题及改进情况"), (6, "其他需要报告的事项"))}


def render_text(values: dict, *, agency: str, year: int, template: str, rng: random.Random,
                shape: str | None = None) -> str:
    """The report as plain text (a Word/PDF conversion). ``shape``: ``"cells"`` or ``"rows"``."""
    shape = shape or rng.choice(TEXT_SHAPES)
    if shape not in TEXT_SHAPES:
        raise ValueError(f"unknown text shape {shape!r}")
    style = _Style(rng, blank_mark=shape == "rows")
    narrative = _narrative(values, agency, year, template, rng)
    layouts = _layouts(template)
    indent = rng.choice(("", "", "　　"))
    gap = shape == "rows"  # seeds/004 separates paragraphs by empty lines, seeds/000 does not
    out: list = []

    def para(text):
        out.append(indent + text)
        if gap:
            out.append("")

    if rng.random() < 0.15:
        para(agency + rng.choice(("便函", "文件")))
    if rng.random() < 0.1:
        para(agency)
        para(f"{year}年政府信息公开工作年度报告")
    else:
        para(_title(agency, year, rng))
    if rng.random() < 0.5:
        para(_INTRO.format(y=year, a=agency))
    for n in range(1, 7):
        para(_HEADINGS[n])
        if n in narrative:
            for p in narrative[n]:
                para(p)
        else:
            lines = (_text_table_cells(layouts[n], values, template, style) if shape == "cells"
                     else _text_table_rows(layouts[n], values, template, style, rng))
            out.extend(lines)
    if rng.random() < 0.7:
        out.append("")
        para(agency)
        para(f"{year + 1}年{rng.randint(1, 2)}月{rng.randint(1, 28)}日")
    newline = "\r\n" if rng.random() < 0.2 else "\n"  # Windows conversions
    return newline.join(out) + newline


def encode_text(text: str, encoding: str = "utf-8") -> bytes:
    """Bytes of a text report: ``"utf-8"``, ``"utf-8-sig"`` (with BOM) or ``"gbk"``/``"gb18030"``."""
    return text.encode(encoding)


# ================================================================================== HTML

_FONTS = ("仿宋_GB2312", "宋体", "微软雅黑", "方正仿宋_GBK")
_SITE_NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进{p}", "数据开放")


def _split_spans(text: str, rng: random.Random, n: int) -> list:
    """Cut CJK text into up to ``n`` pieces at random points (never inside a digit run)."""
    if n <= 1 or len(text) < 4:
        return [text]
    cuts = sorted(rng.sample(range(1, len(text)), min(n - 1, len(text) - 1)))
    pieces, last = [], 0
    for c in cuts:
        if text[c - 1].isdigit() and text[c].isdigit() or text[c - 1].isascii() and text[c].isascii():
            continue
        pieces.append(text[last:c])
        last = c
    pieces.append(text[last:])
    return [p for p in pieces if p]


class _Html:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.font = rng.choice(_FONTS)
        self.wrap = rng.random() < 0.8  # cells wrapped in <p><span> like Word-made pages
        self.multiline = rng.random() < 0.6  # cell content on its own indented lines
        self.split = rng.random() < 0.5  # labels cut into several spans
        self.nbsp = rng.random() < 0.15  # value cells start with &nbsp;
        self.th = rng.random() < 0.2  # header cells as <th>

    def span(self, text: str) -> str:
        esc = _html.escape(text, quote=False)
        return f'<span style="font-family: {self.font}; font-size: 12pt;">{esc}</span>'

    def para(self, text: str, indent: bool = True) -> str:
        rng = self.rng
        pieces = _split_spans(text, rng, rng.randint(1, 4)) if self.split else [text]
        style = "text-indent: 2em; text-align: justify; line-height: 2;" if indent else "text-align: center;"
        return f'<p style="{style}">' + "".join(self.span(p) for p in pieces) + "</p>"

    def heading(self, text: str) -> str:
        v = self.rng.random()
        if v < 0.4:
            return (f'<p style="text-indent: 2em; line-height: 2;"><span style="font-family: 黑体;">'
                    f'<font face="黑体">{text}</font></span></p>')
        if v < 0.7:
            return f"<p><strong>{text}</strong></p>"
        return f"<h3>{text}</h3>"

    def cell_inner(self, text: str, label: bool) -> str:
        rng = self.rng
        if text == "":
            inner = "&nbsp;" if rng.random() < 0.7 else ""
            return f"<p><span>{inner}</span></p>" if self.wrap else inner
        esc = _html.escape(text, quote=False)
        if not label and self.nbsp:
            esc = "&nbsp;" + esc
        if not self.wrap:
            return esc
        if not label:
            return ('<p style="text-align: center; line-height: 1.5;"><span style="font-family: '
                    f'{self.font}; font-size: 12pt;">{esc}</span><o:p></o:p></p>')
        pieces = _split_spans(text, rng, rng.randint(1, 3)) if self.split else [text]
        sep = "\n      " if (self.multiline and len(pieces) > 1) else ""
        return ('<p style="text-align: center; line-height: 1.5;">'
                + sep.join(self.span(p) for p in pieces) + "<o:p></o:p></p>")

    def table(self, layout: list, values: dict, template: str, style: _Style) -> str:
        widths = {2: 150, 3: 60, 4: 42}
        rows = []
        for row in layout:
            tds = []
            for kind, text, cs, rs in row:
                content = style.cell(text, values[text], template) if kind == "v" else text
                attrs = ""
                if cs > 1:
                    attrs += f' colspan="{cs}"'
                if rs > 1:
                    attrs += f' rowspan="{rs}"'
                attrs += f' width="{widths.get(len(row), 40) * cs}" valign="center"'
                inner = self.cell_inner(content, kind != "v")
                tag = "th" if kind == "h" and self.th else "td"
                if self.multiline:
                    tds.append(f"      <{tag}{attrs}>\n      {inner}\n      </{tag}>")
                else:
                    tds.append(f"<{tag}{attrs}>{inner}</{tag}>")
            rows.append("    <tr>\n" + "\n".join(tds) + "\n    </tr>")
        table = ('<table style="BORDER-COLLAPSE: collapse" cellspacing="0" cellpadding="2" '
                 'bordercolor="#000000" border="1">\n  <tbody>\n' + "\n".join(rows) + "\n  </tbody>\n</table>")
        if self.rng.random() < 0.5:
            table = f'<div align="center">\n{table}\n</div>'
        return table


def _site(agency: str) -> str:
    for mark in ("市", "县", "区"):
        i = agency.find(mark)
        if 0 < i <= 6:
            return agency[: i + 1] + "人民政府"
    return agency


def render_html(values: dict, *, agency: str, year: int, template: str, rng: random.Random,
                charset: str = "utf-8") -> str:
    """The report as a government web page (``charset`` is declared in a ``<meta>``; encode the
    returned string with :func:`encode_html` using the same charset)."""
    h = _Html(rng)
    style = _Style(rng, blank_mark=False)
    narrative = _narrative(values, agency, year, template, rng)
    layouts = _layouts(template)
    title = _title(agency, year, rng)
    site = _site(agency)
    place = site.replace("人民政府", "")
    published = f"{year + 1}-{rng.randint(1, 2):02d}-{rng.randint(1, 28):02d}"
    meta = (f'<meta charset="{charset}">' if rng.random() < 0.5 else
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />')
    nav = "\n".join(f'        <li><a href="/{i}/index.shtml">{t.format(p=place)}</a></li>'
                    for i, t in enumerate(_SITE_NAV))
    body: list = []
    if rng.random() < 0.5:
        body.append(h.para(_INTRO.format(y=year, a=agency)))
    for n in range(1, 7):
        body.append(h.heading(_HEADINGS[n]))
        if n in narrative:
            body.extend(h.para(p) for p in narrative[n])
        else:
            body.append(h.table(layouts[n], values, template, style))
    body.append(h.para(agency, indent=False))
    body.append(h.para(f"{year + 1}年{int(published[5:7])}月{int(published[8:])}日", indent=False))
    index_no = f"{rng.randint(10**8, 10**9 - 1)}/{year + 1}-{rng.randint(1, 99999):05d}"
    site_code = rng.randint(10**9, 10**10 - 1)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{meta}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="SiteName" content="{site}">
<meta name="ArticleTitle" content="{_html.escape(title)}">
<title>{_html.escape(title)}-{site}</title>
<link rel="stylesheet" href="/css/common.css">
<style>
  .article-content p {{ margin: 0; }}
  .table_content td {{ border: 1px solid #ccc; padding: 8px; }}
</style>
<script type="text/javascript">
  var websiteId = "{rng.getrandbits(64):016x}";
  function time() {{ var d = new Date(); document.getElementById("utime").innerHTML = d.getFullYear() + "年"; }}
</script>
</head>
<body>
<!--header start-->
<div class="header">
  <div class="header-t"><span id="utime"></span> <a href="javascript:void(0);">繁體版</a> | <a href="javascript:;">无障碍</a> | <a href="javascript:;">适老化</a></div>
  <div class="logo"><img src="/images/logo.png" alt="{site}"><span class="site-name">{site}</span></div>
  <div class="search"><form action="/search" method="get"><input name="q" type="text" placeholder="请输入关键词"><input type="submit" value="搜索"></form></div>
  <div class="mainNav">
      <ul class="clearfix">
{nav}
      </ul>
  </div>
</div>
<!--header end-->
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/ndbg/">政府信息公开年报</a></div>
<div class="xxgk-main">
  <div class="article-tb">
    <table class="table_content">
      <tbody>
        <tr><td class="c1">索引号</td><td class="c2">{index_no}</td><td class="c1">分类</td><td class="c3">信息公开年报&nbsp;&nbsp;报告</td></tr>
        <tr><td class="c1">发布机构</td><td class="c2">{agency}</td><td class="c1">公开日期</td><td class="c3">{published}</td></tr>
        <tr><td class="c1">文号</td><td class="c2"></td><td class="c1">关键词</td><td class="c3">年度报告</td></tr>
      </tbody>
    </table>
  </div>
  <div class="article">
    <h1 class="article-title">{_html.escape(title)}</h1>
    <div class="article-info">发布时间：{published}&nbsp;&nbsp;来源：{agency}&nbsp;&nbsp;字号：[大 中 小]</div>
    <div class="article-content" id="zoomcon">
{chr(10).join(body)}
    </div>
    <div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
  </div>
</div>
<!--footer start-->
<div class="footer">
  <div class="links"><a href="/sitemap.shtml">网站地图</a> | <a href="/contact.shtml">联系我们</a> | <a href="/privacy.shtml">隐私声明</a></div>
  <p>主办单位：{site}办公室&nbsp;&nbsp;网站标识码：{site_code}</p>
  <p>ICP备案号：ICP备{rng.randint(10**7, 10**8 - 1)}号-1&nbsp;&nbsp;公安机关备案号：{rng.randint(10**13, 10**14 - 1)}号</p>
</div>
<!--footer end-->
<script type="text/javascript">time();</script>
</body>
</html>
"""


_CODECS = {"gbk": "gbk", "gb2312": "gbk", "gb18030": "gb18030", "utf-8": "utf-8", "utf8": "utf-8"}


def encode_html(html: str, charset: str = "utf-8") -> bytes:
    """The page as bytes in ``charset`` (the one its ``<meta>`` declares). GB2312 pages are
    written as GBK, as servers that declare GB2312 do."""
    return html.encode(_CODECS.get(charset.lower(), charset))


# ================================================================================== corpus

_PLACES = ("临川", "安平", "青阳", "永和", "平远", "乐安", "泰和", "宁化", "清河", "武宁", "丰城", "南溪", "长宁",
           "东阿", "新源", "高邑", "广德", "金寨", "石门", "桃源", "宜丰", "瑞安", "桐庐", "崇义", "怀远", "河津",
           "松阳", "江华", "古田", "阳新", "新化", "蒙城", "郎溪", "华容", "灵山", "富平", "嘉禾", "宁远")
_COUNTY = ("县", "县", "区", "市")
_CITIES = ("宁州", "江陵", "临安", "云州", "海州", "丰阳", "安庆", "平江")
_DEPTS = ("发展和改革局", "教育局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源局",
          "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局",
          "卫生健康委员会", "应急管理局", "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "退役军人事务局",
          "审计局", "林业局", "行政审批局", "数据局")
_TOWNS = ("兴隆", "太平", "长安", "新华", "红旗", "白沙", "石桥", "柳林", "东风", "双河", "黄土", "龙泉", "马坊",
          "清水", "高桥", "三合", "大桥", "新塘", "官庄", "李集", "张店", "王家", "杨柳", "古城")


def random_body(rng: random.Random) -> tuple:
    """(agency, scale) of a random body."""
    county = rng.choice(_PLACES) + rng.choice(_COUNTY)
    kind = rng.random()
    if kind < 0.35:
        return county + rng.choice(_DEPTS), 1.5
    if kind < 0.55:
        return rng.choice(_TOWNS) + rng.choice(("镇", "镇", "乡")) + "人民政府", 0.3
    if kind < 0.65:
        return county + rng.choice(_TOWNS) + "街道办事处", 0.4
    if kind < 0.75:
        return county + rng.choice(("人民政府", "人民政府办公室")), 5.0
    if kind < 0.92:
        return rng.choice(_CITIES) + "市" + rng.choice(_DEPTS), 8.0
    return rng.choice(_CITIES) + "市人民政府", 40.0


def render_document(values: dict, *, agency: str, year: int, template: str, rng: random.Random,
                    fmt: str, shape: str | None = None, encoding: str | None = None) -> tuple:
    """One document as ``(bytes, extension, details)`` (details: shape/charset used)."""
    if fmt == "text":
        shape = shape or rng.choice(TEXT_SHAPES)
        encoding = encoding or rng.choices(("utf-8", "utf-8-sig", "gbk"), (80, 10, 10))[0]
        text = render_text(values, agency=agency, year=year, template=template, rng=rng, shape=shape)
        return encode_text(text, encoding), ".txt", {"shape": shape, "encoding": encoding}
    if fmt == "html":
        encoding = encoding or rng.choices(HTML_CHARSETS, (70, 20, 10))[0]
        page = render_html(values, agency=agency, year=year, template=template, rng=rng, charset=encoding)
        return encode_html(page, encoding), ".html", {"encoding": encoding}
    raise ValueError(f"unknown format {fmt!r}")


def write_corpus(out_dir, n: int, *, seed: int = 0, formats=("text", "html"), defect_rate: float = 0.1) -> list:
    """Write ``n`` synthetic reports into ``out_dir`` and return the manifest.

    Bodies are drawn from lists of places and departments; each body reports for a run of
    consecutive years within 2019–2024 (so cross-year rules have pairs), its 上年结转 chained to
    the year before. About ``defect_rate`` of the documents get planted defects. Each manifest
    entry: ``file`` (path), ``name``, ``format``, ``agency``, ``year``, ``template``, ``values``
    (what a correct parse returns), ``planted`` (rule codes that must fire), ``shape``/``encoding``.
    The manifest is also written to ``out_dir/manifest.json``. Deterministic for ``seed``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    plan = []
    seen = set()
    while len(plan) < n:
        agency, scale = random_body(rng)
        if agency in seen:
            continue
        seen.add(agency)
        span = rng.choice((2, 2, 3, 3, 4, 5, 6))
        start = rng.randint(YEARS[0], YEARS[-1] - span + 1)
        for year in range(start, start + span):
            plan.append((agency, scale, year))
    plan = plan[:n]
    manifest = []
    clean_by_body: dict = {}
    for i, (agency, scale, year) in enumerate(plan):
        doc_rng = random.Random(seed * 1_000_003 + i)
        template = template_for_year(year)
        previous = clean_by_body.get((agency, year - 1))
        values = random_values(doc_rng, template, previous=previous, scale=scale * doc_rng.uniform(0.5, 2.0))
        clean_by_body[(agency, year)] = values
        planted: list = []
        if doc_rng.random() < defect_rate:
            values, planted = plant_defects(doc_rng, values, template)
        fmt = doc_rng.choice(tuple(formats))
        data, ext, details = render_document(values, agency=agency, year=year, template=template, rng=doc_rng, fmt=fmt)
        name = f"{i:06d}-{year}{ext}"
        path = out / name
        path.write_bytes(data)
        manifest.append({"file": str(path), "name": name, "format": fmt, "agency": agency, "year": year,
                         "template": template, "values": values, "planted": planted, **details})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return manifest
