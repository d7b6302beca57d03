"""Domain errors: one hierarchy, stable machine codes, Chinese and English text.

A refused command raises one of these *before* any event is triggered, so a
refusal records nothing. The API maps the four bases onto HTTP statuses:
``InvalidInput`` → 422, ``NotAllowed`` → 403, ``NotFound`` → 404, and
``RuleViolation`` / ``Conflict`` → 409. Codes are a public contract: never
rename one; add a new class instead.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "domain_error"
    zh = "业务规则不允许"
    en = "Refused by a business rule"

    def __init__(self, *, field: str | None = None, detail: Any = None) -> None:
        self.field = field
        self.detail = detail
        suffix = f" ({detail})" if detail not in (None, "") else ""
        super().__init__(f"{self.code}: {self.en}{suffix}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message_zh": self.zh,
            "message_en": self.en,
            "field": self.field,
            "detail": None if self.detail is None else str(self.detail),
        }


class InvalidInput(DomainError):
    """The command's data is malformed or incomplete (HTTP 422)."""

    code = "invalid_input"
    zh = "输入数据不合法"
    en = "Invalid input"


class RuleViolation(DomainError):
    """A business rule or the state table forbids the command now (HTTP 409)."""

    code = "rule_violation"
    zh = "当前状态不允许此操作"
    en = "The current state does not allow this"


class Conflict(RuleViolation):
    """Something already exists or was changed concurrently (HTTP 409)."""

    code = "conflict"
    zh = "数据已存在或已被他人修改"
    en = "Already exists or changed concurrently"


class NotFound(DomainError):
    code = "not_found"
    zh = "对象不存在"
    en = "Not found"


class NotAllowed(DomainError):
    """The actor may not do this to this resource (HTTP 403)."""

    code = "not_allowed"
    zh = "无权执行此操作"
    en = "Not allowed for this actor"


# --- transitions -------------------------------------------------------------


class TransitionForbidden(RuleViolation):
    code = "transition_forbidden"
    zh = "当前状态不允许此操作"
    en = "The state table forbids this transition"


# --- registration and identity ------------------------------------------------


class AlreadyRegistered(Conflict):
    code = "already_registered"
    zh = "该统一社会信用代码已登记"
    en = "This unified social credit code is already registered"


class InvalidCreditCode(InvalidInput):
    code = "invalid_credit_code"
    zh = "统一社会信用代码格式不正确"
    en = "The unified social credit code is malformed"


class MissingField(InvalidInput):
    code = "missing_field"
    zh = "必填项缺失"
    en = "A required field is missing"


class ReasonRequired(InvalidInput):
    code = "reason_required"
    zh = "必须填写理由"
    en = "A reason is required"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    zh = "幂等键已用于另一个不同的请求"
    en = "The idempotency key was used for a different request"


class ConcurrentChange(Conflict):
    code = "concurrent_change"
    zh = "数据正被他人同时修改,请稍后重试"
    en = "The record was changed concurrently; retry later"
