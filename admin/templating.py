"""Pages are Jinja2 templates; the filters every page uses: Shanghai time, yuan, labels.

Times are stored in UTC and shown in Asia/Shanghai (the market's business time);
amounts are shown in yuan with thousands separators and two decimals, whether a
read model keeps them in fen (``*_fen`` columns) or in yuan (Decimal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates

from admin import labels

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))


def shanghai(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A moment in Asia/Shanghai; ISO strings (event data) are parsed first."""
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo("UTC"))
        return value.astimezone(SHANGHAI).strftime(fmt)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def yuan(value: Any) -> str:
    """¥1,234,567.89 from yuan (Decimal, int, float or a numeric string)."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return f"¥{amount:,.2f}"


def fen_yuan(value: Any) -> str:
    """¥ from an amount kept in fen (分)."""
    if value in (None, ""):
        return "—"
    return yuan(Decimal(int(value)) / 100)


def percent(value: Any, digits: int = 1) -> str:
    if value in (None, ""):
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def number(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


TEMPLATES.env.filters.update(
    shanghai=shanghai, yuan=yuan, fen_yuan=fen_yuan, percent=percent, number=number,
    flag_code=labels.flag_code, severity=labels.severity, flag_status=labels.flag_status,
    procurement_status=labels.procurement_status, agency_status=labels.agency_status, role=labels.role,
    event_name=labels.event_name, method=labels.method, case_status=labels.case_status, figure=labels.figure,
)  # fmt: skip


@dataclass(frozen=True)
class Pager:
    """Page n of a list (20 a page): the query fetches one row more to know if a next page exists."""

    page: int
    size: int = 20

    @classmethod
    def of(cls, page: int | None, size: int = 20) -> Pager:
        return cls(max(1, min(page or 1, 10_000)), size)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def fetch(self) -> int:
        return self.size + 1

    def cut(self, rows: list[Any]) -> tuple[list[Any], bool]:
        return rows[: self.size], len(rows) > self.size


def page_url(request: Request, page: int) -> str:
    """This list's address on another page, keeping its filters."""
    params = {k: v for k, v in request.query_params.items() if k != "page" and v != ""}
    params["page"] = str(page)
    return f"{request.url.path}?{urlencode(params)}"


TEMPLATES.env.globals.update(page_url=page_url)


def render(request: Request, name: str, status_code: int = 200, **context: Any):
    """A page, with the console user (if any) and its CSRF token in the context."""
    user = getattr(request.state, "console_user", None)
    context.setdefault("user", user)
    context.setdefault("csrf", user.csrf if user else context.get("csrf", ""))
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)
