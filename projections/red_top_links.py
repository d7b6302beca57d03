"""红顶中介 links (domain.md §9.5): the persons, contacts and owners of agencies and departments.

A read model of what the RH1–RH4 detectors compare (market/oversight/red_top.py):
* per agency: its persons by ID digest and role (legal representative, shareholder,
  practitioner), its phone, e-mail and address, and its organisation shareholders
  (an ownership edge uscc → agency), each with the profile event that set it
  (``Registered``, ``Resubmitted`` or ``ChangeApproved``);
* per department or affiliated unit: kind, parent, uscc, contacts (``Established``)
  and staff by ID digest with since/left dates (``StaffAppointed``/``StaffLeft``);
* per procurement: the department approving its matter (the notice's
  ``department_id``), and per agency that signed up or won it the ``SignedUp`` and
  ``Awarded`` events.

Only digests of ID numbers are kept, never a number or a person's name. Every row
carries the position of the last event that touched it, so an incremental scan can
tell which agencies and departments to judge again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Connection, Integer, String, Table, or_, select, union

from domain.agency import Agency
from domain.department import Department
from domain.procurement import Procurement as P
from projections.base import Projection, handles
from projections.database import METADATA, UTCDateTime, jsonable
from projections.rows import Rows

PERSON_ROLES = ("legal_representative", "shareholders", "practitioners")
CONTACT_KINDS = ("phone", "email", "address")


def _ev(prefix: str = "ev") -> list[Column]:
    """The evidence of a row: the event that set it."""
    return [Column(f"{prefix}_position", BigInteger), Column(f"{prefix}_version", Integer),
            Column(f"{prefix}_event", String(40))]  # fmt: skip


AGENCIES = Table(
    "rm_rt_agencies", METADATA,
    Column("agency_id", String(36), primary_key=True), Column("uscc", String(18), nullable=False, index=True),
    Column("pending", JSON),  # the change submitted and not yet decided (persons as digests only)
    Column("position", BigInteger, nullable=False, index=True),
)  # fmt: skip

AGENCY_PERSONS = Table(
    "rm_rt_agency_persons", METADATA,
    Column("agency_id", String(36), primary_key=True), Column("role", String(24), primary_key=True),
    Column("id_digest", String(64), primary_key=True, index=True),
    *_ev(), Column("position", BigInteger, nullable=False, index=True),
)  # fmt: skip

HOLDINGS = Table(
    "rm_rt_holdings", METADATA,  # an ownership edge: the organisation ``holder_uscc`` holds ``share`` of the agency
    Column("agency_id", String(36), primary_key=True), Column("holder_uscc", String(18), primary_key=True, index=True),
    Column("share", String(12)), *_ev(), Column("position", BigInteger, nullable=False, index=True),
)  # fmt: skip

CONTACTS = Table(
    "rm_rt_contacts", METADATA,  # of agencies and of departments/units alike
    Column("holder_id", String(36), primary_key=True), Column("kind", String(8), primary_key=True),
    Column("holder_kind", String(10), nullable=False),  # "agency" or "unit"
    Column("value", String(200), nullable=False, index=True),  # normalised for comparison
    *_ev(), Column("position", BigInteger, nullable=False, index=True),
)  # fmt: skip

UNITS = Table(
    "rm_rt_units", METADATA,
    Column("department_id", String(36), primary_key=True), Column("kind", String(24), nullable=False),
    Column("parent_id", String(36), index=True), Column("uscc", String(18), index=True),
    *_ev(), Column("position", BigInteger, nullable=False, index=True),
)  # fmt: skip

STAFF = Table(
    "rm_rt_staff", METADATA,
    Column("department_id", String(36), primary_key=True), Column("id_digest", String(64), primary_key=True, index=True),
    Column("since", UTCDateTime), Column("left_at", UTCDateTime), *_ev(), *_ev("left"),
    Column("position", BigInteger, nullable=False, index=True),
)  # fmt: skip

PROCUREMENTS = Table(
    "rm_rt_procurements", METADATA,
    Column("procurement_id", String(36), primary_key=True), Column("department_id", String(36), index=True),
    Column("service_item", String(32)), Column("position", BigInteger, nullable=False, index=True),
)  # fmt: skip

PARTICIPATIONS = Table(
    "rm_rt_participations", METADATA,
    Column("procurement_id", String(36), primary_key=True), Column("agency_id", String(36), primary_key=True, index=True),
    Column("signed_up_at", UTCDateTime), *_ev("signup"), Column("awarded_at", UTCDateTime), *_ev("award"),
    Column("position", BigInteger, nullable=False, index=True),
)  # fmt: skip


def normalise_contact(kind: str, value: Any) -> str | None:
    """Phones without separators, e-mails in lower case, addresses without blanks."""
    text = str(value or "").strip()
    if not text:
        return None
    if kind == "phone":
        return "".join(c for c in text if c.isdigit())
    if kind == "email":
        return text.lower()
    return "".join(text.split())


def _evidence(rows: Rows, e: Any, name: str, prefix: str = "ev") -> dict[str, Any]:
    return {f"{prefix}_position": rows.position, f"{prefix}_version": e.originator_version, f"{prefix}_event": name}


class RedTopLinks(Projection):
    name = "red_top_links"
    version = 1
    tables = (AGENCIES, AGENCY_PERSONS, HOLDINGS, CONTACTS, UNITS, STAFF, PROCUREMENTS, PARTICIPATIONS)
    preload = ((AGENCIES, "agency_id"), (PROCUREMENTS, "procurement_id"), (PARTICIPATIONS, "procurement_id"))

    # --- agencies -------------------------------------------------------------------

    def _profile(self, rows: Rows, e: Any, event: str, profile: dict[str, Any]) -> None:
        """Replace the rows of the fields ``profile`` names; each carries this event as evidence."""
        aid, ev = str(e.originator_id), _evidence(rows, e, event)
        for role in PERSON_ROLES:
            if role not in profile:
                continue
            for old in rows.find(AGENCY_PERSONS, agency_id=aid, role=role):
                rows.delete(AGENCY_PERSONS, (aid, role, old["id_digest"]))
            value = profile[role]
            people = [value] if role == "legal_representative" else list(value or [])
            for person in people:
                digest = (person or {}).get("id_digest")
                if digest and person.get("kind", "person") == "person" and rows.get(
                        AGENCY_PERSONS, (aid, role, digest)) is None:  # fmt: skip
                    rows.insert(AGENCY_PERSONS, agency_id=aid, role=role, id_digest=digest, position=rows.position,
                                **ev)  # fmt: skip
        if "shareholders" in profile:
            for old in rows.find(HOLDINGS, agency_id=aid):
                rows.delete(HOLDINGS, (aid, old["holder_uscc"]))
            for holder in profile["shareholders"] or []:
                if holder.get("kind") == "organisation" and rows.get(HOLDINGS, (aid, holder["uscc"])) is None:
                    rows.insert(HOLDINGS, agency_id=aid, holder_uscc=holder["uscc"], share=str(holder.get("share")),
                                position=rows.position, **ev)  # fmt: skip
        for kind in CONTACT_KINDS:
            if kind in profile:
                _set_contact(rows, aid, "agency", kind, profile[kind], ev)
        rows.update(AGENCIES, aid, position=rows.position)

    @handles(Agency.Registered)
    def registered(self, e: Any, rows: Rows) -> None:
        rows.insert(AGENCIES, agency_id=str(e.originator_id), uscc=e.uscc, pending=None, position=rows.position)
        self._profile(rows, e, "Registered", e.profile)

    @handles(Agency.Resubmitted)
    def resubmitted(self, e: Any, rows: Rows) -> None:
        if rows.get(AGENCIES, str(e.originator_id)) is not None:
            self._profile(rows, e, "Resubmitted", e.profile)

    @handles(Agency.ChangeSubmitted)
    def change_submitted(self, e: Any, rows: Rows) -> None:
        fields = (*PERSON_ROLES, *CONTACT_KINDS)
        pending = {k: v for k, v in e.changes.items() if k in fields}
        rows.update(AGENCIES, str(e.originator_id), pending=jsonable(_without_names(pending)))

    @handles(Agency.ChangeApproved, Agency.ChangeReturned)
    def change_decided(self, e: Any, rows: Rows) -> None:
        agency = rows.get(AGENCIES, str(e.originator_id))
        if agency is None:
            return
        pending = agency["pending"] or {}
        rows.update(AGENCIES, str(e.originator_id), pending=None)
        if type(e).__name__ == "ChangeApproved" and pending:
            self._profile(rows, e, "ChangeApproved", pending)

    # --- departments and their units ---------------------------------------------------

    @handles(Department.Established)
    def established(self, e: Any, rows: Rows) -> None:
        did, ev = str(e.originator_id), _evidence(rows, e, "Established")
        rows.insert(UNITS, department_id=did, kind=e.kind, parent_id=e.parent_id, uscc=e.uscc, position=rows.position,
                    **ev)  # fmt: skip
        for kind in CONTACT_KINDS:
            _set_contact(rows, did, "unit", kind, (e.contacts or {}).get(kind), ev)

    @handles(Department.StaffAppointed)
    def appointed(self, e: Any, rows: Rows) -> None:
        key = (str(e.originator_id), e.id_digest)
        values = {"since": e.since, "left_at": None, "left_position": None, "left_version": None, "left_event": None,
                  "position": rows.position, **_evidence(rows, e, "StaffAppointed")}  # fmt: skip
        if rows.get(STAFF, key) is None:
            rows.insert(STAFF, department_id=key[0], id_digest=key[1], **values)
        else:
            rows.update(STAFF, key, **values)
        rows.update(UNITS, key[0], position=rows.position)

    @handles(Department.StaffLeft)
    def left(self, e: Any, rows: Rows) -> None:
        key = (str(e.originator_id), e.id_digest)
        rows.update(STAFF, key, left_at=e.left, position=rows.position, **_evidence(rows, e, "StaffLeft", "left"))
        rows.update(UNITS, key[0], position=rows.position)

    # --- procurements -------------------------------------------------------------------

    @handles(P.Drafted, P.Amended)
    def noticed(self, e: Any, rows: Rows) -> None:
        pid, n = str(e.originator_id), e.notice
        values = {"department_id": n.get("department_id"), "service_item": n.get("service_item_code"),
                  "position": rows.position}  # fmt: skip
        row = rows.get(PROCUREMENTS, pid)
        if row is None:
            rows.insert(PROCUREMENTS, procurement_id=pid, **values)
        elif row["department_id"] != values["department_id"]:  # another matter: judge its agencies again
            rows.update(PROCUREMENTS, pid, **values)
        else:
            rows.update(PROCUREMENTS, pid, service_item=values["service_item"])

    def _participation(self, rows: Rows, e: Any, agency_id: str, **values: Any) -> None:
        key = (str(e.originator_id), str(agency_id))
        if rows.get(PARTICIPATIONS, key) is None:
            rows.insert(PARTICIPATIONS, procurement_id=key[0], agency_id=key[1], position=rows.position, **values)
        else:
            rows.update(PARTICIPATIONS, key, position=rows.position, **values)

    @handles(P.SignedUp)
    def signed_up(self, e: Any, rows: Rows) -> None:
        self._participation(rows, e, e.agency_id, signed_up_at=e.at, **_evidence(rows, e, "SignedUp", "signup"))

    @handles(P.Awarded)
    def awarded(self, e: Any, rows: Rows) -> None:
        if e.agency_id:
            self._participation(rows, e, e.agency_id, awarded_at=e.at, **_evidence(rows, e, "Awarded", "award"))


def _without_names(changes: dict[str, Any]) -> dict[str, Any]:
    """Persons reduced to their digest and kind: the read model keeps no names."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "legal_representative":
            out[key] = {"id_digest": (value or {}).get("id_digest")}
        elif key in ("shareholders", "practitioners"):
            out[key] = [{k: v for k, v in (p or {}).items() if k in ("kind", "id_digest", "uscc", "share")}
                        for p in value or []]  # fmt: skip
        else:
            out[key] = value
    return out


