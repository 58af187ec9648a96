"""The two official templates (2019, 2021) as data: tables, rows, columns, label patterns.

Cell keys are ``table.row.column`` (see ``shared/spec/report-format.md``). Row label patterns are
regular expressions matched against the *end* of a normalised label run (whitespace removed,
full-width punctuation and digits made ASCII, quotes dropped): the row label is the last thing
written before the row's numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

TEMPLATES = ("2019", "2021")

PART_NUMERALS = "一二三四五六"


def part_numeral(n: int) -> str:
    """一 … 六 for the parts 1 … 6."""
    return PART_NUMERALS[n - 1]


APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service",
                     "other_org", "total")
APPLICANT_COLUMN_LABELS = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
                           "social_welfare": "社会公益组织", "legal_service": "法律服务机构",
                           "other_org": "其他", "total": "总计"}
REVIEW_GROUPS = ("review", "suit_direct", "suit_after_review")
REVIEW_GROUP_LABELS = {"review": "行政复议", "suit_direct": "行政诉讼（未经复议直接起诉）",
                       "suit_after_review": "行政诉讼（复议后起诉）"}
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_COLUMN_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
                        "pending": "尚未审结", "total": "总计"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    money: bool = False  # value normalised to yuan
    unit: int = 1  # multiplier for a bare number when the header states no unit (万元 → 10000)
    signed: bool = False  # may be negative (本年增/减)
    unit_printed: bool = False  # the template's own header states the money unit (2021: 单位：万元)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    pattern: str  # regex matched at the end of the normalised label run
    columns: tuple  # tuple[Column]

    @property
    def regex(self):
        return _compiled(self.pattern)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    part: int  # the part (1..6) that holds it
    rows: tuple  # tuple[Row]
    single_row: bool = False  # review_litigation: fifteen numbers in one row, no row label

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    @property
    def name(self) -> str:
        """The table's name as reports print it: 二、主动公开政府信息情况."""
        return f"{part_numeral(self.part)}、{self.title}"

    def row_keys(self, row: Row) -> list:
        """The cell keys of one row, in column order: ``table.row.column``."""
        return [f"{self.key}.{row.key}.{c.key}" for c in row.columns]

    @cached_property
    def any_row_regex(self):
        """One regex matching the end of any row label of this table."""
        return re.compile("|".join(f"(?:{r.pattern})" for r in self.rows))

    def keys(self):
        for r in self.rows:
            yield from self.row_keys(r)


_CACHE: dict = {}


def _compiled(pattern: str):
    rx = _CACHE.get(pattern)
    if rx is None:
        rx = _CACHE[pattern] = re.compile(pattern)
    return rx


def _cols(*specs) -> tuple:
    return tuple(Column(*s) if isinstance(s, tuple) else s for s in specs)


