"""监管看板 (regulators): open flags by type and severity, overdue services, concentration (HHI)
over time per service item, stage durations, and the agencies' credit grades."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request

from admin import charts, credit, labels, queries
from admin.pages.agencies import last_months
from admin.session import Regulator
from admin.web import market, page, reads
from projections import operator_queues, stage_delays

router = APIRouter(prefix="/admin")
STAGE_NAMES = {"publication_award": "发布→中选", "award_contract": "中选→签约", "contract_delivery": "签约→交付",
               "delivery_acceptance": "交付→签收", "acceptance_evaluation": "签收→评价"}  # fmt: skip
HHI_HIGH = 2500  # "highly concentrated" (domain.md §9.2; the US DOJ/FTC band the detectors also use)


@router.get("/dashboard")
def dashboard(request: Request, user: Regulator):
    """监管看板."""
    m = market(request)
    now = m.clock.now()
    months = last_months(now)
    with reads(request) as conn:
        flag_counts = queries.open_flag_counts(conn)
        overdue = queries.overdue(conn, now)
        names = queries.agency_names(conn, (o["agency_id"] for o in overdue))
        shares = queries.monthly_shares(conn, last_months(now, len(months) + charts.WINDOW - 1))
        stats = stage_delays.statistics(stage_delays.all_rows(conn), now=now, calendar=m.calendar())
        standings = credit.grades(conn, queries.admitted_agencies(conn), now)
        waiting = operator_queues.counts(conn)
    by_severity = Counter()
    for c in flag_counts:
        by_severity[c["severity"]] += c["n"]
    hhi = charts.hhi_series(shares, months)
    stages = stats["stages"]
    stage_chart = charts.bar_chart(
        [STAGE_NAMES[s] for s in stages],
        {"中位数": [stages[s]["median"] for s in stages], "P90": [stages[s]["p90"] for s in stages]}, y_name="工作日",
    )  # fmt: skip
    grades = Counter(s["grade"] for s in standings.values())
    return page(request, "dashboard.html", flag_counts=flag_counts, by_severity=by_severity,
                open_flags=sum(by_severity.values()), overdue=overdue, names=names, stats=stats,
                flag_chart=charts.flag_chart(flag_counts) if flag_counts else None,
                hhi_chart=charts.line_chart(months, hhi, y_name="HHI", mark=HHI_HIGH) if hhi else None,
                stage_chart=stage_chart, grade_chart=charts.pie_chart(dict(sorted(grades.items()))) if grades else None,
                credit_ready=credit.agency_credit is not None, waiting=waiting, severities=labels.SEVERITIES,
                stage_names=STAGE_NAMES)  # fmt: skip
