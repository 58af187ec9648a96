"""The web app: ``create_app(db_url)`` → a FastAPI application (``nianbao serve`` runs it with uvicorn).

Pages in Chinese and their JSON twins under ``/api/`` are thin shells over the store
(:mod:`nianbao.store.review`) and the library; scripts, styles and the API docs page are served
from this package (nothing is loaded from the internet).
"""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import DEFAULT, Settings
from ..store.review import ReviewError
from .deps import SESSION_COOKIE, AuthDep, Store, WebError, is_loopback
from .pages import HERE, api_endpoints, error_response, render

_SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


class StartupRefused(RuntimeError):
    """The server must not start (bound beyond this machine without an administrator)."""


def check_startup(review, host: str) -> str:
    """Whether ``nianbao serve`` may start on ``host``: ``"open"`` (loopback, no users: one local
    user, no sign-in), ``"login"``; raises :class:`StartupRefused` on another address without an admin."""
    if is_loopback(host):
        return "open" if review.count_users() == 0 else "login"
    if not review.has_admin():
        raise StartupRefused(f"拒绝在 {host} 上启动：绑定到本机以外的地址时必须先有管理员账号。"
                             "请先运行 nianbao user add 名字 --role admin（会提示输入密码），或改用 --host 127.0.0.1。")
    return "login"


def create_app(db_url: str | None = None, *, host: str = "127.0.0.1", settings: Settings | None = None,
               max_upload_bytes: int | None = None, upload_dir: str | None = None, workers: int | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app):
        yield
        app.state.store.close()

    app = FastAPI(lifespan=lifespan, title="nianbao 年报核查", version="1", docs_url=None, redoc_url=None,
                  openapi_url=None,
                  description="政府信息公开工作年度报告：上传、核查、审核。所有页面均有 /api/ 下的 JSON 对应接口；"
                              "错误统一为 {\"error\": {\"code\", \"message\"}}。认证：会话 Cookie（表单需 CSRF 令牌）"
                              "或个人令牌 Authorization: Bearer …")
    store = Store(db_url or "sqlite:///nianbao.db")
    app.state.store = store
    app.state.loopback = is_loopback(host)
    app.state.settings = settings or DEFAULT
    app.state.max_upload_bytes = max_upload_bytes or (app.state.settings.max_bytes + 1024 * 1024)
    app.state.upload_dir = upload_dir
    app.state.workers = workers
    with store.use() as review:
        check_startup(review, host)

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from .routes import auth, compare, dashboard, plots, reports, rules, source, uploads
    for r in (auth.router, dashboard.router, plots.router, compare.router, reports.router, source.router,
              uploads.router, rules.router):
        app.include_router(r)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        length = request.headers.get("content-length")
        if request.method == "POST" and length and length.isdigit() and int(length) > app.state.max_upload_bytes:
            return error_response(request, 413, "too-big",
                                  f"上传内容太大（上限 {app.state.max_upload_bytes // 1048576} MB）：请分批上传，或压缩后再传")
        response = await call_next(request)
        for k, v in _SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        auth = getattr(request.state, "auth", None)
        if auth is not None and auth.new_session:
            response.set_cookie(SESSION_COOKIE, auth.new_session, httponly=True, samesite="lax", path="/")
        return response

    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError):
        return error_response(request, exc.status, exc.code, exc.message)

    @app.exception_handler(ReviewError)
    async def review_error(request: Request, exc: ReviewError):
        return error_response(request, 404 if exc.code == "not-found" else 400, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        messages = {404: "找不到这个地址：请从报告列表进入，或检查链接是否完整", 405: "不支持这种请求方式"}
        msg = messages.get(exc.status_code) or (exc.detail if isinstance(exc.detail, str) else "请求有误")
        return error_response(request, exc.status_code, {404: "not-found", 405: "method-not-allowed"}.get(
            exc.status_code, "http-error"), msg)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        fields = "、".join(".".join(str(x) for x in e.get("loc", ())[1:]) or "?" for e in exc.errors()[:5])
        return error_response(request, 422, "invalid", f"填写有误或缺少内容（{fields}）：请检查后重新提交")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        return error_response(request, 500, "internal-error",
                              f"服务器内部错误（{type(exc).__name__}）：请稍后重试；若一再出现，请把此页地址告诉管理员")

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi(auth: AuthDep):
        return JSONResponse(app.openapi())

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request, auth: AuthDep):
        return render(request, "apidocs.html", {"endpoints": api_endpoints(app.openapi())})

    return app
