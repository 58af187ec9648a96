"""Text shapes of web copies, made by transforming a report's tab-separated rows (test data).

Each function takes a plain-text report whose table rows are tab-separated lines (the ``rows``
shape of :func:`nianbao.testing.synth.render_text`, or a seed report) and rewrites every such
row the way web copies and Markdown conversions print tables. Paragraphs stay as they are.
"""
from __future__ import annotations


def _rows(text: str, row_to_lines) -> str:
    out = []
    for line in text.splitlines():
        if "\t" in line:
            out.extend(row_to_lines([c.strip() for c in line.split("\t")]))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def pipe_rows(text: str, outer: bool = True, padding: int = 0) -> str:
    """``| a | b | c |`` (``outer=False``: ``a | b | c``), ``padding`` empty cells appended."""
    def row(cells):
        cells = cells + [""] * padding
        body = " | ".join(cells)
        return [f"| {body} |" if outer else body]
    return _rows(text, row)


def markdown(text: str) -> str:
    """A Markdown conversion: ``|---|`` after each table's first row, ``#`` headings."""
    out, in_table = [], False
    for line in pipe_rows(text).splitlines():
        is_row = line.startswith("|")
        out.append(line)
        if is_row and not in_table:
            out.append("|" + "---|" * (line.count("|") - 1))
        in_table = is_row
    return "\n".join("## " + ln if ln[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") else ln for ln in out) + "\n"


def cell_per_line(text: str, padding: int = 1) -> str:
    """Every cell on its own line ending in `` |``; ``padding`` empty `` |`` lines after a row."""
    return _rows(text, lambda cells: [f"{c} |" for c in cells] + [" |"] * padding)


def lone_pipes(text: str) -> str:
    """Cells on their own lines with a lone ``|`` line between two cells and around each row."""
    def row(cells):
        lines = ["| " + cells[0]]
        for c in cells[1:]:
            lines += ["|", c]
        return lines + ["|", "|"]
    return _rows(text, row)


def space_padded(text: str) -> str:
    """One cell per line, numbers indented by spaces, rows separated by empty lines."""
    return _rows(text, lambda cells: [cells[0]] + [("  " + c) for c in cells[1:]] + [""])


SHAPES = {
    "pipe_rows": pipe_rows,
    "pipe_rows_bare": lambda t: pipe_rows(t, outer=False),
    "pipe_rows_padded": lambda t: pipe_rows(t, padding=2),
    "markdown": markdown,
    "cell_per_line": cell_per_line,
    "lone_pipes": lone_pipes,
    "space_padded": space_padded,
}


# ---------------------------------------------------------------- label variants

_NUMBERED = __import__("re").compile(r"^([(（]?[一二三四五六七八九十\d]+[)）、.．]?)*")


def _row_label_cells(text: str):
    """(line index, label) of the tab rows that start with a row label and hold numbers."""
    for i, line in enumerate(text.splitlines()):
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            if cells[0] and len(cells) > 1 and cells[1][:1].isdigit():
                yield i, cells[0]


def with_label_typos(text: str, rng, share: float = 0.3) -> tuple:
    """A character of some row labels dropped, swapped with its neighbour or replaced (typos,
    homophones). Returns (text, the labels changed as {written: original})."""
    lines = text.splitlines()
    changed = {}
    for i, label in _row_label_cells(text):
        core = label[len(_NUMBERED.match(label).group(0)):]
        if len(core) < 5 or rng.random() > share:
            continue
        k = rng.randrange(1, len(core) - 1)
        kind = rng.choice(("drop", "swap", "replace"))
        if kind == "drop":
            new = core[:k] + core[k + 1:]
        elif kind == "swap":
            new = core[:k] + core[k + 1] + core[k] + core[k + 2:]
        else:
            new = core[:k] + "某" + core[k + 1:]
        written = label[: len(label) - len(core)] + new
        lines[i] = lines[i].replace(label, written, 1)
        changed[written] = label
    return "\n".join(lines) + "\n", changed


def with_labels_lost(text: str, rng, share: float = 0.2) -> tuple:
    """Some row labels lost (an empty first cell), never two rows in a row nor the first or last
    row of a table. Returns (text, the labels lost)."""
    lines = text.splitlines()
    rows = list(_row_label_cells(text))
    lost = []
    skip = False
    for n, (i, label) in enumerate(rows[1:-1], 1):
        if skip or rng.random() > share or rows[n + 1][0] != i + 1 or rows[n - 1][0] != i - 1:
            skip = False
            continue
        lines[i] = lines[i].replace(label, "", 1)
        lost.append(label)
        skip = True
    return "\n".join(lines) + "\n", lost


def with_generic_header(text: str) -> str:
    """A header row of numbered generic column names (列1 … 列N, as spreadsheet conversions
    print) before each table's first row."""
    out, in_table = [], False
    for line in text.splitlines():
        is_row = "\t" in line
        if is_row and not in_table:
            out.append("\t".join(f"列{i}" for i in range(1, line.count("\t") + 2)))
        out.append(line)
        in_table = is_row
    return "\n".join(out) + "\n"


def with_odd_cells(text: str, rng, share: float = 0.15) -> tuple:
    """Some value cells overwritten with stray signs (5-3, --2, 3~5). Returns (text, the
    (row label, column index) pairs changed)."""
    lines = text.splitlines()
    changed = []
    for i, label in _row_label_cells(text):
        if rng.random() > share:
            continue
        cells = lines[i].split("\t")
        j = rng.randrange(1, len(cells))
        if not cells[j].strip()[:1].isdigit():
            continue
        cells[j] = rng.choice(("5-3", "--2", "3~5"))
        lines[i] = "\t".join(cells)
        changed.append((label, j - 1))
    return "\n".join(lines) + "\n", changed
