"""What every console page shares: a read connection, commands as the user, flash messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Connection

from admin.session import ConsoleUser
from admin.templating import render
from domain.errors import DomainError

FLASH = "console_flash"
READ_WAIT_SECONDS = 5.0


@contextmanager
def reads(request: Request) -> Iterator[Connection]:
    with request.app.state.read_models.connect() as conn:
        yield conn


def market(request: Request) -> Any:
    return request.app.state.market


def caught_up(request: Request) -> None:
    """Wait (briefly) until the read models show what was just written: the next page reads them."""
    runner = request.app.state.runner
    if runner is None:
        request.app.state.read_models.catch_up()
        return
    try:
        runner.wait_until_caught_up(request.app.state.read_models.head(), timeout=READ_WAIT_SECONDS)
    except TimeoutError:
        pass  # the page shows what is there; a refresh shows the rest


def command(request: Request, user: ConsoleUser, name: str, *args: Any, **kw: Any) -> tuple[Any, str | None]:
    """Run a market command as ``user``: its result and None, or None and the refusal in Chinese."""
    try:
        result = getattr(market(request), name)(*args, by=user.actor, **kw)
    except DomainError as error:
        detail = f"({error.detail})" if error.detail not in (None, "") else ""
        return None, f"{error.zh}{detail} [{error.code}]"
    caught_up(request)
    return result, None


def back(url: str, text: str, kind: str = "ok") -> RedirectResponse:
    """Post/redirect/get, with a one-time message for the next page."""
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(FLASH, quote(f"{kind}|{text}"), max_age=60, httponly=True, samesite="strict", path="/admin")
    return response


def take_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH)
    if not raw:
        return None
    kind, _, text = unquote(raw).partition("|")
    return {"kind": "error" if kind == "error" else "ok", "text": text[:500]}


def page(request: Request, name: str, **context: Any):
    """Render a page, showing (and clearing) the flash message left by the previous POST."""
    flash = take_flash(request)
    response = render(request, name, flash=flash, **context)
    if flash is not None:
        response.delete_cookie(FLASH, path="/admin")
    return response
