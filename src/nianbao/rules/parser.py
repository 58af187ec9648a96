"""Parser diagnostics surface as findings (family P), so one report lists everything."""
from __future__ import annotations

from ..model.codes import CODES
from .registry import hit, inner_quotes, rule
from .zh import p_doc

# parser diagnostics that a structure or cell rule already reports to the reviewer, in its words
COVERED_BY = {"P101": "S101", "P201": "S102", "P202": "S103", "P207": "C105"}


def _register(code: str, name: str, severity: str, doc: str):
    def func(report, previous):
        for d in report.diagnostics:
            if d.code == code:
                yield hit(d.keys, d.loc, severity=d.severity, text=diagnostic_message(d),
                          expected=None, actual=d.candidates or None)
    func.__doc__ = p_doc(code)
    func.__name__ = f"parser_{code}"
    rule(code, name, severity, "{text}", covered_by=COVERED_BY.get(code))(func)


def diagnostic_message(d) -> str:
    """The diagnostic's Chinese message, quoted values inside it with ‘…’ (never “…“…””)."""
    if d.code == "P206" and d.params and d.candidates:
        return _p206(d)
    if d.code == "P001":
        return "PDF 是扫描件，没有文字层，无法读取（暂不支持文字识别）"
    try:
        text = CODES[d.code].render({k: inner_quotes(v) for k, v in (d.params or {}).items()})
    except (KeyError, IndexError, ValueError):
        return d.message
    if d.code == "P214" and d.candidates:  # the reading one digit away that the arithmetic asks for
        text += "；使勾稽关系成立的读法：" + "；".join("／".join(str(v) for v in c) for c in d.candidates) + "，请对照扫描件核实"
    return text


def _p206(d) -> str:
    """P206 with its candidate readings; the count it states is the count it lists (or says how
    many it leaves out)."""
    from .. import spec
    p = d.params
    shown = ["／".join(str(v) for v in c) for c in d.candidates]
    n = max(int(p.get("n") or 0), len(shown))
    cols = []
    for k in d.keys:
        try:
            cols.append(spec.label_of(k).rpartition("/")[2])
        except (KeyError, StopIteration, ValueError):
            cols.append(k)
    head = (f"“{inner_quotes(p.get('row'))}”的数字连在一起（“{p.get('raw')}”），有{n}种拆分都可能，"
            "勾稽关系无法确定哪一种正确，未予采用，请对照原文核实")
    order = f"（按{'／'.join(cols)}）" if cols and len(cols) == len(d.candidates[0]) else ""
    if len(shown) == n:
        return f"{head}。{n}种读法{order}：{'；'.join(shown)}"
    return f"{head}。其中{len(shown)}种读法{order}：{'；'.join(shown)}（另有{n - len(shown)}种未列出）"


for _code, _entry in CODES.items():
    if _entry.status == "active":
        _register(_code, _entry.name, _entry.severity, _entry.doc)
