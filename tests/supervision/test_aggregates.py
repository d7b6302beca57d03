"""Flag, Case and SupervisionSettings: the new events each command records, and its refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from eventsourcing.application import Application

from domain.base import Actor
from domain.errors import NotAllowed, ReasonRequired, TransitionForbidden
from domain.supervision import DEFAULTS, Case, Finding, Flag, Severity, SupervisionSettings
from domain.supervision.errors import (AgencyRequired, FlagDecided, InvalidFinding, InvalidThreshold,
                                       ThresholdsUnchanged, UnknownThreshold, UnknownViolation)
from tests.builders import OPERATOR, REGULATOR, SYSTEM, T0

HOUR = timedelta(hours=1)


def overrun(days: int = 12, severity: Severity = Severity.HIGH, positions=(7, 9)) -> Finding:
    return Finding(key="p-1", scope="p-1", subjects={"procurement_id": "p-1", "agency_id": "a-1"},
                   severity=severity, figures={"overrun_wd": days},
                   evidence=[{"position": p, "aggregate_id": "p-1", "version": p, "event": "X"} for p in positions])  # fmt: skip


def raised(finding: Finding | None = None) -> Flag:
    flag = Flag.raise_flag("DELAY_OVERRUN", "1", {"overrun_violation_wd": 10}, finding or overrun(), by=SYSTEM, now=T0)
    flag.collect_events()
    return flag


def new_events(aggregate) -> list[str]:
    return [type(e).__name__ for e in aggregate.collect_events()]


def test_raise_flag_records_code_version_parameters_subjects_figures_and_evidence():
    flag = Flag.raise_flag("DELAY_OVERRUN", "1", {"overrun_violation_wd": 10}, overrun(), by=SYSTEM, now=T0)

    (event,) = flag.collect_events()
    assert type(event).__name__ == "Raised" and flag.id == Flag.create_id("DELAY_OVERRUN", "p-1")
    assert (event.code, event.detector_version, event.parameters) == ("DELAY_OVERRUN", "1", {"overrun_violation_wd": 10})
    assert (event.severity, event.subjects["agency_id"], event.figures) == ("high", "a-1", {"overrun_wd": 12})
    assert [e["position"] for e in event.evidence] == [7, 9] and event.actor["role"] == "system"


@pytest.mark.parametrize("bad", [
    Finding("k", "k", {}, Severity.LOW, {}), Finding("k", "k", {"colour": "red"}, Severity.LOW, {}),
    Finding("k", "k", {"agency_id": "a"}, Severity.LOW, {}, [{"aggregate_id": "x"}]),
])  # fmt: skip
def test_raise_flag_with_a_malformed_finding_is_refused(bad):
    with pytest.raises(InvalidFinding):
        Flag.raise_flag("X", "1", {}, bad, by=SYSTEM, now=T0)


def test_observe_the_same_finding_again_records_nothing():
    flag = raised()
    assert flag.observe("1", {}, overrun(), by=SYSTEM, now=T0 + HOUR) == "unchanged"
    assert new_events(flag) == []


@pytest.mark.parametrize("finding", [overrun(severity=Severity.LOW), overrun(positions=(7, 9, 11))])
def test_observe_a_new_severity_or_new_evidence_records_an_update(finding):
    flag = raised()
    assert flag.observe("1", {}, finding, by=SYSTEM, now=T0 + HOUR) == "updated"
    assert new_events(flag) == ["Updated"]


def test_observe_a_headline_figure_moves_materially_only_beyond_the_tolerance():
    flag = raised()
    assert flag.observe("1", {}, overrun(days=12), headline=("overrun_wd",), by=SYSTEM, now=T0) == "unchanged"
    assert flag.observe("1", {}, overrun(days=13), headline=("overrun_wd",), by=SYSTEM, now=T0) == "updated"


def test_clear_then_observe_reopens_the_same_flag():
    flag = raised()
    assert flag.clear("条件不再成立", {"overrun_wd": 0}, by=SYSTEM, now=T0 + HOUR)
    assert not flag.clear("again", {}, by=SYSTEM, now=T0 + HOUR)  # already cleared: nothing
    assert flag.observe("2", {"overrun_violation_wd": 8}, overrun(), by=SYSTEM, now=T0 + 2 * HOUR) == "reopened"
    events = flag.collect_events()
    assert [type(e).__name__ for e in events] == ["Cleared", "Reopened"]
    assert events[1].parameters == {"overrun_violation_wd": 8} and flag.status.value == "open"


def test_a_labelled_flag_is_frozen():
    flag = raised()
    flag.label_by_case("dismissed", Case.create_id(flag.id), ["经核查属正常"], by=REGULATOR, now=T0 + HOUR)
    assert new_events(flag) == ["Labelled"]

    assert flag.observe("1", {}, overrun(severity=Severity.LOW), by=SYSTEM, now=T0 + 2 * HOUR) == "unchanged"
    assert not flag.clear("gone", {}, by=SYSTEM, now=T0 + 2 * HOUR)
    with pytest.raises(FlagDecided):
        flag.label_by_case("confirmed", Case.create_id(flag.id), ["x"], by=REGULATOR, now=T0 + 2 * HOUR)
    assert new_events(flag) == []


def opened(finding: Finding | None = None) -> Case:
    case = Case.open(raised(finding), by=REGULATOR, now=T0)
    case.collect_events()
    return case


def test_confirm_records_the_decision_and_a_violation_against_the_flagged_agency():
    case = opened()
    case.confirm(["超期15个工作日"], "V05", by=REGULATOR, now=T0 + HOUR)

    confirmed, violation = case.collect_events()
    assert confirmed.violation_code == "V05" and confirmed.reasons == ["超期15个工作日"]
    assert (violation.agency_id, violation.code, violation.points, violation.sanction) == ("a-1", "V05", -3, None)
    with pytest.raises(TransitionForbidden):
        case.dismiss(["改判"], by=REGULATOR, now=T0 + 2 * HOUR)


def test_confirm_needs_a_catalogued_code_reasons_and_an_agency():
    market_flag = Finding("HP-01|430100", "HP-01|430100", {"service_item": "HP-01"}, Severity.HIGH, {})
    with pytest.raises(UnknownViolation):
        opened().confirm(["x"], "V99", by=REGULATOR, now=T0)
    with pytest.raises(ReasonRequired):
        opened().confirm([" "], "V05", by=REGULATOR, now=T0)
    with pytest.raises(AgencyRequired):
        opened(market_flag).confirm(["垄断"], "V03", by=REGULATOR, now=T0)
    case = opened(market_flag)
    case.confirm(["垄断"], "V03", agency_id="a-9", points=-2, by=REGULATOR, now=T0)
    assert case.collect_events()[-1].points == -2


def test_only_a_regulator_works_a_case():
    with pytest.raises(NotAllowed):
        Case.open(raised(), by=OPERATOR, now=T0)
    case = opened()
    with pytest.raises(NotAllowed):
        case.add_note("运营机构意见", by=OPERATOR, now=T0)
    case.assign("reg-2", by=REGULATOR, now=T0)
    case.add_note("已调取材料", by=REGULATOR, now=T0)
    assert new_events(case) == ["Assigned", "NoteAdded"] and case.status.value == "investigating"


def test_change_thresholds_records_old_and_new_values():
    settings = SupervisionSettings.establish("430000", by=Actor.system(), now=T0)
    assert settings.in_force() == DEFAULTS
    settings.collect_events()

    settings.change({"dominance_share": 0.5, "cr4": 0.6, "hhi_red": 3000}, reason="新规", by=REGULATOR, now=T0)

    (event,) = settings.collect_events()
    assert (event.old, event.new) == ({"dominance_share": 0.4, "hhi_red": 2500}, {"dominance_share": 0.5, "hhi_red": 3000})
    assert settings.in_force()["dominance_share"] == 0.5


@pytest.mark.parametrize(("changes", "error"), [
    ({"colour": 1}, UnknownThreshold), ({"dominance_share": 1.5}, InvalidThreshold),
    ({"hhi_red": 2500.5}, InvalidThreshold), ({"lockin_min_contracts": True}, InvalidThreshold),
    ({"dominance_share": 0.4}, ThresholdsUnchanged), ({"cover_min_bids": 2}, InvalidThreshold),
    ({"rotation_runs_p": 1.5}, InvalidThreshold), ({"cover_rd": 0}, InvalidThreshold),
    ({"abandonments": 0}, InvalidThreshold), ({"last_minute_gap_seconds": 60.5}, InvalidThreshold),
])  # fmt: skip
def test_change_thresholds_with_bad_values_is_refused(changes, error):
    settings = SupervisionSettings.establish("430000", by=Actor.system(), now=T0)
    settings.collect_events()
    with pytest.raises(error):
        settings.change(changes, reason="x", by=REGULATOR, now=T0)
    assert settings.collect_events() == []


def round_trip(aggregate):
    app = Application(env={"IS_SNAPSHOTTING_ENABLED": "y"})
    app.save(aggregate)
    app.take_snapshot(aggregate.id)
    return app.repository.get(aggregate.id)


def state(aggregate) -> dict:
    return {k: v for k, v in vars(aggregate).items() if not k.startswith("_")}


def test_snapshots_of_flag_case_and_settings_restore_the_same_state():
    flag = Flag.raise_flag("DELAY_OVERRUN", "1", {"a": 0.5}, overrun(), by=SYSTEM, now=T0)
    flag.clear("gone", {"x": [1, 2]}, by=SYSTEM, now=T0 + HOUR)
    case = Case.open(flag, by=REGULATOR, now=T0)
    case.add_note("笔录", by=REGULATOR, now=T0)
    case.confirm(["属实"], "V05", by=REGULATOR, now=T0 + HOUR)
    settings = SupervisionSettings.establish("430000", by=Actor.system(), now=T0)
    settings.change({"cr4": 0.7}, reason="x", by=REGULATOR, now=T0)
    for aggregate in (flag, case, settings):
        copy = round_trip(aggregate)
        assert type(copy) is type(aggregate) and state(copy) == state(aggregate)
