"""竞价选取, 最低价中选 (lowest price): the lowest valid quote wins; ties are drawn.

domain.md §5.3: the owner may set 最高限价/最低限价; out-of-band quotes are not
valid bids. Valid bids ≥ 3 for state funds, ≥ 1 for social funds, else 流标 [6].
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.draw import Randomness
from domain.selection.base import (Bid, Outcome, Params, break_tie, check_unique, money,
                                   outcome, too_few)
from domain.selection.errors import InvalidQuote
from domain.selection.rules import RuleSet


@dataclass(frozen=True)
class PriceParams(Params):
    ceiling: Decimal | None = None  # 最高限价
    floor: Decimal | None = None  # 最低限价

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(),
                "ceiling": None if self.ceiling is None else str(self.ceiling),
                "floor": None if self.floor is None else str(self.floor)}

    @classmethod
    def from_dict(cls, data: dict[str, Any], rule_set: RuleSet) -> PriceParams:
        return cls(fund_source=data["fund_source"], rule_set=rule_set,
                   ceiling=None if data.get("ceiling") is None else money(data["ceiling"]),
                   floor=None if data.get("floor") is None else money(data["floor"]))


def in_band(bids: list[Bid], params: PriceParams) -> tuple[list[Bid], list[str]]:
    """(valid bids, agency ids of out-of-band quotes)."""
    check_unique(bids)
    valid, rejected = [], []
    for b in bids:
        if b.price is None:
            raise InvalidQuote(field="price", detail=f"{b.agency_id} has no quote")
        too_high = params.ceiling is not None and b.price > params.ceiling
        too_low = params.floor is not None and b.price < params.floor
        (rejected if too_high or too_low else valid).append(b)
    return valid, sorted(b.agency_id for b in rejected)


def ranking(bids: list[Bid]) -> list[dict[str, str]]:
    return [{"agency_id": b.agency_id, "price": str(b.price)}
            for b in sorted(bids, key=lambda b: (b.price, b.uscc))]


class LowestPrice:
    code = "lowest_price"
    zh = "最低价中选"
    params_type = PriceParams

    def select(self, bids: list[Bid], params: PriceParams, randomness: Randomness) -> Outcome:
        valid, rejected = in_band(bids, params)
        if failed := too_few(self.code, valid, params):
            return Outcome(failed.method, failed.status, failure_reason=failed.failure_reason,
                           figures={**failed.figures, "rejected": rejected})
        lowest = min(b.price for b in valid)
        tied = [b.agency_id for b in valid if b.price == lowest]
        winner = break_tie(tied, randomness)
        return outcome(self.code, "selected", randomness, winner=winner, figures={
            "lowest": str(lowest), "ranking": ranking(valid), "rejected": rejected})
