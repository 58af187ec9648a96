"""Token stream of a table region → groups → reads: which template row each run of values is.

``region_tokens`` (where a table lies) → ``significant_tokens`` (layout blanks out) →
``tokens_to_groups`` (a label run + the values after it) → ``groups_to_reads`` (each group
matched to the next template row by its label: the anchors) → ``place_between_anchors`` (the
rest placed by a near label or by position between anchors) → ``confirm_placements`` (after the
values are solved: certain when the arithmetic confirms them).
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from operator import attrgetter
from typing import Optional

from .. import spec
from ..model import CellValue
from ..model.codes import diag
from .normalise import edit_distance, normalise_label
from .tokens import Token  # noqa: F401  (the tokens groups hold)


class Group:
    """A run of label tokens and the value tokens after it (complete when made). ``label_text``:
    the labels joined and normalised for matching."""

    __slots__ = ("labels", "values", "label_text", "numeric")

    def __init__(self, labels: list, values: list):
        self.labels = labels
        self.values = values
        if labels:
            text = labels[0].text if len(labels) == 1 else "".join([t.text for t in labels])
            self.label_text = _short_label(text) if len(text) <= 200 else normalise_label(text)
        else:
            self.label_text = ""
        self.numeric = False  # a number among the values
        for v in values:
            if v.kind == "num":
                self.numeric = True
                break

    def __repr__(self) -> str:
        return f"Group(labels={self.labels!r}, values={self.values!r})"

    @property
    def loc(self):
        t = (self.labels or self.values)[0]
        return t.cell.loc


_short_label = lru_cache(maxsize=16384)(normalise_label)  # a group's label text (row labels recur)


class Read:
    """One template row (or, for review_litigation, the whole fifteen-cell row) as read."""

    __slots__ = ("keys", "columns", "label", "group", "candidates", "split", "overflow", "problems", "raw",
                 "unit_stated", "placed")

    def __init__(self, keys: list, columns: list, label: str, group: Optional[Group], candidates=None,
                 split: bool = False, overflow: bool = False, problems=None, raw: str = "",
                 unit_stated: bool = True, placed: str = "label"):
        self.keys = keys  # full cell keys, one per column (a sequence not changed: the row's own, shared)
        self.columns = columns  # spec.Column per key (likewise)
        self.label = label  # Chinese label for messages
        self.group = group
        self.candidates = [] if candidates is None else candidates  # list[tuple[Piece]]
        self.split = split  # candidates come from cutting fused digits
        self.overflow = overflow  # more split readings than max_candidates: a few kept, none chosen
        self.problems = [] if problems is None else problems  # Diagnostics
        self.raw = raw
        self.unit_stated = unit_stated  # a money column's unit was written in its header
        self.placed = placed  # how the group found its row: "label", "variant" (a near label), "aligned"

    def __repr__(self) -> str:
        return f"Read(label={self.label!r}, keys={self.keys!r}, placed={self.placed!r}, candidates={len(self.candidates)})"


def significant_tokens(tokens: list, table: Optional[spec.Table] = None) -> list:
    """Drop blank tokens that are layout, not cells.

    A blank is a cell when its row block holds a number, or when the block's label is one of
    ``table``'s rows (an all-blank data row: “行政强制 | 无”) and the blank follows it. Blanks before a
    block's first label (rowspan placeholders, empty header corners) and blanks of header rows
    (labels that are no template row) are layout.
    """
    for t in tokens:
        if t.kind == "blank":
            break
    else:
        return tokens  # no blank at all
    blanks = [i for i, t in enumerate(tokens) if t.kind == "blank"]
    # a block's tokens lie together (tokenised block after block): each block holding a blank is
    # read once, from the run of its tokens around that blank
    n = len(tokens)
    drop = []
    seen: dict = {}  # block → [index of its first label or None, it holds a number, its label texts]
    row_block: dict = {}  # block → its labels name one of ``table``'s rows (asked only for blocks with blanks)
    for i in blanks:
        b = tokens[i].block
        info = seen.get(b)
        if info is None:
            s = i
            while s and tokens[s - 1].block == b:
                s -= 1
            first, has_num, texts = None, False, []
            for j in range(s, n):
                t = tokens[j]
                if t.block != b:
                    break
                kind = t.kind
                if kind == "label":
                    if first is None:
                        first = j
                    texts.append(t.text)
                elif kind == "num":
                    has_num = True
            info = seen[b] = (first, has_num, texts)
        first, has_num, texts = info
        if first is None:
            continue  # no label in the block
        if i < first:
            drop.append(i)  # before the block's first label
        elif not has_num:
            named = row_block.get(b)
            if named is None:
                named = row_block[b] = table is not None and _any_row(table, "".join(texts))
            if not named:
                drop.append(i)
    if not drop:
        return tokens
    out = []
    prev = 0
    for i in drop:
        out.extend(tokens[prev:i])
        prev = i + 1
    out.extend(tokens[prev:])
    return out


_ANY_ROW: dict = {}  # id(table) → (table, {label text: the text names one of its rows})


def any_row_memo(table: spec.Table) -> dict:
    """``table``'s memo of :func:`_any_row` (label text → bool), to look texts up in directly."""
    hit = _ANY_ROW.get(id(table))
    if hit is None or hit[0] is not table:
        hit = _ANY_ROW[id(table)] = (table, {})
    return hit[1]


