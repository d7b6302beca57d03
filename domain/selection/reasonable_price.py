"""竞价选取, 最优价/合理价 (reference price, 海州区 [6]): closest to R wins.

domain.md §5.4: draw k from {95, 96, 97, 98}%; drop the single highest and single
lowest bid from the mean; R = round_half_up(k × mean(rest), 0.01); the remaining
bid with the smallest |b − R| wins and dropped bids cannot win. Edge defaults:
trim only when n ≥ 5 (else average all); with tied extremes one is dropped from
the mean and none of them may win; equal distance → draw. If every bid sits at
an extreme (e.g. all quotes equal) nobody is excluded from winning, because a
流标 would then punish bidders for agreeing on a price.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from domain.draw import Randomness
from domain.selection.base import Bid, Outcome, break_tie, outcome, round_fraction, too_few
from domain.selection.lowest_price import PriceParams, in_band


def reference_price(k_percent: str, prices: list[Decimal]) -> Decimal:
    """R = round_half_up(k/100 × mean(prices), 0.01), in exact rational arithmetic."""
    exact = Fraction(Decimal(k_percent)) * sum(map(Fraction, prices)) / (100 * len(prices))
    return round_fraction(exact)


def trim(valid: list[Bid], trim_from: int) -> tuple[list[Decimal], list[Bid], list[str]]:
    """(prices averaged, bids that may win, agency ids dropped from winning)."""
    prices = sorted(b.price for b in valid)
    if len(valid) < trim_from:
        return prices, list(valid), []
    low, high = prices[0], prices[-1]
    may_win = [b for b in valid if low < b.price < high]
    if not may_win:
        return prices[1:-1], list(valid), []
    dropped = sorted(b.agency_id for b in valid if b.price in (low, high))
    return prices[1:-1], may_win, dropped


class ReasonablePrice:
    code = "reasonable_price"
    zh = "最优价中选"
    params_type = PriceParams

    def select(self, bids: list[Bid], params: PriceParams, randomness: Randomness) -> Outcome:
        valid, rejected = in_band(bids, params)
        if failed := too_few(self.code, valid, params):
            return Outcome(failed.method, failed.status, failure_reason=failed.failure_reason,
                           figures={**failed.figures, "rejected": rejected})
        (k,) = randomness.draw(list(params.rule_set.coefficients), 1)
        averaged, may_win, dropped = trim(valid, params.rule_set.trim_from)
        r = reference_price(k, averaged)
        ranked = sorted(may_win, key=lambda b: (abs(b.price - r), b.uscc))
        best = abs(ranked[0].price - r)
        winner = break_tie([b.agency_id for b in ranked if abs(b.price - r) == best], randomness)
        return outcome(self.code, "selected", randomness, winner=winner, figures={
            "k": k, "reference_price": str(r), "averaged": [str(p) for p in averaged],
            "dropped": dropped, "rejected": rejected,
            "ranking": [{"agency_id": b.agency_id, "price": str(b.price),
                         "distance": str(abs(b.price - r))} for b in ranked],
        })
