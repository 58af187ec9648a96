"""The unit of work that runs on a worker (a local process or a Dask worker): bytes → result dict.

It must stay picklable and import-light; it never touches the database.
"""
from __future__ import annotations

import hashlib


def parse_and_check(name: str, data) -> dict:
    """Parse and audit one document. Returns a plain dict (safe to send between processes)."""
    from ..errors import InputError
    from ..parsing import parse
    from ..rules import check

    if isinstance(data, InputError):
        return {"name": name, "sha256": None, "size": 0, "error": [data.code, data.zh, data.en]}
    sha = hashlib.sha256(data).hexdigest()
    out = {"name": name, "sha256": sha, "size": len(data)}
    try:
        report = parse(data, filename=name)
    except InputError as e:
        out["error"] = [e.code, e.zh, e.en]
        return out
    except Exception as e:  # a parser defect is recorded with its reason; the batch goes on
        err = InputError("internal-error", error=f"{type(e).__name__}: {e}", message=str(e))
        out["error"] = [err.code, err.zh, err.en]
        return out
    out["format"] = report.format
    out["record"] = report.to_dict(full=True)
    out["findings"] = [f.to_dict() for f in check(report)]
    return out


def parse_and_check_many(items: list) -> list:
    """A batch of (name, data) for one task: fewer, larger tasks cost less scheduling."""
    return [parse_and_check(name, data) for name, data in items]