def _set_contact(rows: Rows, holder_id: str, holder_kind: str, kind: str, raw: Any, ev: dict[str, Any]) -> None:
    value, key = normalise_contact(kind, raw), (holder_id, kind)
    current = rows.get(CONTACTS, key)
    if value is None:
        if current is not None:
            rows.delete(CONTACTS, key)
    elif current is None:
        rows.insert(CONTACTS, holder_id=holder_id, kind=kind, holder_kind=holder_kind, value=value,
                    position=rows.position, **ev)  # fmt: skip
    elif current["value"] != value:
        rows.update(CONTACTS, key, value=value, position=rows.position, **ev)


# --- queries --------------------------------------------------------------------------


def _dicts(conn: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(query)]


def evidence_of(row: dict[str, Any], aggregate_id: str, prefix: str = "ev") -> dict[str, Any] | None:
    """The row's event as a flag's evidence item, or None when the row has none."""
    if row.get(f"{prefix}_position") is None:
        return None
    return {"position": row[f"{prefix}_position"], "aggregate_id": aggregate_id, "version": row[f"{prefix}_version"],
            "event": row[f"{prefix}_event"]}  # fmt: skip


def linked_agencies(conn: Connection) -> list[str]:
    """Every agency that signed up for or won a procurement."""
    p = PARTICIPATIONS.c
    return list(conn.execute(select(p.agency_id).distinct().order_by(p.agency_id)).scalars())


