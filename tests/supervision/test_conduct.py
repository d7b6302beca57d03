"""Conduct (domain.md §8, V01 and V04) over the planted scenario: abandoned wins, refused or late
contracts, returned deliverables, each with the agency and its events; look-alikes left alone."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from domain.supervision import Flag
from market.oversight.scan import full_scan, incremental_scan
from tests.builders import REGULATOR
from tests.supervision import schemes as S
from tests.supervision.scenario import CS, Plan
from tests.supervision.test_collusion import evidence_kinds, one, scanned


def test_three_abandoned_wins_in_a_year_are_one_violation_and_each_a_refused_contract(supervised):
    s, sc = supervised, supervised.scenario
    found = scanned(s)
    abandoned = S.pids(sc, "abandoned_thrice")

    flag = found[("CONDUCT_ABANDONED", sc.agency(S.ABANDONS_THRICE))]

    assert flag["agency_id"] == sc.agency(S.ABANDONS_THRICE) and flag["severity"] == "high"
    assert flag["figures"]["abandonments"] == 3 and sorted(flag["figures"]["procurements"]) == sorted(abandoned)
    assert flag["parameters"] == {"abandonments": 3, "abandonment_window_days": 365}
    assert evidence_kinds(s, flag) == Counter({("Terminated", pid): 1 for pid in abandoned})
    for pid in abandoned:
        refused = found[("CONDUCT_CONTRACT", pid)]
        assert refused["figures"]["refused"] and refused["agency_id"] == sc.agency(S.ABANDONS_THRICE)
        assert evidence_kinds(s, refused) == Counter({("Awarded", pid): 1, ("Terminated", pid): 1})
    assert ("CONDUCT_ABANDONED", sc.agency(S.ABANDONS_TWICE)) not in found  # two are not three


def test_a_late_contract_is_flagged_and_one_signed_on_its_last_day_or_voided_by_the_owner_is_not(supervised):
    s, sc = supervised, supervised.scenario
    found = scanned(s)
    pid = one(sc, "late_contract")

    late = found[("CONDUCT_CONTRACT", pid)]

    assert late["agency_id"] == sc.agency(S.SIGNS_LATE) and late["severity"] == "medium"
    assert (late["figures"]["refused"], late["figures"]["late_wd"]) == (False, 2)  # 7th working day, due by the 5th
    assert evidence_kinds(s, late) == Counter({("Awarded", pid): 1, ("ContractConfirmed", pid): 1})
    assert not s.flags(agency_id=sc.agency(S.SIGNS_ON_TIME))


def test_returned_deliverables_are_flagged_twice_returned_as_most_serious(supervised):
    s, sc = supervised, supervised.scenario
    found = scanned(s)

    twice = found[("CONDUCT_RETURNED", one(sc, "returned_twice"))]
    once = found[("CONDUCT_RETURNED", one(sc, "returned_once"))]

    assert (twice["severity"], twice["figures"]["returns"]) == ("high", 2)
    assert (once["severity"], once["figures"]["returns"]) == ("medium", 1)
    assert twice["agency_id"] == sc.agency(S.RETURNED_TWICE) and twice["procurement_id"] == one(sc, "returned_twice")
    assert evidence_kinds(s, twice) == Counter({("DeliverableRejected", one(sc, "returned_twice")): 2})


def test_a_fourth_abandonment_updates_the_flag_and_it_clears_when_the_year_has_passed(supervised):
    s, sc = supervised, supervised.scenario
    full_scan(s.market, s.read_models)
    flag_id = str(Flag.create_id("CONDUCT_ABANDONED", sc.agency(S.ABANDONS_THRICE)))
    extra = Plan("HP-09", CS, 3, S.ABANDONS_THRICE, abandon=True, bids=S.natural("fourth", [S.ABANDONS_THRICE, 8, 9]))
    sc.run([extra], start=s.clock.now())

    incremental_scan(s.market, s.read_models)
    s.clock.advance(timedelta(days=400))
    incremental_scan(s.market, s.read_models)  # no event: the window moves only for the nightly scan
    full_scan(s.market, s.read_models)

    raised, updated, cleared = s.events_of(flag_id)
    assert (type(updated).__name__, updated.figures["abandonments"]) == ("Updated", 4)
    assert str(extra.pid) in {e["aggregate_id"] for e in updated.evidence}
    assert type(cleared).__name__ == "Cleared" and cleared.figures["abandonments"] == 0


def test_a_regulator_tightens_the_abandonment_rule_and_two_become_a_violation(supervised):
    s, sc = supervised, supervised.scenario
    full_scan(s.market, s.read_models)

    s.market.change_thresholds({"abandonments": 2}, reason="试行:一年两次放弃中选即预警", by=REGULATOR)
    incremental_scan(s.market, s.read_models)

    (twice,) = s.flags(code="CONDUCT_ABANDONED", agency_id=sc.agency(S.ABANDONS_TWICE))
    assert twice["parameters"]["abandonments"] == 2
    (thrice,) = s.flags(code="CONDUCT_ABANDONED", agency_id=sc.agency(S.ABANDONS_THRICE))
    assert thrice["parameters"]["abandonments"] == 3  # raised before the change: keeps what it was judged with