_MADE = _cols(("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_published", "对外公开总数量"))
_ITEMS = _cols(("previous", "上一年项目数量"), ("change", "本年增/减", False, 1, True), ("decisions", "处理决定数量"))
_ISSUED = _cols(("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
_DECISIONS = _cols(("decisions", "本年处理决定数量"))

ACTIVE_2019 = Table("active", "主动公开政府信息情况", 2, (
    Row("regulations", "规章", r"规章$", _MADE),
    Row("normative_documents", "规范性文件", r"规范性文件(\([^()]*\))?$", _MADE),
    Row("licensing", "行政许可", r"行政许可$", _ITEMS),
    Row("other_services", "其他对外管理服务事项", r"其他对外管理服务事项$", _ITEMS),
    Row("penalty", "行政处罚", r"行政处罚$", _ITEMS),
    Row("coercion", "行政强制", r"行政强制$", _ITEMS),
    Row("fees", "行政事业性收费", r"行政事业性收费$", _ITEMS[:2]),
    Row("procurement", "政府集中采购", r"政府集中采购$",
        _cols(("projects", "采购项目数量"), ("amount_yuan", "采购总金额", True, 1))),
))

ACTIVE_2021 = Table("active", "主动公开政府信息情况", 2, (
    Row("regulations", "规章", r"规章$", _ISSUED),
    Row("normative_documents", "行政规范性文件", r"规范性文件(\([^()]*\))?$", _ISSUED),
    Row("licensing", "行政许可", r"行政许可$", _DECISIONS),
    Row("penalty", "行政处罚", r"行政处罚$", _DECISIONS),
    Row("coercion", "行政强制", r"行政强制$", _DECISIONS),
    Row("fees", "行政事业性收费", r"行政事业性收费$",
        _cols(("amount_yuan", "本年收费金额（单位：万元）", True, 10000, False, True))),
))

_APP = _cols(*[(k, APPLICANT_COLUMN_LABELS[k]) for k in APPLICANT_COLUMNS])


def _app_rows(template: str) -> tuple:
    rows = [
        ("new_requests", "一、本年新收政府信息公开申请数量", r"新收[^()]*申请数量$"),
        ("carried_over", "二、上年结转政府信息公开申请数量", r"上年结转[^()]*申请数量$"),
        ("granted", "（一）予以公开", r"予以公开$"),
        ("partially_granted", "（二）部分公开", r"部分公开(\(.*\))?$"),
        ("withheld_state_secret", "1.属于国家秘密", r"国家秘密$"),
        ("withheld_law_prohibited", "2.其他法律行政法规禁止公开", r"禁止公开$"),
        ("withheld_security_stability", "3.危及“三安全一稳定”", r"三安全一稳定$"),
        ("withheld_third_party", "4.保护第三方合法权益", r"第三方合法权益$"),
        ("withheld_internal_affairs", "5.属于三类内部事务信息", r"内部事务信息$"),
        ("withheld_process_info", "6.属于四类过程性信息", r"过程性信息$"),
        ("withheld_enforcement_file", "7.属于行政执法案卷", r"行政执法案卷$"),
        ("withheld_admin_query", "8.属于行政查询事项", r"行政查询事项$"),
        ("unavailable_not_held", "1.本机关不掌握相关政府信息", r"不掌握相关政府信息$"),
        ("unavailable_needs_creation", "2.没有现成信息需要另行制作", r"另行制作$"),
        ("unavailable_unclear", "3.补正后申请内容仍不明确", r"仍不明确$"),
        ("not_processed_complaint", "1.信访举报投诉类申请", r"信访举报投诉类申请$"),
        ("not_processed_duplicate", "2.重复申请", r"重复申请$"),
        ("not_processed_publication", "3.要求提供公开出版物", r"公开出版物$"),
        ("not_processed_excessive", "4.无正当理由大量反复申请", r"大量反复申请$"),
        ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息", r"已获取信息$"),
        ("other", "（六）其他处理", r"其他处理$"),
    ]
    if template == "2021":
        rows += [
            ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
             r"不补正[^()]*申请$"),
            ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
             r"缴纳费用[^()]*申请$"),
            ("other_other", "3.其他", r"(^|[\d.、)])其他$"),
        ]
    rows += [
        ("total", "（七）总计", r"总计$"),
        ("carried_forward", "四、结转下年度继续办理", r"结转下年度继续办理$"),
    ]
    return tuple(Row(k, label, pat, _APP) for k, label, pat in rows)


APPLICATIONS_2019 = Table("applications", "收到和处理政府信息公开申请情况", 3, _app_rows("2019"))
APPLICATIONS_2021 = Table("applications", "收到和处理政府信息公开申请情况", 3, _app_rows("2021"))

_REV = _cols(*[(k, REVIEW_COLUMN_LABELS[k]) for k in REVIEW_COLUMNS])
REVIEW = Table("review_litigation", "政府信息公开行政复议、行政诉讼情况", 4,
               tuple(Row(g, REVIEW_GROUP_LABELS[g], r"$^", _REV) for g in REVIEW_GROUPS), single_row=True)

TABLES = {
    "2019": (ACTIVE_2019, APPLICATIONS_2019, REVIEW),
    "2021": (ACTIVE_2021, APPLICATIONS_2021, REVIEW),
}

# Outcome rows whose sum is the 总计 row (A2).
OUTCOME_ROWS = tuple(r.key for r in APPLICATIONS_2021.rows
                     if r.key not in ("new_requests", "carried_over", "total", "carried_forward"))

# The 2021 template divides （六）其他处理 into three rows; documents print it divided or not.
OTHER_SUBROWS = ("other_no_correction", "other_no_fee", "other_other")


def table(template: str, key: str) -> Table:
    return next(t for t in TABLES[template] if t.key == key)


def expected_rows(tbl: Table, template: str, present=()) -> list:
    """The rows a document's table must have. For the 2021 applications table （六）其他处理 is
    expected undivided when the document prints it so (``present`` holds the row keys it has)
    and divided otherwise."""
    if tbl.key == "applications" and template == "2021":
        divided = any(k in present for k in OTHER_SUBROWS)
        skip = {"other"} if divided or "other" not in present else set(OTHER_SUBROWS)
        return [r for r in tbl.rows if r.key not in skip]
    return list(tbl.rows)


