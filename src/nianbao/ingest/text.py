"""Plain text (Word/PDF conversions, web copies) → Document.

Text conversions of tables come in a few shapes, all handled here:

* one cell per line, each line starting with a tab, rows separated by an empty line;
* one row per line, cells separated by tabs (PDF exports; an empty field between two tabs is a
  *ghost*: it may or may not be a real cell);
* a cell continued on the next line without a tab (labels wrapped inside a cell);
* everything on one line (web copies): a single paragraph, split later by the table parser.
"""
from __future__ import annotations

import re
from functools import lru_cache

from charset_normalizer import from_bytes

from ..errors import InputError
from ..model.document import Block, Cell, Document, Location


def decode_text(data: bytes) -> str:
    """Decode bytes: BOMs, then UTF-8, then GB18030, then charset detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8" or _looks_chinese(text):
            return text
    best = from_bytes(data).best()
    if best is None:
        raise InputError("bad-encoding")
    return str(best)


def _looks_chinese(text: str) -> bool:
    cjk = sum(1 for ch in text[:4000] if "\u4e00" <= ch <= "\u9fff")
    return cjk >= 0.2 * max(1, len(text[:4000].strip()))


def text_to_document(text: str) -> Document:
    if "\x00" in text[:4096]:
        raise InputError("binary")
    return Document(format="text", blocks=lines_to_blocks(text.splitlines()))


# page numbers of a PDF conversion (“- 3 -”, “— 3 —”, “第 3 页 共 6 页”, “3/6”) are not text; a
# bare number is kept (it may be a cell)
_PAGE_FURNITURE = re.compile(r"^[\s\f]*(?:[-–—－]+\s*\d{1,4}\s*[-–—－]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
                             r"|\d{1,4}\s*[/／]\s*\d{1,4})[\s\f]*$")


@lru_cache(maxsize=100000)
def _line(n: int) -> Location:
    return Location(n)


def lines_to_blocks(lines: list) -> list:
    """Group lines into paragraphs and table rows (see the module doc)."""
    blocks: list = []
    row: list = []  # cells of the row being built (one-cell-per-line shape)
    last_was_cell = False

    def flush():
        nonlocal row
        if row:
            blocks.append(Block("row", row))
            row = []

    for n, line in enumerate(lines, start=1):
        if "\t" in line:
            body = line[1:] if line.startswith("\t") else line
            if "\t" in body:  # several cells on one line: a row of its own
                flush()
                fields = body.split("\t")
                cells = [Cell(f, _line(n), ghost=not f.strip()) for f in fields]
                # a field of whitespace only between tabs is still uncertain
                blocks.append(Block("row", cells))
                last_was_cell = False
            else:
                row.append(Cell(body, _line(n)))
                last_was_cell = True
            continue
        if not line.strip() or _PAGE_FURNITURE.match(line):
            flush()
            last_was_cell = False
            continue
        if last_was_cell and row:
            prev = row[-1]
            row[-1] = Cell(prev.text + line.strip(), prev.loc)
            continue
        flush()
        blocks.append(Block("para", [Cell(line, _line(n))]))
    flush()
    return blocks
