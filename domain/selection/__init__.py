"""选取方式 (selection methods): strategy objects chosen by code from METHODS.

    outcome = METHODS[code].select(bids, params, randomness)

Codes: "direct" 直接选取, "random" 随机选取, "lowest_price" 最低价中选,
"reasonable_price" 最优价/合理价, "credit_merit" 信用择优, "proposal_scoring"
方案择优/综合评分. `conduct` runs one from the public inputs and returns the
result record published with the 中选公告; `verify` re-checks such a record.
"""

from __future__ import annotations

from domain.selection.base import (Bid, Outcome, Params, Quote, SelectionMethod,
                                   bids_from_entries, freeze_entries, resolve_price,
                                   round_money)
from domain.selection.credit_merit import CreditMerit, MeritParams, owner_pick
from domain.selection.direct import Direct, DirectParams
from domain.selection.lowest_price import LowestPrice, PriceParams
from domain.selection.proposal_scoring import Declaration, ProposalParams, ProposalScoring
from domain.selection.random_draw import RandomDraw
from domain.selection.reasonable_price import ReasonablePrice
from domain.selection.registry import METHODS, method
from domain.selection.rules import DEFAULT_RULES, FUND_SOURCES, RuleSet
from domain.selection.verify import conduct, verify

__all__ = [
    "Bid", "CreditMerit", "DEFAULT_RULES", "Declaration", "Direct", "DirectParams",
    "FUND_SOURCES", "LowestPrice", "METHODS", "MeritParams", "Outcome", "Params",
    "PriceParams", "ProposalParams", "ProposalScoring", "Quote", "RandomDraw",
    "ReasonablePrice", "RuleSet", "SelectionMethod", "bids_from_entries", "conduct",
    "freeze_entries", "method", "owner_pick", "resolve_price", "round_money", "verify",
]
