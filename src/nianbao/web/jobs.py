"""Uploads: checked in full before anything is written, then parsed in the background.

An upload is refused as a whole (nothing written, no job) when a file is of a type no report has
(judged by content, not by name), larger than the ingest cap, or a zip whose central directory
names a path outside the archive (``../``, ``/etc``, ``C:``) or declares more members or expanded
bytes than :mod:`nianbao.ingest.sources` allows. Accepted files go to a job folder; a separate
process (``python -m nianbao.web.jobs``) runs :meth:`Corpus.ingest` on them — each document in an
isolated worker, identity by the store — and records per-file progress in the job's rows.
"""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path, PurePosixPath

from ..config import DEFAULT, Settings
from ..errors import InputError
from ..ingest.sources import check_zip
from ..store.review import Review
from .deps import WebError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def kind_of(data: bytes) -> str | None:
    """What the bytes are (``pdf``, ``zip``, ``ole``, ``text``), from their content; None: no report."""
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if data[:8] == _OLE:
        return "ole"
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 text
        return "text"
    if b"\x00" in head:
        return None
    if re.match(rb"^\s*(\x89PNG|GIF8|\xff\xd8\xff|MZ|\x7fELF|Rar!|7z\xbc\xaf)", head[:8]):
        return None
    return "text"


def _bad_member(name: str) -> bool:
    n = name.replace("\\", "/")
    return n.startswith("/") or re.match(r"^[A-Za-z]:", n) is not None or ".." in PurePosixPath(n).parts


def check_upload(files: list, settings: Settings) -> None:
    """Refuse the whole upload (:class:`WebError`) when any file fails a check."""
    if not files:
        raise WebError(400, "no-files", "没有选择文件：请选择或拖入一个或多个年报文件（PDF、HTML、DOCX、TXT）或 zip 压缩包")
    for name, data in files:
        if not data:
            raise WebError(400, "empty", f"“{name}”是空文件：请检查后重新上传")
        if len(data) > settings.max_bytes:
            raise WebError(413, "too-big", f"“{name}”太大（{len(data) // 1048576} MB，上限 {settings.max_bytes // 1048576} MB）")
        kind = kind_of(data)
        if kind is None:
            raise WebError(415, "unsupported-type", f"“{name}”不是年报文件（按内容判断：图片、程序或其他二进制文件）："
                                                    "请上传 PDF、HTML、DOCX、TXT 或其 zip 压缩包")
        if kind == "zip":
            try:
                z = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                raise WebError(400, "corrupt-zip", f"“{name}”是损坏的 zip 文件：请重新压缩后上传") from None
            with z:
                if b"word/" in data[:65536] or any(i.filename.startswith("word/") for i in z.infolist()[:50]):
                    continue  # a .docx: its own caps apply when it is read
                bad = next((i.filename for i in z.infolist() if _bad_member(i.filename)), None)
                if bad is not None:
                    raise WebError(400, "unsafe-zip", f"“{name}”含有指向压缩包以外的路径（{bad}）：已拒绝，未写入任何内容")
                try:
                    check_zip(z, settings)
                except InputError as e:
                    raise WebError(413, "zip-bomb", f"“{name}”解压后过大或成员过多（{e.zh}）：已拒绝，未写入任何内容") from None


def _safe_name(name: str, used: set) -> str:
    base = re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "_", PurePosixPath(name.replace("\\", "/")).name).strip(" .") or "upload"
    base = base[:150]
    out, n = base, 1
    while out.lower() in used:
        n += 1
        stem, dot, ext = base.rpartition(".")
        out = f"{stem}({n}).{ext}" if dot else f"{base}({n})"
    used.add(out.lower())
    return out


def upload_root(configured: str | None) -> Path:
    root = Path(configured or Path(tempfile.gettempdir()) / "nianbao-uploads")
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def start_job(review: Review, files: list, user: str, *, db_url: str, settings: Settings,
              upload_dir: str | None = None, workers: int | None = None) -> int:
    """Check the upload, write it to a job folder and start parsing it in the background."""
    check_upload(files, settings)
    job_id = review.create_job(user)
    folder = upload_root(upload_dir) / f"job-{job_id}"
    folder.mkdir(mode=0o700)
    used: set = set()
    names = []
    for name, data in files:
        safe = _safe_name(name, used)
        (folder / safe).write_bytes(data)
        names.append(safe)
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.Popen([sys.executable, "-m", "nianbao.web.jobs", str(job_id), db_url, str(workers or 0), *names],
                            cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=open(folder / "job.log", "wb"), start_new_session=True)
    threading.Thread(target=proc.wait, daemon=True).start()  # reaped when done
    return job_id


def run_job(job_id: int, db_url: str, names: list, workers: int | None = None, settings: Settings | None = None) -> None:
    """The background side: list the inputs (zip members too), then ingest them, one row per input."""
    from ..ingest.sources import iter_inputs
    from ..store import Corpus
    import hashlib

    settings = settings or DEFAULT
    with Corpus(db_url) as corpus:
        review = Review(corpus)
        try:
            skipped: list = []
            items = []
            for name, blob in iter_inputs(names, skipped, settings=settings):
                if isinstance(blob, InputError):
                    items.append((name, None, "queued", None))
                else:
                    items.append((name, hashlib.sha256(blob).hexdigest(), "queued", None))
            review.job_items(job_id, items)
            done = [0]

            def settle(i):
                name, sha = items[i][0], items[i][1]
                status, reason, report_id = review.document_result(sha, name)
                if status is None:  # read, its batch not written yet: settled at the end
                    review.job_item_done(job_id, i, "parsing", None, None)
                    return False
                review.job_item_done(job_id, i, "parsed" if status == "parsed" else "failed", reason, report_id)
                return True

            pending = []

            def progress(n):
                for _ in range(n):
                    i = done[0]
                    done[0] += 1
                    if i < len(items) and not settle(i):
                        pending.append(i)

            corpus.ingest(names, workers=workers or min(4, os.cpu_count() or 1), progress=progress, settings=settings)
            for i in pending:  # every batch is written now
                if not settle(i):
                    review.job_item_done(job_id, i, "failed", "未入库", None)
            note = f"另有 {len(skipped)} 个文件不是年报，已跳过" if skipped else None
            review.finish_job(job_id, "done", note)
        except BaseException as e:  # recorded for the page; the server goes on
            review.finish_job(job_id, "failed", f"后台解析中断：{type(e).__name__}: {str(e)[:300]}")
            raise
        finally:  # the store keeps what it needs of each document; the upload's copies go
            for name in names:
                try:
                    os.unlink(name)
                except OSError:
                    pass


if __name__ == "__main__":
    _job, _url, _workers, *_names = sys.argv[1:]
    run_job(int(_job), _url, _names, int(_workers) or None)
