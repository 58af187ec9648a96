"""Token stream of a table region → keyed cells (with certainty) and diagnostics.

Pipeline: ``tokens_to_groups`` (label run + the values after it) → ``groups_to_reads`` (match
each group to the next template row by its label) → ``read_to_candidates`` (the ways the row's
values can be read: one, or several when digits ran together) → ``solve`` (the template's own
arithmetic A1–A4 narrows the candidates) → ``reads_to_cells``.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple, Optional

from .. import config, spec
from ..model import CellValue
from ..model.codes import diag
from .normalise import ValueError_, is_blank, normalise_label, parse_number
from .tokens import Token



@dataclass
class Group:
    labels: list
    values: list

    @cached_property
    def label_text(self) -> str:
        return normalise_label("".join(t.text for t in self.labels))

    @property
    def loc(self):
        t = (self.labels or self.values)[0]
        return t.cell.loc


class Piece(NamedTuple):
    raw: str
    value: object
    loc: object


@dataclass
class Read:
    """One template row (or, for review_litigation, the whole fifteen-cell row) as read."""

    keys: list  # full cell keys, one per column
    columns: list  # spec.Column per key
    label: str  # Chinese label for messages
    group: Optional[Group]
    candidates: list = field(default_factory=list)  # list[tuple[Piece]]
    split: bool = False  # candidates come from cutting fused digits
    problems: list = field(default_factory=list)  # Diagnostics
    raw: str = ""
    unit_stated: bool = True  # a money column's unit was written in its header


def significant_tokens(tokens: list, table: Optional[spec.Table] = None) -> list:
    """Drop blank tokens that are layout, not cells.

    A blank is a cell when its row block holds a number, or when the block's label is one of
    ``table``'s rows (an all-blank data row: “行政强制 | 无”) and the blank follows it. Blanks before a
    block's first label (rowspan placeholders, empty header corners) and blanks of header rows
    (labels that are no template row) are layout.
    """
    labels: dict = {}
    has_num = set()
    for t in tokens:
        if t.kind == "label":
            labels.setdefault(t.block, []).append(t.text)
        elif t.kind == "num":
            has_num.add(t.block)
    rx = table.any_row_regex if table is not None else None
    row_block = {b for b, texts in labels.items()
                 if rx is not None and b not in has_num and rx.search(normalise_label("".join(texts)))}
    out = []
    seen_label = set()
    for t in tokens:
        if t.kind == "label":
            seen_label.add(t.block)
        elif t.kind == "blank" and t.block in labels and (
                t.block not in seen_label or (t.block not in has_num and t.block not in row_block)):
            continue
        out.append(t)
    return out


# Where each table begins, whatever the part heading before it says: its own header words.
SIGNATURES = {
    2: re.compile(r"信息内容|第二十条第\(一\)项|本年制发件数|本年新制作数量"),
    3: re.compile(r"申请人情况|法人或其他组织|本年新收[^()]*申请数量"),
    4: re.compile(r"尚未审结|结果维持|结果纠正|复议后起诉|未经复议直接起诉"),
}


def _signature_at(tokens: list, part: int, start: int = 0) -> Optional[int]:
    rx = SIGNATURES[part]
    for i in range(start, len(tokens)):
        t = tokens[i]
        if t.kind == "label" and rx.search(normalise_label(t.text)):
            return i
    return None


def region_tokens(tokens: list, part: int, found_parts: set) -> list:
    """Tokens where the table of ``part`` lies: its part's, or when that heading is missing, the
    part before it from the table's own header on. A region ends where the header of a later
    table begins (its heading may be missing too)."""
    if part in found_parts:
        sel = [t for t in tokens if t.part == part]
    else:
        prev = max((q for q in found_parts if q < part), default=0)
        sel = [t for t in tokens if t.part == prev]
        start = _signature_at(sel, part)
        if start is None:
            return []
        sel = sel[start:]
    for later in range(part + 1, 5):
        if later in found_parts:
            break
        end = _signature_at(sel, later, 1)
        if end is not None:
            sel = sel[:end]
            break
    if any(t.in_row for t in sel):
        sel = [t for t in sel if t.in_row]
    return sel


def tokens_to_groups(tokens: list) -> list:
    groups: list = []
    labels: list = []
    values: list = []
    for t in tokens:
        if t.kind == "label":
            if values:
                groups.append(Group(labels, values))
                labels, values = [], []
            labels.append(t)
        else:
            values.append(t)
    if labels or values:
        groups.append(Group(labels, values))
    return groups


def groups_to_reads(table: spec.Table, groups: list, template: str):
    """Match groups to the table's rows in order. Returns (reads by row key, unplaced groups).

    A label wrapped around its row's numbers (text layouts of PDFs print the numbers on the
    middle line: “（二）部分公开（区分处理的，只计这一情” / numbers / “形，不计其他情形）”) is
    matched together with the continuation that starts the next label run.
    """
    rows = list(table.rows)
    reads: dict = {}
    unplaced = []  # (group, the read of the row just before it, if adjacent)
    previous = None
    nxt = 0
    for i, g in enumerate(groups):
        has_num = any(v.kind == "num" for v in g.values)
        last = len(rows) if has_num else min(nxt + 1, len(rows))
        texts = [g.label_text]
        if has_num and i + 1 < len(groups):
            cont = _CONTINUATION.match(groups[i + 1].label_text).group(0)
            if cont:
                texts.append(texts[0] + cont)
        j = _match_row(rows, nxt, last, texts)
        if j is None:
            if has_num and reads:
                # numbers right after a row may be that row's, cut off (a number wrapped in its
                # cell, a fragment of its label between) — not when a label of their own says
                # what they are (a note line after the table: “…发布总数量：3”)
                adjacent = previous is not None and groups[i - 1] is previous.group
                own_label = len(g.label_text) > _FRAGMENT
                unplaced.append((g, previous if adjacent and not own_label else None))
            continue
        r = rows[j]
        previous = reads[r.key] = Read(table.row_keys(r), list(r.columns),
                                       r.label.lstrip("一二三四五六七八九（）()、.0123456789"), g)
        nxt = j + 1
    return reads, unplaced


# longest label text that may be a fragment of the row label before it (a wrapped label's tail)
_FRAGMENT = 8

# the start of a label run up to the next row numbering: “(三)”, “2.”, “四、”
_CONTINUATION = re.compile(r"[^(\d一二三四五六七八九]*(?:\))?")


def _match_row(rows, start: int, stop: int, texts: list):
    for text in texts:
        for j in range(start, stop):
            if rows[j].regex.search(text):
                return j
    return None


def structure_fit(table: spec.Table, tokens: list) -> int:
    """How well a region's rows fit ``table``'s columns: +1 for each matched row whose values
    up to its trailing empty cells are as many as the template's columns, 0 when the trailing
    empty cells make up the difference, −1 otherwise (rows whose digits ran together say
    nothing)."""
    groups = tokens_to_groups(significant_tokens(tokens, table))
    reads, _ = groups_to_reads(table, groups, "")
    fit = 0
    for read in reads.values():
        vals = read.group.values
        if any(v.fused and (" " in v.text or len(v.text) > 1) for v in vals):
            continue
        n, core = len(read.columns), len(vals)
        while core and vals[core - 1].kind == "blank":
            core -= 1  # trailing empty cells may be padding or blank cells
        fit += 1 if core == n else (0 if core < n <= len(vals) else -1)
    return fit


def single_row_read(table: spec.Table, groups: list) -> Optional[Read]:
    """review_litigation: every value of the region, in order, is one of the fifteen cells."""
    values = [v for g in groups for v in g.values]
    if not any(v.kind == "num" for v in values):
        return None
    keys = list(table.keys())
    cols = [c for r in table.rows for c in r.columns]
    return Read(keys, cols, "行政复议、行政诉讼", Group([], values))


# ---------------------------------------------------------------- candidates

@lru_cache(maxsize=4096)
def _chunk_splits(chunk: str, base: int, lo: int, hi: int, cap: int) -> tuple:
    """All ways to cut a digit chunk (no spaces) into lo..hi pieces: lists of (text, offset).

    Cuts fall between two digits; fractional digits and a unit suffix stay with the last piece;
    a piece may not start with 0 unless it is 0 (or 0.x).
    """
    dot = chunk.find(".")
    limit = dot if dot >= 0 else len(chunk)
    while limit > 0 and not chunk[limit - 1].isdigit():
        limit -= 1
    out: list = []

    def rec(start: int, acc: list):
        if len(out) > cap or len(acc) + (limit - start) + 1 < lo:
            return  # too few digits left to make lo pieces
        pieces = len(acc) + 1
        if lo <= pieces <= hi and _valid_piece(chunk[start:]):
            out.append(acc + [(chunk[start:], base + start)])
        if pieces >= hi or limit - start < 2:
            return
        if chunk[start] == "0":  # a leading 0 is a cell of its own
            rec(start + 1, acc + [("0", base + start)])
            return
        for cut in range(start + 1, limit):
            rec(cut, acc + [(chunk[start:cut], base + start)])

    rec(0, [])
    return tuple(out)


def _valid_piece(p: str) -> bool:
    return bool(p) and p[0].isdigit() and not (len(p) > 1 and p[0] == "0" and p[1].isdigit())


def _token_splits(tok: Token, lo: int, hi: int, cap: int):
    """Piece lists (lo..hi pieces) for one fused value token; spaces are certain cell boundaries."""
    chunks = []
    i = 0
    for part in tok.text.split(" "):
        if part:
            chunks.append((part, i))
        i += len(part) + 1
    if len(chunks) > hi:
        return []
    results = [[]]
    for n, (chunk, off) in enumerate(chunks):
        rest = len(chunks) - n - 1  # chunks after this one need at least one piece each
        nxt = []
        for acc in results:
            c_lo = max(1, lo - len(acc) - _max_pieces(chunks[n + 1:]))
            c_hi = hi - len(acc) - rest
            if c_hi < c_lo:
                continue
            for sp in _chunk_splits(chunk, off, c_lo, c_hi, cap):
                nxt.append(acc + sp)
                if len(nxt) > cap:
                    return nxt
        results = nxt
    return [r for r in results if lo <= len(r) <= hi]


def _max_pieces(chunks) -> int:
    return sum(len(c) for c, _ in chunks)


def _piece(tok: Token, text: str, off: Optional[int], col: spec.Column, unit: int):
    value, suffix = parse_number(text, money=col.money, unit=unit, signed=col.signed)
    loc = tok.cell.loc
    char = tok.offset + (off or 0)
    if char:
        loc = _at_char(loc, char)
    return Piece(text, value, loc), suffix


@lru_cache(maxsize=8192)
def _at_char(loc, char: int):
    return loc._replace(char=(loc.char or 0) + char)


def trim_padding(toks: list, n: int) -> list:
    """More value tokens than columns, the extra ones blank: empty cells at the end of the row
    (padding of a copied table) or before its values (an empty sub-label cell) are layout, and
    so are lines of spaces (ghosts) when the row has its count without them."""
    if len(toks) != n and any(t.cell.ghost for t in toks):
        real = [t for t in toks if not t.cell.ghost]
        if len(real) == n or (len(toks) > n and len(real) > n):
            toks = real
    if len(toks) <= n:
        return toks
    end = len(toks)
    while end - 0 > n and toks[end - 1].kind == "blank":
        end -= 1
    start = 0
    while end - start > n and toks[start].kind == "blank":
        start += 1
    return toks[start:end]


def read_to_candidates(read: Read, unit: int, settings: config.Settings = config.DEFAULT) -> None:
    """Fill ``read.candidates`` (and problems) from the group's value tokens."""
    n = len(read.columns)
    toks = trim_padding(read.group.values, n)
    read.raw = " ".join(t.text for t in toks)
    plain = [t for t in toks if not t.fused or " " not in t.text and len(t.text) == 1]
    if len(toks) == n:
        pieces = []
        for tok, col in zip(toks, read.columns):
            try:
                p, _ = _piece(tok, tok.text, None, col, unit)
            except ValueError_ as e:
                read.problems.append(diag("P205", tok.cell.loc, [read.keys[len(pieces)]],
                                          label=read.label, reason=str(e)))
                p = Piece(tok.text, None, tok.cell.loc)
            pieces.append(p)
        read.candidates = [tuple(pieces)]
        return
    if len(toks) > n or len(plain) == len(toks):
        code = "P204" if len(toks) > n else "P203"
        read.problems.append(diag(code, read.group.loc, read.keys, label=read.label, row=read.label,
                                  expected=n, actual=len(toks)))
        return
    # some token holds several cells: enumerate the splits
    per_token = []
    most = [sum(ch.isdigit() for ch in t.text) if t.fused else 1 for t in toks]
    for i, tok in enumerate(toks):
        if not tok.fused:
            per_token.append([[(tok.text, None)]])
            continue
        lo = max(1, n - (sum(most) - most[i]))  # the others give at most their digit counts
        hi = n - (len(toks) - 1)  # and at least one piece each
        per_token.append(_token_splits(tok, lo, hi, settings.max_candidates))
    cands = []
    for combo in itertools.product(*per_token):
        flat = [(tok, text, off) for tok, pieces in zip(toks, combo) for text, off in pieces]
        if len(flat) != n:
            continue
        try:
            cands.append(tuple(_piece(tok, text, off, col, unit)[0]
                               for (tok, text, off), col in zip(flat, read.columns)))
        except ValueError_:
            continue
        if len(cands) > settings.max_candidates:
            break
    read.split = sum(len(t.text.split()) for t in toks) < n  # digits had to be cut, not just spaces
    read.candidates = cands
    if not cands:
        read.problems.append(diag("P203", read.group.loc, read.keys, row=read.label, expected=n,
                                  actual=len(toks)))


