"""Versioned rules: stamped at publication, so later changes never alter a running procurement."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.base import Actor, Role
from domain.errors import NotAllowed
from domain.procurement import Procurement
from domain.rulebook import RuleVersionExists
from tests.builders import REGULATOR


def test_a_new_rule_version_applies_only_to_procurements_published_after_it(market, world, clock):
    before = world.open_procurement()
    market.adopt_rule_set(
        "2027-01", effective_from=clock.now() + timedelta(hours=1), timetable={"publicity": 5},
        rules={"minimum_bidders": {"state": {"random": 4, "lowest_price": 4, "reasonable_price": 4, "direct": 1,
                                             "credit_merit": 2, "proposal_scoring": 2},
                                   "social": {"random": 1, "lowest_price": 1, "reasonable_price": 1, "direct": 1,
                                              "credit_merit": 1, "proposal_scoring": 1}}},
        reason="市管理机构2027年选取规则调整", by=REGULATOR,
    )  # fmt: skip
    not_yet = world.open_procurement()
    clock.advance(timedelta(hours=2))
    after = world.open_procurement()

    stamped = {pid: market.load(pid, Procurement) for pid in (before, not_yet, after)}
    assert stamped[before].rule_set["version"] == "2024-01" and stamped[before].timetable["publicity"] == 3
    assert stamped[not_yet].rule_set["version"] == "2024-01"
    assert stamped[after].rule_set["version"] == "2027-01" and stamped[after].timetable["publicity"] == 5
    assert stamped[after].rule_set["minimum_bidders"]["state"]["lowest_price"] == 4


def test_adopting_a_version_twice_or_by_an_agency_is_refused(market, world, clock):
    market.adopt_rule_set("2027-01", effective_from=clock.now(), reason="调整", by=REGULATOR)
    with pytest.raises(RuleVersionExists):
        market.adopt_rule_set("2027-01", effective_from=clock.now(), reason="重复", by=REGULATOR)
    with pytest.raises(NotAllowed):
        market.adopt_rule_set("2027-02", effective_from=clock.now(), reason="越权", by=Actor("a", Role.AGENCY, "x"))
