"""Building blocks shared by every aggregate: actors, roles, the state guard.

Every event records *who* (``actor``: id and role) and *when* in business time
(``at``). The library also stamps its own ``timestamp`` from the wall clock;
business rules never read that one, because the market's clock may be a fake
or accelerated one (tests, demos) and time must be passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import InvalidCreditCode, InvalidInput, MissingField, TransitionForbidden

# Every derived id (index aggregates, one-per-key records) lives under this namespace.
MARKET_NAMESPACE = uuid5(NAMESPACE_URL, "https://zjcs.example.gov.cn/market")


def derived_id(kind: str, *parts: object) -> UUID:
    """A deterministic id, so that "one X per key" is enforced by the event store."""
    return uuid5(MARKET_NAMESPACE, "/".join([kind, *map(str, parts)]))


class Role(Enum):
    OWNER_ADMIN = "owner_admin"  # 采购管理人
    OWNER_DELEGATE = "owner_delegate"  # 采购受托人
    AGENCY = "agency"  # 中介机构业务授权人
    OPERATOR = "operator"  # 运营机构
    REGULATOR = "regulator"  # 管理机构
    DEPARTMENT = "department"  # 行业主管部门 / 审批部门
    SYSTEM = "system"  # the platform itself: clock-driven transitions

    @property
    def is_owner(self) -> bool:
        return self in (Role.OWNER_ADMIN, Role.OWNER_DELEGATE)


@dataclass(frozen=True)
class Actor:
    """Who issues a command: a person or the platform, acting in a role."""

    id: str
    role: Role
    organisation_id: str | None = None  # the owner unit or agency the person acts for

    def as_event(self) -> dict[str, Any]:
        return {"id": self.id, "role": self.role.value, "organisation_id": self.organisation_id}

    @classmethod
    def system(cls) -> Actor:
        return cls(id="system", role=Role.SYSTEM)


def require_aware(at: datetime, field: str = "now") -> datetime:
    if at.tzinfo is None:
        raise InvalidInput(field=field, detail="timezone-aware time required")
    return at


def require_text(value: str | None, field: str) -> str:
    if value is None or not str(value).strip():
        raise MissingField(field=field)
    return str(value).strip()


# GB 32100-2015: 18 characters; digits and capital letters except I, O, Z, S, V.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{18}$")


def check_credit_code(code: str) -> str:
    """Validate a 统一社会信用代码 including its check character (GB 32100-2015)."""
    code = (code or "").strip().upper()
    if not _USCC_SHAPE.match(code):
        raise InvalidCreditCode(field="uscc", detail=code)
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS))
    expected = _USCC_ALPHABET[(31 - total % 31) % 31]
    if code[17] != expected:
        raise InvalidCreditCode(field="uscc", detail=code)
    return code


def make_credit_code(seventeen: str) -> str:
    """Complete 17 characters with the GB 32100-2015 check character (demo and tests)."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(seventeen, _USCC_WEIGHTS))
    return seventeen + _USCC_ALPHABET[(31 - total % 31) % 31]


class MarketAggregate(Aggregate):
    """An aggregate with an explicit state table.

    Subclasses declare ``Status`` and ``TRANSITIONS: {command: (from states...)}``;
    ``_guard`` is the one place a forbidden transition is refused.
    """

    Status: ClassVar[type[Enum]]
    TRANSITIONS: ClassVar[dict[str, tuple[Enum, ...]]] = {}

    # State holds the status as its plain string value (``status_code``): aggregate
    # state must round-trip through JSON for snapshots, and the library has no Enum
    # transcoding.

    @property
    def status(self) -> Enum:
        return self.Status(self.status_code)

    def _guard(self, command: str) -> None:
        if self.status not in self.TRANSITIONS[command]:
            raise TransitionForbidden(
                field="status", detail=f"{command} not allowed in {self.status_code}"
            )
