"""Sign in and out (form login, session cookie), and personal API tokens."""
from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from ..deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE, AuthDep, ReviewDep, WebError, Writer, open_mode
from ..pages import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never //host or a scheme) is a place to go back to."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/overview"
    return target


@router.get("/login", include_in_schema=False)
def login_page(request: Request, review: ReviewDep, next: str = "/overview", error: str | None = None):
    if open_mode(request, review):
        return RedirectResponse("/overview", status_code=303)
    token = secrets.token_urlsafe(24)
    resp = render(request, "login.html", {"next": _safe_next(next), "login_csrf": token, "error": error})
    resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax", path="/login")
    return resp


@router.post("/login", include_in_schema=False)
def login(request: Request, review: ReviewDep, name: str = Form(""), password: str = Form(""),
          csrf: str = Form(""), next: str = Form("/overview")):
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not csrf or not cookie or not hmac.compare_digest(csrf, cookie):
        raise WebError(403, "csrf", "登录表单已失效（缺少或不符的 CSRF 令牌）：请刷新登录页后重新登录")
    user = review.authenticate(name, password)
    if user is None:
        token = secrets.token_urlsafe(24)
        resp = render(request, "login.html", {"next": _safe_next(next), "login_csrf": token, "name": name,
                                              "error": "用户名或密码不正确：请重新输入；忘记密码请联系管理员"}, status=401)
        resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax", path="/login")
        return resp
    review.end_session(request.cookies.get(SESSION_COOKIE))
    session, _ = review.create_session(user["id"])
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax", path="/")
    resp.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return resp


@router.post("/logout", include_in_schema=False)
def logout(request: Request, review: ReviewDep, auth: Writer):
    review.end_session(request.cookies.get(SESSION_COOKIE))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


@router.get("/api/me", tags=["用户"], summary="当前用户")
def me(auth: AuthDep):
    return {"name": auth.user["name"], "role": auth.user["role"], "via": auth.via}


# ---------------------------------------------------------------- personal API tokens

def _need_account(auth):
    if auth.user["id"] is None:
        raise WebError(400, "no-account", "本机单用户模式没有账号，无法创建个人令牌：请先用 nianbao user add 建立账号")


@router.get("/tokens", include_in_schema=False)
def tokens_page(request: Request, review: ReviewDep, auth: AuthDep, created: str | None = None):
    tokens = review.tokens(auth.user["id"]) if auth.user["id"] is not None else []
    return render(request, "tokens.html", {"tokens": tokens, "new_token": request.state.__dict__.get("new_token")})


@router.post("/tokens", include_in_schema=False)
def create_token_form(request: Request, review: ReviewDep, auth: Writer, name: str = Form("")):
    _need_account(auth)
    t = review.create_token(auth.user["id"], name)
    return render(request, "tokens.html", {"tokens": review.tokens(auth.user["id"]), "new_token": t})


@router.post("/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_token_form(token_id: int, review: ReviewDep, auth: Writer):
    _need_account(auth)
    if not review.revoke_token(auth.user["id"], token_id):
        raise WebError(404, "not-found", "没有这个令牌，或已撤销：请刷新页面")
    return RedirectResponse("/tokens", status_code=303)


class TokenIn(BaseModel):
    name: str = "API"


@router.get("/api/tokens", tags=["用户"], summary="我的个人令牌")
def list_tokens(review: ReviewDep, auth: AuthDep):
    return {"tokens": review.tokens(auth.user["id"]) if auth.user["id"] is not None else []}


@router.post("/api/tokens", tags=["用户"], summary="创建个人令牌（令牌只显示这一次）", status_code=201)
def create_token(body: TokenIn, review: ReviewDep, auth: Writer):
    _need_account(auth)
    return review.create_token(auth.user["id"], body.name)


@router.delete("/api/tokens/{token_id}", tags=["用户"], summary="撤销个人令牌")
def revoke_token(token_id: int, review: ReviewDep, auth: Writer):
    _need_account(auth)
    if not review.revoke_token(auth.user["id"], token_id):
        raise WebError(404, "not-found", "没有这个令牌，或已撤销")
    return {"revoked": token_id}
