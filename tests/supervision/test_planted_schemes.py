"""A full scan of the planted scenario: every scheme flagged with its subjects and evidence, no look-alike."""

from __future__ import annotations

from market.oversight.scan import full_scan
from projections.stage_delays import stage_statistics
from tests.supervision.scenario import CS


def scanned(s):
    report = full_scan(s.market, s.read_models)
    return report, {(f["code"], f["key"]): f for f in s.flags(status="open")}


def assert_evidence_is(s, flag, pids: set[str], event: str) -> None:
    """Each evidence item is a real stored event of the named kind, of one of these procurements."""
    for item in flag["evidence"]:
        stored = s.event_at(item["position"])
        assert type(stored).__name__ == item["event"] == event
        assert str(stored.originator_id) == item["aggregate_id"] and stored.originator_version == item["version"]
    assert {item["aggregate_id"] for item in flag["evidence"]} == pids


def test_full_scan_flags_every_planted_scheme_and_no_look_alike(supervised):
    _, found = scanned(supervised)
    expected, innocent = supervised.scenario.expected(), supervised.scenario.look_alikes()

    assert expected - set(found) == set()
    assert set(found) & innocent == set()


def test_precision_and_recall_over_the_planted_scenario(supervised, record_property, capsys):
    _, found = scanned(supervised)
    expected, innocent = supervised.scenario.expected(), supervised.scenario.look_alikes()

    lines = []
    for family in ("", "CONC", "DELAY", "COLLUSION", "CONDUCT"):  # "": over the whole planted set
        flagged = {f for f in found if f[0].startswith(family)}
        planted = {f for f in expected if f[0].startswith(family)}
        hits = flagged & planted
        precision = len(hits) / len(flagged) if flagged else 1.0
        recall = len(hits) / len(planted) if planted else 1.0
        name = family or "all"
        alike = {i for i in innocent if i[0].startswith(family)}
        lines.append(f"{name}: {len(flagged)} flags, {len(planted)} planted, {len(flagged & alike)} look-alikes "
                     f"flagged of {len(alike)}: precision {precision:.2f}, recall {recall:.2f}")  # fmt: skip
        record_property(f"precision_{name}", precision)
        record_property(f"recall_{name}", recall)
        if not family:
            overall = (precision, recall)
    with capsys.disabled():  # a line in the test output, without -s
        print("\nplanted scenario: " + "; ".join(lines))
    assert overall == (1.0, 1.0)


def test_the_monopolised_item_is_flagged_with_its_market_the_agency_and_their_awards(supervised):
    s, sc = supervised, supervised.scenario
    _, found = scanned(s)
    monopolist = sc.agency(0)

    dominance = found[("CONC_DOMINANCE", f"HP-02|{CS}|{monopolist}")]
    assert (dominance["service_item"], dominance["region"], dominance["agency_id"]) == ("HP-02", CS, monopolist)
    assert dominance["severity"] == "high" and dominance["figures"]["share_count"] == 0.8
    assert dominance["parameters"] == {"dominance_share": 0.4, "min_market_requests": 10, "market_window_months": 12}
    assert_evidence_is(s, dominance, set(sc.pids(item="HP-02", winner=0)), "Awarded")

    market = found[("CONC_HHI", f"HP-02|{CS}")]
    assert market["agency_id"] is None and market["figures"]["band"] == "red" and market["figures"]["hhi"] > 2500
    assert_evidence_is(s, market, set(sc.pids(item="HP-02")), "Awarded")  # the top four: every winner here


def test_the_owner_lock_in_is_flagged_with_owner_item_agency_and_its_contracts(supervised):
    s, sc = supervised, supervised.scenario
    _, found = scanned(s)
    owner = str(sc.owners[1][0])

    lock_in = found[("CONC_LOCKIN", f"{owner}|HP-03|{sc.agency(1)}")]
    assert (lock_in["owner_id"], lock_in["service_item"], lock_in["agency_id"]) == (owner, "HP-03", sc.agency(1))
    assert lock_in["figures"]["contracts"] == 4 and lock_in["figures"]["owner_contracts"] == 5
    assert_evidence_is(s, lock_in, set(sc.pids(item="HP-03", owner=1, winner=1)), "Awarded")
    assert not s.flags(code="CONC_DOMINANCE", agency_id=sc.agency(1))  # 20% of its market: no dominance


