"""Token stream of a table region → keyed cells (with certainty) and diagnostics.

Pipeline: :mod:`.rows` (``tokens_to_groups`` → ``groups_to_reads`` → ``place_between_anchors``)
→ :mod:`.candidates` (``read_to_candidates`` → ``solve`` by the template's arithmetic) →
``reads_to_cells`` here, and ``table_to_cells``, which runs them for one table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter

from .. import config, spec
from ..model import CellValue
from ..model.codes import diag
from .candidates import read_to_candidates, restoring_readings, solve
from .normalise import is_blank, normalise_label
from .rows import (  # noqa: F401
    _any_row,
    any_row_memo,
    Group,
    Read,
    confirm_placements,
    groups_to_reads,
    place_between_anchors,
    read_groups,
    region_tokens,
    significant_tokens,
    single_row_read,
    structure_fit,
    tokens_to_groups,
)

# ---------------------------------------------------------------- cells

def reads_to_cells(table_key: str, reads: dict):
    """Cells and diagnostics from solved reads: a cell all candidates agree on is certain."""
    cells: dict = {}
    diags: list = []
    split_rows = []
    for r in reads.values():
        diags.extend(r.problems)
        if r.overflow:  # too many readings to enumerate: a few shown, every cell unsure
            for key in r.keys:
                cells[key] = _uncertain_cell(r)
            shown = [[p.value for p in c] for c in r.candidates[:8]]
            loc = r.group.values[0].cell.loc if r.group and r.group.values else None
            diags.append(diag("P206", loc, list(r.keys), shown, row=r.label, raw=r.raw, n=len(r.candidates)))
            continue
        if not r.candidates:
            for key in r.keys:
                cells[key] = _uncertain_cell(r)
            continue
        if r.split:
            split_rows.append(r)
        if len(r.candidates) == 1:  # the common case: one reading
            for key, (raw, value, loc) in zip(r.keys, r.candidates[0]):
                cells[key] = CellValue(value, raw, loc, value is not None or is_blank(raw))
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


_MONEY: dict = {}  # id(columns) → (columns, the first money column or None)


def _money_column(columns) -> spec.Column | None:
    """A row's first money column (found once per row of the template)."""
    hit = _MONEY.get(id(columns))
    if hit is None or hit[0] is not columns:
        if len(_MONEY) > 4096:
            _MONEY.clear()
        hit = _MONEY[id(columns)] = (columns, next((c for c in columns if c.money), None))
    return hit[1]


def unsure_ocr(table: spec.Table, reads: dict, cells: dict, threshold: float, template: str = "2021") -> list:
    """A value read by OCR with a character below ``threshold`` confidence stays as read but
    uncertain, one P214 per row (``Cell.confidence`` is None for text not read by OCR); where
    the value breaks A1–A4, the reading one digit away that restores them is offered as the
    P214's candidate (:func:`.candidates.restoring_readings`)."""
    found = []
    for read in reads.values():
        values = read.group.values if read.group else ()
        for t in values:
            if t.cell.confidence is not None:
                break
        else:
            continue  # no value read by OCR (text, HTML, DOCX, a PDF's text layer)
        shaky = {t.cell.loc: t.cell.confidence for t in values
                 if t.cell.confidence is not None and t.cell.confidence < threshold}
        if not shaky:
            continue
        keys = []
        for key in read.keys:
            c = cells.get(key)
            if c is not None and c.certain and c.loc is not None and c.loc._replace(char=None) in shaky:
                cells[key] = CellValue(c.value, c.raw, c.loc, False)
                keys.append(key)
        if keys:
            found.append((read, keys, min(shaky.values())))
    diags = []
    for read, keys, low in found:  # every row's unsure cells known: the relations see them all
        raw = " ".join(cells[k].raw for k in keys)
        diags.append(diag("P214", cells[keys[0]].loc, keys, restoring_readings(keys, cells, template),
                          table=table.name, row=read.label, raw=raw, confidence=f"{low:.2f}"))
    return diags


def _header_text(table: spec.Table, tokens: list) -> str:
    """The labels of a region that name none of ``table``'s rows, joined and normalised."""
    named = any_row_memo(table)  # label text → one of the table's rows (the header is the rest)
    head = []
    for t in tokens:
        if t.kind == "label":
            row = named.get(t.text)
            if not (_any_row(table, t.text) if row is None else row):
                head.append(t.text)
    return normalise_label("".join(head))


# P209s given per table: a region may hold thousands of value groups no row takes (a copy's
# rows repeated, a table pasted into another); the groups after these are counted in one P216
# (no real report of the shared corpus or pages has more than five in a table)
UNPLACED_SHOWN = 20


_GROUP, _BEFORE = itemgetter(0), itemgetter(1)  # of an unplaced pair (group, the read before it or None)


def _unplaced_diagnostics(name: str, unplaced: list) -> list:
    """One P209 per group of values that no row took (``unplaced``: (group, the read of the row
    just before it, if adjacent)), for the first :data:`UNPLACED_SHOWN` groups; the groups after
    them in one P216 that says how many there are and from where to where they lie."""
    out = []
    for g, before in unplaced[:UNPLACED_SHOWN]:
        labels, values = g.labels, g.values
        out.append(diag("P209", g.loc, before.keys if before else (), table=name,
                        label="".join([t.text for t in labels])[-30:], values=" ".join([v.text for v in values])))
    rest = len(unplaced) - UNPLACED_SHOWN
    if rest > 0:
        first, last = unplaced[UNPLACED_SHOWN][0], unplaced[-1][0]
        end = (last.values or last.labels)[-1].cell.loc
        out.append(diag("P216", first.loc, (), table=name, n=rest, shown=UNPLACED_SHOWN,
                        first=first.loc.describe(), last=end.describe()))
    return out


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


