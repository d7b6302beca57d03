"""The public timeline: public milestones only, in the procurement's own order; nothing of who
signed up or at what price before the close, and no objector."""

from __future__ import annotations

from datetime import timedelta

from projections.public_timeline import timeline
from tests.builders import OPERATOR


def _kinds(read_models, pid) -> list[tuple]:
    read_models.catch_up()
    with read_models.connect() as conn:
        return [(r["kind"], r["count"], r["agency_name"]) for r in timeline(conn, pid)]


def test_sign_ups_and_quotes_leave_no_trace_before_the_close(market, world, read_models):
    agencies = [world.admitted_agency(n) for n in (2, 3)]
    pid = world.open_procurement()
    for agency_id, actor in agencies:
        market.sign_up(pid, agency_id, {"kind": "amount", "value": "30000"}, by=actor)
    market.withdraw_signup(pid, agencies[0][0], by=agencies[0][1])

    assert _kinds(read_models, pid) == [("published", None, None)]


def test_an_upheld_objection_re_runs_the_selection_and_the_timeline_says_so(market, world, clock, read_models):
    agencies = {n: world.admitted_agency(n) for n in (2, 3, 4, 5)}
    pid = world.open_procurement()
    for n, (agency_id, actor) in agencies.items():
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 + n * 1000)}, by=actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)  # agency 2 quoted lowest
    objection = market.file_objection(pid, agencies[3][0], ["中选机构资质不符"], by=agencies[3][1])["objection_id"]
    market.uphold_objection(pid, objection, "资质不符属实", exclude_agency_id=agencies[2][0], by=OPERATOR)

    assert _kinds(read_models, pid) == [
        ("published", None, None), ("signup_closed", 4, None), ("selected", None, "湖南第2环境咨询有限公司"),
        ("objection_filed", None, None), ("objection_rerun", 3, None), ("selected", None, "湖南第3环境咨询有限公司"),
    ]  # fmt: skip
