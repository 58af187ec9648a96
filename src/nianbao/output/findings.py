"""Findings as a reviewer reads them (presentation only: codes and the finding model stay).

* :func:`place` — where a cell is, in the reviewer's words: 表三, its row and column labels, and
  the position in the source (page, or line), never an internal table index.
* :func:`group_findings` — one group per rule per table, listing its cells (C101 gives one line
  for a table, not one per row); groups that share a cell are shown together (a cluster), and a
  *probable cause* is named only when one single cell is common to every failing relation.
* :func:`status` — 无法读取 / 有错误 / 有警告 / 有提示 / 通过.

The human text of ``check``, the workbook and the correction notice all use these.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .. import spec

SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
SEV_ORDER = {"error": 0, "warning": 1, "info": 2}
TABLE_ORDER = {"active": 0, "applications": 1, "review_litigation": 2}


def table_name(table_key: str) -> str:
    """``applications`` → 表三 (the table's part number, as reviewers call it)."""
    t = spec.table("2021", table_key)
    return f"表{spec.part_numeral(t.part)}"


def table_full_name(table_key: str) -> str:
    t = spec.table("2021", table_key)
    return f"表{spec.part_numeral(t.part)}（{t.title}）"


def source_position(loc) -> str:
    """第3页 / 第107行 — where to look in the source; '' when unknown. An internal table index
    (表1 第2行第3列 of a DOCX or HTML) is never shown."""
    if loc is None:
        return ""
    if getattr(loc, "page", None) is not None:
        return f"第{loc.page}页"
    if getattr(loc, "line", None) is not None:
        return f"第{loc.line}行"
    return ""


def _split_label(key: str, template) -> tuple:
    try:
        label = spec.label_of(key, template or "2021")
    except (KeyError, StopIteration, ValueError):
        return key, ""
    row, _, col = label.rpartition("/")
    return row, col


@dataclass(frozen=True)
class Place:
    key: str
    table: str  # 表三
    row: str  # （一）予以公开
    column: str  # 自然人
    source: str  # 第107行 / 第3页 / ''

    def __str__(self) -> str:
        s = f"{self.table}“{self.row}”行“{self.column}”列"
        return s + (f"（原文{self.source}）" if self.source else "")


def place(key: str, report) -> Place:
    row, col = _split_label(key, report.template if report is not None else None)
    if key.startswith("review_litigation."):  # one row of fifteen: the group is the row
        row = spec.REVIEW_GROUP_LABELS.get(key.split(".")[1], row)
    c = report.cells.get(key) if report is not None else None
    from ..rules.registry import inner_quotes  # labels are shown inside “…”: 3.危及‘三安全一稳定’
    return Place(key, table_name(key.split(".")[0]), inner_quotes(row), inner_quotes(col),
                 source_position(c.loc if c else None))


def describe_cells(keys, report, relation: bool = False) -> str:
    """The cells of one table, compactly: rows with the same columns share one mention; with
    ``relation`` (an arithmetic relation's cells) a column or a whole row is named as such.

    “一、本年新收…”至“四、结转下年度继续办理”共23行的自然人、商业企业…列 / “行政复议”的结果纠正、其他结果
    """
    if not keys:
        return ""
    template = report.template if report is not None else None
    places = [place(k, report) for k in keys]
    if relation and len(places) > 3 and len({p.column for p in places}) == 1 and len({p.table for p in places}) == 1:
        return f"“{places[0].column}”列"  # a column's relation (A1, A2)
    if relation and len(places) > 1 and len({p.row for p in places}) == 1 and len(places) == _row_width(keys[0], template):
        return f"“{places[0].row}”行"  # a whole row (A3, A4)
    by_row: dict = {}
    for k in keys:
        p = place(k, report)
        by_row.setdefault(p.row, []).append(p.column)
    # rows sharing the same set of columns
    by_cols: dict = {}
    for row, cols in by_row.items():
        by_cols.setdefault(tuple(cols), []).append(row)
    parts = []
    for cols, rows in by_cols.items():
        all_cols = _row_width(keys[0], template) == len(cols)
        col_text = "各列" if all_cols and len(cols) > 1 else "、".join(cols) + "列"
        if len(rows) == 1:
            parts.append(f"“{rows[0]}”行{col_text}")
        elif len(rows) <= 3:
            parts.append("、".join(f"“{r}”" for r in rows) + f"行的{col_text}")
        else:
            parts.append(f"“{rows[0]}”至“{rows[-1]}”共{len(rows)}行的{col_text}")
    return "；".join(parts)


def _row_width(key: str, template) -> int:
    try:
        t, r, _ = key.split(".")
        return len(spec.table(template if template in spec.TABLES else "2021", t).row(r).columns)
    except (KeyError, StopIteration, ValueError):
        return 0


def source_span(keys, report, loc=None) -> str:
    """第107—349行 / 第3—4页 / 第10行: where in the source a group's cells are."""
    pages, lines = set(), set()
    locs = [report.cells[k].loc for k in keys if report is not None and k in report.cells] + ([loc] if loc else [])
    for lc in locs:
        if lc is None:
            continue
        if lc.page is not None:
            pages.add(lc.page)
        elif lc.line is not None:
            lines.add(lc.line)
    if pages:
        lo, hi = min(pages), max(pages)
        return f"第{lo}页" if lo == hi else f"第{lo}—{hi}页"
    if lines:
        lo, hi = min(lines), max(lines)
        return f"第{lo}行" if lo == hi else f"第{lo}—{hi}行"
    return ""


def finding_table(f) -> Optional[str]:
    """The table key a finding is about (from its cells), or None (the document as a whole)."""
    tables = {k.split(".")[0] for k in f.keys}
    return tables.pop() if len(tables) == 1 else None


@dataclass
class Group:
    """The findings of one rule in one table (or in the document as a whole)."""
    code: str
    title: str
    severity: str
    table: Optional[str]  # table key, None: the document
    findings: list = field(default_factory=list)

    @property
    def keys(self) -> list:
        return list(dict.fromkeys(k for f in self.findings for k in f.keys))

    @property
    def ids(self) -> list:
        return [finding_id(f) for f in self.findings]

    def where(self) -> str:
        return table_name(self.table) if self.table else "全文"

    def summary(self, report) -> str:
        """One line: the rule's findings in this table, with their cells."""
        fs = self.findings
        if self.code == "C101":
            return (f"{len(self.keys)}个单元格空白，应填数字（没有发生的填0）：{describe_cells(self.keys, report)}")
        if len(fs) == 1:
            return _strip_table(fs[0].message, self.table)
        return f"{self.title}，共{len(fs)}处：" + "；".join(_strip_table(f.message, self.table) for f in fs)


def _strip_table(message: str, table) -> str:
    if table:
        name = table_name(table)
        if message.startswith(name):
            return message[len(name):].lstrip("：:")
    return message


@dataclass
class Cluster:
    """Groups shown together because they share a cell; ``cause``: the one cell common to every
    failing relation (A rules), when there is exactly one."""
    groups: list
    cause: Optional[str] = None

    @property
    def table(self):
        return self.groups[0].table


def finding_id(f) -> str:
    """A stable id of a finding within its report (code + cells or message): the key a reviewer's
    dismissal is stored under (see :func:`nianbao.output.notice.notice_document`)."""
    import hashlib
    basis = f.code + "|" + ",".join(f.keys) + "|" + ("" if f.keys else f.message)
    return f"{f.code}-{hashlib.sha1(basis.encode('utf-8')).hexdigest()[:10]}"


def group_findings(findings, report=None) -> list:
    """[Cluster] in reading order: per table (表二, 表三, 表四, then the document), the rules'
    groups, those sharing cells together."""
    groups: dict = {}
    for f in findings:
        t = finding_table(f)
        g = groups.get((f.code, t))
        if g is None:
            from ..rules import RULES
            r = RULES.get(f.code)
            g = groups[(f.code, t)] = Group(f.code, r.title if r else f.code, f.severity, t)
        g.findings.append(f)
        if SEV_ORDER[f.severity] < SEV_ORDER[g.severity]:
            g.severity = f.severity
    ordered = sorted(groups.values(), key=lambda g: (TABLE_ORDER.get(g.table, 9), SEV_ORDER[g.severity], g.code))
    # union groups of one table that share a cell
    parent = list(range(len(ordered)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    owner: dict = {}
    for i, g in enumerate(ordered):
        for k in g.keys:
            if k in owner:
                parent[find(i)] = find(owner[k])
            else:
                owner[k] = i
    clusters: dict = {}
    for i, g in enumerate(ordered):
        clusters.setdefault(find(i), []).append(g)
    out = [Cluster(gs, _cause(gs)) for _, gs in sorted(clusters.items())]
    return out


def _cause(groups) -> Optional[str]:
    """The single cell common to every failing relation (A findings, at least two)."""
    relations = [set(f.keys) for g in groups if g.code.startswith("A") for f in g.findings]
    if len(relations) < 2:
        return None
    common = set.intersection(*relations)
    return next(iter(common)) if len(common) == 1 else None


def status(audited) -> str:
    """无法读取 / 有错误 / 有警告 / 有提示 / 通过 — a report with warnings is never 通过."""
    if audited.report is None or audited.error is not None or getattr(audited, "unreadable", False):
        return "无法读取"
    for sev, word in (("error", "有错误"), ("warning", "有警告"), ("info", "有提示")):
        if audited.count(sev):
            return word
    return "通过"


def identity(report) -> str:
    """淮安市人民政府 2024年度 — or what could not be found (未识别机关名称 / 未识别年度)."""
    agency = report.agency or "（未能识别机关名称）"
    year = f"{report.year}年度" if report.year else "（未能识别年度）"
    return f"{agency} {year}"


_ERRNO_ZH = {2: "文件不存在", 13: "没有读取权限", 21: "这是一个文件夹，不是文件", 20: "路径中有一段不是文件夹",
             40: "符号链接层数过多", 36: "文件名过长", 5: "读取时发生输入输出错误", 24: "同时打开的文件过多"}
_STRERROR_ZH = {"No such file or directory": 2, "Permission denied": 13, "Is a directory": 21,
                "Not a directory": 20, "Too many levels of symbolic links": 40, "File name too long": 36,
                "Input/output error": 5, "Too many open files": 24}


def oserror_zh(e) -> str:
    """An operating-system error in Chinese (never ``No such file or directory``)."""
    import re as _re
    errno = getattr(e, "errno", None)
    if errno is None:
        text = str(e)
        m = _re.search(r"\[Errno (\d+)\]", text)
        errno = int(m.group(1)) if m else next((n for s, n in _STRERROR_ZH.items() if s in text), None)
    return _ERRNO_ZH.get(errno, "操作系统拒绝读取")


def error_zh(e) -> str:
    """An :class:`~nianbao.errors.InputError` as a reviewer reads it: Chinese only, no Python."""
    code = getattr(e, "code", None)
    params = getattr(e, "params", {}) or {}
    if code == "cannot-open":
        return f"无法打开文件：{oserror_zh(params.get('error') or params.get('reason') or e.zh)}"
    if code == "internal-error":
        return "解析程序内部错误，未能读取；已记录，请将该文件反馈给维护人员"
    if code == "worker-crashed":
        return "读取该文件的进程异常退出，已跳过此文件"
    if code in ("zip-bomb", "too-deep"):
        from ..rules.zh import INPUT_DOCS
        return INPUT_DOCS[code].rstrip("。")
    return e.zh