def approving_departments(conn: Connection) -> list[str]:
    """Every department whose matters have an award."""
    p, r = PARTICIPATIONS.c, PROCUREMENTS.c
    q = (select(r.department_id).distinct().join_from(PARTICIPATIONS, PROCUREMENTS, p.procurement_id == r.procurement_id)
         .where(p.award_position.is_not(None), r.department_id.is_not(None)).order_by(r.department_id))  # fmt: skip
    return list(conn.execute(q).scalars())


def participations(conn: Connection, agency_id: str) -> list[dict[str, Any]]:
    """The agency's sign-ups and awards, with the department approving each procurement's matter."""
    p, r = PARTICIPATIONS.c, PROCUREMENTS.c
    q = (select(PARTICIPATIONS, r.department_id, r.service_item)
         .join_from(PARTICIPATIONS, PROCUREMENTS, p.procurement_id == r.procurement_id)
         .where(p.agency_id == agency_id).order_by(p.procurement_id))  # fmt: skip
    return _dicts(conn, q)


def department_awards(conn: Connection, department_id: str, since: datetime) -> list[dict[str, Any]]:
    """The awards of one department's matters from ``since`` on."""
    p, r = PARTICIPATIONS.c, PROCUREMENTS.c
    q = (select(p.procurement_id, p.agency_id, p.awarded_at, p.award_position, p.award_version, p.award_event)
         .join_from(PARTICIPATIONS, PROCUREMENTS, p.procurement_id == r.procurement_id)
         .where(r.department_id == department_id, p.award_position.is_not(None), p.awarded_at >= since)
         .order_by(p.award_position))  # fmt: skip
    return _dicts(conn, q)


