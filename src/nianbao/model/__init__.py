"""The record: what ingest produces (:mod:`.document`), what parsing produces (:mod:`.report`) and
the one catalogue of codes both use (:mod:`.codes`)."""
from .document import Block, Cell, Document, Location
from .report import CellValue, Diagnostic, Part, Report

__all__ = ["Block", "Cell", "Document", "Location", "CellValue", "Diagnostic", "Part", "Report"]
