"""Upload one or many files or a zip; parsing runs in the background and each file's progress shows."""
from __future__ import annotations

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import RedirectResponse

from ..deps import AuthDep, ReviewDep, Reviewer
from ..jobs import start_job
from ..pages import render

router = APIRouter()

JOB_STATUS = {"queued": "排队中", "running": "解析中", "done": "已完成", "failed": "中断"}
ITEM_STATUS = {"queued": "等待解析", "parsed": "已解析", "failed": "无法读取"}


async def _files(request: Request) -> list:
    form = await request.form()
    out = []
    for f in form.getlist("files"):
        if isinstance(f, str) or not getattr(f, "filename", None):
            continue
        out.append((f.filename, await f.read()))
    return out


def _start(request: Request, review, auth, files) -> int:
    app = request.app.state
    return start_job(review, files, auth.user["name"], db_url=app.store.url, settings=app.settings,
                     upload_dir=app.upload_dir, workers=app.workers)


@router.get("/upload", include_in_schema=False)
def upload_page(request: Request, auth: Reviewer):
    return render(request, "upload.html", {"max_mb": request.app.state.settings.max_bytes // 1048576})


@router.post("/upload", include_in_schema=False)
async def upload_form(request: Request, review: ReviewDep, auth: Reviewer):
    job_id = _start(request, review, auth, await _files(request))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/api/uploads", tags=["上传"], summary="上传文件或 zip（multipart 字段 files，可多个）；返回后台任务", status_code=202)
async def upload_api(request: Request, review: ReviewDep, auth: Reviewer, files: list[UploadFile] | None = None):
    job_id = _start(request, review, auth, await _files(request))
    return {"job": job_id, "url": f"/api/jobs/{job_id}"}


def _job(review, job_id: int) -> dict:
    j = review.job(job_id)
    j["status_label"] = JOB_STATUS.get(j["status"], j["status"])
    for it in j["items"]:
        it["status_label"] = ITEM_STATUS.get(it["status"], it["status"])
    j["finished"] = j["status"] in ("done", "failed")
    return j


@router.get("/jobs/{job_id}", include_in_schema=False)
def job_page(request: Request, job_id: int, review: ReviewDep, auth: AuthDep):
    return render(request, "job.html", {"job": _job(review, job_id)})


@router.get("/api/jobs/{job_id}", tags=["上传"], summary="后台解析任务的进度（每个文件的状态和原因）")
def job_api(job_id: int, review: ReviewDep, auth: AuthDep):
    return _job(review, job_id)
