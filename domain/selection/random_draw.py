"""随机选取 (random draw): the owner fixes price and terms; the system draws one winner.

domain.md §5.2: pool minimum 3 for state funds (海州区 [6]), 1 for social funds.
"""

from __future__ import annotations

from domain.draw import Randomness
from domain.selection.base import Bid, Outcome, Params, check_unique, outcome, too_few


class RandomDraw:
    code = "random"
    zh = "随机选取"
    params_type = Params

    def select(self, bids: list[Bid], params: Params, randomness: Randomness) -> Outcome:
        check_unique(bids)
        if failed := too_few(self.code, bids, params):
            return failed
        (winner,) = randomness.draw([b.agency_id for b in bids], 1)
        return outcome(self.code, "selected", randomness, winner=winner,
                       figures={"pool_size": len(bids)})
