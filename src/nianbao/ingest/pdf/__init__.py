"""Text-layer PDF → :class:`Document`, with pypdfium2.

Per page: read every ink character with its loose box and group them into lines; on pages where
some line has a column-wide gap, also read the ruling lines (thin path objects, straight edges of
stroked paths, thin pieces of filled paths, inside form XObjects too). Rules that touch each
other form a grid; each character goes to the grid cell under its centre, so a label that wraps
inside its cell stays one cell and a row-spanning label is emitted once, in the first visual row
it covers. Text outside grids becomes one ``para`` block per line, or a ``row`` block when big
gaps (or gaps between numbers) split the line into columns; a title or heading set in a large
font and centred over several lines (``龙南市里仁镇人民政府办公室2020年政府`` /
``信息公开工作年度报告``) is one ``para``. Page numbers and running headers in
the top/bottom margins are dropped. A ruled table that goes on over a page break keeps its table
index, and a row-spanning label cut by the break is rejoined.

A page without a text layer that shows an image (a scan) is rendered and read by OCR when the
``ocr`` extra is installed (:mod:`nianbao.ingest.ocr`: characters with boxes and confidences, and
the ruling lines found in the image), and laid out by the same code; pages with a text layer are
never OCR'd. Without OCR, or when OCR finds no text either, a PDF without text gives P001.

Coordinates: ``bbox = (x0, top, x1, bottom)`` in PDF points, origin at the top left of the page
as displayed (``/Rotate`` and the crop box applied). ``Block.table`` counts tables from 0.
"""
from __future__ import annotations

from typing import Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ...config import DEFAULT, Settings
from ...errors import InputError
from ...model.codes import diag
from ...model.document import Document
from .extract import open_pdf, read_pages, read_title
from .layout import is_furniture, pages_to_blocks
from .lines import Char, Line, join_chars, split_numbers

__all__ = ["pdf_to_document", "Char", "Line", "is_furniture", "join_chars", "split_numbers"]

def pdf_to_document(data: bytes, settings: Optional[Settings] = None) -> Document:
    """Read a PDF with a text layer into a :class:`Document` of ``para`` and ``row`` blocks.

    Raises :class:`InputError` (``corrupt-pdf``, ``encrypted-pdf``) when the file cannot be read;
    a scanned PDF (no text on any page) gives no blocks and one ``P001`` error diagnostic.
    ``settings``: the reader's tolerances (:class:`~nianbao.config.Settings`).
    """
    settings = settings or DEFAULT
    pdf = open_pdf(data)
    scanned: list = []
    try:
        title = read_title(pdf)
        pages = read_pages(pdf, settings)
        scan = [i for i, page in enumerate(pages) if not page.lines and _shows_image(pdf, i)]
        if scan:
            from .. import ocr
            if ocr.available():
                dpi = settings.ocr_dpi
                jobs = [(i, i + 1, (lambda i=i: _render(pdf, i, dpi)), dpi) for i in scan]
                scanned = ocr.ocr_pages(data, jobs, settings)
                for page in scanned:
                    pages[page.number - 1] = page
    except pdfium.PdfiumError as exc:
        raise InputError("corrupt-pdf") from exc
    finally:
        pdf.close()
    if not any(page.lines for page in pages):
        return Document(format="pdf", blocks=[], title=title,
                        diagnostics=[diag("P001")])
    blocks = pages_to_blocks(pages, settings)
    found = []
    if scanned:
        from ..ocr import mark_confidence
        found = mark_confidence(blocks, scanned)  # P215: a table whose grid the scan gave incomplete
    return Document(format="pdf", blocks=blocks, title=title, diagnostics=found)


def _shows_image(pdf: pdfium.PdfDocument, index: int) -> bool:
    """Whether page ``index`` draws an image (directly or in a form XObject)."""
    page = pdf[index]
    try:
        return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=3))
    finally:
        page.close()


def _render(pdf: pdfium.PdfDocument, index: int, dpi: float):
    """Page ``index`` as displayed (rotation and crop box applied), BGR pixels at ``dpi``."""
    page = pdf[index]
    try:
        return page.render(scale=dpi / 72).to_numpy()[..., :3]
    finally:
        page.close()
