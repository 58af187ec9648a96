"""Reads → candidate readings of their values → narrowed by the template's arithmetic.

``read_to_candidates`` (the ways a row's values can be read: one, or several when digits ran
together) → ``solve`` (:data:`nianbao.spec.RELATIONS`: A3/A4 per row, then A1/A2 across rows).
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from typing import NamedTuple, Optional

from .. import config, spec
from ..model.codes import diag
from .normalise import ValueError_, parse_number
from .rows import Read
from .tokens import Token


class Piece(NamedTuple):
    raw: str
    value: object
    loc: object


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


@lru_cache(maxsize=4096)
def _chunk_counts(chunk: str, hi: int) -> tuple:
    """``counts[k][p]``: how many ways :func:`_chunk_splits` cuts ``chunk`` into ``p`` pieces when
    ``k`` pieces were cut before it in the same chunk — counted, not enumerated (linear in the
    chunk's length per piece count), by the same rules."""
    dot = chunk.find(".")
    limit = dot if dot >= 0 else len(chunk)
    while limit > 0 and not chunk[limit - 1].isdigit():
        limit -= 1
    n = len(chunk)
    # ways[j][s]: splits of chunk[s:] into exactly j pieces (j ≥ 1)
    valid_rest = [_valid_piece(chunk[s:]) for s in range(n + 1)]
    ways = [[0] * (n + 2) for _ in range(hi + 1)]
    for s in range(n + 1):
        ways[1][s] = 1 if valid_rest[s] else 0
    for j in range(2, hi + 1):
        prev = ways[j - 1]
        # suffix sums of prev over cut positions start+1 .. limit-1
        suffix = [0] * (n + 2)
        for s in range(n, -1, -1):
            suffix[s] = suffix[s + 1] + (prev[s] if s < limit else 0)
        row = ways[j]
        for s in range(n + 1):
            if limit - s < 2:
                continue
            if chunk[s] == "0":
                row[s] = prev[s + 1]
            else:
                row[s] = suffix[s + 1]
    return ways


def count_chunk_splits(chunk: str, lo: int, hi: int) -> int:
    """The number of piece lists ``_chunk_splits(chunk, ., lo, hi, cap)`` yields without a cap."""
    if hi < 1 or hi < lo:
        return 0
    ways = _chunk_counts(chunk, hi)
    return sum(ways[p][0] for p in range(max(lo, 1), hi + 1))


def _valid_piece(p: str) -> bool:
    return bool(p) and p[0].isdigit() and not (len(p) > 1 and p[0] == "0" and p[1].isdigit())


def _chunks(text: str) -> list:
    """The space-separated digit chunks of a fused token, with their offsets."""
    chunks = []
    i = 0
    for part in text.split(" "):
        if part:
            chunks.append((part, i))
        i += len(part) + 1
    return chunks


_SPLITS: dict = {}  # (text, lo, hi, cap) → _text_splits, for short lists only (the same runs recur)


def _token_splits(tok: Token, lo: int, hi: int, cap: int):
    """Piece lists (lo..hi pieces) for one fused value token; spaces are certain cell boundaries."""
    key = (tok.text, lo, hi, cap)
    hit = _SPLITS.get(key)
    if hit is None:
        hit = _text_splits(tok.text, lo, hi, cap)
        if len(hit) <= 64:
            if len(_SPLITS) > 4096:
                _SPLITS.clear()
            _SPLITS[key] = hit
    return hit


def _text_splits(text: str, lo: int, hi: int, cap: int) -> tuple:
    chunks = _chunks(text)
    if len(chunks) > hi:
        return ()
    results = [[]]
    for n, (chunk, off) in enumerate(chunks):
        rest = len(chunks) - n - 1  # chunks after this one need at least one piece each
        after = _max_pieces(chunks[n + 1:])
        nxt = []
        for acc in results:
            c_lo = max(1, lo - len(acc) - after)
            c_hi = hi - len(acc) - rest
            if c_hi < c_lo:
                continue
            for sp in _chunk_splits(chunk, off, c_lo, c_hi, cap):
                nxt.append(acc + sp)
                if len(nxt) > cap:
                    return tuple(nxt)
        results = nxt
    return tuple(r for r in results if lo <= len(r) <= hi)


def _count_token_splits(tok: Token, lo: int, hi: int) -> dict:
    """{number of pieces: how many piece lists} that :func:`_token_splits` yields uncapped."""
    return _count_text_splits(tok.text, lo, hi)


@lru_cache(maxsize=4096)
def _count_text_splits(text: str, lo: int, hi: int) -> dict:
    chunks = _chunks(text)
    if len(chunks) > hi:
        return {}
    dist = {0: 1}
    for n, (chunk, _) in enumerate(chunks):
        rest = len(chunks) - n - 1
        after = _max_pieces(chunks[n + 1:])
        nxt: dict = {}
        for a, ways in dist.items():
            c_lo = max(1, lo - a - after)
            c_hi = hi - a - rest
            if c_hi < c_lo:
                continue
            table = _chunk_counts(chunk, c_hi)
            for p in range(c_lo, c_hi + 1):
                w = table[p][0]
                if w:
                    nxt[a + p] = nxt.get(a + p, 0) + ways * w
        dist = nxt
    return {k: v for k, v in dist.items() if lo <= k <= hi}


def _max_pieces(chunks) -> int:
    return sum(len(c) for c, _ in chunks)


_NUMBERS: dict = {}  # (money, unit, signed) → {text: parse_number's (value, suffix), or its error message}


def _numbers_for(col: spec.Column, unit: int) -> dict:
    """The memo of :func:`parse_number` for one kind of column (money, unit, signed): text → its
    (value, suffix), or the error message (the same few texts — 0, 1, 2 … — fill every table)."""
    key = (col.money, unit, col.signed)
    got = _NUMBERS.get(key)
    if got is None:
        got = _NUMBERS[key] = {}
    return got


_COLUMN_NUMBERS: dict = {}  # (id(columns), unit) → (columns, each column's memo)


def _column_numbers(columns, unit: int) -> tuple:
    """Each column's :func:`_numbers_for` memo, made once per row of the template."""
    key = (id(columns), unit)
    hit = _COLUMN_NUMBERS.get(key)
    if hit is None or hit[0] is not columns:
        if len(_COLUMN_NUMBERS) > 4096:
            _COLUMN_NUMBERS.clear()
        hit = _COLUMN_NUMBERS[key] = (columns, tuple(_numbers_for(c, unit) for c in columns))
    return hit[1]


def _number(text: str, col: spec.Column, unit: int) -> tuple:
    """:func:`parse_number` of a cell text for a column, memoised."""
    memo = _numbers_for(col, unit)
    hit = memo.get(text)
    if hit is None:
        if len(memo) > 100000:
            memo.clear()
        try:
            hit = parse_number(text, money=col.money, unit=unit, signed=col.signed)
        except ValueError_ as e:
            hit = str(e)
        memo[text] = hit
    if hit.__class__ is str:
        raise ValueError_(hit)
    return hit


def _piece(tok: Token, text: str, off: Optional[int], col: spec.Column, unit: int):
    value, suffix = _number(text, col, unit)
    loc = tok.cell.loc
    char = tok.offset + (off or 0)
    if char:
        loc = _at_char(loc, char)
    return Piece(text, value, loc), suffix


_tuple_new = tuple.__new__  # a NamedTuple without its generated __new__


@lru_cache(maxsize=8192)
def _at_char(loc, char: int):
    return loc._replace(char=(loc.char or 0) + char)


def _walk_splits(read: Read, toks: list, most: list, n: int, cap: int, piece, cands: list) -> None:
    """Count a row's split readings, set ``read.overflow`` when they are more than ``cap``, and
    append to ``cands`` those within the cap (``piece(token, text, offset, column)``: a Piece or
    None when the text is no number for that column)."""
    # some token holds several cells: count the splits first (a long digit run has millions),
    # then enumerate them only when they are within the cap
    bounds = [(max(1, n - (sum(most) - most[i])),  # the others give at most their digit counts
               n - (len(toks) - 1))  # and at least one piece each
              for i in range(len(toks))]
    total = {0: 1}
    for tok, (lo, hi) in zip(toks, bounds):
        dist = _count_token_splits(tok, lo, hi) if tok.fused else {1: 1}
        nxt: dict = {}
        for a, w in total.items():
            for k, v in dist.items():
                if a + k <= n:
                    nxt[a + k] = nxt.get(a + k, 0) + w * v
        total = nxt
    read.overflow = total.get(n, 0) > cap
    if read.overflow:
        cap = min(cap, 7)  # more readings than the cap: a few shown, the row ambiguous (P206)
    per_token = []
    for tok, (lo, hi) in zip(toks, bounds):
        if not tok.fused:
            per_token.append([[(tok.text, None)]])
            continue
        per_token.append(_token_splits(tok, lo, hi, cap))
    if len(toks) == 1:  # one fused token (the common case): its splits are the readings
        tok = toks[0]
        seen: dict = {}  # (text, offset, column) → piece: the same pieces recur split after split
        for pieces in per_token[0]:
            if len(pieces) != n:
                continue
            made = []
            for j, (text, off) in enumerate(pieces):
                key = (text, off, j)
                p = seen.get(key, seen)
                if p is seen:
                    p = seen[key] = piece(tok, text, off, j)
                if p is None:
                    break
                made.append(p)
            else:
                cands.append(tuple(made))
                if len(cands) > cap:
                    return
        return
    # the combinations of one split per token that make n pieces, in the order of
    # itertools.product(*per_token), depth first: a branch stops at a piece that is no number or
    # when the tokens left cannot make up the count
    fewest = [0] * (len(toks) + 1)
    most_left = [0] * (len(toks) + 1)
    for t in range(len(toks) - 1, -1, -1):
        lens = [len(x) for x in per_token[t]] or [n + 1]
        fewest[t] = fewest[t + 1] + min(lens)
        most_left[t] = most_left[t + 1] + max(lens)
    acc: list = []
    built: dict = {}  # (token, split, first column) → its pieces, or None when one is no number

    def walk(t: int, count: int) -> bool:
        if t == len(toks):
            cands.append(tuple(acc))
            return len(cands) > cap
        tok = toks[t]
        for si, pieces in enumerate(per_token[t]):
            after = count + len(pieces)
            if after + fewest[t + 1] > n or after + most_left[t + 1] < n:
                continue
            key = (t, si, count)
            made = built.get(key, built)
            if made is built:
                made = []
                for j, (text, off) in enumerate(pieces):
                    p = piece(tok, text, off, count + j)
                    if p is None:
                        made = None
                        break
                    made.append(p)
                built[key] = made
            if made is None:
                continue
            acc.extend(made)
            if walk(t + 1, after):
                return True
            del acc[count:]
        return False

    walk(0, 0)


def trim_padding(toks: list, n: int) -> list:
    """More value tokens than columns, the extra ones blank: empty cells at the end of the row
    (padding of a copied table) or before its values (an empty sub-label cell) are layout, and
    so are lines of spaces (ghosts) when the row has its count without them."""
    if len(toks) != n:
        for t in toks:
            if t.cell.ghost:
                real = [t for t in toks if not t.cell.ghost]
                if len(real) == n or (len(toks) > n and len(real) > n):
                    toks = real
                break
    if len(toks) <= n:
        return toks
    end = len(toks)
    while end > n and toks[end - 1].kind == "blank":
        end -= 1
    start = 0
    while end - start > n and toks[start].kind == "blank":
        start += 1
    return toks[start:end]


def read_to_candidates(read: Read, unit: int, settings: config.Settings = config.DEFAULT) -> None:
    """Fill ``read.candidates`` (and problems) from the group's value tokens."""
    columns = read.columns
    n = len(columns)
    toks = read.group.values
    if len(toks) != n:
        toks = trim_padding(toks, n)
    read.raw = " ".join([t.text for t in toks])
    if len(toks) == n:
        pieces = []
        add = pieces.append
        for tok, numbers in zip(toks, _column_numbers(columns, unit)):
            hit = numbers.get(tok.text)
            if hit is not None and hit.__class__ is not str:  # the common case, inline
                loc = tok.cell.loc
                off = tok.offset
                add(_tuple_new(Piece, (tok.text, hit[0], _at_char(loc, off) if off else loc)))
                continue
            try:
                p, _ = _piece(tok, tok.text, None, columns[len(pieces)], unit)
            except ValueError_ as e:
                read.problems.append(diag("P205", tok.cell.loc, [read.keys[len(pieces)]],
                                          label=read.label, reason=str(e)))
                p = Piece(tok.text, None, tok.cell.loc)
            add(p)
        read.candidates = [tuple(pieces)]
        return
    plain = [t for t in toks if not t.fused or " " not in t.text and len(t.text) == 1]
    if len(toks) > n or len(plain) == len(toks):
        code = "P204" if len(toks) > n else "P203"
        read.problems.append(diag(code, read.group.loc, read.keys, label=read.label, row=read.label,
                                  expected=n, actual=len(toks)))
        return
    cands: list = []
    memo: dict = {}  # (token, text, offset, column) → Piece or None (unreadable): a split repeats
    numbers = _column_numbers(columns, unit)  # the same pieces in thousands of combinations

    def piece(tok, text, off, i):
        key = (id(tok), text, off, i)
        p = memo.get(key, memo)
        if p is memo:
            col = columns[i]
            hit = numbers[i].get(text)
            if hit is not None and hit.__class__ is not str:  # _piece, inline
                char = tok.offset + (off or 0)
                loc = tok.cell.loc
                p = _tuple_new(Piece, (text, hit[0], _at_char(loc, char) if char else loc))
            else:
                try:
                    p = _piece(tok, text, off, col, unit)[0]
                except ValueError_:
                    p = None
            memo[key] = p
        return p

    most = [sum(ch.isdigit() for ch in t.text) if t.fused else 1 for t in toks]
    if sum(most) == n and all(not t.fused or t.text.replace(" ", "").isdigit() for t in toks):
        # as many digits as cells: each digit is a cell, the one reading there is (0000000)
        made: list = []
        for tok in toks:
            if not tok.fused:
                made.append(piece(tok, tok.text, None, len(made)))
                continue
            for chunk, off in _chunks(tok.text):
                for j, ch in enumerate(chunk):
                    made.append(piece(tok, ch, off + j, len(made)))
        if None not in made:
            cands.append(tuple(made))
    else:
        _walk_splits(read, toks, most, n, settings.max_candidates, piece, cands)
    read.split = sum(len(t.text.split()) for t in toks) < n  # digits had to be cut, not just spaces
    read.candidates = cands
    if not cands and not read.overflow:
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
    if len(read.candidates) > 1 and not read.overflow:
        checks = _in_row(read.keys, relations)
        if checks is None:
            ok = [c for c in read.candidates if relations_hold(relations, _values(read, c))]
        else:  # every relation within the row: its sums over the candidate's columns
            ok = [c for c in read.candidates
                  if all(sum((c[i].value or 0) for i in terms) == sum((c[i].value or 0) for i in totals)
                         for terms, totals in checks)]
        if ok:
            read.candidates = ok


def _in_row(keys, relations):
    """The relations as (column indices of their terms, of their totals) when each lies wholly
    within a row of ``keys`` (all its cells present: :func:`relations_hold` then checks each the
    same way); None otherwise."""
    where = {k: i for i, k in enumerate(keys)}
    checks = []
    for rel in relations:
        if not all(k in where for k in rel.terms + rel.totals):
            return None
        checks.append((tuple(where[k] for k in rel.terms), tuple(where[k] for k in rel.totals)))
    return checks


def solve(table_key: str, reads: dict, template: str, settings: config.Settings = config.DEFAULT) -> None:
    """Narrow split candidates with the template's arithmetic (:data:`spec.RELATIONS`): A3/A4
    within each row, then A1/A2 across the rows of table 三."""
    if table_key == "applications":
        for r in reads.values():
            if len(r.candidates) > 1:
                _narrow(r, [rel for rel in spec.relations(template, "A3") if rel.totals[0] in r.keys])
        multi = [k for k, r in reads.items() if len(r.candidates) > 1]
        if any(reads[k].overflow for k in multi):
            return  # a row whose readings were not all enumerated cannot be narrowed across rows
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




# ---------------------------------------------------------------- OCR: one digit off

def _one_digit_apart(a: str, b: str) -> bool:
    """Whether digit strings ``a`` and ``b`` differ by one digit changed, lost or added."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def restoring_readings(keys: list, cells: dict, template: str) -> list:
    """Candidate readings of the uncertain OCR cells ``keys`` (one list of values, aligned with
    ``keys``), or none: where a cell's value breaks an A1–A4 relation whose other cells are
    certain, and every such relation it is in asks for the same value, one digit away from the
    one read (a digit misread, lost or doubled), that value; the others as read."""
    values = {k: c.value for k, c in cells.items()}
    present = values.__contains__
    reading, changed = [], False
    for key in keys:
        want = set()
        broken = False
        for code in ("A1", "A2", "A3", "A4"):
            for rel in spec.relations(template, code):
                if key not in rel.terms + rel.totals or not rel.applies(present):
                    continue
                needed = [k for k in rel.terms + rel.totals if k != key and present(k)]
                if not all(cells[k].certain for k in needed):
                    continue
                lhs, rhs = rel.sides(lambda k, key=key: 0 if k == key else values.get(k), present)
                want.add(rhs - lhs if key in rel.terms else lhs - rhs)
                broken = broken or not rel.holds(values.get, present)
        v, read = (want.pop() if len(want) == 1 else None), values.get(key)
        if broken and isinstance(v, int) and isinstance(read, int) and v >= 0 and _one_digit_apart(str(read), str(v)):
            reading.append(v)
            changed = True
        else:
            reading.append(read)
    return [reading] if changed else []
