"""Bridges a procurement's notice and frozen list to ``domain.selection``.

The rule set stamped at publication and the notice's method parameters make
the ``Params`` for the method; the owner's input at selection time (the
designated agency for 直接选取) is added on top.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.errors import InvalidInput
from domain.procurement.errors import JustificationRequired
from domain.selection import (Declaration, DirectParams, MeritParams, Params, PriceParams, ProposalParams, RuleSet,
                              bids_from_entries, freeze_entries)
from domain.selection.base import Bid


def frozen_list(signups: list[dict[str, Any]], credit_scores: dict[str, int] | None) -> list[dict[str, Any]]:
    """The list frozen at SignupClosed: sorted by 统一社会信用代码 (brief §5.1)."""
    scores = credit_scores or {}
    bids = [
        Bid(
            agency_id=s["agency_id"], uscc=s["uscc"],
            price=Decimal(s["quote"]["price"]) if s.get("quote") else None,
            credit_score=scores.get(s["agency_id"]),
        )
        for s in signups
    ]  # fmt: skip
    return freeze_entries(bids)


def params_for(notice: dict[str, Any], rule_set: dict[str, Any], choice: dict[str, Any] | None) -> Params:
    rules = RuleSet.from_dict(rule_set)
    method, fund = notice["method"], notice["fund_source"]
    extra = {**notice["method_params"], **(choice or {})}
    if method == "direct":
        justification = str(extra.get("justification") or "").strip()
        if not justification:
            raise JustificationRequired(field="justification")
        if not extra.get("chosen"):
            raise InvalidInput(field="chosen", detail="the designated agency is required")
        return DirectParams(fund_source=fund, rule_set=rules, chosen=str(extra["chosen"]), justification=justification)
    if method in ("lowest_price", "reasonable_price"):
        budget = notice["budget"]
        return PriceParams(
            fund_source=fund, rule_set=rules,
            ceiling=Decimal(budget["max"]) if budget["kind"] == "range" else None,
            floor=Decimal(budget["min"]) if budget["kind"] == "range" and Decimal(budget["min"]) > 0 else None,
        )  # fmt: skip
    if method == "credit_merit":
        return MeritParams(fund_source=fund, rule_set=rules, long_list=extra.get("long_list"),
                           short_list=extra.get("short_list"))  # fmt: skip
    if method == "proposal_scoring":
        declarations = extra.get("declarations") or []
        return ProposalParams(
            fund_source=fund, rule_set=rules, evaluators=tuple(extra.get("evaluators") or ()),
            declarations=tuple(Declaration(str(d.get("evaluator_id")), d.get("no_conflict") is True) for d in declarations),
        )  # fmt: skip
    if method == "random":
        return Params(fund_source=fund, rule_set=rules)
    raise InvalidInput(field="method", detail=method)


def bids(entries: list[dict[str, Any]]) -> list[Bid]:
    return bids_from_entries(entries)
