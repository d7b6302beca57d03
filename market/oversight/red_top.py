"""红顶中介 detectors (domain.md §9.5): agencies tied to the department that approves their matters.

For each procurement an agency signed up for or won, the *approving side* is the
department named by the procurement's matter (the notice's ``department_id``)
and its affiliated units. Against it:
* RH2 ``RED_TOP_PERSON``: a shareholder, the legal representative or a
  practitioner of the agency has the ID digest of someone on its staff at the
  sign-up or the award;
* RH3 ``RED_TOP_REVOLVING_DOOR``: … of someone who left it within
  ``revolving_door_months`` (24, default (configurable)) before;
* RH4 ``RED_TOP_CONTACT``: the agency's phone, e-mail or address is one of its;
* RH1 ``RED_TOP_OWNERSHIP``: a chain of organisation shareholdings (uscc → an
  agency's uscc → … ) ends at one of its units' uscc, any share, up to
  ``OWNERSHIP_DEPTH`` levels;
* ``RED_TOP_DEPARTMENT_SHARE`` (RH5's lock-in): one agency wins ≥ ``department_share``
  of ≥ ``department_min_awards`` awards of one department's matters in the window.

A link flag is one per (code, agency, procurement): its figures say which role,
unit and dates matched, a person only by the first 8 hex characters of the
digest, never a name or number; its evidence is the agency's profile event,
the department's staff or establishment event and the procurement's
``SignedUp``/``Awarded`` events. Links are read as the registers stand now
(the read model keeps the current registered data, not its history).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from domain.supervision import Finding, Severity
from market.oversight.detectors import finding, subjects
from projections import red_top_links as rt

LINKS = "agency_links"  # one agency with its sign-ups and awards and what ties it to their departments
DEPARTMENT = "department"  # one approving department's awards
SCOPES = (LINKS, DEPARTMENT)
OWNERSHIP_DEPTH = 4  # "a few levels" of holding companies; ours
ROLES = {"legal_representative": "legal_representative", "shareholders": "shareholder",
         "practitioners": "practitioner"}  # fmt: skip


@dataclass(frozen=True)
class LinkInputs:
    agency_id: str
    participations: list[dict[str, Any]]  # with department_id
    persons: list[dict[str, Any]]  # the agency's, by role and digest
    contacts: list[dict[str, Any]]  # the agency's
    units: dict[str, list[dict[str, Any]]]  # approving department → it and its affiliated units
    staff: dict[str, list[dict[str, Any]]]  # unit → its staff whose digest is one of the agency's persons
    unit_contacts: dict[str, list[dict[str, Any]]]  # unit → its contacts
    chains: list[dict[str, Any]]  # ownership chains ending at a unit: {"unit_id", "path": [holding rows]}


@dataclass(frozen=True)
class DepartmentInputs:
    department_id: str
    since: datetime
    awards: list[dict[str, Any]]


def link_inputs(conn: Connection, agency_id: str) -> LinkInputs:
    parts = [p for p in rt.participations(conn, agency_id) if p["department_id"]]
    units = {d: rt.units_of(conn, d) for d in sorted({p["department_id"] for p in parts})}
    unit_ids = {u["department_id"] for us in units.values() for u in us}
    persons = rt.persons_of(conn, agency_id)
    staff: dict[str, list[dict[str, Any]]] = {}
    for s in rt.staff_of(conn, unit_ids, [p["id_digest"] for p in persons]):
        staff.setdefault(s["department_id"], []).append(s)
    unit_contacts: dict[str, list[dict[str, Any]]] = {}
    for c in rt.contacts_of(conn, unit_ids):
        unit_contacts.setdefault(c["holder_id"], []).append(c)
    return LinkInputs(agency_id, parts, persons, rt.contacts_of(conn, [agency_id]), units, staff, unit_contacts,
                      _chains(conn, agency_id) if parts else [])  # fmt: skip


def _chains(conn: Connection, agency_id: str) -> list[dict[str, Any]]:
    """Every chain of organisation shareholdings from the agency up to a department's or unit's uscc."""
    found, frontier, seen = [], [(agency_id, [])], {agency_id}
    for _ in range(OWNERSHIP_DEPTH):
        if not frontier:
            break
        paths = dict(frontier)
        holdings = rt.holdings_of(conn, paths)
        usccs = [h["holder_uscc"] for h in holdings]
        units, agencies = rt.units_by_uscc(conn, usccs), rt.agencies_by_uscc(conn, usccs)
        frontier = []
        for h in holdings:
            path = [*paths[h["agency_id"]], h]
            if h["holder_uscc"] in units:
                found.append({"unit_id": units[h["holder_uscc"]]["department_id"], "path": path})
            elif (held_by := agencies.get(h["holder_uscc"])) and held_by not in seen:
                seen.add(held_by)
                frontier.append((held_by, path))
    return found


def department_inputs(conn: Connection, department_id: str, since: datetime) -> DepartmentInputs:
    return DepartmentInputs(department_id, since, rt.department_awards(conn, department_id, since))


def link_summary(inputs: LinkInputs) -> dict[str, Any]:
    return {"agency_id": inputs.agency_id, "procurements": len(inputs.participations)}


def department_summary(inputs: DepartmentInputs) -> dict[str, Any]:
    return {"department_id": inputs.department_id, "awards": len(inputs.awards), "since": inputs.since.isoformat()}


# --- judging ----------------------------------------------------------------------------


def months_before(at: datetime, months: int) -> datetime:
    y, m = divmod(at.year * 12 + at.month - 1 - months, 12)
    return at.replace(year=y, month=m + 1, day=min(at.day, monthrange(y, m + 1)[1]))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moments(p: dict[str, Any]) -> list[tuple[datetime, dict[str, Any]]]:
    """The sign-up and the award of a participation, each with its event as evidence."""
    found = []
    for prefix, at in (("signup", p["signed_up_at"]), ("award", p["awarded_at"])):
        item = rt.evidence_of(p, p["procurement_id"], prefix)
        if item is not None and at is not None:
            found.append((at, item))
    return found


def _unit_figures(unit: dict[str, Any]) -> dict[str, Any]:
    return {"unit_id": unit["department_id"], "unit_kind": unit["kind"]}


class _LinkDetector:
    scope = LINKS
    headline: tuple[str, ...] = ()
    severity = Severity.HIGH

    def matches(self, inputs: LinkInputs, unit: dict[str, Any], at: datetime,
                params: Mapping[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:  # fmt: skip
        """(figures, evidence) of every tie between the agency and this unit that holds at ``at``."""
        raise NotImplementedError

    def evaluate(self, inputs: LinkInputs, params: Mapping[str, Any]) -> list[Finding]:
        found = []
        for p in inputs.participations:
            ties: dict[str, dict[str, Any]] = {}
            evidence: dict[int, dict[str, Any]] = {}
            for at, event in _moments(p):
                held = False
                for unit in inputs.units.get(p["department_id"], []):
                    for figures, items in self.matches(inputs, unit, at, params):
                        held = True
                        ties.setdefault(repr(sorted(figures.items())), figures)
                        evidence.update((e["position"], e) for e in items)
                if held:
                    evidence[event["position"]] = event
            if not ties:
                continue
            figures = {"department_id": p["department_id"], "service_item": p["service_item"],
                       "matches": sorted(ties.values(), key=repr)}  # fmt: skip
            found.append(finding(
                f"{inputs.agency_id}|{p['procurement_id']}", inputs.agency_id, self.severity,
                subjects(agency_id=inputs.agency_id, department_id=p["department_id"], procurement_id=p["procurement_id"]),
                figures, list(evidence.values()),
            ))  # fmt: skip
        return found


def _staff_ties(inputs: LinkInputs, unit: dict[str, Any], current: bool, at: datetime,
                earliest: datetime | None) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:  # fmt: skip
    unit_id, found = unit["department_id"], []
    roles = {}
    for person in inputs.persons:
        roles.setdefault(person["id_digest"], []).append(person)
    for s in inputs.staff.get(unit_id, []):
        since, left = s["since"], s["left_at"]
        if since is not None and since > at:
            continue  # not yet on the staff then
        if current:
            if left is not None and left <= at:
                continue
        elif left is None or left > at or (earliest is not None and left < earliest):
            continue
        staff_events = [e for e in (rt.evidence_of(s, unit_id), rt.evidence_of(s, unit_id, "left")) if e]
        for person in roles.get(s["id_digest"], []):
            figures = {"role": ROLES.get(person["role"], person["role"]), "person": s["id_digest"][:8],
                       **_unit_figures(unit), "since": _iso(since), "left": _iso(left)}  # fmt: skip
            agency_event = rt.evidence_of(person, inputs.agency_id)
            found.append((figures, [*staff_events, *([agency_event] if agency_event else [])]))
    return found


class PersonLink(_LinkDetector):
    """RH2: a person of the agency is on the approving department's or a unit's staff."""

    code, version, parameters = "RED_TOP_PERSON", "1", ()

    def matches(self, inputs, unit, at, params):
        return _staff_ties(inputs, unit, True, at, None)


class RevolvingDoor(_LinkDetector):
    """RH3: … left that staff within ``revolving_door_months`` before the sign-up or award."""

    code, version, parameters = "RED_TOP_REVOLVING_DOOR", "1", ("revolving_door_months",)
    severity = Severity.MEDIUM

    def matches(self, inputs, unit, at, params):
        return _staff_ties(inputs, unit, False, at, months_before(at, int(params["revolving_door_months"])))


class ContactLink(_LinkDetector):
    """RH4: the agency shares a phone, e-mail or address with the department or a unit."""

    code, version, parameters = "RED_TOP_CONTACT", "1", ()
    severity = Severity.MEDIUM

    def matches(self, inputs, unit, at, params):
        unit_id, found = unit["department_id"], []
        theirs = {c["kind"]: c for c in inputs.unit_contacts.get(unit_id, [])}
        for mine in inputs.contacts:
            other = theirs.get(mine["kind"])
            if other is not None and other["value"] == mine["value"]:
                items = [e for e in (rt.evidence_of(mine, inputs.agency_id), rt.evidence_of(other, unit_id)) if e]
                found.append(({"contact": mine["kind"], **_unit_figures(unit)}, items))
        return found


class OwnershipLink(_LinkDetector):
    """RH1: a chain of organisation shareholdings ends at the department or a unit."""

    code, version, parameters = "RED_TOP_OWNERSHIP", "1", ()

    def matches(self, inputs, unit, at, params):
        found = []
        for chain in inputs.chains:
            if chain["unit_id"] != unit["department_id"]:
                continue
            path = [{"agency_id": h["agency_id"], "holder_uscc": h["holder_uscc"], "share": h["share"]}
                    for h in chain["path"]]  # fmt: skip
            items = [e for h in chain["path"] if (e := rt.evidence_of(h, h["agency_id"]))]
            if (established := rt.evidence_of(unit, unit["department_id"])) is not None:
                items.append(established)
            found.append(({**_unit_figures(unit), "levels": len(path), "chain": path}, items))
        return found


class DepartmentShare:
    """One agency wins ≥ ``department_share`` of ≥ ``department_min_awards`` awards of a department's matters."""

    code, version, scope = "RED_TOP_DEPARTMENT_SHARE", "1", DEPARTMENT
    parameters = ("department_share", "department_min_awards", "market_window_months")
    headline = ("share",)

    def evaluate(self, inputs: DepartmentInputs, params: Mapping[str, Any]) -> list[Finding]:
        total = len(inputs.awards)
        if total < params["department_min_awards"]:
            return []
        by_agency: dict[str, list[dict[str, Any]]] = {}
        for a in inputs.awards:
            by_agency.setdefault(a["agency_id"], []).append(a)
        found = []
        for agency, awards in sorted(by_agency.items()):
            share = len(awards) / total
            if share < params["department_share"]:
                continue
            figures = {"share": round(share, 4), "awards": len(awards), "department_awards": total,
                       "since": inputs.since.isoformat()}  # fmt: skip
            evidence = [rt.evidence_of(a, a["procurement_id"], "award") for a in awards]
            found.append(finding(
                f"{inputs.department_id}|{agency}", inputs.department_id,
                Severity.HIGH if share > 0.75 else Severity.MEDIUM,
                subjects(agency_id=agency, department_id=inputs.department_id), figures, [e for e in evidence if e],
            ))  # fmt: skip
        return found


DETECTORS = (PersonLink(), RevolvingDoor(), ContactLink(), OwnershipLink(), DepartmentShare())
