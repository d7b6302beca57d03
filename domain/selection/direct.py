"""直接选取 (direct selection): the owner designates one valid registrant.

domain.md §5.6: limited to social funds or a reason code with an attachment and
carries a high risk weight in supervision, so a justification is always required
and is published with the result. No randomness is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.draw import Randomness
from domain.errors import ReasonRequired
from domain.selection.base import Bid, Outcome, Params, check_unique, outcome, too_few
from domain.selection.errors import NotARegistrant
from domain.selection.rules import RuleSet


@dataclass(frozen=True)
class DirectParams(Params):
    chosen: str = ""  # agency_id the owner designates
    justification: str = ""  # 直接选取理由

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "chosen": self.chosen, "justification": self.justification}

    @classmethod
    def from_dict(cls, data: dict[str, Any], rule_set: RuleSet) -> DirectParams:
        return cls(fund_source=data["fund_source"], rule_set=rule_set,
                   chosen=data["chosen"], justification=data["justification"])


class Direct:
    code = "direct"
    zh = "直接选取"
    params_type = DirectParams

    def select(self, bids: list[Bid], params: DirectParams, randomness: Randomness) -> Outcome:
        check_unique(bids)
        if not params.justification.strip():
            raise ReasonRequired(field="justification", detail="直接选取须说明理由")
        if failed := too_few(self.code, bids, params):
            return failed
        if params.chosen not in {b.agency_id for b in bids}:
            raise NotARegistrant(field="chosen", detail=params.chosen)
        return outcome(self.code, "selected", randomness, winner=params.chosen,
                       figures={"justification": params.justification.strip()})