def units_of(conn: Connection, department_id: str, depth: int = 4) -> list[dict[str, Any]]:
    """The department and its affiliated units (units of units too, ``depth`` levels)."""
    u = UNITS.c
    found = _dicts(conn, select(UNITS).where(u.department_id == department_id))
    frontier = [department_id]
    for _ in range(depth):
        if not frontier:
            break
        children = _dicts(conn, select(UNITS).where(u.parent_id.in_(frontier)).order_by(u.department_id))
        known = {x["department_id"] for x in found}
        children = [c for c in children if c["department_id"] not in known]
        found += children
        frontier = [c["department_id"] for c in children]
    return found


def staff_of(conn: Connection, department_ids: Iterable[str], digests: Iterable[str]) -> list[dict[str, Any]]:
    s = STAFF.c
    ids, wanted = sorted(set(department_ids)), sorted(set(digests))
    if not ids or not wanted:
        return []
    return _dicts(conn, select(STAFF).where(s.department_id.in_(ids), s.id_digest.in_(wanted)))


def contacts_of(conn: Connection, holder_ids: Iterable[str]) -> list[dict[str, Any]]:
    c = CONTACTS.c
    ids = sorted(set(holder_ids))
    return _dicts(conn, select(CONTACTS).where(c.holder_id.in_(ids))) if ids else []


def persons_of(conn: Connection, agency_id: str) -> list[dict[str, Any]]:
    a = AGENCY_PERSONS.c
    return _dicts(conn, select(AGENCY_PERSONS).where(a.agency_id == agency_id).order_by(a.role, a.id_digest))


def holdings_of(conn: Connection, agency_ids: Iterable[str]) -> list[dict[str, Any]]:
    h = HOLDINGS.c
    ids = sorted(set(agency_ids))
    return _dicts(conn, select(HOLDINGS).where(h.agency_id.in_(ids)).order_by(h.agency_id, h.holder_uscc)) if ids else []


