"""The ingest output: a document as an ordered list of blocks (paragraphs and table rows).

Every ingest module (one per format) turns bytes into a :class:`Document`. Nothing downstream
reads files. A paragraph is a block of kind ``"para"`` with one cell; a table row is a block of
kind ``"row"`` with one cell per source cell, in reading order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple, Optional


class Location(NamedTuple):
    """Where a piece of text came from in the source file.

    text: ``line``; HTML/DOCX: ``table``/``row``/``col``; PDF: ``page`` and ``bbox``
    (x0, top, x1, bottom in PDF points, origin top-left).
    """

    line: Optional[int] = None
    table: Optional[int] = None
    row: Optional[int] = None
    col: Optional[int] = None
    page: Optional[int] = None
    bbox: Optional[tuple] = None
    char: Optional[int] = None  # char offset inside the line/cell, for values cut from fused text

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self._asdict().items() if v is not None}

    @classmethod
    def from_dict(cls, d: dict) -> "Location":
        d = dict(d or {})
        if d.get("bbox") is not None:
            d["bbox"] = tuple(d["bbox"])
        return cls(**d)

    def describe(self) -> str:
        """Short human (Chinese) rendering: 第3行 / 表1 第2行第3列 / 第4页."""
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.table is not None:
            parts.append(f"表{self.table}")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.col is not None:
            parts.append(f"第{self.col}列")
        if self.line is not None and self.row is None:
            parts.append(f"第{self.line}行")
        if self.char is not None:
            parts.append(f"第{self.char + 1}字")
        return " ".join(parts)


@dataclass(slots=True)
class Cell:
    """One piece of source text: a table cell, or a paragraph's text.

    ``ghost`` marks an empty field whose existence as a real table cell is not certain (an empty
    field between two tabs in text exported from a PDF): it is never read as a blank cell.
    ``confidence``: for text read by OCR, the lowest confidence (0–1) of its characters; None for
    text read from the file itself.
    """

    text: str
    loc: Location = field(default_factory=Location)
    ghost: bool = False
    confidence: Optional[float] = None


@dataclass(slots=True)
class Block:
    kind: str  # "para" | "row"
    cells: list
    table: Optional[int] = None  # index of the source table, for rows
    grid: bool = False  # a row of a real grid (a pipe table's row): each cell is one table cell

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.cells)

    def source_key(self) -> tuple:
        """What the block's tokens depend on (its kind, grid flag and cell texts), hashable: the
        tokeniser's memo of blocks that hold nothing it looks for."""
        return (self.kind, self.grid, tuple([(c.text, c.ghost) for c in self.cells]))


_CELLS = Block.__dict__["cells"]  # the slot under LazyRow's property


class _Lazy:
    """What the blocks whose cells are made when asked for (:class:`LazyRow`, :class:`TableRow`,
    :class:`Line`) share: equal to any block of the same kind, cells, table and grid flag, and
    pickled (or copied) as that plain :class:`Block`."""

    __slots__ = ()

    def __eq__(self, other):
        if isinstance(other, Block):
            return (other.kind, other.cells, other.table, other.grid) == (self.kind, self.cells, self.table, self.grid)
        return NotImplemented

    __hash__ = None

    def __reduce__(self):
        return Block, (self.kind, self.cells, self.table, self.grid)


class LazyRow(_Lazy, Block):
    """A row of a delimited line (a pipe table's ``a | b | c``) whose :class:`Cell` objects are
    made when first asked for: a long table region makes one object per row, not a cell and a
    location per field, and the rows no reader looks at never make theirs.

    ``line``: its line number; ``fields``: the line split at its delimiters; ``first``: the
    index of the first field that is a cell of this row (the fields before it went on with the
    line before's open cell). Cell ``i`` holds ``fields[i].strip()`` at the character offset of
    ``fields[i]`` in the line (no offset for the line's first field)."""

    __slots__ = ("line", "first", "fields")

    def __init__(self, line: int, first: int, fields: list):
        _CELLS.__set__(self, None)
        self.kind = "row"
        self.table = None
        self.grid = len(fields) - first > 1
        self.line = line
        self.first = first
        self.fields = fields

    @property
    def cells(self) -> list:
        cells = _CELLS.__get__(self)
        if cells is None:
            cells = []
            add = cells.append
            n = self.line
            fields = self.fields
            first = self.first
            pos = sum(len(f) + 1 for f in fields[:first])
            for f in fields[first:]:
                add(Cell(f.strip(), Location(n, char=pos) if pos else Location(n)))
                pos += len(f) + 1
            _CELLS.__set__(self, cells)
        return cells

    @cells.setter
    def cells(self, value: list) -> None:
        _CELLS.__set__(self, value)

    def source_key(self) -> tuple:
        if _CELLS.__get__(self) is not None:
            return Block.source_key(self)
        return ("lazy", self.grid, self.first, tuple(self.fields))


