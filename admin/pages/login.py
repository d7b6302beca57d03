"""登录与退出: the console's own login form, over the same accounts as the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from admin.session import (
    CONSOLE_ROLES, AnyUser, ConsoleRefused, CsrfChecked, check_csrf, clear_cookie, new_session, read_session,
    set_cookie,
)  # fmt: skip
from admin.templating import render
from domain.account import BadCredentials

router = APIRouter(prefix="/admin")


def _safe_next(target: str | None) -> str:
    # Only paths inside the console: never an open redirect to another site.
    if target and target.startswith("/admin/") and not target.startswith("//"):
        return target
    return "/admin/"


@router.get("/login")
def login_form(request: Request, next: str | None = None):
    """登录页."""
    session = read_session(request) or new_session()
    response = render(request, "login.html", csrf=session.csrf, next=_safe_next(next), error=None)
    set_cookie(request, response, session)
    return response


@router.post("/login")
def login(
    request: Request, username: Annotated[str, Form(max_length=64)], password: Annotated[str, Form(max_length=128)],
    csrf_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/admin/",
):  # fmt: skip
    """登录: an operator, regulator or department account; others are refused with 403."""
    session = read_session(request)
    check_csrf(request, session, csrf_token)
    try:
        actor = request.app.state.market.authenticate(username.strip().lower(), password)
    except BadCredentials:
        return render(request, "login.html", status_code=401, csrf=session.csrf, next=_safe_next(next),
                      error="用户名或密码不正确,或账号已停用。", username=username)  # fmt: skip
    if actor.role not in CONSOLE_ROLES:
        raise ConsoleRefused(actor.role)
    fresh = new_session(actor.id)  # a new CSRF token at every login (no session fixation)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_cookie(request, response, fresh)
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, user: AnyUser):
    """退出."""
    response = RedirectResponse("/admin/login", status_code=303)
    clear_cookie(response)
    return response


@router.get("/")
def home(user: AnyUser):
    """首页: regulators land on the dashboard, operators on their review queues."""
    return RedirectResponse("/admin/dashboard" if user.is_regulator else "/admin/queues", status_code=303)