def test_chronic_delays_are_flagged_per_contract_and_against_the_agency(supervised):
    s, sc = supervised, supervised.scenario
    _, found = scanned(s)

    for plan in sc.plans:
        if plan.late_wd:
            flag = found[("DELAY_OVERRUN", str(plan.pid))]
            assert flag["figures"]["overrun_wd"] == plan.late_wd and flag["figures"]["delivered"]
            assert flag["severity"] == ("high" if plan.late_wd > 10 else "low")
            assert (flag["procurement_id"], flag["agency_id"]) == (str(plan.pid), sc.agency(plan.winner))
            kinds = {type(s.event_at(e["position"])).__name__ for e in flag["evidence"]}
            assert kinds == {"ContractConfirmed", "DeliverableSubmitted"}
            assert {e["aggregate_id"] for e in flag["evidence"]} == {str(plan.pid)}

    chronic = found[("DELAY_AGENCY_RATE", sc.agency(2))]
    assert chronic["severity"] == "high" and chronic["agency_id"] == sc.agency(2)
    assert (chronic["figures"]["contracts"], chronic["figures"]["late"], chronic["figures"]["overrun_rate"]) == (6, 6, 1.0)
    assert {e["aggregate_id"] for e in chronic["evidence"]} == set(sc.pids(winner=2))
    occasional = [f for f in s.flags(agency_id=sc.agency(7))]
    assert [f["code"] for f in occasional] == ["DELAY_OVERRUN"]  # its one late contract, not a chronic delayer


def test_repeated_extensions_are_flagged_with_the_granted_extensions_as_evidence(supervised):
    s, sc = supervised, supervised.scenario
    _, found = scanned(s)

    for plan in sc.plans:
        if plan.winner == 3:
            flag = found[("DELAY_EXTENSIONS", str(plan.pid))]
            granted = [e for e in flag["evidence"] if type(s.event_at(e["position"])).__name__ == "ExtensionGranted"]
            assert len(granted) == len(plan.extensions) == flag["figures"]["extensions"]
            assert {e["aggregate_id"] for e in flag["evidence"]} == {str(plan.pid)}
    assert not [f for f in s.flags() if f["agency_id"] in (sc.agency(5), sc.agency(6))]  # busy, or within limits


def test_stage_statistics_per_agency_owner_and_department(supervised):
    s, sc = supervised, supervised.scenario
    s.read_models.catch_up()
    calendar, now = s.market.calendar(), s.clock.now()
    with s.read_models.connect() as conn:
        chronic = stage_statistics(conn, now=now, calendar=calendar, agency_id=sc.agency(2))
        owner = stage_statistics(conn, now=now, calendar=calendar, owner_id=str(sc.owners[1][0]))
        department = stage_statistics(conn, now=now, calendar=calendar,
                                      department_id=str(s.market.service_item("HP-01").department_id))

    assert (chronic["contracts"], chronic["late"], chronic["overrun_rate"]) == (6, 6, 1.0)
    assert (chronic["overrun_median"], chronic["overrun_p90"]) == (13, 15)  # late by 12, 12, 13, 13, 14, 15
    assert chronic["stages"]["contract_delivery"]["median"] == 20 + 13
    owners_plans = [p for p in (*sc.plans, *sc.scheme_plans) if p.owner == 1 and not (p.abandon or p.void)]
    assert (owner["contracts"], owner["late"]) == (len(owners_plans), sum(1 for p in owners_plans if p.late_wd))
    assert owner["stages"]["award_contract"] == {"n": len(owners_plans), "median": 1, "p90": 1}
    assert department["contracts"] > 40 and 0 < department["overrun_rate"] < 0.2