@dataclass
class TableReading:
    """What the table reader saw for one table (like pdfplumber's ``TableFinder``): the region's
    tokens, the groups made of them, the reads (groups placed on template rows, with their
    candidate readings) and the groups no row took. ``parse --debug`` shows it."""

    table: str
    tokens: list
    groups: list = field(default_factory=list)
    reads: dict = field(default_factory=dict)
    unplaced: list = field(default_factory=list)
    found: bool = False


def narrow_by_text(table: spec.Table, reads: dict, template: str, statements: dict) -> list:
    """Table 二 has no arithmetic: narrow the split candidates of its rows with what the report's
    text states (``statements``: :func:`~nianbao.parsing.statements.text_to_statements`) and, in
    the 2021 template, with the bound 本年废止 ≤ 现行有效 + 本年制发. Returns the reads that the
    text settled (one candidate left)."""
    settled = []
    for read in reads.values():
        if len(read.candidates) < 2 or read.overflow:
            continue
        cols = [k.split(".", 1)[1] for k in read.keys]
        cands = read.candidates
        if template == "2021" and cols[:3] == ["{}.issued".format(cols[0].split(".")[0]),
                                              "{}.repealed".format(cols[0].split(".")[0]),
                                              "{}.in_force".format(cols[0].split(".")[0])]:
            bounded = [c for c in cands if (c[1].value or 0) <= (c[2].value or 0) + (c[0].value or 0)]
            cands = bounded or cands
        said = [(i, statements[c]) for i, c in enumerate(cols) if c in statements]
        by_text = [c for c in cands if said and all(c[i].value in values for i, values in said)]
        if by_text:
            cands = by_text
        if len(cands) < len(read.candidates):
            read.candidates = cands
            if by_text and len(cands) == 1:
                settled.append(read)
    return settled


def table_to_cells(table: spec.Table, tokens: list, template: str, settings: config.Settings = config.DEFAULT,
                   trace: dict | None = None, statements: dict | None = None, memo: dict | None = None):
    """Read one table from its region's tokens. Returns (cells, diagnostics, found).

    A table that stops before its last rows (a copy cut off, a page missing) is not found: its
    cells are given as read but uncertain, and P210 says so. ``trace``: a dict that receives the
    :class:`TableReading` under the table's key. ``memo``: the dict given to
    :func:`~nianbao.parsing.rows.structure_fit` for the same region (its groups and reads reused).
    """
    if table.single_row:
        groups = tokens_to_groups(significant_tokens(tokens, None))
    else:
        groups, reads, unplaced = read_groups(table, tokens, memo)
    reading = TableReading(table.key, tokens, groups)
    if trace is not None:
        trace[table.key] = reading
    diags: list = []
    name = table.name
    cut_rows: list = []
    if table.single_row:
        read = single_row_read(table, groups)
        if read is None:
            return {}, [diag("P201", None, table=name)], False
        read_to_candidates(read, 1, settings)
        reads = reading.reads = {"all": read}
        most = sum(sum(ch.isdigit() for ch in v.text) if v.fused else 1 for v in read.group.values)
        if most < len(read.keys):  # fewer values than cells, even cutting every digit apart
            cut_rows = [most]
    else:
        if not reads:
            return {}, [diag("P201", None, table=name)], False
        placed = place_between_anchors(table, groups, reads)
        if placed:
            taken = {id(g) for g in placed}
            unplaced = [(g, before) for g, before in unplaced if id(g) not in taken]
        reading.reads, reading.unplaced = reads, list(map(_GROUP, unplaced))
        suspects = []
        if unplaced:
            diags.extend(_unplaced_diagnostics(name, unplaced))
            suspects = list(filter(None, map(_BEFORE, unplaced)))  # (a Read is never false)
        header = None  # the table's header text, made when a money column first asks for it
        for key, read in reads.items():
            unit = 1
            money = _money_column(read.columns)
            if money is not None:
                if header is None:
                    header = _header_text(table, tokens)
                unit, stated = money_unit(read.group, money, header)
                read.unit_stated = stated
            read_to_candidates(read, unit, settings)
        expected = spec.expected_rows(table, template, reads)
        # (the unplaced groups are in document order: the last one is the latest; whichever of
        # it and the rows' groups comes last, looking from the end)
        mine = {id(r.group) for r in reads.values()}
        latest = id(unplaced[-1][0]) if unplaced else None
        unplaced_last = False
        for g in reversed(groups):
            if id(g) == latest:
                unplaced_last = True
                break
            if id(g) in mine:
                break
        if not unplaced_last:
            # nothing read after the last row found: the rows after it were cut off
            while expected and expected[-1].key not in reads:
                cut_rows.insert(0, expected.pop())
        for r in expected:
            if r.key not in reads:
                diags.append(diag("P202", None, table.row_keys(r),
                                  table=name, row=r.label))
    solve(table.key, reads, template, settings)
    settled = []
    if table.key == "active" and statements is not None and any(len(r.candidates) > 1 for r in reads.values()):
        said = statements() if callable(statements) else statements  # read the text only when needed
        settled = narrow_by_text(table, reads, template, said) if said else []
    for read in settled:
        read.split = False  # settled by the text, not by the column count (P208)
        diags.append(diag("P213", read.group.values[0].cell.loc, read.keys, table=name, row=read.label,
                          raw=" ".join(v.text for v in read.group.values),
                          values="/".join("" if p.value is None else str(p.value) for p in read.candidates[0])))
    cells, more = reads_to_cells(table.key, reads)
    diags.extend(more)
    diags.extend(unsure_ocr(table, reads, cells, settings.ocr_min_confidence, template))
    if not table.single_row:
        diags.extend(confirm_placements(table, template, reads, cells))
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
    reading.found = True
    return cells, diags, True
