"""Expand command-line inputs (files, directories, zip archives) into named byte blobs."""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError

EXTENSIONS = {".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".docx", ".pdf", ".doc"}

# files that travel with reports in a folder but are not reports: README.md, LICENSE.txt …
_NOT_REPORTS = {"readme", "license", "licence", "changelog", "copying", "notice", "contributing", "authors"}


def skip_reason(name: str):
    """Why a file found in a folder or zip is not read as a report (None: read it)."""
    stem = Path(name).name.split(".")[0].lower()
    if stem in _NOT_REPORTS:
        return "说明文件，不是年报"
    return None


def iter_inputs(paths, skipped=None):
    """Yield (name, bytes or InputError) for every report file under the given paths.

    Directories are walked recursively (files with a report extension); a ``.zip`` archive yields
    its members as ``archive.zip!member``. Files of a folder or zip that are not reports
    (README, LICENSE …) are left out and, when ``skipped`` is a list, noted there as
    (name, reason).
    """
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and (f.suffix.lower() in EXTENSIONS or f.suffix.lower() == ".zip"):
                    reason = skip_reason(f.name)
                    if reason:
                        if skipped is not None:
                            skipped.append((str(f), reason))
                        continue
                    yield from iter_inputs([f], skipped)
        elif p.suffix.lower() == ".zip" and p.is_file():
            yield from _zip_members(p, skipped)
        else:
            try:
                yield str(p), p.read_bytes()
            except OSError as e:
                yield str(p), InputError("cannot-open", reason=str(e.strerror or e), error=str(e))


def _zip_members(p: Path, skipped=None):
    try:
        with zipfile.ZipFile(p) as z:
            for info in z.infolist():
                name = info.filename
                if info.is_dir() or Path(name).suffix.lower() not in EXTENSIONS:
                    continue
                if skip_reason(name):
                    if skipped is not None:
                        skipped.append((f"{p}!{name}", skip_reason(name)))
                    continue
                if info.flag_bits & 0x800 == 0:  # legacy zip names from Chinese Windows are GBK
                    try:
                        name = name.encode("cp437").decode("gbk")
                    except (UnicodeEncodeError, UnicodeDecodeError):
                        pass
                yield f"{p}!{name}", z.read(info)
    except zipfile.BadZipFile:
        yield str(p), InputError("corrupt-zip")
