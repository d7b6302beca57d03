"""Given-steps for pure domain tests: aggregates built by their own commands.

Every builder returns an aggregate whose pending events were already collected
(``settle``), so a test's ``collect_events()`` sees only what its own "when"
recorded. ``history`` gives back everything recorded so far, for tests that
store the aggregate (snapshots).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any
from uuid import UUID

from domain.agency import Agency, Eligibility
from domain.base import Actor, Role, derived_id
from domain.calendar import WorkingDayCalendar
from domain.draw import commit
from domain.procurement import Procurement, ProcurementStatus
from domain.selection import RuleSet
from market.identity import PersonDigester
from market.privacy.keys import MemoryPersonKeys
from market.privacy.persons import PersonalData
from tests.builders import OPERATOR, SYSTEM, T0, agency_profile, notice, uscc

P = ProcurementStatus
DAY, HOUR = timedelta(days=1), timedelta(hours=1)

OWNER_ID = derived_id("owner", uscc(1, "11430100"))
OWNER = Actor("owner-admin", Role.OWNER_ADMIN, str(OWNER_ID))
DELEGATE = Actor("delegate-li", Role.OWNER_DELEGATE, str(OWNER_ID))
OTHER_DELEGATE = Actor("delegate-wang", Role.OWNER_DELEGATE, str(OWNER_ID))
STRANGER = Actor("other-admin", Role.OWNER_ADMIN, str(derived_id("owner", uscc(2, "11430100"))))
DEPARTMENT_ID = derived_id("department", "HB")

SECRET = bytes(32)
OPENS = T0 + DAY  # publication at T0 leaves the procurement PUBLISHED until OPENS
CLOSES = OPENS + 3 * DAY
SELECTION_AT = CLOSES + HOUR  # Friday 2026-03-06 10:00
PUBLICITY_ENDS = SELECTION_AT + 7 * DAY  # 公示 of 3 working days ends at 2026-03-12 00:00
LATER = PUBLICITY_ENDS + DAY  # any time in the service half
SHA = "ab" * 32
# Monday to Friday: no year is published, so every deadline is provisional.
CALENDAR = WorkingDayCalendar.create("全国", by=SYSTEM, now=T0)


_RECORDED: dict[UUID, list[Any]] = {}


def settle(aggregate: Any) -> None:
    """Collect the given-steps' events, keeping them for ``history``."""
    events = aggregate.collect_events()
    if events and events[0].originator_version == 1:
        _RECORDED[aggregate.id] = []
    _RECORDED.setdefault(aggregate.id, []).extend(events)


def history(aggregate: Any) -> list[Any]:
    """Every event of the aggregate: those its given-steps settled, then any still pending."""
    return [*_RECORDED.get(aggregate.id, []), *aggregate.collect_events()]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# Sealing as the market does it before the domain sees a profile, with keys kept in memory here.
PERSONAL_DATA = PersonalData(MemoryPersonKeys(), PersonDigester(b"domain-tests-person-digest-key"))


def _digested(person: dict[str, Any]) -> dict[str, Any]:
    clear = {k: v for k, v in person.items() if k != "id_number"}
    return {**clear, "id_digest": digest(person["id_number"])}


def profile(n: int, **kw: Any) -> dict[str, Any]:
    """``builders.agency_profile`` as the domain receives it: ID numbers digested, persons' data sealed."""
    raw = agency_profile(n, **kw)
    return sealed({
        **raw,
        "legal_representative": _digested(raw["legal_representative"]),
        "shareholders": [_digested(s) for s in raw["shareholders"]],
        "practitioners": [_digested(p) for p in raw["practitioners"]],
    })


def sealed(profile_or_changes: dict[str, Any]) -> dict[str, Any]:
    return PERSONAL_DATA.seal_profile(profile_or_changes)


# --- agencies -----------------------------------------------------------------


def applicant(n: int) -> Actor:
    return Actor(f"agency-user-{n}", Role.AGENCY, None)


def registered(n: int = 1, **profile_kw: Any) -> Agency:
    agency = Agency.register(uscc(n), profile(n, **profile_kw), by=applicant(n), now=T0)
    settle(agency)
    return agency


def admitted(n: int = 1, **profile_kw: Any) -> Agency:
    agency = registered(n, **profile_kw)
    agency.admit(by=OPERATOR, now=T0 + HOUR)
    settle(agency)
    return agency


def agency_id(n: int) -> str:
    return str(Agency.create_id(uscc(n)))


def agency_user(agency: str) -> Actor:
    """The 业务授权人 of the agency with this id."""
    return Actor(f"user-of-{agency}", Role.AGENCY, agency)


def eligible(n: int) -> Eligibility:
    return Eligibility(agency_id=agency_id(n), uscc=uscc(n), name=f"湖南第{n}环境咨询有限公司", reasons=[])


# --- procurements ---------------------------------------------------------------


def procurement_notice(**kw: Any) -> dict[str, Any]:
    kw.setdefault("opens", OPENS)
    kw.setdefault("closes", CLOSES)
    kw.setdefault("selection", SELECTION_AT)
    return {"approval_matter": "建设项目环境影响评价文件审批", "department_id": str(DEPARTMENT_ID), **notice(**kw)}


