"""The cache of OCR results: the pages of a document (its SHA-256) that OCR read, under a key
of engine, models, pipeline and settings (:func:`cache_key`).

Two places keep them: the user's cache directory (:func:`cache_dir`, for ``parse``/``check``) and,
for ``ingest``/``reprocess``, the store (``nianbao.store.ocr_pages``), which hands a worker the
pages it holds as a :class:`Seed` and keeps the pages the worker added. This module never touches
a database: the seed is plain data.
"""
from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from ..config import DEFAULT, Settings


def engine_version() -> str:
    """Engine, its version and its models (names and sizes): part of the cache key."""
    from importlib import metadata
    try:
        version = metadata.version("rapidocr-onnxruntime")
    except metadata.PackageNotFoundError:
        version = "?"
    import rapidocr_onnxruntime
    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    names = sorted(f"{p.name}:{p.stat().st_size}" for p in models.glob("*.onnx")) if models.is_dir() else []
    return f"rapidocr-onnxruntime {version} " + " ".join(names)


def cache_dir(settings: Settings = DEFAULT) -> Optional[Path]:
    """Where OCR results are kept: ``$NIANBAO_OCR_CACHE`` if set, else the ``ocr_cache``
    setting (``~/.cache/nianbao/ocr``); ``off`` keeps nothing."""
    where = os.environ.get("NIANBAO_OCR_CACHE") or settings.ocr_cache
    if where.strip().lower() in ("off", "none", "0", ""):
        return None
    return Path(where).expanduser()


def cache_key(settings: Settings) -> str:
    """The key of OCR results: engine and models (:func:`engine_version`), pipeline version
    (``ocr.PIPELINE``), resolution and detector size."""
    from .ocr import PIPELINE
    parts = [engine_version(), f"pipeline {PIPELINE}", f"dpi {settings.ocr_dpi}", f"det {settings.ocr_det_side}"]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


class Seed:
    """OCR pages known beforehand for one document (a store's: ``{cache key: {page index: page}}``)
    and the pages its :class:`Cache` took from elsewhere while the seed was active (:func:`seeded`):
    ``fresh`` — ``{cache key: {page index: page}}`` not in the seed (recognised now, or read from the
    user cache) — and ``recognised``, how many pages the engine read. ``sha256``: the document's (None:
    the first document OCR'd while active); a cache of other bytes ignores the seed."""

    def __init__(self, sha256: Optional[str] = None, pages: Optional[dict] = None):
        self.sha256 = sha256
        self.pages = pages or {}
        self.fresh: dict = {}
        self.recognised = 0


_SEED: list = []  # the active seed (a worker parses one document at a time)


@contextmanager
def seeded(seed: Seed):
    """Let every :class:`Cache` of ``seed.sha256`` opened in this block start from ``seed.pages``
    and report what it added to ``seed`` (how a store keeps OCR results: :mod:`nianbao.store.work`)."""
    _SEED.append(seed)
    try:
        yield seed
    finally:
        _SEED.remove(seed)


class Cache:
    """The cached pages of one document (``sha256`` of its bytes): page index → page data, from
    the active :class:`Seed` (the store's pages) and the user cache directory (:func:`cache_dir`)."""

    def __init__(self, data: bytes, settings: Settings):
        base = cache_dir(settings)
        self.path = None
        self.pages: dict = {}
        self.seed = None
        self.computed: list = []  # indices of the pages recognised through this cache
        seed = _SEED[-1] if _SEED else None
        if base is None and seed is None:
            return
        sha = hashlib.sha256(data).hexdigest()
        self.key = cache_key(settings)
        if base is not None:
            self.path = base / self.key / sha[:2] / f"{sha}.json"
            try:
                self.pages = json.loads(self.path.read_text(encoding="utf-8"))["pages"]
            except (OSError, ValueError, KeyError, TypeError):
                self.pages = {}
        if seed is not None and seed.sha256 in (None, sha):
            seed.sha256 = sha
            self.seed = seed
            known = seed.pages.get(self.key, {})
            fresh = {i: p for i, p in self.pages.items() if i not in known}  # the user cache's
            if fresh:
                seed.fresh.setdefault(self.key, {}).update(fresh)
            self.pages.update(known)

    def get(self, index: int) -> Optional[dict]:
        return self.pages.get(str(index))

    def put(self, index: int, page: dict) -> None:
        """Keep page ``index``, just recognised."""
        self.pages[str(index)] = page
        self.computed.append(index)
        if self.seed is not None:
            self.seed.fresh.setdefault(self.key, {})[str(index)] = page
            self.seed.recognised += 1
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"pages": self.pages}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only home: OCR again next time