# ---------------------------------------------------------------- arithmetic

def _values(read: Read, cand: tuple) -> dict:
    return {k: p.value for k, p in zip(read.keys, cand)}


def relations_hold(relations, values: dict) -> bool:
    """Every relation whose cells ``values`` has holds (:class:`spec.Relation`)."""
    present = values.__contains__
    return all(rel.holds(values.get, present) for rel in relations if rel.applies(present))


def _narrow(read: Read, relations) -> None:
    if len(read.candidates) > 1:
        ok = [c for c in read.candidates if relations_hold(relations, _values(read, c))]
        if ok:
            read.candidates = ok


def solve(table_key: str, reads: dict, template: str, settings: config.Settings = config.DEFAULT) -> None:
    """Narrow split candidates with the template's arithmetic (:data:`spec.RELATIONS`): A3/A4
    within each row, then A1/A2 across the rows of table 三."""
    if table_key == "applications":
        for r in reads.values():
            _narrow(r, [rel for rel in spec.relations(template, "A3") if rel.totals[0] in r.keys])
        multi = [k for k, r in reads.items() if len(r.candidates) > 1]
        if not multi:
            return
        across = spec.relations(template, "A1") + spec.relations(template, "A2")
        fixed = {}
        for r in reads.values():
            if len(r.candidates) == 1:
                fixed.update(_values(r, r.candidates[0]))
        space = 1
        for k in multi:
            space *= len(reads[k].candidates)
        if space > settings.max_combinations:
            return
        options = [[(c, _values(reads[k], c)) for c in reads[k].candidates] for k in multi]
        keep = {k: set() for k in multi}
        for combo in itertools.product(*options):
            values = dict(fixed)
            for _, v in combo:
                values.update(v)
            if relations_hold(across, values):
                for k, (c, _) in zip(multi, combo):
                    keep[k].add(c)
        if all(keep.values()):
            for k in multi:
                reads[k].candidates = [c for c in reads[k].candidates if c in keep[k]]
    elif table_key == "review_litigation":
        for r in reads.values():
            _narrow(r, spec.relations(template, "A4"))