def all_keys(template: str) -> list:
    """Every cell key of a template, in table order (2021 with the 其他处理 sub-rows)."""
    return [k for t in TABLES[template] for r in expected_rows(t, template) for k in t.row_keys(r)]


# ---------------------------------------------------------------- arithmetic (勾稽关系)

@dataclass(frozen=True)
class Relation:
    """One equation the template states: the sum of ``terms`` equals the sum of ``totals``.

    ``code`` is A1 … A5 (see ``shared/spec/report-format.md``); ``label`` names the column, row
    or group it is about, in Chinese. ``partial``: the terms are rows a document may not print
    (A2's outcome rows: 其他处理 undivided or divided); the sum is over those it has. A5 relates
    two years: its ``terms`` are this year's 上年结转, its ``totals`` last year's 结转下年度.
    """

    code: str
    terms: tuple
    totals: tuple
    label: str
    partial: bool = False

    def applies(self, present) -> bool:
        """Whether the cells it needs are there (``present(key)``)."""
        if self.partial:
            return all(present(k) for k in self.totals) and any(present(k) for k in self.terms)
        return all(present(k) for k in self.terms + self.totals)

    def sides(self, value, present=None) -> tuple:
        """(sum of terms, sum of totals) for ``value(key)``, None counting 0."""
        terms = self.terms if present is None or not self.partial else [k for k in self.terms if present(k)]
        return sum((value(k) or 0) for k in terms), sum((value(k) or 0) for k in self.totals)

    def holds(self, value, present=None) -> bool:
        lhs, rhs = self.sides(value, present)
        return lhs == rhs


def _relations(template: str) -> tuple:
    apps = table(template, "applications")
    out = []
    for c in APPLICANT_COLUMNS:
        label = APPLICANT_COLUMN_LABELS[c]
        out.append(Relation("A1", (f"applications.new_requests.{c}", f"applications.carried_over.{c}"),
                            (f"applications.total.{c}", f"applications.carried_forward.{c}"), label))
    for c in APPLICANT_COLUMNS:
        out.append(Relation("A2", tuple(f"applications.{r}.{c}" for r in OUTCOME_ROWS if any(x.key == r for x in apps.rows)),
                            (f"applications.total.{c}",), APPLICANT_COLUMN_LABELS[c], partial=True))
    for r in apps.rows:
        keys = apps.row_keys(r)
        out.append(Relation("A3", tuple(keys[:6]), (keys[6],), r.label))
    for g in REVIEW_GROUPS:
        keys = REVIEW.row_keys(REVIEW.row(g))
        out.append(Relation("A4", tuple(keys[:4]), (keys[4],), REVIEW_GROUP_LABELS[g]))
    for c in APPLICANT_COLUMNS:
        out.append(Relation("A5", (f"applications.carried_over.{c}",), (f"applications.carried_forward.{c}",),
                            APPLICANT_COLUMN_LABELS[c]))
    return tuple(out)


RELATIONS = {tpl: _relations(tpl) for tpl in TEMPLATES}
_BY_CODE = {(tpl, code): tuple(r for r in rels if r.code == code) for tpl, rels in RELATIONS.items()
            for code in ("A1", "A2", "A3", "A4", "A5")}


def relations(template: str, code: str) -> tuple:
    """The template's relations of one kind (A1 … A5), in table order."""
    return _BY_CODE[(template if template in RELATIONS else "2021", code)]


def label_of(key: str, template: str = "2021") -> str:
    """Chinese label for a cell key, e.g. ``applications.total.natural_person`` → 总计/自然人."""
    tkey, rkey, ckey = key.split(".")
    t = table(template if template in TABLES else "2021", tkey)
    try:
        r = t.row(rkey)
    except StopIteration:
        t = table("2019" if template == "2021" else "2021", tkey)
        r = t.row(rkey)
    c = next(c for c in r.columns if c.key == ckey)
    return f"{r.label}/{c.label}"


def column_of(key: str, template: str = "2021") -> Column:
    """The Column spec of a cell key (either template, whichever has it)."""
    tkey, rkey, ckey = key.split(".")
    for tpl in (template, "2021", "2019"):
        if tpl not in TABLES:
            continue
        t = table(tpl, tkey)
        for r in t.rows:
            if r.key == rkey:
                for c in r.columns:
                    if c.key == ckey:
                        return c
    raise KeyError(key)