def _any_row(table: spec.Table, text: str) -> bool:
    memo = any_row_memo(table)
    named = memo.get(text)
    if named is None:
        if len(memo) > 100000:
            memo.clear()
        named = memo[text] = table.any_row_regex.search(normalise_label(text)) is not None
    return named


# Where each table begins, whatever the part heading before it says: its own header words.
SIGNATURES = {
    2: re.compile(r"信息内容|第二十条第\(一\)项|本年制发件数|本年新制作数量"),
    3: re.compile(r"申请人情况|法人或其他组织|本年新收[^()]*申请数量"),
    4: re.compile(r"尚未审结|结果维持|结果纠正|复议后起诉|未经复议直接起诉"),
}


_SIGNED: dict = {}  # part → {label text: the text holds the part's table header words}


def _signature_at(tokens: list, part: int, start: int = 0) -> Optional[int]:
    rx = SIGNATURES[part]
    memo = _SIGNED.get(part)
    if memo is None or len(memo) > 100000:
        memo = _SIGNED[part] = {}
    get = memo.get
    for i in range(start, len(tokens)):
        t = tokens[i]
        if t.kind == "label":
            text = t.text
            hit = get(text)
            if hit is None:
                hit = memo[text] = rx.search(normalise_label(text)) is not None
            if hit:
                return i
    return None


def _signature_memo(memo: dict, tokens: list, part: int, later: int, start: int) -> Optional[int]:
    """:func:`_signature_at` of ``later``'s header in part ``part``'s whole token list (``tokens``),
    from ``start`` (0 or 1) on, remembered in ``memo``."""
    key = (part, later)
    first = memo.get(key, -1)
    if first == -1:
        first = memo[key] = _signature_at(tokens, later)
    if first is not None and first < start:
        return _signature_at(tokens, later, start)
    return first


def tokens_by_part(tokens: list) -> dict:
    """{part: its tokens in order} (tokens come part after part: runs grouped in C)."""
    out: dict = {}
    for part, run in groupby(tokens, _PART):
        got = out.get(part)
        if got is None:
            out[part] = list(run)
        else:
            got.extend(run)
    return out


_PART = attrgetter("part")


def region_tokens(tokens, part: int, found_parts: set, memo: Optional[dict] = None) -> list:
    """Tokens where the table of ``part`` lies: its part's, or when that heading is missing, the
    part before it from the table's own header on. A region ends where the header of a later
    table begins (its heading may be missing too). ``tokens``: a list, or
    :func:`tokens_by_part` of it. ``memo``: a dict kept over the calls for one document (where
    a found part's tokens hold a later table's header is looked for once)."""
    by_part = tokens if isinstance(tokens, dict) else tokens_by_part(tokens)
    if memo is None:
        memo = {}
    if part in found_parts:
        sel = by_part.get(part, ())
    else:
        prev = max((q for q in found_parts if q < part), default=0)
        sel = by_part.get(prev, ())
        start = _signature_memo(memo, sel, prev, part, 0)
        if start is None:
            return []
        sel = sel[start:]
    for later in range(part + 1, 5):
        if later in found_parts:
            break
        end = _signature_memo(memo, sel, part, later, 1) if part in found_parts else _signature_at(sel, later, 1)
        if end is not None:
            sel = sel[:end]
            break
    rows = [t for t in sel if t.in_row]  # table rows, when there are: not the paragraphs between
    return rows if rows else list(sel)


