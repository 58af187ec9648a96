"""Figures the report's own text states about table 二 (``制发行政规范性文件69件``,
``行政处罚结果82条``): evidence that narrows digits run together in a table row.

``text_to_statements(text) -> {"row.column": {values}}``. Only a figure right after (or right
before) the row's own words, in the same clause, counts; a clause naming a column word (废止,
现行有效) gives that column, a making verb (制发, 出台, 印发 …) the issuing column.
"""
from __future__ import annotations

import re

from .normalise import fold, to_halfwidth

_ROWS = {"规章": "regulations", "规范性文件": "normative_documents", "行政许可": "licensing",
         "行政处罚": "penalty", "行政强制": "coercion"}
_AFTER = re.compile(r"(?P<kw>规范性文件|规章|行政许可|行政处罚|行政强制)[^。；;，,：:\d]{0,10}?(?P<n>\d+)\s*(?:件|条|项|个|起|宗)")
_BEFORE = re.compile(r"(?P<n>\d+)\s*(?:件|个)(?:行政)?(?P<kw>规范性文件|规章)")
_REPEALED = re.compile(r"废止|失效|宣布失效")
_IN_FORCE = re.compile(r"现行有效")
_MADE = re.compile(r"制发|出台|印发|制定|新制定|发布|新制作")


def text_to_statements(text: str) -> dict:
    """{"row.column": {stated values}} for the rows of table 二 (columns of either template:
    ``issued``/``made`` for a making verb, ``repealed``, ``in_force``, ``decisions``)."""
    t = to_halfwidth(fold(text or ""))
    out: dict = {}
    for rx in (_AFTER, _BEFORE):
        for m in rx.finditer(t):
            row = _ROWS[m.group("kw")]
            lo = max(0, m.start() - 12)  # (a clause start further back does not matter: bounded search)
            clause_start = max(t.rfind(c, lo, m.start()) for c in "。；;，,") + 1
            before = t[max(clause_start, lo): m.start()] + t[m.start(): m.end()]
            if row in ("licensing", "penalty", "coercion"):
                cols = ("decisions",)
            elif _REPEALED.search(before):
                cols = ("repealed",)
            elif _IN_FORCE.search(before):
                cols = ("in_force",)
            elif _MADE.search(before):
                cols = ("issued", "made")
            else:
                continue
            for col in cols:
                out.setdefault(f"{row}.{col}", set()).add(int(m.group("n")))
    # “…规范性文件69件，废止3件，现行有效665件”: the next clauses of the sentence go on with its row
    for m in _FOLLOW.finditer(t):
        lo = max(0, m.start() - 40)  # only the sentence's last 40 characters are read
        sentence = t[max(max(t.rfind(c, lo, m.start()) for c in "。；;") + 1, lo): m.start()]
        last = [k for k in _KEYWORDS.finditer(sentence)]
        if last and _ROWS[last[-1].group(0)] in ("regulations", "normative_documents"):
            col = "repealed" if _REPEALED.search(m.group("col")) else "in_force"
            out.setdefault(f"{_ROWS[last[-1].group(0)]}.{col}", set()).add(int(m.group("n")))
    return out


_KEYWORDS = re.compile("|".join(_ROWS))
_FOLLOW = re.compile(r"[，,、]\s*(?P<col>废止|宣布失效|现行有效)[^。；;，,\d]{0,4}(?P<n>\d+)\s*件")
