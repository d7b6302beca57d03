"""The regulator and operator console (监管与运营控制台), mounted under ``/admin/`` in the API's app.

Pages are rendered on the server (Jinja2) and call the in-process ``Market`` for
writes and the read models for reads, as the API's routes do; htmx swaps parts
of pages, ECharts draws the charts; both are served from ``admin/static/vendor``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from admin.pages import agencies, calendar, dashboard, flags, login, parameters, queues, reports, timeline
from admin.session import ConsoleRefused, CsrfFailed, LoginRequired, clear_cookie
from admin.templating import render

STATIC = Path(__file__).with_name("static")


def install(app: FastAPI, secret: str) -> None:
    """Add the console's pages, its static files and its error pages to ``app``."""
    app.state.console_secret = secret
    app.mount("/admin/static", StaticFiles(directory=STATIC), name="admin-static")
    for module in (login, dashboard, flags, agencies, timeline, reports, queues, calendar, parameters):
        app.include_router(module.router, include_in_schema=False)
    app.include_router(timeline.events_router, include_in_schema=False)

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        response = RedirectResponse(f"/admin/login?next={target}" if request.method == "GET" else "/admin/login", 303)
        if request.headers.get("HX-Request"):
            response.headers["HX-Redirect"] = "/admin/login"
        clear_cookie(response)
        return response

    @app.exception_handler(ConsoleRefused)
    def refused(request: Request, exc: ConsoleRefused):
        return render(request, "refused.html", status_code=403, role=exc.role, audience=exc.audience)

    @app.exception_handler(CsrfFailed)
    def csrf_failed(request: Request, exc: CsrfFailed):
        return render(request, "refused.html", status_code=403, csrf_failed=True)
