"""SupervisionReport: one Issued event per region-month, with its figures; bad input refused; snapshots."""

from __future__ import annotations

import pytest

from domain.supervision import SupervisionReport
from domain.supervision.errors import InvalidReport
from tests.builders import SYSTEM, T0
from tests.supervision.test_aggregates import round_trip, state

FIGURES = {"region": "430100", "month": "2026-02", "flags": {"total": 3, "by_code": {"DELAY_OVERRUN": {"high": 3}}}}
DIGEST = "ab" * 32


def test_issue_records_the_figures_and_their_digest_under_an_id_of_region_and_month():
    report = SupervisionReport.issue("430100", "2026-02", FIGURES, DIGEST, by=SYSTEM, now=T0)

    (event,) = report.collect_events()
    assert type(event).__name__ == "Issued"
    assert (event.region, event.month, event.figures, event.digest, event.at) == ("430100", "2026-02", FIGURES,
                                                                                  DIGEST, T0)  # fmt: skip
    assert event.actor["role"] == "system"
    assert report.id == SupervisionReport.create_id("430100", "2026-02")
    assert report.id != SupervisionReport.create_id("430100", "2026-03")


@pytest.mark.parametrize(("month", "figures", "digest", "field"), [
    ("2026-13", FIGURES, DIGEST, "month"), ("2026-2", FIGURES, DIGEST, "month"), ("2026-02", {}, DIGEST, "figures"),
    ("2026-02", FIGURES, "not-a-digest", "digest"),
])  # fmt: skip
def test_issue_with_bad_input_is_refused(month, figures, digest, field):
    with pytest.raises(InvalidReport) as refused:
        SupervisionReport.issue("430100", month, figures, digest, by=SYSTEM, now=T0)
    assert refused.value.field == field


def test_a_snapshot_of_a_report_restores_the_same_state():
    report = SupervisionReport.issue("430100", "2026-02", FIGURES, DIGEST, by=SYSTEM, now=T0)
    copy = round_trip(report)
    assert type(copy) is SupervisionReport and state(copy) == state(report)


def test_a_month_s_report_is_issued_once_however_often_the_market_is_asked(market):
    first = market.issue_supervision_report("430100", "2026-02", FIGURES, DIGEST)
    again = market.issue_supervision_report("430100", "2026-02", {**FIGURES, "generated_at": "later"}, "cd" * 32)

    assert (first["action"], again["action"]) == ("issued", "unchanged")
    assert first["report_id"] == again["report_id"]
    assert [type(e).__name__ for e in market.history(first["report_id"])] == ["Issued"]
    assert market.supervision_report("430100", "2026-02").figures == FIGURES  # the first issue stands