def tokens_to_groups(tokens: list) -> list:
    """Label runs and the values after each (:class:`Group`; made here without ``Group.__init__``,
    the same fields set: a region may hold many groups)."""
    groups: list = []
    add = groups.append
    make = object.__new__
    short = _short_label
    labels: list = []
    values: list = []
    numeric = False
    for t in tokens:
        kind = t.kind
        if kind == "label":
            if values:
                g = make(Group)
                g.labels = labels
                g.values = values
                g.numeric = numeric
                if labels:
                    text = labels[0].text if len(labels) == 1 else "".join([t.text for t in labels])
                    g.label_text = short(text) if len(text) <= 200 else normalise_label(text)
                else:
                    g.label_text = ""
                add(g)
                labels, values, numeric = [t], [], False  # (a list of one: no room made for more)
                continue
            labels.append(t)
        else:
            values.append(t)
            if kind == "num":
                numeric = True
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
    n_rows = len(rows)
    n_groups = len(groups)
    reads: dict = {}
    unplaced = []  # (group, the read of the row just before it, if adjacent)
    previous = None
    nxt = 0
    hits: dict = {}  # label text → row_hits
    tails: dict = {}  # label text → _continuation
    for i, g in enumerate(groups):
        has_num = g.numeric
        last = n_rows if has_num else min(nxt + 1, n_rows)
        text = g.label_text
        hit = hits.get(text)
        if hit is None:
            hit = hits[text] = row_hits(table, text)
        j = None  # the first row from ``nxt`` on that the text names
        for k in hit:
            if nxt <= k < last:
                j = k
                break
        if j is None and has_num and i + 1 < n_groups:
            nxt_group = groups[i + 1]
            following = nxt_group.label_text
            cont = tails.get(following)
            if cont is None:
                cont = tails[following] = _continuation(following)
            # the wrapped tail of this label, before the next row's own numbered label — not a
            # whole next label with numbers of its own (that is the next row)
            if cont and (len(cont) < len(following) or not nxt_group.numeric):
                joined = text + cont
                hit = hits.get(joined)
                if hit is None:
                    hit = hits[joined] = row_hits(table, joined)
                for k in hit:
                    if nxt <= k < last:
                        j = k
                        break
        if j is None:
            if has_num and reads:
                # numbers right after a row may be that row's, cut off (a number wrapped in its
                # cell, a fragment of its label between) — not when a label of their own says
                # what they are (a note line after the table: “…发布总数量：3”)
                adjacent = previous is not None and groups[i - 1] is previous.group
                own_label = len(text) > _FRAGMENT
                unplaced.append((g, previous if adjacent and not own_label else None))
            continue
        r = rows[j]
        keys, columns, label = _row_parts(table, r)
        previous = reads[r.key] = Read(keys, columns, label, g)
        nxt = j + 1
    return reads, unplaced


_ROW_PARTS: dict = {}  # (id(table), row key) → (table, cell keys, columns, label for messages)


def _row_parts(table: spec.Table, r: spec.Row) -> tuple:
    """A row's cell keys, columns and Chinese label without its numbering (made once per row)."""
    key = (id(table), r.key)
    hit = _ROW_PARTS.get(key)
    if hit is None or hit[0] is not table:
        hit = _ROW_PARTS[key] = (table, tuple(table.row_keys(r)), tuple(r.columns),
                                 r.label.lstrip("一二三四五六七八九（）()、.0123456789"))
    return hit[1:]


# longest label text that may be a fragment of the row label before it (a wrapped label's tail)
_FRAGMENT = 8

# the start of a label run up to the next row numbering: “(三)”, “2.”, “四、”
_CONTINUATION = re.compile(r"[^(\d一二三四五六七八九]*(?:\))?")


def _continuation(label_text: str) -> str:
    """The start of a label text up to its first row numbering (memoised for short labels)."""
    if len(label_text) > 200:
        return _CONTINUATION.match(label_text).group(0)
    return _short_continuation(label_text)


@lru_cache(maxsize=8192)
def _short_continuation(label_text: str) -> str:
    return _CONTINUATION.match(label_text).group(0)


_HITS: dict = {}  # (id(table), label text) → (table, indices of the rows whose pattern matches)


def row_hits(table: spec.Table, text: str) -> tuple:
    """The indices of ``table``'s rows whose label pattern matches ``text`` (memoised per table
    and label: the same labels recur in every report and in every structure fit)."""
    key = (id(table), text)
    hit = _HITS.get(key)
    if hit is None or hit[0] is not table:
        if len(_HITS) > 200000:
            _HITS.clear()
        hit = _HITS[key] = (table, tuple(j for j, r in enumerate(table.rows) if r.regex.search(text)))
    return hit[1]


# ---------------------------------------------------------------- placing the rest

_NUMBERING = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.．]?")