class TableRow(_Lazy, Block):
    """A row of an HTML or DOCX table whose :class:`Cell` objects are made when first asked for
    (a long table makes one object per row, and the rows no reader looks at never make their
    cells). ``texts``: the cells' texts; ``cols``: their 1-based grid columns; ``row``: the row's
    1-based number in its table. Cell ``i`` holds ``texts[i]`` at ``Location(table=table,
    row=row, col=cols[i])``; ``grid`` is False, as for a :class:`Block` made with those cells."""

    __slots__ = ("row", "texts", "cols")

    def __init__(self, table: int, row: int, texts: list, cols: list):
        _CELLS.__set__(self, None)
        self.kind = "row"
        self.table = table
        self.grid = False
        self.row = row
        self.texts = texts
        self.cols = cols

    @property
    def cells(self) -> list:
        cells = _CELLS.__get__(self)
        if cells is None:
            new, loc, t, r = tuple.__new__, Location, self.table, self.row
            cells = [Cell(x, new(loc, (None, t, r, c, None, None, None))) for x, c in zip(self.texts, self.cols)]
            _CELLS.__set__(self, cells)
        return cells

    @cells.setter
    def cells(self, value: list) -> None:
        _CELLS.__set__(self, value)

    @property
    def text(self) -> str:
        if _CELLS.__get__(self) is not None:
            return Block.text.__get__(self)
        return "".join(self.texts)

    def source_key(self) -> tuple:
        if _CELLS.__get__(self) is not None:
            return Block.source_key(self)
        return ("row", False, tuple([(t, False) for t in self.texts]))


@cache
def _shared_location(n: int) -> Location:
    return Location(n)


def line_location(n: int) -> Location:
    """``Location(n)``: shared by every document for the first lines (line numbers recur), else
    made without the keyword handling of its generated ``__new__``."""
    if n < 50000:
        return _shared_location(n)
    return tuple.__new__(Location, (n, None, None, None, None, None, None))


class Line(_Lazy, Block):
    """A paragraph of one line of a text file: ``text`` at line ``line``. One object per line,
    its own cell as far as the parsing stage reads a cell (``text``, ``loc``, ``ghost`` False,
    ``confidence`` None: the tokeniser's tokens hold it as their cell); its :class:`Cell`, in
    ``cells``, and its location are made when asked for. ``kind`` is ``"para"``, ``table`` None,
    ``grid`` False (class constants: a line is never changed)."""

    __slots__ = ("text", "line")
    kind = "para"
    table = None
    grid = False
    ghost = False
    confidence = None

    def __init__(self, text: str, line: int):
        self.text = text
        self.line = line

    @property
    def loc(self) -> Location:
        return line_location(self.line)

    @property
    def cells(self) -> list:
        try:
            return _CELLS.__get__(self)
        except AttributeError:
            cells = [Cell(self.text, line_location(self.line))]
            _CELLS.__set__(self, cells)
            return cells

    def source_key(self) -> tuple:
        return ("para", False, ((self.text, False),))

    def __repr__(self) -> str:
        return f"Line(text={self.text!r}, line={self.line!r})"


EAGER_ROWS = 200  # the rows of a table up to this one are made with their cells (every report table)


def table_row(table: int, row: int, texts: list, cols) -> Block:
    """Row ``row`` of table ``table``: cell ``i`` holds ``texts[i]`` in grid column ``cols[i]``.
    The first :data:`EAGER_ROWS` rows of a table are plain :class:`Block` objects with their
    cells (the parsing stage reads every cell of a report's tables, through the slot); the rows
    of a longer table after them are :class:`TableRow` objects, whose cells are made when read."""
    if row > EAGER_ROWS:
        return TableRow(table, row, texts, cols)
    new, loc = tuple.__new__, Location
    return Block("row", [Cell(x, new(loc, (None, table, row, c, None, None, None))) for x, c in zip(texts, cols)],
                 table)


@dataclass
class Document:
    format: str  # "text" | "html" | "docx" | "pdf" | "ofd" | "image"
    blocks: list
    title: Optional[str] = None  # a title the container gives (HTML <title>, PDF metadata)
    diagnostics: list = field(default_factory=list)  # ingest-level Diagnostic objects
