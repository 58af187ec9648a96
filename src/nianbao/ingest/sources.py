"""Expand command-line inputs (files, directories, zip archives) into named byte blobs.

Caps hold *before* anything is read: only regular files are opened (a FIFO, a device, a socket
or a link to one such as ``/dev/zero`` is refused from its ``stat``); a file larger than
``max_bytes`` is refused from its size; a zip archive is refused from its central directory
when it declares more members than ``max_zip_members`` or more expanded bytes than
``max_expanded_bytes``, a member declaring more than ``max_bytes`` is refused alone, and a
member is read with a cap whatever it declares. A zip inside a zip is stated, not expanded.
"""
from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from ..config import DEFAULT, Settings
from ..errors import InputError

EXTENSIONS = {".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".docx", ".pdf", ".doc", ".wps", ".ofd",
              ".png", ".jpg", ".jpeg", ".tif", ".tiff"}

# what the other files of a folder or zip are, for the note that says why they were not read
_OTHER_KINDS = {".xls": "电子表格", ".xlsx": "电子表格", ".et": "电子表格（WPS）", ".csv": "数据表", ".ppt": "演示文稿",
          ".pptx": "演示文稿", ".dps": "演示文稿（WPS）", ".odt": "OpenDocument 文档", ".rtf": "RTF 文档",
          ".rar": "RAR 压缩包", ".7z": "7z 压缩包", ".json": "数据文件", ".xml": "XML 数据文件",
          ".gif": "图片", ".bmp": "图片", ".mp4": "视频", ".exe": "程序"}


def other_reason(name: str) -> str:
    """Why a file of a folder or zip with no report extension is not read: its real kind."""
    suffix = Path(name).suffix.lower()
    if not suffix:
        return "没有扩展名，未读取（如为年报，请单独指定该文件）"
    kind = _OTHER_KINDS.get(suffix)
    if kind:
        return f"{kind}（{suffix}）不是年报文档格式，未读取"
    return f"扩展名为 {suffix} 的文件不是可读取的年报格式，未读取"

# files that travel with reports in a folder but are not reports: README.md, LICENSE.txt …
_NOT_REPORTS = {"readme", "license", "licence", "changelog", "copying", "notice", "contributing", "authors"}


def skip_reason(name: str):
    """Why a file found in a folder or zip is not read as a report (None: read it)."""
    stem = Path(name).name.split(".")[0].lower()
    if stem in _NOT_REPORTS:
        return "说明文件，不是年报"
    return None


def display_name(p) -> str:
    """A path as text, whatever bytes its name holds (a GBK file name on a UTF-8 system is shown
    with its undecodable bytes escaped, never raising)."""
    s = os.fsdecode(p) if not isinstance(p, str) else p
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        raw = os.fsencode(s)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", errors="backslashreplace")


