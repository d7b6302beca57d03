"""The one error handler: every error body is ``{"error": {code, message_zh, message_en, field, detail}}``.

Domain errors keep their stable codes and map onto HTTP statuses by their base
class (``domain/errors.py``); FastAPI's own validation errors, unknown routes,
wrong methods and missing or bad tokens get the same shape. Anything else is a
bug: it is logged and answered with a 500 of the same shape, and the tests
make sure none occurs.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from domain.account import BadCredentials
from domain.errors import DomainError, InvalidInput, MissingField, NotAllowed, NotFound, RuleViolation

log = logging.getLogger(__name__)
BEARER = {"WWW-Authenticate": "Bearer"}


class NotAuthenticated(BadCredentials):
    """No bearer token, or one that is expired, forged or names an inactive account (HTTP 401)."""

    code = "not_authenticated"
    zh = "未登录或登录已失效"
    en = "Not authenticated, or the token is invalid or expired"


class ErrorDetail(BaseModel):
    code: str = Field(description="机器可读的错误代码(稳定,不会改名)")
    message_zh: str = Field(description="中文说明")
    message_en: str = Field(description="English message")
    field: str | None = Field(None, description="出错的字段")
    detail: str | None = Field(None, description="补充信息")


class ErrorBody(BaseModel):
    error: ErrorDetail = Field(description="错误")


def status_of(error: DomainError) -> int:
    if isinstance(error, BadCredentials):
        return 401
    if isinstance(error, InvalidInput):
        return 422
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, RuleViolation):
        return 409
    return 409  # any other refusal by a business rule


def error_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
    status = status_of(exc)
    return error_response(status, exc.as_dict(), BEARER if status == 401 else None)


def _field_of(loc: tuple[Any, ...]) -> str:
    # ("body", "notice", "budget", "amount") → "notice.budget.amount"; ("query", "limit") → "limit".
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or (str(loc[0]) if loc else "body")


def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {"loc": ("body",), "msg": "invalid", "type": "value_error"}
    kind = MissingField if first.get("type") == "missing" else InvalidInput
    error = kind(field=_field_of(tuple(first.get("loc", ()))), detail=first.get("msg"))
    return error_response(422, error.as_dict())


_HTTP = {
    401: ("not_authenticated", "未登录或登录已失效", "Not authenticated"),
    404: ("not_found", "请求的地址不存在", "No such route"),
    405: ("method_not_allowed", "不支持该请求方法", "Method not allowed"),
    406: ("not_acceptable", "无法提供请求的内容类型", "Not acceptable"),
    413: ("payload_too_large", "请求内容过大", "Payload too large"),
    415: ("unsupported_media_type", "不支持的请求内容类型", "Unsupported media type"),
}


def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400:  # a body that cannot even be parsed: malformed input, as a 422
        return error_response(422, InvalidInput(field="body", detail=str(exc.detail)).as_dict())
    code, zh, en = _HTTP.get(exc.status_code, ("http_error", "请求无法处理", "The request cannot be handled"))
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail not in (zh, en) else None
    headers = dict(exc.headers or {})
    if exc.status_code == 401:
        headers.update(BEARER)
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    body = {"code": code, "message_zh": zh, "message_en": en, "field": None, "detail": detail}
    return error_response(exc.status_code, body, headers or None)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route offers at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def _bug(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    body = {"code": "internal_error", "message_zh": "系统内部错误", "message_en": "Internal error", "field": None,
            "detail": None}  # fmt: skip
    return error_response(500, body)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _bug)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route may answer, all with ``ErrorBody``."""
    described = {
        401: "未登录或令牌无效", 403: "无权执行此操作(未记录任何事件)", 404: "对象不存在", 409: "业务规则或并发冲突不允许",
        422: "输入数据不合法(field 指出出错的字段)",
    }  # fmt: skip
    return {s: {"model": ErrorBody, "description": described[s]} for s in statuses}