def agencies_by_uscc(conn: Connection, usccs: Iterable[str]) -> dict[str, str]:
    a = AGENCIES.c
    wanted = sorted(set(usccs))
    if not wanted:
        return {}
    return {r.uscc: r.agency_id for r in conn.execute(select(a.uscc, a.agency_id).where(a.uscc.in_(wanted)))}


def units_by_uscc(conn: Connection, usccs: Iterable[str]) -> dict[str, dict[str, Any]]:
    u = UNITS.c
    wanted = sorted(set(usccs))
    if not wanted:
        return {}
    return {r["uscc"]: r for r in _dicts(conn, select(UNITS).where(u.uscc.in_(wanted)))}


def _owned_by(conn: Connection, agency_ids: set[str], depth: int) -> set[str]:
    """The agencies held, through a chain of ``depth`` organisation shareholdings at most, by these."""
    found, frontier = set(agency_ids), set(agency_ids)
    a, h = AGENCIES.c, HOLDINGS.c
    for _ in range(depth):
        if not frontier:
            break
        usccs = list(conn.execute(select(a.uscc).where(a.agency_id.in_(sorted(frontier)))).scalars())
        held = set(conn.execute(select(h.agency_id).where(h.holder_uscc.in_(usccs))).scalars()) if usccs else set()
        frontier = held - found
        found |= frontier
    return found


def touched(conn: Connection, after: int, upto: int, depth: int = 4) -> tuple[set[str], set[str]]:
    """Agencies and departments whose links or matters changed at positions in (after, upto].

    An agency is touched by a change of its own rows, of a procurement it took part
    in, of an agency up its ownership chain, or of a department or unit (staff,
    contacts) that approves a matter it took part in. A department by an award of
    one of its matters.
    """
    def changed(table: Table, column: str) -> set[str]:
        t = table.c
        return set(conn.execute(select(t[column]).where(t.position > after, t.position <= upto)).scalars())

    agencies = set().union(*(changed(t, "agency_id") for t in (AGENCIES, AGENCY_PERSONS, HOLDINGS, PARTICIPATIONS)))
    units = changed(UNITS, "department_id") | changed(STAFF, "department_id") | changed(CONTACTS, "holder_id")
    procurements = changed(PROCUREMENTS, "procurement_id")
    p, r, u = PARTICIPATIONS.c, PROCUREMENTS.c, UNITS.c
    departments: set[str] = set()
    if units:  # a unit's approving department: walk up its parents
        frontier = set(units)
        for _ in range(depth + 1):
            rows = conn.execute(select(u.department_id, u.parent_id).where(u.department_id.in_(sorted(frontier)))).all()
            departments |= {x.department_id for x in rows}
            frontier = {x.parent_id for x in rows if x.parent_id} - departments
            if not frontier:
                break
    where = []
    if departments:
        where.append(r.department_id.in_(sorted(departments)))
    if procurements:
        where.append(r.procurement_id.in_(sorted(procurements)))
    unit_usccs = [x for x in conn.execute(select(u.uscc).where(u.department_id.in_(sorted(units)))).scalars() if x]
    if unit_usccs:  # held directly by a unit that changed
        h = HOLDINGS.c
        agencies |= set(conn.execute(select(h.agency_id).where(h.holder_uscc.in_(unit_usccs))).scalars())
    if where:
        q = select(p.agency_id).distinct().join_from(PARTICIPATIONS, PROCUREMENTS, p.procurement_id == r.procurement_id)
        agencies |= set(conn.execute(q.where(or_(*where))).scalars())
    agencies = _owned_by(conn, agencies, depth) if agencies else agencies

    def awards(changed_row: Table) -> Any:
        t = changed_row.c
        return (select(r.department_id).join_from(PARTICIPATIONS, PROCUREMENTS, p.procurement_id == r.procurement_id)
                .where(r.department_id.is_not(None), p.award_position.is_not(None), t.position > after,
                       t.position <= upto))  # fmt: skip

    # Two queries, each starting from its own table's position index. One OR across the join made
    # PostgreSQL scan both tables whole: 160 ms at 50,000 procurements, growing with the history,
    # against 2 ms for the union (bench/README.md, bench.oversight_scale).
    awarded = union(awards(PARTICIPATIONS), awards(PROCUREMENTS))
    return agencies, set(conn.execute(awarded).scalars())