# ---------------------------------------------------------------- cells

def reads_to_cells(table_key: str, reads: dict):
    """Cells and diagnostics from solved reads: a cell all candidates agree on is certain."""
    cells: dict = {}
    diags: list = []
    split_rows = []
    for r in reads.values():
        diags.extend(r.problems)
        if not r.candidates:
            for key in r.keys:
                cells[key] = _uncertain_cell(r)
            continue
        if r.split:
            split_rows.append(r)
        if len(r.candidates) == 1:  # the common case: one reading
            for key, p in zip(r.keys, r.candidates[0]):
                cells[key] = CellValue(p.value, p.raw, p.loc, p.value is not None or is_blank(p.raw))
            continue
        unsure = []
        for i, key in enumerate(r.keys):
            vals = {c[i].value for c in r.candidates}
            first = r.candidates[0][i]
            if len(vals) == 1:
                readable = first.value is not None or is_blank(first.raw)
                cells[key] = CellValue(first.value, first.raw, first.loc, readable)
            else:
                cells[key] = CellValue(None, r.raw, first.loc, False)
                unsure.append(key)
        if unsure:
            shown = [[p.value for p in c] for c in r.candidates[:8]]
            diags.append(diag("P206", r.group.values[0].cell.loc, unsure, shown, row=r.label, raw=r.raw,
                              n=len(r.candidates)))
    certain_split = [r.label for r in split_rows if len(r.candidates) == 1]
    if certain_split:
        loc = split_rows[0].group.values[0].cell.loc
        rows = "、".join(certain_split[:3]) + ("等" if len(certain_split) > 3 else "")
        diags.append(diag("P208", loc, table=spec.table("2021", table_key).name, n=len(certain_split), rows=rows))
    return cells, diags


