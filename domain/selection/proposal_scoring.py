"""方案择优/综合评分 (proposal scoring, 广东 [9]): price, 服务响应 and 人员 points.

domain.md §5.5: fewer than 2 registrants → 失败项目. Default weights price 30 /
response 40 / staff 30 (the rule set's; 询比选取 is the same with a heavier price
weight); price score = 30 × b_min / b_i, rounded half up to 0.01 so the ranking
uses the published figure. Every evaluator must have declared no conflict of
interest before scores count. Highest total wins; ties → lower price → draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from domain.draw import Randomness
from domain.errors import MissingField
from domain.selection.base import (Bid, Outcome, Params, break_tie, check_unique, outcome,
                                   round_fraction, too_few)
from domain.selection.errors import (ConflictNotDeclared, EvaluatorConflicted, InvalidQuote,
                                     InvalidScore)
from domain.selection.rules import RuleSet


@dataclass(frozen=True)
class Declaration:
    """An evaluator's 无利害关系声明."""

    evaluator_id: str
    no_conflict: bool


@dataclass(frozen=True)
class ProposalParams(Params):
    evaluators: tuple[str, ...] = ()
    declarations: tuple[Declaration, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "evaluators": list(self.evaluators),
                "declarations": [{"evaluator_id": d.evaluator_id, "no_conflict": d.no_conflict}
                                 for d in self.declarations]}

    @classmethod
    def from_dict(cls, data: dict[str, Any], rule_set: RuleSet) -> ProposalParams:
        return cls(fund_source=data["fund_source"], rule_set=rule_set,
                   evaluators=tuple(data["evaluators"]),
                   declarations=tuple(Declaration(d["evaluator_id"], d["no_conflict"])
                                      for d in data["declarations"]))


def check_declarations(params: ProposalParams) -> None:
    if not params.evaluators:
        raise MissingField(field="evaluators", detail="方案择优须指定评审人员")
    declared = {d.evaluator_id: d.no_conflict for d in params.declarations}
    for evaluator in params.evaluators:
        if evaluator not in declared:
            raise ConflictNotDeclared(field="declarations", detail=evaluator)
        if declared[evaluator] is not True:
            raise EvaluatorConflicted(field="declarations", detail=evaluator)


def check_scores(bid: Bid, weights: dict[str, int]) -> None:
    criteria = {c for c in weights if c != "price"}
    if set(bid.scores) != criteria:
        raise InvalidScore(field="scores", detail=f"{bid.agency_id}: expected {sorted(criteria)}")
    for criterion, points in bid.scores.items():
        if not (isinstance(points, Decimal) and points.is_finite()
                and 0 <= points <= weights[criterion]):
            raise InvalidScore(field=f"scores.{criterion}",
                               detail=f"{bid.agency_id}: 0..{weights[criterion]}")


class ProposalScoring:
    code = "proposal_scoring"
    zh = "方案择优"
    params_type = ProposalParams

    def select(self, bids: list[Bid], params: ProposalParams, randomness: Randomness) -> Outcome:
        check_unique(bids)
        check_declarations(params)
        if failed := too_few(self.code, bids, params):
            return failed
        for b in bids:
            if b.price is None:
                raise InvalidQuote(field="price", detail=f"{b.agency_id} has no quote")
        missing = sorted(b.agency_id for b in bids if b.scores is None)
        if missing:
            return outcome(self.code, "awaiting_scores", randomness, figures={"missing": missing})
        weights = params.rule_set.weights
        for b in bids:
            check_scores(b, weights)
        b_min = min(b.price for b in bids)
        rows = []
        for b in bids:
            price_score = round_fraction(weights["price"] * Fraction(b_min) / Fraction(b.price))
            total = price_score + sum(b.scores.values(), Decimal(0))
            rows.append((b, price_score, total))
        rows.sort(key=lambda r: (-r[2], r[0].price, r[0].uscc))
        top_total, top_price = rows[0][2], rows[0][0].price
        tied = [b.agency_id for b, _, t in rows if t == top_total and b.price == top_price]
        winner = break_tie(tied, randomness)
        return outcome(self.code, "selected", randomness, winner=winner, figures={
            "weights": dict(weights),
            "ranking": [{"agency_id": b.agency_id, "price": str(b.price),
                         "price_score": str(ps), "total": str(t),
                         "scores": {c: str(v) for c, v in sorted(b.scores.items())}}
                        for b, ps, t in rows],
        })
