"""The regulator's audit (API and console): events, state as of a version or time, and diffs, read from the event store.

What stays sealed here, for regulators too:

* sign-ups and quotes of a procurement whose sign-up has not closed (its
  ``SignedUp`` / ``QuoteRevised`` / ``SignupWithdrawn`` events, its ``signups``
  state, and the idempotency receipts of those commands, whose key, result and
  fingerprint would tell who signed up): only the count shows until the close;
* the platform's draw secret, until the procurement's selection ran;
* password hashes, always.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from domain.errors import NotFound
from domain.procurement import Procurement
from domain.procurement.status import ProcurementStatus

SEALED = "(密封 sealed)"
WITHHELD = "(不予显示 withheld)"
SEALED_EVENTS = ("SignedUp", "QuoteRevised", "SignupWithdrawn")
SEALED_COMMANDS = ("sign_up", "revise_quote", "withdraw_signup")
# Event classes declared on the procurement's base classes (two modules, one aggregate).
_AGGREGATE_NAMES = {"Tendering": "Procurement", "Publicity": "Procurement"}
_BOOKKEEPING = {"originator_id", "originator_version", "originator_topic", "timestamp", "at", "actor"}


def jsonsafe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): jsonsafe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonsafe(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return value.hex()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def aggregate_name(event: Any) -> str:
    outer = type(event).__qualname__.split(".")[0]
    return _AGGREGATE_NAMES.get(outer, outer)


class Sealing:
    """Per request: which procurements still seal their sign-ups, which draw secrets are revealed."""

    def __init__(self, market) -> None:
        self.market = market
        self._procurements: dict[str, Procurement | None] = {}

    def _procurement(self, procurement_id: Any) -> Procurement | None:
        key = str(procurement_id)
        if key not in self._procurements:
            try:
                self._procurements[key] = self.market.load(key, Procurement)
            except NotFound:
                self._procurements[key] = None
        return self._procurements[key]

    def signups_sealed(self, procurement_id: Any) -> bool:
        p = self._procurement(procurement_id)
        if p is None:
            return True
        if p.list_hash is not None:  # the list was frozen and published at the close
            return False
        # Voided before the close: nothing will be frozen; sealed until the deadline has passed.
        return not (p.status is ProcurementStatus.VOIDED and self.market.clock.now() >= p.notice["signup_closes_at"])

    def secret_revealed(self, procurement_id: Any) -> bool:
        p = self._procurement(procurement_id)
        return p is not None and p.result is not None


def _receipt_sealed(data: dict[str, Any], sealing: Sealing) -> bool:
    if data.get("command") not in SEALED_COMMANDS:
        return False
    result = data.get("result") or {}
    return sealing.signups_sealed(result.get("procurement_id")) if isinstance(result, dict) else True


def redact(kind: str, name: str, aggregate_id: Any, data: dict[str, Any], sealing: Sealing) -> tuple[dict, bool]:
    """An event's data (or an aggregate's state) with what must not show replaced; True if sealed."""
    data = dict(data)
    if "password_hash" in data:
        data["password_hash"] = WITHHELD
    if kind == "Procurement" and name in SEALED_EVENTS and sealing.signups_sealed(aggregate_id):
        return {"sealed": SEALED}, True
    if kind == "Procurement" and name == "state" and sealing.signups_sealed(aggregate_id):
        active = [s for s in (data.get("signups") or {}).values() if not s.get("withdrawn")]
        data["signups"] = {"sealed": SEALED, "count": len(active)}
    if kind == "DrawSecret" and "secret" in data and not sealing.secret_revealed(data.get("procurement_id")):
        data["secret"] = SEALED
    if kind == "CommandReceipt" and _receipt_sealed(data, sealing):
        return {"command": data.get("command"), "sealed": SEALED}, True
    return data, False


def event_view(event: Any, sealing: Sealing, *, position: int | None = None) -> dict[str, Any]:
    """One event as the audit shows it: time, actor, role, event, data."""
    kind, name = aggregate_name(event), type(event).__name__
    data = {k: v for k, v in vars(event).items() if k not in _BOOKKEEPING}
    data, sealed = redact(kind, name, event.originator_id, data, sealing)
    actor = getattr(event, "actor", None) or {}
    view = {
        "aggregate_id": str(event.originator_id), "aggregate": kind, "version": event.originator_version,
        "event": name, "at": jsonsafe(getattr(event, "at", None) or event.timestamp),
        "recorded_at": jsonsafe(event.timestamp), "actor": None if sealed else actor.get("id"),
        "role": actor.get("role"), "organisation_id": None if sealed else actor.get("organisation_id"),
        "data": jsonsafe(data),
    }  # fmt: skip
    if position is not None:
        view["position"] = position
    return view


def version_at(events: list[Any], at: datetime) -> int:
    """The last version whose business time is not after ``at``."""
    versions = [e.originator_version for e in events if (getattr(e, "at", None) or e.timestamp) <= at]
    if not versions:
        raise NotFound(field="at", detail="the object did not exist yet")
    return max(versions)


def state_view(market, aggregate_id: UUID, version: int, sealing: Sealing) -> dict[str, Any]:
    """The aggregate rebuilt from its events up to ``version``, JSON-safe, without private attributes."""
    aggregate = market.repository.get(aggregate_id, version=version)
    kind = aggregate_name(aggregate)
    state = {k: v for k, v in vars(aggregate).items() if not k.startswith("_")}
    state, _ = redact(kind, "state", aggregate_id, state, sealing)
    return {
        "aggregate_id": str(aggregate.id), "aggregate": kind, "version": aggregate.version,
        "created_on": jsonsafe(aggregate.created_on), "modified_on": jsonsafe(aggregate.modified_on),
        "state": jsonsafe(state),
    }  # fmt: skip


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Keys whose values differ between two states, with old and new values."""
    keys = sorted(set(before) | set(after))
    return [{"key": k, "old": before.get(k), "new": after.get(k)} for k in keys if before.get(k) != after.get(k)]