@lru_cache(maxsize=512)
def row_core(label: str) -> str:
    """A row label without its numbering and its parenthesised note: 部分公开, 属于国家秘密."""
    core = normalise_label(label)
    while True:
        stripped = _NUMBERING.sub("", core)
        if stripped == core:
            break
        core = stripped
    return re.sub(r"\([^()]*\)$", "", core) or core


def _variant_distance(text: str, core: str) -> int:
    """How far the end of a label run is from a row label (large when the row is too short to
    tell a typo from another word)."""
    bound = 0 if len(core) < 4 else (1 if len(core) < 9 else 2)
    best = bound + 1
    for n in range(max(1, len(core) - bound), len(core) + bound + 1):
        if n <= len(text):
            best = min(best, edit_distance(text[-n:], core, bound))
    return best


def place_between_anchors(table: spec.Table, groups: list, reads: dict) -> list:
    """Place the numeric groups that matched no row, using the rows matched by their labels as
    anchors: a label within an edit or two of a free row's label between the anchors around it
    takes that row (``placed="variant"``); unlabelled value groups fill the free rows between two
    anchors when their counts agree (``placed="aligned"``). Returns the groups placed."""
    if not reads:
        return []
    mine: dict = {}  # the reads' groups → how many reads hold each
    for rd in reads.values():
        mine[id(rd.group)] = mine.get(id(rd.group), 0) + 1
    position: dict = {}  # the reads' groups → their place among the groups
    # the numeric groups no row took, with the gap they lie in: k, the anchors before them
    loose = []  # (and their gaps in ``gaps``: two lists, no pair per group)
    gaps = []
    add, add_gap = loose.append, gaps.append
    k = 0
    for gi, g in enumerate(groups):
        n = mine.get(id(g))
        if n is not None:
            position[id(g)] = gi
            k += n
        elif g.numeric:
            add(g)
            add_gap(k)
    if not loose:
        return []  # (the common case: every group with numbers found its row)
    rows = list(table.rows)
    index = {r.key: i for i, r in enumerate(rows)}
    anchors = sorted((position[id(rd.group)], index[k]) for k, rd in reads.items())
    placed = []
    # the rows free for a group: after the anchors before it, up to the anchors after it — the
    # same for every group between two anchors (the k-th gap: k anchors before it)
    after_before = [0]  # after_before[k]: max(row + 1) over anchors[:k]
    for _, ri in anchors:
        after_before.append(max(after_before[-1], ri + 1))
    before_after = [len(rows)] * (len(anchors) + 1)  # before_after[k]: min(row) over anchors[k:]
    for k in range(len(anchors) - 1, -1, -1):
        before_after[k] = min(before_after[k + 1], anchors[k][1])

    taken_rows = [0]  # rows taken by ``take`` so far (a near label's scores are remembered until one is)

    def take(g: Group, r: spec.Row, how: str):
        keys, columns, label = _row_parts(table, r)
        reads[r.key] = Read(keys, columns, label, g, placed=how)
        placed.append(g)
        taken_rows[0] += 1

    scores: dict = {}  # (label text, gap, rows taken) → the best row's index or None
    missed = None  # the last key that named no row (runs of the same label in one gap)
    for k, g in zip(gaps, loose):  # near labels
        text = g.label_text
        if len(text) < 2:
            continue
        if missed is not None and missed[0] == text and missed[1] == k and missed[2] == taken_rows[0]:
            continue
        key = (text, k, taken_rows[0])
        best = scores.get(key, scores)
        if best is scores:
            lo, hi = after_before[k], before_after[k]
            scored = sorted((_variant_distance(text, row_core(r.label)), j) for j, r in
                            enumerate(rows[lo:hi], lo) if r.key not in reads)
            best = scores[key] = scored[0][1] if scored and scored[0][0] <= 2 and (
                len(scored) == 1 or scored[1][0] > scored[0][0]) else None
        if best is not None:
            take(g, rows[best], "variant")
        else:
            missed = key
    segments: dict = {}
    done = {id(g) for g in placed}
    for k, g in zip(gaps, loose):  # unlabelled value groups between two anchors
        if len(g.label_text) > 1 or id(g) in done:
            continue
        lo, hi = after_before[k], before_after[k]
        if lo == 0 or hi == len(rows):
            continue
        segments.setdefault((lo, hi), []).append(g)
    for (lo, hi), gs in segments.items():
        free = [r for r in rows[lo:hi] if r.key not in reads]
        if len(free) == len(gs):
            for g, r in zip(gs, free):
                take(g, r, "aligned")
    return placed


