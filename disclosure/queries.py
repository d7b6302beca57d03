"""Reading the public pages' query strings: paging and search, checked here so that a bad
value gets a Chinese error page with status 422, never a 500 and never a JSON body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

PAGE_SIZES = range(1, 101)
DEFAULT_SIZE = 20
MAX_PAGE = 10_000
_TEXT = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")


class PageError(Exception):
    """A page that cannot be shown: unknown id (404) or a bad query parameter (422)."""

    def __init__(self, status: int, title: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.title, self.message, self.field = status, title, message, field


def not_found(what: str) -> PageError:
    return PageError(404, "页面不存在", f"没有找到这个{what},可能编号有误,或尚未公开。")


def _bad(field: str, message: str) -> PageError:
    return PageError(422, "查询参数有误", message, field)


def _one(params: QueryParams, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise _bad(name, f"参数 {name} 只能出现一次。")
    return values[0] if values else None


def _integer(params: QueryParams, name: str, default: int, allowed: range) -> int:
    raw = _one(params, name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,6}", raw) or int(raw) not in allowed:
        raise _bad(name, f"参数 {name} 应为 {allowed.start} 到 {allowed.stop - 1} 之间的整数,收到的是「{raw[:20]}」。")
    return int(raw)


@dataclass(frozen=True)
class Paging:
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def fetch(self) -> int:
        """One row more than a page: whether a next page exists, without counting them all."""
        return self.size + 1


def paging(params: QueryParams) -> Paging:
    page = _integer(params, "page", 1, range(1, MAX_PAGE + 1))
    return Paging(page, _integer(params, "size", DEFAULT_SIZE, PAGE_SIZES))


def text(params: QueryParams, name: str = "q") -> str | None:
    """A search text: 1–100 characters without control characters; blank means none."""
    raw = _one(params, name)
    if raw is None or raw.strip() == "":
        return None
    if not _TEXT.match(raw.strip()):
        raise _bad(name, "搜索内容应为 1 到 100 个字符,且不能含控制字符。")
    return raw.strip()


def choice(params: QueryParams, name: str, choices: dict[str, str], default: str) -> str:
    raw = _one(params, name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise _bad(name, f"参数 {name} 只能是:{'、'.join(f'{k}({v})' for k, v in choices.items())}。")
    return raw


@dataclass(frozen=True)
class Pager:
    """Links to the neighbouring pages, keeping the search."""

    page: int
    previous: str | None
    next: str | None


def pager(path: str, paging: Paging, rows: list, keep: dict[str, str | None]) -> tuple[list, Pager]:
    """The page's rows (the extra fetched row dropped) and its links."""
    def link(page: int) -> str:
        query = {k: v for k, v in keep.items() if v} | ({"page": str(page)} if page > 1 else {})
        if paging.size != DEFAULT_SIZE:
            query["size"] = str(paging.size)
        return f"{path}?{urlencode(query)}" if query else path

    more = len(rows) > paging.size
    return rows[: paging.size], Pager(
        paging.page, link(paging.page - 1) if paging.page > 1 else None, link(paging.page + 1) if more else None
    )
