"""Expand command-line inputs (files, directories, zip archives) into named byte blobs."""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError

EXTENSIONS = {".txt", ".html", ".htm", ".shtml", ".docx", ".pdf", ".doc"}


def iter_inputs(paths):
    """Yield (name, bytes or InputError) for every report file under the given paths.

    Directories are walked recursively (files with a report extension); a ``.zip`` archive yields
    its members as ``archive.zip!member``.
    """
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and (f.suffix.lower() in EXTENSIONS or f.suffix.lower() == ".zip"):
                    yield from iter_inputs([f])
        elif p.suffix.lower() == ".zip" and p.is_file():
            yield from _zip_members(p)
        else:
            try:
                yield str(p), p.read_bytes()
            except OSError as e:
                yield str(p), InputError("cannot-open", reason=str(e.strerror or e), error=str(e))


def _zip_members(p: Path):
    try:
        with zipfile.ZipFile(p) as z:
            for info in z.infolist():
                name = info.filename
                if info.is_dir() or Path(name).suffix.lower() not in EXTENSIONS:
                    continue
                if info.flag_bits & 0x800 == 0:  # legacy zip names from Chinese Windows are GBK
                    try:
                        name = name.encode("cp437").decode("gbk")
                    except (UnicodeEncodeError, UnicodeDecodeError):
                        pass
                yield f"{p}!{name}", z.read(info)
    except zipfile.BadZipFile:
        yield str(p), InputError("corrupt-zip")
