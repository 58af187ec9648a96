"""Dependencies shared by the routers: the store (one connection per thread), who is asking, and
the checks every request passes (signed in, role, CSRF token on every form post)."""
from __future__ import annotations

import hmac
import ipaddress
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Optional

from fastapi import Depends, Request

from ..store import Corpus
from ..store.review import Review

SESSION_COOKIE = "nianbao_session"
LOGIN_CSRF_COOKIE = "nianbao_login_csrf"
LOCAL_USER = {"id": None, "name": "本机用户", "role": "admin"}
RANK = {"viewer": 0, "reviewer": 1, "admin": 2}
ROLE_LABELS = {"admin": "管理员", "reviewer": "审核员", "viewer": "只读"}


class WebError(Exception):
    """An error shown as a Chinese page or as the API's error envelope."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Store:
    """A small pool of store connections (:class:`Corpus` + :class:`Review`): each request holds one
    for its duration, never shared, and the number of connections stays bounded."""

    def __init__(self, url: str, size: int = 8):
        self.url = url
        self.size = size
        self._idle: list = []
        self._count = 0
        self._cond = threading.Condition()
        self._idle.append(self._open())  # migrations run here, once, before the first request

    def _open(self) -> Review:
        self._count += 1
        return Review(Corpus(self.url))

    def acquire(self) -> Review:
        with self._cond:
            while not self._idle and self._count >= self.size:
                self._cond.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return Review(Corpus(self.url))
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def release(self, review: Review) -> None:
        with self._cond:
            self._idle.append(review)
            self._cond.notify()

    @contextmanager
    def use(self):
        review = self.acquire()
        try:
            yield review
        finally:
            self.release(review)

    def close(self) -> None:
        with self._cond:
            for r in self._idle:
                try:
                    r.corpus.close()
                except Exception:
                    pass
            self._count -= len(self._idle)
            self._idle = []


def get_review(request: Request):
    store = request.app.state.store
    review = store.acquire()
    try:
        yield review
    finally:
        store.release(review)


ReviewDep = Annotated[Review, Depends(get_review)]


@dataclass
class Auth:
    user: dict
    csrf: Optional[str]  # None when authenticated by an API token (no cookie: no CSRF to guard against)
    via: str  # session | token | open
    new_session: Optional[str] = None  # a session token to set as cookie (open mode's first visit)

    def can(self, role: str) -> bool:
        return RANK[self.user["role"]] >= RANK[role]


def open_mode(request: Request, review: Review) -> bool:
    """No users yet and bound to a loopback address: one local user, no sign-in."""
    return request.app.state.loopback and review.count_users() == 0


def authenticate(request: Request, review: Review) -> Optional[Auth]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = review.token_user(header[7:].strip())
        return Auth(user, None, "token") if user else None
    sess = review.session(request.cookies.get(SESSION_COOKIE))
    if sess is not None:
        if sess["open"]:
            if not open_mode(request, review):
                return None  # users exist now: the open session ends
            return Auth(dict(LOCAL_USER), sess["csrf"], "open")
        return Auth(sess["user"], sess["csrf"], "session")
    if open_mode(request, review):
        token, csrf = review.create_session(None)
        return Auth(dict(LOCAL_USER), csrf, "open", new_session=token)
    return None


def current(request: Request, review: ReviewDep) -> Auth:
    auth = getattr(request.state, "auth", None)
    if auth is None:
        auth = authenticate(request, review)
        if auth is None:
            raise WebError(401, "not-signed-in", "请先登录：会话已过期或尚未登录（API 请使用个人令牌：Authorization: Bearer …）")
        request.state.auth = auth
    return auth


AuthDep = Annotated[Auth, Depends(current)]


async def csrf_checked(request: Request, auth: AuthDep) -> Auth:
    """Every state-changing request made with a cookie carries the session's CSRF token (form field
    ``csrf`` or header ``X-CSRF-Token``); requests with an API token have no cookie to abuse."""
    if auth.csrf is None or request.method in ("GET", "HEAD", "OPTIONS"):
        return auth
    sent = request.headers.get("x-csrf-token")
    if not sent and request.headers.get("content-type", "").startswith(("multipart/form-data",
                                                                        "application/x-www-form-urlencoded")):
        form = await request.form()
        sent = form.get("csrf")
    if not sent or not hmac.compare_digest(str(sent), auth.csrf):
        raise WebError(403, "csrf", "表单已失效（缺少或不符的 CSRF 令牌）：请刷新页面后重新提交")
    return auth


def role(minimum: str):
    async def check(auth: Annotated[Auth, Depends(csrf_checked)]) -> Auth:
        if not auth.can(minimum):
            raise WebError(403, "forbidden", f"权限不足：此操作需要“{ROLE_LABELS[minimum]}”或更高角色，请联系管理员")
        return auth
    return check


Reviewer = Annotated[Auth, Depends(role("reviewer"))]
Admin = Annotated[Auth, Depends(role("admin"))]
Writer = Annotated[Auth, Depends(role("viewer"))]  # any signed-in user, CSRF checked (tokens, logout)
