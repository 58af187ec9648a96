"""Provenance: where each document came from, from a manifest CSV given to ``ingest --manifest``.

The manifest has a header row with the columns 文件/file (the path or file name as ingested), and
any of 来源/source_url/url, 发布日期/published/date, 索引号/index_no. A row is matched to a stored
document by its recorded paths (the exact path, else the file name when only one document has it);
rows that match nothing are returned so the caller can say so.
"""
from __future__ import annotations

from pathlib import PurePath

_COLUMNS = {"file": ("文件", "文件名", "file", "path", "name"), "source_url": ("来源", "网址", "source_url", "url", "source"),
            "published": ("发布日期", "日期", "published", "date"), "index_no": ("索引号", "index_no", "index")}


class ManifestError(ValueError):
    def __init__(self, zh: str):
        super().__init__(zh)
        self.zh = zh


def read_manifest(path) -> list:
    from ..ingest.sources import read_table_rows
    try:
        rows = read_table_rows(path)
    except ValueError as e:
        raise ManifestError(f"清单文件无法打开：{e}") from None
    if rows is None:
        raise ManifestError("清单文件的编码无法识别：请另存为 UTF-8 的 CSV")
    if not rows:
        raise ManifestError("清单文件是空的")
    header = [h.strip().lower() for h in rows[0]]
    where = {k: next((i for i, h in enumerate(header) if h in names), None) for k, names in _COLUMNS.items()}
    if where["file"] is None:
        raise ManifestError("清单文件第一行应为表头，且含“文件”一列（可选：来源、发布日期、索引号）")
    out = []
    for r in rows[1:]:
        get = lambda k: (r[where[k]].strip() if where[k] is not None and where[k] < len(r) else "") or None  # noqa: E731
        if get("file"):
            out.append({k: get(k) for k in _COLUMNS})
    return out


def attach_manifest(db, rows: list, manifest_file: str = "") -> list:
    """Record each row's provenance on its document; returns the file names that matched none."""
    paths = db.query("SELECT document_id, path FROM document_paths")
    by_path = {p: d for d, p in paths}
    by_name: dict = {}
    for d, p in paths:
        by_name.setdefault(PurePath(p.split("!")[-1]).name, set()).add(d)
    unmatched = []
    with db.transaction():
        for row in rows:
            doc = by_path.get(row["file"])
            if doc is None:
                ids = by_name.get(PurePath(row["file"]).name, set())
                doc = next(iter(ids)) if len(ids) == 1 else None
            if doc is None:
                unmatched.append(row["file"])
                continue
            db.execute("DELETE FROM provenance WHERE document_id = ?", (doc,))
            db.execute("INSERT INTO provenance (document_id, source_url, published, index_no, manifest_file) "
                       "VALUES (?, ?, ?, ?, ?)", (doc, row["source_url"], row["published"], row["index_no"], manifest_file))
    return unmatched


def provenance_of(db) -> dict:
    """{document sha256: {source_url, published, index_no}}."""
    return {sha: {"source_url": u, "published": p, "index_no": i} for sha, u, p, i in db.query(
        "SELECT d.sha256, v.source_url, v.published, v.index_no FROM provenance v JOIN documents d ON d.id = v.document_id")}
