"""The corpus store: documents, reports, cells, parts and findings in SQLite or PostgreSQL."""
from .corpus import Corpus, IngestSummary
from .db import DEFAULT_URL, Database, StoreError

__all__ = ["Corpus", "IngestSummary", "Database", "DEFAULT_URL", "StoreError"]
