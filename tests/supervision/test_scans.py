"""Scans reconcile: never the same flag twice, clear what no longer holds, follow the thresholds."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from domain.errors import NotAllowed
from domain.supervision import Flag
from market.oversight.detectors import AGENCY, MARKET, OWNER_ITEM, PROCUREMENT
from market.oversight.collusion import BIDDING, RING
from market.oversight.conduct import AGENCY_CONDUCT, ENGAGEMENT
from market.oversight.red_top import DEPARTMENT, LINKS
from market.oversight.scan import full_scan, incremental_scan
from tests.builders import OPERATOR, REGULATOR
from tests.supervision.scenario import CS, Plan


def flag_id(code: str, key: str) -> str:
    return str(Flag.create_id(code, key))


def kinds(s, flag) -> list[str]:
    return [type(e).__name__ for e in s.events_of(flag)]


def test_a_second_full_scan_records_nothing(supervised):
    s = supervised
    first = full_scan(s.market, s.read_models)
    head = s.market.recorder.max_notification_id()

    again = full_scan(s.market, s.read_models)

    assert first.count("raised") == len(s.scenario.expected())  # every planted scheme, nothing else
    assert again.actions == Counter() and s.market.recorder.max_notification_id() == head
    assert len(s.flags()) == len(s.scenario.expected())


def test_an_incremental_scan_judges_only_the_scopes_new_events_touched(supervised):
    s, sc = supervised, supervised.scenario
    full = full_scan(s.market, s.read_models)
    extra = Plan("HP-02", CS, 9, 0)  # the monopolist wins once more
    sc.run([extra], start=s.clock.now() + timedelta(days=1))

    report = incremental_scan(s.market, s.read_models)

    assert report.kind == "incremental"
    rings = report.scopes.pop(RING)
    assert report.scopes == Counter({MARKET: 1, OWNER_ITEM: 1, PROCUREMENT: 1, AGENCY: 1,  # not the whole market
                                     LINKS: 3, DEPARTMENT: 1,  # its three bidders' links, its department's awards
                                     BIDDING: 1, ENGAGEMENT: 1, AGENCY_CONDUCT: 0})  # its bids, its award
    assert 0 < rings < full.scopes[RING]  # only the groups its bidders belong to
    dominance = flag_id("CONC_DOMINANCE", f"HP-02|{CS}|{sc.agency(0)}")
    assert kinds(s, dominance) == ["Raised", "Updated"]  # one more award: new evidence
    (flag,) = [f for f in s.flags() if f["flag_id"] == dominance]
    assert str(extra.pid) in {e["aggregate_id"] for e in flag["evidence"]} and len(flag["evidence"]) == 13
    assert incremental_scan(s.market, s.read_models).scopes == Counter()  # nothing new since


def test_flags_clear_when_the_window_moves_past_them_and_facts_stay(supervised):
    s, sc = supervised, supervised.scenario
    full_scan(s.market, s.read_models)
    s.clock.advance(timedelta(days=400))

    report = full_scan(s.market, s.read_models)

    assert Counter(code for code, action in report.actions if action == "cleared") == Counter(
        {"CONC_HHI": 1, "CONC_DOMINANCE": 1, "CONC_LOCKIN": 1, "DELAY_AGENCY_RATE": 1, "COLLUSION_ROTATION": 1,
         "CONDUCT_ABANDONED": 1})  # fmt: skip
    chronic = flag_id("DELAY_AGENCY_RATE", sc.agency(2))
    assert kinds(s, chronic) == ["Raised", "Cleared"]
    cleared = s.events_of(chronic)[-1]
    assert cleared.reason and cleared.figures["contracts"] == 0  # what the detector saw when it let go
    assert {f["code"] for f in s.flags(status="open")} == {  # facts of the past
        "DELAY_OVERRUN", "DELAY_EXTENSIONS", "DELAY_SIGNING", "COLLUSION_IDENTICAL", "COLLUSION_COVER",
        "COLLUSION_LAST_MINUTE", "COLLUSION_SHARED_CONTACT", "COLLUSION_SUPPRESSION", "CONDUCT_CONTRACT",
        "CONDUCT_RETURNED"}  # fmt: skip


def test_threshold_changes_alter_later_flags_while_each_flag_keeps_its_parameters(supervised):
    s, sc = supervised, supervised.scenario
    full_scan(s.market, s.read_models)
    monopolist = flag_id("CONC_DOMINANCE", f"HP-02|{CS}|{sc.agency(0)}")

    s.market.change_thresholds({"dominance_share": 0.9}, reason="试行更宽松的支配阈值", by=REGULATOR)
    raised_high = incremental_scan(s.market, s.read_models)  # new thresholds: judged everywhere again
    s.market.change_thresholds({"dominance_share": 0.15}, reason="收紧支配阈值", by=REGULATOR)
    lowered = incremental_scan(s.market, s.read_models)

    assert raised_high.kind == lowered.kind == "full"
    assert kinds(s, monopolist) == ["Raised", "Cleared", "Reopened"]
    raised, _, reopened = s.events_of(monopolist)
    assert raised.parameters["dominance_share"] == 0.4 and reopened.parameters["dominance_share"] == 0.15
    lock_in_agency = flag_id("CONC_DOMINANCE", f"HP-03|{CS}|{sc.agency(1)}")  # 20% of its market
    assert kinds(s, lock_in_agency) == ["Raised"]
    assert s.events_of(lock_in_agency)[0].parameters["dominance_share"] == 0.15
    (changed,) = [e for e in s.market.history(s.market.supervision_settings().id) if type(e).__name__ == "ThresholdsChanged"][1:]
    assert (changed.old, changed.new) == ({"dominance_share": 0.9}, {"dominance_share": 0.15})


def test_only_a_regulator_changes_thresholds_and_a_refusal_records_nothing(supervised):
    s = supervised
    head = s.market.recorder.max_notification_id()

    with pytest.raises(NotAllowed):
        s.market.change_thresholds({"dominance_share": 0.5}, reason="运营机构无权修改", by=OPERATOR)

    assert s.market.recorder.max_notification_id() == head
    assert s.market.thresholds()["dominance_share"] == 0.4
