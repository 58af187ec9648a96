"""Rendering: Jinja2 templates (autoescaped: every name from a report is shown as text) and the
one error body of the API, ``{"error": {"code", "message"}}``."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from .deps import ROLE_LABELS

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(role_labels=ROLE_LABELS)


def _qs(params: dict, **changes) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "", False)}
    return "?" + urlencode(merged) if merged else ""


templates.env.globals["qs"] = _qs
templates.env.filters["urlpart"] = lambda s: quote(str(s), safe="")


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def render(request: Request, name: str, ctx: dict | None = None, status: int = 200):
    auth = getattr(request.state, "auth", None)
    context = {"auth": auth, "user": auth.user if auth else None, "csrf": auth.csrf if auth else None,
               "path": request.url.path, **(ctx or {})}
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


_TITLES = {400: "请求有误", 401: "请先登录", 403: "无权进行此操作", 404: "找不到页面", 405: "不支持的操作",
           413: "文件太大", 415: "不支持的文件类型", 422: "填写有误", 500: "服务器内部错误"}


def error_response(request: Request, status: int, code: str, message: str):
    if is_api(request):
        return JSONResponse(error_body(code, message), status_code=status)
    if status == 401:
        return RedirectResponse("/login?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe=""),
                                status_code=303)
    return render(request, "error.html", {"status": status, "title": _TITLES.get(status, "出错了"),
                                          "code": code, "message": message}, status=status)


_METHODS = ("get", "post", "put", "patch", "delete")


def api_endpoints(spec: dict) -> list:
    """The OpenAPI description as groups for the docs page: [(tag, [endpoint])]."""
    groups: dict = {}
    for path, ops in spec.get("paths", {}).items():
        for method in _METHODS:
            op = ops.get(method)
            if op is None:
                continue
            body = (op.get("requestBody") or {}).get("content", {})
            schema = None
            for kind, c in body.items():
                ref = (c.get("schema") or {}).get("$ref", "")
                schema = {"type": kind, "name": ref.rsplit("/", 1)[-1] if ref else None,
                          "fields": _fields(spec, ref)}
            groups.setdefault((op.get("tags") or ["其他"])[0], []).append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "params": [{"name": p["name"], "in": {"query": "查询", "path": "路径"}.get(p["in"], p["in"]),
                            "required": p.get("required", False), "description": p.get("description", "")}
                           for p in op.get("parameters", [])],
                "body": schema, "responses": sorted(op.get("responses", {}))})
    return list(groups.items())


def _fields(spec: dict, ref: str) -> list:
    if not ref:
        return []
    schema = spec.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1], {})
    required = set(schema.get("required", []))
    return [{"name": k, "required": k in required} for k in schema.get("properties", {})]
