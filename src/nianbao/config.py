"""Settings: every tunable of the pipeline in one frozen object, each with a default and a help line.

    from nianbao import parse
    from nianbao.config import DEFAULT, Settings

    parse(path, settings=Settings(max_bytes=50 * 1024 * 1024))
    parse(path, settings=DEFAULT.replace(snap=3.0, column_gap=1.5))

``parse`` hands the object down to ingest (size cap, HTML/DOCX span cap, the PDF reader's
tolerances) and to the table reader (the solver's caps). The cross-year similarity threshold is
read from :data:`DEFAULT` (rules take no settings yet). :func:`settings_help` lists every setting (the README's table is
generated from it and a test keeps the two equal).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


def _setting(default, group: str, help: str):
    return field(default=default, metadata={"group": group, "help": help})


@dataclass(frozen=True)
class Settings:
    """The pipeline's tunables (see :func:`settings_help`). Immutable: derive with :meth:`replace`."""

    # ingest
    max_bytes: int = _setting(200 * 1024 * 1024, "ingest",
                              "largest input read, in bytes; a larger one is refused (InputError too-big)")
    max_span: int = _setting(1000, "ingest", "largest colspan (HTML) / gridSpan (DOCX) honoured; larger spans are cut to it")
    max_zip_members: int = _setting(10000, "ingest", "most members a zip archive (or a .docx) may hold; a larger one is refused (InputError zip-bomb)")
    max_expanded_bytes: int = _setting(1024 * 1024 * 1024, "ingest",
                                       "most bytes a zip archive's members may expand to, in all; a member larger than max_bytes is refused on its own")
    max_xml_bytes: int = _setting(64 * 1024 * 1024, "ingest", "largest DOCX document.xml (expanded) read; larger is refused (InputError zip-bomb)")
    max_html_depth: int = _setting(2048, "ingest", "deepest HTML element nesting read; a deeper page (or one whose open tags would make parsing superlinear) is refused (InputError too-deep)")
    # worker isolation
    convert_timeout: float = _setting(120.0, "ingest", "seconds LibreOffice may take to convert one legacy .doc/.wps file to DOCX (InputError convert-failed)")
    time_limit: float = _setting(300.0, "worker", "seconds of wall time one input may take in its worker; then the worker is killed (InputError timeout)")
    memory_limit: int = _setting(2048, "worker", "MB of resident memory a worker may use for one input; above it the worker is killed (InputError memory-limit)")
    # PDF reader
    rule_max_thickness: float = _setting(2.5, "pdf", "points: a path thinner than this is a ruling line")
    rule_min_length: float = _setting(2.0, "pdf", "points: a ruling line shorter than this is ignored")
    snap: float = _setting(2.5, "pdf", "points: rules this close lie on the same grid line / touch each other")
    space_gap: float = _setting(0.15, "pdf", "em: a wider gap between two chars (not both CJK) reads as a space")
    column_gap: float = _setting(2.0, "pdf", "em: a wider gap separates two columns of an unruled table")
    margin: float = _setting(0.1, "pdf", "share of the page height, top and bottom, where page numbers and running heads are dropped")
    table_gap: float = _setting(0.6, "pdf", "em: a page with a gap this wide in some line may hold a table (its rules are read)")
    same_edge: float = _setting(4.0, "pdf", "points: tables with these left/right edges on two pages are one table")
    heading_size: float = _setting(1.2, "pdf", "a line whose characters are this much taller than the body text is heading type")
    max_rules: int = _setting(5000, "pdf", "most ruling lines read on one page; a page with more is read as if unruled")
    max_grid_cells: int = _setting(40000, "pdf", "most atoms (rows × columns) of one ruling grid; a larger grid is ignored (its text is read unruled)")
    # OCR (scanned PDF pages and image files; needs the ocr extra)
    ocr_dpi: int = _setting(150, "ocr", "resolution (dots per inch) at which scanned pages are rendered and images read")
    ocr_det_side: int = _setting(1024, "ocr", "pixels: longest side of the reduced page image the text-line detector sees")
    ocr_threads: int = _setting(1, "ocr", "threads the OCR engine (onnxruntime) uses in one worker")
    ocr_min_confidence: float = _setting(0.9, "ocr", "a value with a character recognised below this confidence (0–1) is uncertain (P214)")
    ocr_seconds_per_page: float = _setting(10.0, "ocr", "seconds added to a worker's time_limit per page of a scanned input")
    ocr_cache: str = _setting("~/.cache/nianbao/ocr", "ocr", "directory of cached OCR results ($NIANBAO_OCR_CACHE overrides; off: no cache)")
    # table solver
    max_candidates: int = _setting(20000, "tables", "most candidate readings kept for one table region before giving up")
    max_combinations: int = _setting(200000, "tables", "most combinations of candidates the solver tries for one table")
    # rules (read from DEFAULT for now)
    similarity_threshold: float = _setting(0.85, "rules", "share of similar text from which a part counts as copied from last year's report")

    def __post_init__(self):
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(f.default, str):
                if not isinstance(value, str):
                    raise ValueError(f"setting {f.name} must be a string, not {value!r}")
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"setting {f.name} must be a positive number, not {value!r}")

    def replace(self, **changes) -> "Settings":
        """A copy with ``changes`` applied (unknown names raise :class:`TypeError`)."""
        return dataclasses.replace(self, **changes)


DEFAULT = Settings()


def settings_help() -> str:
    """A Markdown table of every setting: name, group, default and help line."""
    rows = ["| Setting | Group | Default | Meaning |", "|---|---|---|---|"]
    for f in dataclasses.fields(Settings):
        rows.append(f"| `{f.name}` | {f.metadata['group']} | `{f.default!r}` | {f.metadata['help']} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m nianbao.config: the README's settings table
    print(settings_help())
