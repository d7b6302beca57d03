"""信用择优 (credit merit, 广东 [9]): rank by credit, long list, drawn short list, owner picks.

domain.md §5.5: fewer than 2 registrants → 失败项目; keep the top L by credit score
at SignupClosed (大名单), eliminate the rest (末尾淘汰); draw S of them for the
小名单 with tickets = integer score, without replacement; the owner then picks
one and records a reason. L = 10, S = 3 by default; the owner may set them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.draw import Randomness
from domain.errors import ReasonRequired
from domain.selection.base import Bid, Outcome, Params, check_unique, outcome, too_few
from domain.selection.errors import InvalidScore, NotAwaitingPick, NotOnShortList
from domain.selection.rules import RuleSet


@dataclass(frozen=True)
class MeritParams(Params):
    long_list: int | None = None  # L; None → the rule set's
    short_list: int | None = None  # S; None → the rule set's

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("long_list", "short_list"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise InvalidScore(field=name, detail="must be a positive integer")

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "long_list": self.long_list, "short_list": self.short_list}

    @classmethod
    def from_dict(cls, data: dict[str, Any], rule_set: RuleSet) -> MeritParams:
        return cls(fund_source=data["fund_source"], rule_set=rule_set,
                   long_list=data.get("long_list"), short_list=data.get("short_list"))


def tickets(score: int) -> int:
    # Tickets are the score itself (domain.md §5.5); a score ≤ 0 still holds one
    # ticket, otherwise a long-listed agency could never be drawn.
    return max(score, 1)


def long_list(ranked: list[Bid], size: int, randomness: Randomness) -> list[Bid]:
    """The top `size`; seats tied at the cut-off score go to a recorded draw."""
    if len(ranked) <= size:
        return list(ranked)
    cutoff = ranked[size - 1].credit_score
    above = [b for b in ranked if b.credit_score > cutoff]
    at_cut = [b for b in ranked if b.credit_score == cutoff]
    seats = size - len(above)
    if len(at_cut) > seats:
        kept = set(randomness.draw([b.agency_id for b in at_cut], seats))
        at_cut = [b for b in at_cut if b.agency_id in kept]
    return above + at_cut


class CreditMerit:
    code = "credit_merit"
    zh = "信用择优"
    params_type = MeritParams

    def select(self, bids: list[Bid], params: MeritParams, randomness: Randomness) -> Outcome:
        check_unique(bids)
        for b in bids:
            if not isinstance(b.credit_score, int) or isinstance(b.credit_score, bool):
                raise InvalidScore(field="credit_score", detail=f"{b.agency_id} has no credit score")
        if failed := too_few(self.code, bids, params):
            return failed
        size_l = params.long_list or params.rule_set.long_list
        size_s = params.short_list or params.rule_set.short_list
        ranked = sorted(bids, key=lambda b: (-b.credit_score, b.uscc))
        kept = long_list(ranked, size_l, randomness)
        pool = {b.agency_id: tickets(b.credit_score) for b in kept}
        if len(kept) <= size_s:
            short = [b.agency_id for b in kept]
        else:
            short = randomness.weighted_draw(pool, size_s)
        kept_ids = {b.agency_id for b in kept}
        return outcome(self.code, "shortlisted", randomness, figures={
            "ranking": [{"agency_id": b.agency_id, "credit_score": b.credit_score} for b in ranked],
            "long_list": [b.agency_id for b in kept],
            "eliminated": [b.agency_id for b in ranked if b.agency_id not in kept_ids],
            "tickets": pool, "short_list": short,
        })


def owner_pick(result: Outcome, agency_id: str, reason: str) -> Outcome:
    """The owner's choice from the 小名单 at 选取时间, with its recorded reason."""
    if result.status != "shortlisted":
        raise NotAwaitingPick(field="status", detail=result.status)
    if agency_id not in result.figures.get("short_list", []):
        raise NotOnShortList(field="agency_id", detail=agency_id)
    if not (reason or "").strip():
        raise ReasonRequired(field="reason", detail="选定理由不能为空")
    figures = {**result.figures, "owner_pick": {"agency_id": agency_id, "reason": reason.strip()}}
    return Outcome(result.method, "selected", winner=agency_id, figures=figures,
                   transcript=result.transcript)