def _too_big(size: int, limit: int) -> InputError:
    return InputError("too-big", size=size, mb=size // 1048576, limit_mb=limit // 1048576)


_KINDS = ((stat.S_ISFIFO, "命名管道 FIFO", "FIFO"), (stat.S_ISCHR, "字符设备", "character device"),
          (stat.S_ISBLK, "块设备", "block device"), (stat.S_ISSOCK, "套接字", "socket"), (stat.S_ISDIR, "目录", "directory"))


def _not_regular(mode: int) -> InputError:
    zh, en = next(((zh, en) for test, zh, en in _KINDS if test(mode)), ("特殊文件", "special file"))
    return InputError("not-regular-file", kind=zh, kind_en=en)


def open_regular(p):
    """``p`` opened for reading (binary) if it is a regular file; else an :class:`InputError`
    (``not-regular-file``, ``cannot-open``) raised from its ``stat``, before it is opened."""
    try:
        st = os.stat(p)
    except OSError as e:
        raise InputError("cannot-open", reason=str(e.strerror or e), error=str(e)) from None
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(st.st_mode)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise InputError("cannot-open", reason=str(e.strerror or e), error=str(e)) from None
    st = os.fstat(fd)  # the file opened is the file checked (no swap in between)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise _not_regular(st.st_mode)
    return os.fdopen(fd, "rb")


def read_regular(p, settings: Settings | None = None) -> bytes:
    """The bytes of ``p`` if it is a regular file no larger than ``max_bytes``; else an
    :class:`InputError` (``not-regular-file``, ``too-big``, ``cannot-open``) raised before reading."""
    settings = settings or DEFAULT
    with open_regular(p) as f:
        try:
            size = os.fstat(f.fileno()).st_size
            if size > settings.max_bytes:
                raise _too_big(size, settings.max_bytes)
            data = f.read(settings.max_bytes + 1)
        except OSError as e:
            raise InputError("cannot-open", reason=str(e.strerror or e), error=str(e)) from None
    if len(data) > settings.max_bytes:
        raise _too_big(len(data), settings.max_bytes)
    return data


def iter_inputs(paths, skipped=None, settings: Settings | None = None, *, read: bool = True):
    """Yield (name, bytes or InputError) for every report file under the given paths, one file
    read at a time (``read=False``: None in place of the bytes, nothing read: to count them).

    Directories are walked recursively (files with a report extension); a ``.zip`` archive yields
    its members as ``archive.zip!member``. Files of a folder or zip that are not reports
    (README, LICENSE …) are left out and, when ``skipped`` is a list, noted there as
    (name, reason). Special files (FIFOs, devices, links to them) yield ``not-regular-file``.
    """
    settings = settings or DEFAULT
    for p in map(Path, paths):
        name = display_name(str(p))
        try:
            is_dir = p.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            for f in sorted(p.rglob("*"), key=lambda f: f.parts):  # as paths compare, without their slow __lt__
                try:
                    if f.is_dir():
                        continue
                except OSError:
                    pass
                if f.suffix.lower() in EXTENSIONS or f.suffix.lower() == ".zip":
                    reason = skip_reason(f.name)
                    if reason:
                        if skipped is not None:
                            skipped.append((display_name(str(f)), reason))
                        continue
                    yield from iter_inputs([f], skipped, settings, read=read)
                elif skipped is not None and not f.name.endswith(".expected.json") and not f.name.startswith("."):
                    skipped.append((display_name(str(f)), skip_reason(f.name) or other_reason(f.name)))
        elif p.suffix.lower() == ".zip":
            try:
                f = open_regular(p)
            except InputError as e:
                yield name, e
                continue
            with f:
                yield from _zip_members(name, f, settings, skipped, read)
        else:
            try:
                yield name, read_regular(p, settings) if read else None
            except InputError as e:
                yield name, e


def check_zip(z: zipfile.ZipFile, settings: Settings) -> None:
    """Refuse a zip from its central directory: too many members, too many declared bytes."""
    infos = z.infolist()
    if len(infos) > settings.max_zip_members:
        raise InputError("zip-bomb", reason=f"{len(infos)} 个成员，上限 {settings.max_zip_members}",
                         detail=f"{len(infos)} members, limit {settings.max_zip_members}")
    total = sum(i.file_size for i in infos)
    if total > settings.max_expanded_bytes:
        raise InputError("zip-bomb", reason=f"解压后共 {total} 字节，上限 {settings.max_expanded_bytes}",
                         detail=f"{total} bytes expanded, limit {settings.max_expanded_bytes}")


def read_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, at most ``limit`` whatever its header declares (else ``too-big``)."""
    if info.file_size > limit:
        raise _too_big(info.file_size, limit)
    with z.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise _too_big(len(data), limit)
    return data


def _zip_members(name: str, f, settings: Settings, skipped=None, read: bool = True):
    try:
        with zipfile.ZipFile(f) as z:
            try:
                check_zip(z, settings)
            except InputError as e:
                yield name, e
                return
            for info in z.infolist():
                member = info.filename
                if info.flag_bits & 0x800 == 0:  # legacy zip names from Chinese Windows are GBK
                    try:
                        member = member.encode("cp437").decode("gbk")
                    except (UnicodeEncodeError, UnicodeDecodeError):
                        pass
                suffix = Path(member).suffix.lower()
                if info.is_dir():
                    continue
                if suffix not in EXTENSIONS and suffix != ".zip":
                    if skipped is not None:
                        skipped.append((f"{name}!{member}", skip_reason(member) or other_reason(member)))
                    continue
                if skip_reason(member):
                    if skipped is not None:
                        skipped.append((f"{name}!{member}", skip_reason(member)))
                    continue
                if suffix == ".zip":
                    yield f"{name}!{member}", InputError("nested-zip")
                    continue
                try:
                    yield f"{name}!{member}", read_member(z, info, settings.max_bytes) if read else None
                except InputError as e:
                    yield f"{name}!{member}", e
                except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
                    yield f"{name}!{member}", InputError("corrupt-zip")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        yield name, InputError("corrupt-zip")


def read_table_rows(path):
    """The non-empty rows of a small table file given by a user (a roster, a manifest): CSV in
    UTF-8 or GB18030, or the first sheet of an XLSX; cells as stripped text. ``None`` when a CSV's
    encoding cannot be read; an XLSX that cannot be opened raises ``ValueError``."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook
        try:
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        except Exception as e:  # openpyxl raises many kinds for a broken file
            raise ValueError(type(e).__name__) from None
        rows = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        import csv
        import io
        data = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    return [r for r in rows if any(r)]
