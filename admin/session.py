"""Who is at the console: a signed session cookie, CSRF tokens on every form, role guards.

The cookie holds only the account name and the session's CSRF token, signed with
``MARKET_TOKEN_SECRET`` (itsdangerous, HMAC-SHA1 over a timestamped payload) and
sent back only to this site (``SameSite=Strict``, ``HttpOnly``). The account's
role is read from the account on every request, so a deactivated account is out
at once. Every POST carries the session's CSRF token (a hidden field, or the
``X-CSRF-Token`` header htmx sends), compared in constant time: the synchroniser
token pattern of the OWASP CSRF cheat sheet, on top of SameSite.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from domain.account import BadCredentials
from domain.base import Actor, Role

COOKIE = "console_session"
MAX_AGE_SECONDS = 8 * 3600  # a working day; then log in again
REGULATORS = (Role.REGULATOR, Role.DEPARTMENT)  # 管理机构、行业主管部门
OPERATORS = (Role.OPERATOR,)  # 运营机构
CONSOLE_ROLES = REGULATORS + OPERATORS
ROLE_NAMES = {
    Role.REGULATOR: "管理机构", Role.DEPARTMENT: "行业主管部门", Role.OPERATOR: "运营机构",
    Role.OWNER_ADMIN: "采购管理人", Role.OWNER_DELEGATE: "采购受托人", Role.AGENCY: "中介机构",
    Role.SYSTEM: "系统",
}  # fmt: skip


class LoginRequired(Exception):
    """No (valid) session: the page sends the browser to the login form."""


class ConsoleRefused(Exception):
    """The account is not one of the console's roles, or not of the page's audience (403)."""

    def __init__(self, role: Role | None, audience: str = "") -> None:
        self.role = role
        self.audience = audience


class CsrfFailed(Exception):
    """A POST without the session's CSRF token (403)."""


@dataclass(frozen=True)
class Session:
    username: str | None
    csrf: str


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.console_secret, salt="console-session")


def read_session(request: Request) -> Session | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(request).loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
        return None
    return Session(data.get("u") if isinstance(data.get("u"), str) else None, data["csrf"])


def new_session(username: str | None = None) -> Session:
    return Session(username, secrets.token_urlsafe(32))


def set_cookie(request: Request, response, session: Session) -> None:
    value = _serializer(request).dumps({"u": session.username, "csrf": session.csrf})
    response.set_cookie(COOKIE, value, max_age=MAX_AGE_SECONDS, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/admin")  # fmt: skip


def clear_cookie(response) -> None:
    response.delete_cookie(COOKIE, path="/admin")


def check_csrf(request: Request, session: Session | None, submitted: str | None) -> None:
    token = submitted or request.headers.get("X-CSRF-Token") or ""
    if session is None or not hmac.compare_digest(token.encode(), session.csrf.encode()):
        raise CsrfFailed()


@dataclass(frozen=True)
class ConsoleUser:
    actor: Actor
    csrf: str

    @property
    def is_regulator(self) -> bool:
        return self.actor.role in REGULATORS

    @property
    def is_operator(self) -> bool:
        return self.actor.role in OPERATORS

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.actor.role, self.actor.role.value)


def current_user(request: Request) -> ConsoleUser:
    """The logged-in console user; LoginRequired or ConsoleRefused otherwise."""
    session = read_session(request)
    if session is None or session.username is None:
        raise LoginRequired()
    try:
        actor = request.app.state.market.account_actor(session.username)
    except BadCredentials:
        raise LoginRequired() from None
    if actor.role not in CONSOLE_ROLES:
        raise ConsoleRefused(actor.role)
    request.state.console_user = ConsoleUser(actor, session.csrf)
    return request.state.console_user


def _audience(roles: tuple[Role, ...], name: str):
    def guard(user: Annotated[ConsoleUser, Depends(current_user)]) -> ConsoleUser:
        if user.actor.role not in roles:
            raise ConsoleRefused(user.actor.role, name)
        return user

    return guard


def csrf_checked(request: Request, csrf_token: Annotated[str | None, Form()] = None) -> None:
    """A dependency of every POST: the form's (or htmx's header) token matches the session's."""
    check_csrf(request, read_session(request), csrf_token)


AnyUser = Annotated[ConsoleUser, Depends(current_user)]
Regulator = Annotated[ConsoleUser, Depends(_audience(REGULATORS, "管理机构、行业主管部门"))]
Operator = Annotated[ConsoleUser, Depends(_audience(OPERATORS, "运营机构"))]
CsrfChecked = Depends(csrf_checked)
