"""Values shared by every selection method: quotes, bids, parameters, outcomes.

A method is a strategy object with `select(bids, params, randomness) -> Outcome`
(see __init__.METHODS). It never raises for a round that simply fails (流标):
that is an Outcome with status "failed"; it raises only when the owner's input
is unacceptable (a missing justification, an undeclared evaluator...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Protocol

from domain.draw import Randomness
from domain.selection.errors import DuplicateRegistrant, InvalidQuote
from domain.selection.rules import DEFAULT_RULES, RuleSet, check_fund_source

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """Round half up to the fen (0.01 元)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def round_fraction(exact: Fraction) -> Decimal:
    """An exact non-negative rational rounded half up to 0.01, with no double rounding."""
    return Decimal(math.floor(exact * 100 + Fraction(1, 2))).scaleb(-2)


def money(value: Any, field_name: str = "price") -> Decimal:
    """A Decimal amount with at most two decimals; no float, no silent rounding."""
    if isinstance(value, float) or isinstance(value, bool):
        raise InvalidQuote(field=field_name, detail="pass a string or Decimal, not a float")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidQuote(field=field_name, detail=f"not a number: {value!r}") from None
    if not amount.is_finite() or amount != round_money(amount):
        raise InvalidQuote(field=field_name, detail="at most two decimals")
    return round_money(amount)


@dataclass(frozen=True)
class Quote:
    """An agency's 报价: an amount in 元, or a 下浮率 r (fraction, 0 ≤ r < 1) off a base."""

    kind: str  # "amount" | "discount_rate"
    value: Decimal


def resolve_price(quote: Quote, base: Decimal | None = None) -> Decimal:
    """The price a quote stands for: amount, or base × (1 − r) rounded half up to 0.01."""
    if quote.kind == "amount":
        price = money(quote.value, "quote")
    elif quote.kind == "discount_rate":
        rate = Decimal(quote.value)
        if not 0 <= rate < 1:
            raise InvalidQuote(field="quote", detail="下浮率 must be in [0, 1)")
        if base is None:
            raise InvalidQuote(field="base", detail="a 下浮率 needs a base price")
        price = round_money(money(base, "base") * (1 - rate))
    else:
        raise InvalidQuote(field="quote.kind", detail=f"unknown kind {quote.kind!r}")
    if price <= 0:
        raise InvalidQuote(field="quote", detail="the price must be positive")
    return price


@dataclass(frozen=True)
class Bid:
    """One valid sign-up (有效报名) as frozen at SignupClosed."""

    agency_id: str
    uscc: str  # 统一社会信用代码
    price: Decimal | None = None
    credit_score: int | None = None
    scores: dict[str, Decimal] | None = None  # 方案择优: points per criterion

    def __post_init__(self) -> None:
        if self.price is not None:
            price = money(self.price)
            if price <= 0:
                raise InvalidQuote(field="price", detail=f"{self.agency_id}: must be positive")
            object.__setattr__(self, "price", price)  # normalised to the fen: "80" → 80.00


@dataclass(frozen=True)
class Params:
    """What every method reads; methods extend it with their own fields."""

    fund_source: str = "state"  # "state" 财政/国有资金 | "social" 社会资金
    rule_set: RuleSet = DEFAULT_RULES

    def __post_init__(self) -> None:
        check_fund_source(self.fund_source)

    def to_dict(self) -> dict[str, Any]:
        return {"fund_source": self.fund_source}

    @classmethod
    def from_dict(cls, data: dict[str, Any], rule_set: RuleSet) -> Params:
        return cls(fund_source=data["fund_source"], rule_set=rule_set)


@dataclass(frozen=True)
class Outcome:
    method: str
    status: str  # "selected" | "failed" | "shortlisted" | "awaiting_scores"
    winner: str | None = None
    failure_reason: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    transcript: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _json_safe({
            "method": self.method, "status": self.status, "winner": self.winner,
            "failure_reason": self.failure_reason, "figures": self.figures,
            "transcript": list(self.transcript),
        })


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


class SelectionMethod(Protocol):
    code: str
    zh: str
    params_type: type[Params]

    def select(self, bids: list[Bid], params: Params, randomness: Randomness) -> Outcome: ...


def check_unique(bids: list[Bid]) -> None:
    for attr in ("agency_id", "uscc"):
        values = [getattr(b, attr) for b in bids]
        if len(set(values)) != len(values):
            raise DuplicateRegistrant(field=attr, detail="appears twice")


def too_few(method: str, bids: list[Bid], params: Params) -> Outcome | None:
    """The 流标 outcome when valid sign-ups are below the rule set's minimum."""
    minimum = params.rule_set.minimum(method, params.fund_source)
    if len(bids) >= minimum:
        return None
    return Outcome(method, "failed", failure_reason="too_few_bidders",
                   figures={"valid": len(bids), "minimum": minimum})


def break_tie(tied: list[str], randomness: Randomness) -> str:
    """The single best stays; a tie always goes to a recorded draw."""
    return tied[0] if len(tied) == 1 else randomness.draw(tied, 1)[0]


def outcome(method: str, status: str, randomness: Randomness, **kw: Any) -> Outcome:
    return Outcome(method, status, transcript=tuple(randomness.transcript), **kw)


def freeze_entries(bids: list[Bid]) -> list[dict[str, Any]]:
    """The public frozen list: sorted by uscc; price and credit score only when set."""
    check_unique(bids)
    entries = []
    for b in sorted(bids, key=lambda b: (b.uscc, b.agency_id)):
        entry: dict[str, Any] = {"agency_id": b.agency_id, "uscc": b.uscc}
        if b.price is not None:
            entry["price"] = str(money(b.price))
        if b.credit_score is not None:
            entry["credit_score"] = b.credit_score
        entries.append(entry)
    return entries


def bids_from_entries(entries: list[dict[str, Any]],
                      scores: dict[str, dict[str, str]] | None = None) -> list[Bid]:
    scores = scores or {}
    return [
        Bid(agency_id=e["agency_id"], uscc=e["uscc"],
            price=money(e["price"]) if "price" in e else None,
            credit_score=e.get("credit_score"),
            scores=({c: Decimal(v) for c, v in scores[e["agency_id"]].items()}
                    if e["agency_id"] in scores else None))
        for e in entries
    ]