def _uncertain_cell(r: Read) -> CellValue:
    loc = r.group.values[0].cell.loc if r.group and r.group.values else (r.group.loc if r.group else None)
    return CellValue(None, r.raw, loc, False)



_WAN = ("万元",)
_YUAN = ("(元)", "单位:元", "金额(元", "(单位:元")


def money_unit(group: Group, col: spec.Column, header: str = "") -> tuple:
    """The unit a bare number in a money column takes: from the header text in the row's label
    run, else from the table's header text, else the template's (stated when the template's
    own header prints it). Returns (factor, stated)."""
    for text in (group.label_text, header):
        if any(u in text for u in _WAN):
            return 10000, True
        if any(u in text for u in _YUAN):
            return 1, True
    return col.unit, col.unit_printed


def table_to_cells(table: spec.Table, tokens: list, template: str, settings: config.Settings = config.DEFAULT):
    """Read one table from its region's tokens. Returns (cells, diagnostics, found).

    A table that stops before its last rows (a copy cut off, a page missing) is not found: its
    cells are given as read but uncertain, and P210 says so.
    """
    groups = tokens_to_groups(significant_tokens(tokens, None if table.single_row else table))
    diags: list = []
    name = table.name
    cut_rows: list = []
    if table.single_row:
        read = single_row_read(table, groups)
        if read is None:
            return {}, [diag("P201", None, table=name)], False
        read_to_candidates(read, 1, settings)
        reads = {"all": read}
        most = sum(sum(ch.isdigit() for ch in v.text) if v.fused else 1 for v in read.group.values)
        if most < len(read.keys):  # fewer values than cells, even cutting every digit apart
            cut_rows = [most]
    else:
        reads, unplaced = groups_to_reads(table, groups, template)
        if not reads:
            return {}, [diag("P201", None, table=name)], False
        suspects = []
        for g, before in unplaced:
            diags.append(diag("P209", g.loc, before.keys if before else (), table=name,
                              label="".join(t.text for t in g.labels)[-30:],
                              values=" ".join(v.text for v in g.values)))
            if before is not None:
                suspects.append(before)
        header = normalise_label("".join(t.text for t in tokens if t.kind == "label" and not
                                         table.any_row_regex.search(normalise_label(t.text))))
        for key, read in reads.items():
            unit = 1
            money = [c for c in read.columns if c.money]
            if money:
                unit, stated = money_unit(read.group, money[0], header)
                read.unit_stated = stated
            read_to_candidates(read, unit, settings)
        expected = spec.expected_rows(table, template, reads)
        last = max(groups.index(r.group) for r in reads.values())
        if not any(groups.index(g) > last for g, _ in unplaced):
            # nothing read after the last row found: the rows after it were cut off
            while expected and expected[-1].key not in reads:
                cut_rows.insert(0, expected.pop())
        for r in expected:
            if r.key not in reads:
                diags.append(diag("P202", None, table.row_keys(r),
                                  table=name, row=r.label))
    solve(table.key, reads, template, settings)
    cells, more = reads_to_cells(table.key, reads)
    diags.extend(more)
    if not table.single_row:
        for read in suspects:  # the row may have lost numbers to the unplaced ones: not sure of it
            for key in read.keys:
                if key in cells:
                    cells[key] = CellValue(None, cells[key].raw, cells[key].loc, False)
    # unit assumed for a money cell with a bare, non-zero number
    for key, read in reads.items():
        if read.unit_stated:
            continue
        for k, col in zip(read.keys, read.columns):
            c = cells.get(k)
            if col.money and c is not None and c.value not in (None, 0) and not any(
                    u in c.raw for u in ("元", "万")):
                cells[k] = CellValue(c.value, c.raw, c.loc, False)  # yuan or 万元: not known
                diags.append(diag("P207", c.loc, [k], label=read.label,
                                  unit="万元" if col.unit == 10000 else "元"))
    if cut_rows:
        for k, c in cells.items():
            cells[k] = CellValue(c.value, c.raw, c.loc, False)
        last = next(iter(reversed(reads.values())))
        loc = (last.group.values or last.group.labels)[-1].cell.loc if last.group and (last.group.values or last.group.labels) else None
        diags.append(diag("P210", loc, sorted(cells), table=name,
                          missing="、".join(r.label for r in cut_rows[:3]) + ("等" if len(cut_rows) > 3 else "")
                          if not table.single_row else f"第{cut_rows[0] + 1}个及以后的数值"))
        return cells, diags, False
    return cells, diags, True
