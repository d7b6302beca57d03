"""Detectors are pure: given figures and thresholds, they find what domain.md §9.2–9.3 says, nothing else."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.calendar import WorkingDayCalendar
from domain.supervision import DEFAULTS, Severity
from domain.supervision.metrics import MarketFigures, percentile, window_of
from market.clock import SHANGHAI
from market.oversight.concentration import Dominance, HHIRise, MarketHHI, MarketInputs, OwnerItemInputs, OwnerLockIn
from market.oversight.delays import (AgencyInputs, AgencyOverrunRate, LateEvaluation, LateSigning, Overrun,
                                     ProcurementInputs, RepeatedExtensions, SlowAcceptance)

MONTHS = ["2025-01", "2025-12"]
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday
CALENDAR = WorkingDayCalendar.create("test", by={"id": "t", "role": "system"}, now=NOW)  # weekends only


def market(current: dict[str, int], previous: dict[str, int] | None = None, requests: int = 20) -> MarketInputs:
    """A market whose agencies won these numbers of awards (of equal value)."""
    def window(counts):
        return window_of(MONTHS, {a: (n, n * 100) for a, n in (counts or {}).items()}, requests)
    figures = MarketFigures("HP-01", "430100", window(current), window(previous))
    return MarketInputs(figures, lambda agencies: [{"position": i, "aggregate_id": a} for i, a in enumerate(agencies)])


def codes(detector, inputs, **params) -> list[tuple[str, str]]:
    return [(f.key, f.severity.value) for f in detector.evaluate(inputs, {**DEFAULTS, **params})]


def test_hhi_and_cr4_follow_their_definitions():
    w = window_of(MONTHS, {"a": (6, 600), "b": (2, 200), "c": (1, 100), "d": (1, 100), "e": (0, 0)})
    assert w.hhi_count == 60**2 + 20**2 + 10**2 + 10**2 == 4200
    assert w.cr4_count == 1.0 and w.agencies["a"]["share_value"] == 0.6


def test_a_market_above_2500_is_red_whatever_its_delta():
    (found,) = MarketHHI().evaluate(market({"a": 6, "b": 4}), DEFAULTS)  # HHI 5,200, no previous window
    assert (found.severity, found.figures["band"], found.figures["hhi"]) == (Severity.HIGH, "red", 5200.0)
    assert found.subjects == {"service_item": "HP-01", "region": "430100"}
    assert [e["aggregate_id"] for e in found.evidence] == ["a", "b"]  # the top agencies' awards


def test_market_hhi_amber_needs_a_rise_above_100_and_cr4_alone_is_low():
    amber = {"a": 4, "b": 3, "c": 2, "d": 1, "e": 1, "f": 1}  # HHI ≈ 2,222 (count), CR4 83%
    assert codes(MarketHHI(), market(amber, {k: 2 for k in "abcdef"})) == [("HP-01|430100", "medium")]  # Δ ≈ 555
    assert codes(MarketHHI(), market(amber, amber)) == [("HP-01|430100", "low")]  # Δ = 0: only CR4 > 60%
    spread = {k: 1 for k in "abcdefghij"}
    assert codes(MarketHHI(), market(spread)) == []


def test_markets_with_fewer_than_ten_requests_are_skipped():
    monopoly = {"a": 9}
    for detector in (MarketHHI(), Dominance()):
        assert codes(detector, market(monopoly, requests=9)) == []
        assert codes(detector, market(monopoly, requests=9), min_market_requests=5) != []


def test_a_sharp_rise_names_the_agencies_that_gained():
    inputs = market({"a": 7, "b": 3}, {"a": 2, "b": 2, "c": 2, "d": 2, "e": 2})
    (found,) = HHIRise().evaluate(inputs, DEFAULTS)
    assert found.figures["delta"] > 1000 and [g["agency_id"] for g in found.figures["gainers"]] == ["a", "b"]
    assert HHIRise().evaluate(market({"a": 7, "b": 3}), DEFAULTS) == []  # no previous window: no Δ


def test_dominance_flags_each_agency_above_the_share_with_a_majority_high():
    found = codes(Dominance(), market({"a": 11, "b": 9}))
    assert found == [("HP-01|430100|a", "high"), ("HP-01|430100|b", "medium")]
    assert codes(Dominance(), market({"a": 4, "b": 3, "c": 3})) == []  # 40% is not above 40%


def test_owner_lock_in_needs_the_share_and_three_contracts():
    def owner(counts):
        return OwnerItemInputs("o-1", "HP-01", window_of(MONTHS, {a: (n, n * 100) for a, n in counts.items()}),
                               lambda agencies: [])  # fmt: skip
    assert codes(OwnerLockIn(), owner({"a": 3, "b": 2})) == [("o-1|HP-01|a", "medium")]
    assert codes(OwnerLockIn(), owner({"a": 2})) == []  # 100%, but only two contracts
    assert codes(OwnerLockIn(), owner({"a": 3, "b": 3})) == []  # 50% is not above 50%


def row(**values) -> dict:
    base = {"procurement_id": "p-1", "agency_id": "a-1", "owner_id": "o-1", "department_id": "d-1",
            "service_item": "HP-01", "region": "430100", "status": "open", "time_limit_wd": 20, "extensions": 0,
            "extension_wd": 0, "extension_ratio": 0.0, "evidence": {}, "published_at": None, "awarded_at": None,
            "contract_at": None, "service_due_at": None, "delivered_at": None, "accepted_at": None,
            "evaluated_at": None, "overrun_wd": None, "contract_delivery_wd": None}  # fmt: skip
    base.update({f"{s}_wd": None for s in ("publication_award", "award_contract", "delivery_acceptance",
                                            "acceptance_evaluation")})  # fmt: skip
    base.update(values)
    return base


def judge(detector, r, now=NOW, **params):
    return codes(detector, ProcurementInputs(r, now, CALENDAR), **params)


def test_an_overrun_warns_above_zero_and_is_high_beyond_ten_working_days():
    due = datetime(2025, 5, 1, tzinfo=SHANGHAI)  # end of 30 April (a Wednesday)
    delivered = {"contract_at": due - timedelta(days=30), "service_due_at": due}
    assert judge(Overrun(), row(**delivered, delivered_at=due, overrun_wd=1)) == [("p-1", "low")]
    assert judge(Overrun(), row(**delivered, delivered_at=due, overrun_wd=11)) == [("p-1", "high")]
    assert judge(Overrun(), row(**delivered, delivered_at=due, overrun_wd=0)) == []
    running = row(**delivered)  # not delivered: counted against now, 1 May … 2 June
    assert judge(Overrun(), running) == [("p-1", "high")]
    assert judge(Overrun(), running, now=due + timedelta(days=1, hours=9)) == [("p-1", "low")]
    assert judge(Overrun(), row(**delivered, status="ended")) == []


def test_slow_steps_are_judged_finished_or_running():
    awarded = NOW - timedelta(days=14)  # ten working days ago
    assert judge(LateSigning(), row(awarded_at=awarded)) == [("p-1", "medium")]  # still unsigned
    assert judge(LateSigning(), row(awarded_at=awarded, contract_at=NOW, award_contract_wd=5)) == []
    assert judge(SlowAcceptance(), row(delivered_at=awarded)) == []  # 10 is not above 10
    assert judge(SlowAcceptance(), row(delivered_at=awarded - timedelta(days=1))) == [("p-1", "low")]
    assert judge(LateEvaluation(), row(accepted_at=awarded, evaluated_at=NOW, acceptance_evaluation_wd=4)) == [
        ("p-1", "low")]  # fmt: skip


def test_extensions_are_flagged_when_repeated_or_too_long():
    assert judge(RepeatedExtensions(), row(extensions=2, extension_wd=6, extension_ratio=0.3)) == [("p-1", "medium")]
    assert judge(RepeatedExtensions(), row(extensions=1, extension_wd=12, extension_ratio=0.6)) == [("p-1", "medium")]
    assert judge(RepeatedExtensions(), row(extensions=1, extension_wd=10, extension_ratio=0.5)) == []


def test_an_agency_is_a_chronic_delayer_only_with_enough_contracts_and_a_high_rate():
    due = NOW - timedelta(days=40)

    def contracts(late: int, on_time: int) -> AgencyInputs:
        rows = [row(procurement_id=f"p-{i}", contract_at=due - timedelta(days=30), service_due_at=due,
                    delivered_at=due, overrun_wd=12 if i < late else 0, contract_delivery_wd=20)
                for i in range(late + on_time)]  # fmt: skip
        return AgencyInputs("a-1", rows, NOW - timedelta(days=365), NOW, CALENDAR)

    assert codes(AgencyOverrunRate(), contracts(5, 0)) == [("a-1", "high")]
    assert codes(AgencyOverrunRate(), contracts(4, 0)) == []  # fewer than five contracts
    assert codes(AgencyOverrunRate(), contracts(1, 5)) == []  # one in six: 17%
    (found,) = AgencyOverrunRate().evaluate(contracts(3, 3), DEFAULTS)
    assert found.figures["overrun_rate"] == 0.5 and found.figures["stages"]["contract_delivery"]["median"] == 20


def test_percentiles_are_nearest_rank():
    assert percentile([5, 1, 3], 0.5) == 3 and percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([], 0.5) is None


def test_every_flag_keeps_only_the_parameters_its_detector_read():
    from market.oversight.detectors import used
    from market.oversight.scan import DETECTORS

    for detector in DETECTORS:
        assert set(used(detector, DEFAULTS)) == set(detector.parameters) <= set(DEFAULTS)
    assert len({d.code for d in DETECTORS}) == len(DETECTORS)
