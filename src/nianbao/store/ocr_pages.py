"""OCR results kept in the store: the pages of each document that OCR read, by the document's
SHA-256 and the OCR cache key (engine, models, pipeline and settings: :func:`nianbao.ingest.ocr_cache.cache_key`).

``ingest`` and ``reprocess`` hand a document's stored pages to its worker with its bytes
(:func:`stored`); the worker's OCR cache starts from them (:class:`nianbao.ingest.ocr_cache.Seed`) and the
worker returns the pages it had to get elsewhere (:func:`encode`: recognised now, or read from the
user's cache directory), which the writer keeps in the transaction that writes the document
(:func:`keep`). So a document is OCR'd once per store, whatever machine, user or cache directory
reads it again. Table ``ocr_pages`` (migration 11): a row per page, its data zlib-compressed JSON.
"""
from __future__ import annotations

import json
import zlib


def stored(db, sha256: str | None) -> dict:
    """The stored OCR pages of document ``sha256``: ``{cache key: {page index (str): page}}``."""
    out: dict = {}
    if sha256 is None:
        return out
    for key, page, data in db.query("SELECT cache_key, page, data FROM ocr_pages WHERE sha256 = ?", (sha256,)):
        out.setdefault(key, {})[str(page)] = json.loads(zlib.decompress(bytes(data)))
    return out


def encode(seed) -> list:
    """The pages a worker's OCR added to ``seed`` (:class:`~nianbao.ingest.ocr_cache.Seed`), ready to
    store: ``[[cache key, page index, compressed data]]``."""
    return [[key, int(index), zlib.compress(json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode(), 6)]
            for key, pages in seed.fresh.items() for index, page in sorted(pages.items(), key=lambda kv: int(kv[0]))]


def keep(db, results: list, summary) -> None:
    """Store the new OCR pages of worker ``results`` (``res["ocr_pages"]``), inside the caller's
    transaction, after their documents' rows (a page refers to its document: a batch rolled back
    leaves no page behind); count the pages OCR read (``res["ocr_recognised"]``) in ``summary``."""
    rows = []
    for res in results:
        summary.ocr_pages += res.get("ocr_recognised", 0)
        sha = res.get("sha256")
        if sha and res.get("ocr_pages"):
            rows += [(sha, key, index, data) for key, index, data in res["ocr_pages"]]
    for row in rows:  # few (scans only); a page another ingest stored a moment ago is the same page
        db.execute("INSERT INTO ocr_pages (sha256, cache_key, page, data) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (sha256, cache_key, page) DO NOTHING", row)
