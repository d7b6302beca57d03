"""Credit aggregates survive the library's JSON round trip: a snapshot equals the replayed state."""

from __future__ import annotations

from eventsourcing.application import Application

from domain.credit import CreditFile, CreditPolicy, DEFAULT_SCORING
from tests.builders import REGULATOR, SYSTEM, T0
from tests.credit.given import AGENCY_ID, DAY, OWNER, case_source


def stored_and_snapshotted(aggregate):
    app = Application(env={"IS_SNAPSHOTTING_ENABLED": "y"})
    app.save(aggregate)
    app.take_snapshot(aggregate.id)
    assert [s.originator_version for s in app.snapshots.get(aggregate.id)] == [aggregate.version]
    return app.repository.get(aggregate.id)


def state(aggregate) -> dict:
    return {k: v for k, v in vars(aggregate).items() if not k.startswith("_")}


def test_a_busy_credit_file_round_trips_through_a_snapshot():
    catalogue = CreditPolicy.establish("430000", by=SYSTEM, now=T0)
    file = CreditFile.open(AGENCY_ID, by=SYSTEM, now=T0)
    case_id, source = case_source()
    file.record_violation(catalogue.entry("V08"), points=-10, catalogue_version=1, scoring=DEFAULT_SCORING,
                          case_id=case_id, source=source, service_item="HP-01", by=REGULATOR, now=T0)  # fmt: skip
    file.record_evaluation("owner", "p-1", {"quality": 80}, 80.0, source={"aggregate_id": "p-1", "version": 3,
                           "event": "Procurement.Evaluated"}, by=OWNER, now=T0 + DAY)  # fmt: skip
    file.impose("suspension", months=3, service_items=["HP-01"], reason="投诉属实", by=REGULATOR, now=T0 + DAY)
    file.repair("sanction-2", "已移出黑名单", scoring=DEFAULT_SCORING, by=REGULATOR, now=T0 + 400 * DAY)

    copy = stored_and_snapshotted(file)

    assert state(copy) == state(file) and copy.version == file.version == 6


def test_a_changed_catalogue_round_trips_through_a_snapshot():
    catalogue = CreditPolicy.establish("430000", by=SYSTEM, now=T0)
    catalogue.change(violations={"V01": {"points": -6}}, scoring={"grade_a": 92}, reason="调整", by=REGULATOR, now=T0)

    copy = stored_and_snapshotted(catalogue)

    assert state(copy) == state(catalogue) and copy.entry("V01")["points"] == -6 and copy.catalogue_version == 2