def confirm_placements(table: spec.Table, template: str, reads: dict, cells: dict) -> list:
    """Reads placed by a near label or by alignment: certain with an info diagnostic (P211) when
    the template's arithmetic holds over their cells, else uncertain and named (P212)."""
    diags = []
    placed = [read for read in reads.values() if read.placed != "label"]
    if not placed:
        return diags
    relations = _placement_relations(template) if table.key == "applications" else ()
    values = {k: c.value for k, c in cells.items() if c.certain}
    for read in placed:
        mine = [rel for rel, keys in relations if not keys.isdisjoint(read.keys)]
        present = values.__contains__
        confirmed = bool(mine) and all(rel.applies(present) and rel.holds(values.get, present) for rel in mine) \
            and all(k in values for k in read.keys)
        written = read.group.labels[-1].text.strip()[-24:] if read.group.labels else "（无标签）"
        if confirmed:
            diags.append(diag("P211", read.group.loc, read.keys, table=table.name, row=read.label, written=written))
        else:
            for k in read.keys:
                if k in cells:
                    c = cells[k]
                    cells[k] = CellValue(c.value, c.raw, c.loc, False)
            diags.append(diag("P212", read.group.loc, read.keys, table=table.name, row=read.label, written=written))
    return diags


@lru_cache(maxsize=8)
def _placement_relations(template: str) -> tuple:
    """(relation, the set of its cell keys) of A1–A3: the arithmetic that confirms a placement."""
    return tuple((rel, frozenset(rel.terms + rel.totals))
                 for code in ("A1", "A2", "A3") for rel in spec.relations(template, code))


def structure_fit(table: spec.Table, tokens: list, memo: Optional[dict] = None) -> tuple:
    """How well a region's rows fit ``table``'s columns: +1 for each matched row whose values
    up to its trailing empty cells are as many as the template's columns, 0 when the trailing
    empty cells make up the difference, −1 otherwise (rows whose digits ran together say
    nothing). Returns (fit, clean): ``clean`` when every row read scored +1.

    ``memo``: a dict that keeps the groups and reads made here for :func:`read_groups` (the
    table reader reads the same region of the same table next)."""
    groups, reads, unplaced = read_groups(table, tokens, memo)
    if memo is not None:
        memo[id(table)] = (table, tokens, groups, reads, unplaced)
    fit = scored = 0
    for read in reads.values():
        vals = read.group.values
        if any(v.fused and (" " in v.text or len(v.text) > 1) for v in vals):
            continue
        n, core = len(read.columns), len(vals)
        while core and vals[core - 1].kind == "blank":
            core -= 1  # trailing empty cells may be padding or blank cells
        fit += 1 if core == n else (0 if core < n <= len(vals) else -1)
        scored += 1
    return fit, fit == scored


def read_groups(table: spec.Table, tokens: list, memo: Optional[dict] = None) -> tuple:
    """(groups, reads, unplaced) of a region for a table of several rows: ``significant_tokens`` →
    ``tokens_to_groups`` → ``groups_to_reads``, or what :func:`structure_fit` left in ``memo`` for
    the same table and tokens (taken out: the table reader fills the reads in). Groups are never
    changed once made: ``memo`` also keeps the last groups made, for the same significant tokens
    read as another template's table."""
    hit = memo.pop(id(table), None) if memo is not None else None
    if hit is not None and hit[0] is table and hit[1] is tokens:
        return hit[2], hit[3], hit[4]
    significant = significant_tokens(tokens, table)
    shared = memo.get("groups") if memo is not None else None
    if shared is not None and shared[0] is significant:
        groups = shared[1]  # the same tokens (no blank dropped) for another template: the same groups
    else:
        groups = tokens_to_groups(significant)
        if memo is not None:
            memo["groups"] = (significant, groups)
    reads, unplaced = groups_to_reads(table, groups, "")
    return groups, reads, unplaced


def single_row_read(table: spec.Table, groups: list) -> Optional[Read]:
    """review_litigation: every value of the region, in order, is one of the fifteen cells."""
    values = [v for g in groups for v in g.values]
    if not any(v.kind == "num" for v in values):
        return None
    keys, cols = _all_cells(table)
    return Read(keys, cols, "行政复议、行政诉讼", Group([], values))


_ALL_CELLS: dict = {}  # id(table) → (table, its cell keys, its columns)


def _all_cells(table: spec.Table) -> tuple:
    """Every cell key of a table and its column, in order (made once per table)."""
    hit = _ALL_CELLS.get(id(table))
    if hit is None or hit[0] is not table:
        hit = _ALL_CELLS[id(table)] = (table, tuple(table.keys()), tuple(c for r in table.rows for c in r.columns))
    return hit[1:]
