"""Collusion screens (domain.md §9.4) over the planted scenario: each scheme flagged with its agencies,
procurement and evidence; each innocent look-alike left alone (tests/supervision/schemes.py)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from market.bootstrap import build_market
from market.clock import FixedClock
from market.oversight.collusion import changes_p_value
from market.oversight.scan import full_scan, incremental_scan
from market.settings import Settings
from projections import bidding_patterns as bp
from projections.catalog import open_read_models
from projections.supervision_flags import flags
from tests.supervision import schemes as S
from tests.supervision.scenario import CS, START, Scenario


def scanned(s) -> dict[tuple[str, str], dict]:
    full_scan(s.market, s.read_models)
    return {(f["code"], f["key"]): f for f in s.flags(status="open")}


def evidence_kinds(s, flag) -> Counter:
    """(event, aggregate) of each evidence item, checked against the stored event at its position."""
    kinds = Counter()
    for item in flag["evidence"]:
        stored = s.event_at(item["position"])
        assert type(stored).__name__ == item["event"]
        assert (str(stored.originator_id), stored.originator_version) == (item["aggregate_id"], item["version"])
        kinds[(item["event"], item["aggregate_id"])] += 1
    return kinds


def agencies(sc, *numbers: int) -> str:
    return ",".join(sorted(sc.agency(n) for n in numbers))


def one(sc, tag: str) -> str:
    (pid,) = S.pids(sc, tag)
    return pid


def test_the_rotation_ring_is_flagged_with_its_members_their_turns_and_the_selections(supervised):
    s, sc = supervised, supervised.scenario
    found = scanned(s)

    ring = found[("COLLUSION_ROTATION", S.ring_key(sc, S.RING))]

    assert ring["agency_ids"] == agencies(sc, *S.RING) and (ring["service_item"], ring["region"]) == ("HP-07", CS)
    f = ring["figures"]
    assert f["wins"] == {sc.agency(n): 4 for n in S.RING} and f["changes"] == 11  # every turn a new winner
    assert f["runs_p"] == round((2 / 3) ** 11, 6) and min(f["co_bids"].values()) == 12
    assert evidence_kinds(s, ring) == Counter({("WinnerSelected", pid): 1 for pid in S.pids(sc, "ring")})
    for n in S.RING:  # the regulator finds the ring under each of its members
        assert ring["flag_id"] in {x["flag_id"] for x in s.flags(agency_id=sc.agency(n))}


def test_agencies_that_meet_in_every_request_but_win_at_random_are_no_ring(supervised):
    s, sc = supervised, supervised.scenario
    scanned(s)
    trio = [plan.winner for plan in sc.scheme_plans if plan.tag == "trio"]

    assert set(trio) == set(S.TRIO) and Counter(trio) == Counter({n: 3 for n in S.TRIO})  # an even share, too
    assert changes_p_value([str(n) for n in trio]) > 0.4  # winners repeat as chance would have them
    assert all(not s.flags(agency_id=sc.agency(n)) for n in S.TRIO)


def test_the_runs_test_tells_turn_taking_from_chance():
    assert changes_p_value(list("ABCABCABCABC")) == round((2 / 3) ** 11, 6)
    assert changes_p_value(list("ABABABAB")) == round(0.5**7, 6)
    assert changes_p_value(list("AABBAB")) == 0.5  # 3 changes of 5: what chance gives
    assert changes_p_value(list("A")) == 1.0


def test_identical_quotes_are_flagged_with_both_agencies_and_their_sign_ups(supervised):
    s, sc = supervised, supervised.scenario
    found = scanned(s)
    pid = one(sc, "identical")

    flag = found[("COLLUSION_IDENTICAL", pid)]

    assert flag["agency_ids"] == agencies(sc, *S.IDENTICAL) and flag["procurement_id"] == pid
    assert flag["figures"]["groups"] == [{"price": "31280.00", "agencies": agencies(sc, *S.IDENTICAL).split(",")}]
    kinds = evidence_kinds(s, flag)
    assert kinds == Counter({("SignedUp", pid): 2, ("WinnerSelected", pid): 1})
    assert ("COLLUSION_IDENTICAL", one(sc, "ceiling_tie")) not in found  # two bids pinned at the 最高限价


def test_cover_bids_are_judged_against_their_own_market(supervised):
    s, sc = supervised, supervised.scenario
    found = scanned(s)

    gap = found[("COLLUSION_COVER", one(sc, "cover_rd"))]
    tight = found[("COLLUSION_COVER", one(sc, "cover_cv"))]

    assert gap["figures"]["screens"] == ["relative_distance"] and gap["figures"]["rd"] == 150.0
    assert gap["figures"]["rd"] > gap["figures"]["rd_upper_fence"] and gap["agency_id"] == sc.agency(10)
    assert gap["agency_ids"] == agencies(sc, 10, 11, 12)
    assert tight["figures"]["screens"] == ["low_variance"]
    assert tight["figures"]["cv"] <= tight["figures"]["cv_lower_fence"]
    assert evidence_kinds(s, gap) == Counter({("SignedUp", one(sc, "cover_rd")): 3,
                                              ("WinnerSelected", one(sc, "cover_rd")): 1})  # fmt: skip
    s.read_models.catch_up()
    with s.read_models.connect() as conn:
        rows = {r["procurement_id"]: r for r in bp.procurements(conn)}
    wide, same_bids = rows[one(sc, "wide_gap")], rows[one(sc, "tight_same_bids")]
    assert wide["rd"] == 2.4 > 1  # Imhof's RD > 1 alone would flag it: ordinary in its market
    assert same_bids["cv"] == rows[one(sc, "cover_cv")]["cv"]  # the very bids, in a market where they are normal
    innocent = {pid for tag in ("wide_gap", "tight_same_bids", "tight", "background", "ring")
                for pid in S.pids(sc, tag)}  # fmt: skip
    assert not [pid for code, pid in found if code == "COLLUSION_COVER" and pid in innocent]


def test_a_last_minute_cluster_is_flagged_and_a_lone_or_spread_late_sign_up_is_not(supervised):
    s, sc = supervised, supervised.scenario
    found = scanned(s)
    pid = one(sc, "last_minute")

    flag = found[("COLLUSION_LAST_MINUTE", pid)]

    assert flag["agency_ids"] == agencies(sc, 11, 12) and flag["agency_id"] is None
    assert flag["figures"]["clusters"] == [[{"agency_id": sc.agency(11), "seconds_before_close": 1200},
                                            {"agency_id": sc.agency(12), "seconds_before_close": 1140}]]  # fmt: skip
    assert evidence_kinds(s, flag) == Counter({("SignedUp", pid): 2})
    assert not {("COLLUSION_LAST_MINUTE", one(sc, tag)) for tag in ("late_alone", "late_apart")} & set(found)


def test_shared_contacts_and_a_shared_submission_address_are_flagged_with_the_profiles_behind_them(supervised):
    s, sc = supervised, supervised.scenario
    found = scanned(s)

    phone = found[("COLLUSION_SHARED_CONTACT", one(sc, "shared_phone"))]
    address = found[("COLLUSION_SHARED_CONTACT", one(sc, "same_address"))]

    assert phone["agency_ids"] == agencies(sc, *S.SHARED_PHONE)
    assert phone["figures"]["shared"] == [{"kind": "phone", "agencies": agencies(sc, *S.SHARED_PHONE).split(",")}]
    registered = {("Registered", sc.agency(n)): 1 for n in S.SHARED_PHONE}  # the profiles that set the phone
    assert evidence_kinds(s, phone) == Counter({("SignedUp", one(sc, "shared_phone")): 2, **registered})
    assert address["figures"]["shared"] == [{"kind": "submitted_from",
                                             "agencies": agencies(sc, *S.SAME_ADDRESS).split(",")}]  # fmt: skip
    innocent = {*S.pids(sc, "phone_apart"), one(sc, "one_building")}
    assert not [pid for code, pid in found if code == "COLLUSION_SHARED_CONTACT" and pid in innocent]


def test_bid_suppression_names_the_winner_and_those_who_withdrew(supervised):
    s, sc = supervised, supervised.scenario
    found = scanned(s)
    pid = one(sc, "suppression")

    flag = found[("COLLUSION_SUPPRESSION", pid)]

    assert flag["agency_id"] == sc.agency(8) and flag["agency_ids"] == agencies(sc, 8, 9, 18)
    assert flag["figures"]["withdrawn"] == sorted([sc.agency(9), sc.agency(18)])
    kinds = evidence_kinds(s, flag)
    assert kinds[("SignupWithdrawn", pid)] == 2 and kinds[("SignedUp", pid)] == 3
    assert not {("COLLUSION_SUPPRESSION", one(sc, t)) for t in ("one_withdrawal", "lone_bidder")} & set(found)


def test_a_sign_up_records_the_address_it_came_from_and_old_ones_none(supervised):
    s, sc = supervised, supervised.scenario
    pid = one(sc, "same_address")

    signed = [e for e in s.events_of(pid) if type(e).__name__ == "SignedUp"]

    assert {e.agency_id: e.submitted_from for e in signed} == {
        sc.agency(36): "203.0.113.7", sc.agency(37): "203.0.113.7", sc.agency(17): "198.51.100.20"}  # fmt: skip
    base = [e for e in s.events_of(sc.plans[0].pid) if type(e).__name__ == "SignedUp"]
    assert base and all(e.submitted_from is None for e in base)


def test_incremental_scans_as_the_schemes_unfold_find_what_a_full_scan_finds(tmp_path):
    url = f"sqlite:///{tmp_path}/events.db"
    clock = FixedClock(START - timedelta(days=7))
    market = build_market(Settings(database_url=url), clock=clock)
    read_models = open_read_models(url, market)
    try:
        sc = Scenario(market, clock)
        sc.register()
        steps = iter(range(10**6))
        kinds = Counter()

        def scan_now_and_then() -> None:
            if next(steps) % 25 == 0:
                kinds[incremental_scan(market, read_models).kind] += 1

        sc.run(sc.scheme_plans, start=START, mix=False, on_step=scan_now_and_then)
        incremental_scan(market, read_models)
        read_models.catch_up()
        with read_models.connect() as conn:
            seen = {(f["code"], f["key"]) for f in flags(conn, status="open", limit=10_000)}

        report = full_scan(market, read_models)

        assert kinds["incremental"] > 20 and kinds["full"] == 1  # the first, with no bookmark yet
        assert report.actions == Counter()  # nothing the incremental scans missed, nothing left to clear
        assert S.expected(sc) <= seen and not seen & S.look_alikes(sc)
    finally:
        read_models.close()
        market.close()