def quote(value: Any) -> dict[str, Any]:
    return {"kind": "amount", "value": str(value)}


def drafted(*, by: Actor = OWNER, **notice_kw: Any) -> Procurement:
    p = Procurement.draft(OWNER_ID, procurement_notice(**notice_kw), by=by, now=T0)
    settle(p)
    return p


def pending(**kw: Any) -> Procurement:
    p = drafted(**kw)
    p.submit(by=p_owner(p), now=T0)
    settle(p)
    return p


def published(**kw: Any) -> Procurement:
    p = pending(**kw)
    p.publish(commitment=commit(SECRET), rule_set=RuleSet().to_dict(), by=OPERATOR, now=T0)
    settle(p)
    return p


def signup_open(**kw: Any) -> Procurement:
    p = published(**kw)
    p.open_signup(by=SYSTEM, now=OPENS)
    settle(p)
    return p


def with_signups(prices: tuple[Any, ...] = (30000, 35000, 40000), **kw: Any) -> Procurement:
    """Agencies 1..n signed up, agency i quoting prices[i-1] (None: no quote)."""
    p = signup_open(**kw)
    for n, price in enumerate(prices, start=1):
        p.sign_up(eligible(n), quote=None if price is None else quote(price),
                  by=agency_user(agency_id(n)), now=OPENS + n * HOUR)  # fmt: skip
    settle(p)
    return p


def closed(prices: tuple[Any, ...] = (30000, 35000, 40000), credit_scores: dict[str, int] | None = None,
           **kw: Any) -> Procurement:  # fmt: skip
    p = with_signups(prices, **kw)
    p.close_signup(credit_scores=credit_scores, by=SYSTEM, now=CLOSES)
    settle(p)
    return p


def selected(prices: tuple[Any, ...] = (30000, 35000, 40000), **kw: Any) -> Procurement:
    p = closed(prices, **kw)
    p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)
    settle(p)
    return p


def p_owner(p: Procurement) -> Actor:
    """Whoever drafted the procurement acts as its owner."""
    return DELEGATE if p.created_by == DELEGATE.id else OWNER


def winner(p: Procurement) -> Actor:
    """The winning agency's user; before selection, agency 1's (the state guard refuses first)."""
    return agency_user(p.winner_id or agency_id(1))


def _step(p: Procurement, status: P) -> None:
    owner = p_owner(p)
    steps = {
        P.CONTRACTING: lambda: p.award(calendar=CALENDAR, by=SYSTEM, now=PUBLICITY_ENDS),
        P.CONTRACT_FILED: lambda: p.file_contract(
            {"contract_no": "HT-2026-001", "amount": "30000", "document_sha256": SHA}, by=owner, now=LATER),
        P.IN_SERVICE: lambda: p.confirm_contract(calendar=CALENDAR, by=winner(p), now=LATER),
        P.UNDER_ACCEPTANCE: lambda: p.submit_deliverable(
            {"title": "环评报告书", "sha256": SHA}, calendar=CALENDAR, by=winner(p), now=LATER),
        P.EVALUATING: lambda: p.accept_deliverable(calendar=CALENDAR, by=owner, now=LATER),
        P.CLOSED: lambda: p.evaluate(dict.fromkeys(("quality", "timeliness", "attitude", "fee", "conduct"), 90),
                                     "按时完成", by=owner, now=LATER),
    }  # fmt: skip
    steps[status]()


_SERVICE_PATH = (P.CONTRACTING, P.CONTRACT_FILED, P.IN_SERVICE, P.UNDER_ACCEPTANCE, P.EVALUATING, P.CLOSED)


def procurement_in(status: P, **kw: Any) -> Procurement:
    """A lowest-price procurement brought into ``status`` along the legal path."""
    simple = {P.DRAFT: drafted, P.PENDING_REVIEW: pending, P.PUBLISHED: published,
              P.SIGNUP_OPEN: with_signups, P.SIGNUP_CLOSED: closed, P.PUBLICITY: selected}  # fmt: skip
    if status in simple:
        return simple[status](**kw)
    if status is P.RETURNED:
        p = pending(**kw)
        p.return_notice(["预算依据不足"], by=OPERATOR, now=T0)
    elif status is P.SHORTLISTED:
        ids = [agency_id(n) for n in (1, 2, 3)]
        p = closed((None, None, None), dict(zip(ids, (90, 80, 70))), method="credit_merit", **kw)
        p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)
    elif status is P.FAILED:
        p = selected((30000,), **kw)  # state funds need three valid quotes
    elif status is P.VOIDED:
        p = drafted(**kw)
        p.void("noDemand", "项目取消", by=OWNER, now=T0)
    elif status is P.TERMINATED:
        p = procurement_in(P.IN_SERVICE, **kw)
        p.abandon("人员变动,无法继续服务", by=winner(p), now=LATER)
    else:
        p = selected(**kw)
        for step in _SERVICE_PATH[: _SERVICE_PATH.index(status) + 1]:
            _step(p, step)
    settle(p)
    assert p.status is status
    return p


def names(events: list[Any]) -> list[str]:
    return [type(e).__name__ for e in events]


def only(events: list[Any], name: str) -> Any:
    """The single new event, checked to be of type ``name``."""
    assert names(events) == [name]
    return events[0]
