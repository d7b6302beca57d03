"""Agency credit (信用): each agency's credit records, its standing at any moment, and its history.

The handlers keep every record of every credit file (violations, evaluations,
sanctions, repairs) with the log position and version of the event that made it,
the catalogue in force, and the positions of the source events a record names
(the case's ``ViolationRecorded``, the procurement's ``Evaluated``).

The standing is computed when asked, by the domain's own scorer
(``domain.credit.standing``): a violation stops counting when its window runs out,
with no event to mark it, so a stored score would go stale. ``at`` defaults to the
wall clock; callers that run on business time (the API, the console) pass the
market clock's ``now``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Connection, Integer, String, Table, select

from domain.credit import DEFAULT_SCORING, CreditFile, CreditPolicy, assess
from domain.credit import history as credit_history
from domain.procurement import Procurement
from domain.supervision import Case
from projections.base import Projection, handles
from projections.database import METADATA, UTCDateTime, jsonable
from projections.rows import Rows

RECORDS = Table(
    "rm_credit_records", METADATA,
    Column("agency_id", String(36), primary_key=True), Column("record_id", String(32), primary_key=True),
    Column("kind", String(12), nullable=False),
    Column("at", UTCDateTime, nullable=False), Column("ends_at", UTCDateTime), Column("repaired_at", UTCDateTime),
    Column("record", JSON, nullable=False),  # the record as the credit file holds it, JSON-safe
    Column("file_id", String(36), nullable=False), Column("version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),  # the event that made the record
    Column("repaired_version", Integer), Column("repaired_position", BigInteger),
)  # fmt: skip

FILES = Table(
    "rm_credit_files", METADATA,
    Column("file_id", String(36), primary_key=True), Column("agency_id", String(36), nullable=False, unique=True),
)  # fmt: skip

POLICIES = Table(
    "rm_credit_policies", METADATA,
    Column("region", String(12), primary_key=True), Column("policy_id", String(36), nullable=False, unique=True),
    Column("catalogue_version", Integer, nullable=False), Column("violations", JSON, nullable=False),
    Column("scoring", JSON, nullable=False), Column("changed_at", UTCDateTime, nullable=False),
    Column("position", BigInteger, nullable=False),
)  # fmt: skip

EVIDENCE = Table(  # where the source events of credit records sit in the log
    "rm_credit_evidence", METADATA,
    Column("aggregate_id", String(36), primary_key=True), Column("version", Integer, primary_key=True),
    Column("event", String(40), nullable=False), Column("position", BigInteger, nullable=False),
)  # fmt: skip


class AgencyCredit(Projection):
    name = "agency_credit"
    version = 1
    tables = (FILES, RECORDS, POLICIES, EVIDENCE)
    preload = ((FILES, "file_id"),)

    @handles(CreditFile.Opened)
    def opened(self, e: Any, rows: Rows) -> None:
        rows.insert(FILES, file_id=str(e.originator_id), agency_id=e.agency_id)

    @handles(CreditFile.ViolationRecorded, CreditFile.EvaluationRecorded, CreditFile.SanctionImposed)
    def recorded(self, e: Any, rows: Rows) -> None:
        file = rows.get(FILES, str(e.originator_id))
        r = e.record
        rows.insert(RECORDS, agency_id=file["agency_id"], record_id=r["record_id"], kind=r["kind"], at=r["at"],
                    ends_at=r.get("ends_at"), repaired_at=None, record=jsonable(r), file_id=str(e.originator_id),
                    version=e.originator_version, position=rows.position)  # fmt: skip

    @handles(CreditFile.Repaired)
    def repaired(self, e: Any, rows: Rows) -> None:
        file = rows.get(FILES, str(e.originator_id))
        rows.update(RECORDS, (file["agency_id"], e.record_id), repaired_at=e.at, repaired_version=e.originator_version,
                    repaired_position=rows.position, record={**_stored(rows, file["agency_id"], e.record_id),
                                                             "repair_reason": e.reason})  # fmt: skip

    @handles(CreditPolicy.Established)
    def policy_established(self, e: Any, rows: Rows) -> None:
        rows.insert(POLICIES, region=e.region, policy_id=str(e.originator_id), catalogue_version=1,
                    violations=jsonable(e.violations), scoring=jsonable(e.scoring), changed_at=e.at,
                    position=rows.position)  # fmt: skip

    @handles(CreditPolicy.CatalogueChanged)
    def catalogue_changed(self, e: Any, rows: Rows) -> None:
        (policy,) = rows.find(POLICIES, policy_id=str(e.originator_id))
        violations = {**policy["violations"], **jsonable(e.new["violations"])}
        rows.update(POLICIES, policy["region"], catalogue_version=e.version, violations=violations,
                    scoring={**policy["scoring"], **e.new["scoring"]}, changed_at=e.at, position=rows.position)  # fmt: skip

    @handles(Case.ViolationRecorded, Procurement.Evaluated)
    def source(self, e: Any, rows: Rows) -> None:
        event = "Case.ViolationRecorded" if type(e).__name__ == "ViolationRecorded" else "Procurement.Evaluated"
        rows.insert(EVIDENCE, aggregate_id=str(e.originator_id), version=e.originator_version, event=event,
                    position=rows.position)  # fmt: skip


def _stored(rows: Rows, agency_id: str, record_id: str) -> dict[str, Any]:
    return dict(rows.get(RECORDS, (agency_id, record_id))["record"])


# --- queries ------------------------------------------------------------------------------


def _now(at: datetime | None) -> datetime:
    return at or datetime.now(UTC)


def scoring(conn: Connection, region: str | None = None) -> tuple[dict[str, Any], int]:
    """The scoring block in force and the catalogue version (the defaults, version 1, until changed)."""
    q = select(POLICIES.c.scoring, POLICIES.c.catalogue_version).order_by(POLICIES.c.region)
    if region:
        q = q.where(POLICIES.c.region == region)
    row = conn.execute(q).first()
    return ({**DEFAULT_SCORING, **row.scoring}, row.catalogue_version) if row else (dict(DEFAULT_SCORING), 1)


def _records(conn: Connection, agency_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Each agency's records in the shape the domain scorer reads, with the events that made them."""
    wanted = sorted({str(a) for a in agency_ids})
    found: dict[str, list[dict[str, Any]]] = {a: [] for a in wanted}
    r = RECORDS.c
    for i in range(0, len(wanted), 500):
        q = select(RECORDS).where(r.agency_id.in_(wanted[i : i + 500])).order_by(r.agency_id, r.version)
        for row in conn.execute(q):
            record = {**row.record, "at": row.at, "ends_at": row.ends_at, "repaired_at": row.repaired_at}
            record["event"] = {"aggregate_id": row.file_id, "version": row.version, "position": row.position}
            if row.repaired_position is not None:
                record["repair_event"] = {"aggregate_id": row.file_id, "version": row.repaired_version,
                                          "position": row.repaired_position}  # fmt: skip
            found[row.agency_id].append(record)
    return found


def _with_source_positions(conn: Connection, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each item's ``source`` completed with the log position of that event, when known."""
    keys = {(i["source"]["aggregate_id"], i["source"]["version"]) for i in items if i.get("source")}
    positions: dict[tuple[str, int], int] = {}
    if keys:
        ids = sorted({k[0] for k in keys})
        q = select(EVIDENCE).where(EVIDENCE.c.aggregate_id.in_(ids))
        positions = {(row.aggregate_id, row.version): row.position for row in conn.execute(q)}
    for item in items:
        if item.get("source"):
            key = (item["source"]["aggregate_id"], item["source"]["version"])
            item["source"] = {**item["source"], "position": positions.get(key)}
    return items


def standing(conn: Connection, agency_id: str, at: datetime | None = None) -> dict[str, Any]:
    """An agency's score and grade at ``at`` (now by default): ``{agency_id, score, grade, as_of}``."""
    return standings(conn, [agency_id], at)[str(agency_id)]


def standings(conn: Connection, agency_ids: Iterable[str], at: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Score and grade of several agencies at once (the directory's listing)."""
    at, (rules, version) = _now(at), scoring(conn)
    found = {}
    for agency_id, records in _records(conn, agency_ids).items():
        s = assess(records, rules, at)
        found[agency_id] = {"agency_id": agency_id, "score": s.score, "grade": s.grade, "as_of": at,
                            "exact": s.as_dict()["exact"], "parts": s.parts, "catalogue_version": version}  # fmt: skip
    return found


def explanation(conn: Connection, agency_id: str, at: datetime | None = None) -> dict[str, Any]:
    """The standing with every record behind it: its event (position), source event, points, window, expiry."""
    at, (rules, version) = _now(at), scoring(conn)
    records = _records(conn, [agency_id])[str(agency_id)]
    s = assess(records, rules, at).as_dict()
    return {
        "agency_id": str(agency_id), "as_of": at, "score": s["score"], "grade": s["grade"], "exact": s["exact"],
        "parts": s["parts"], "scoring": rules, "catalogue_version": version,
        "counted": _with_source_positions(conn, s["counted"]), "sanctions": _with_source_positions(conn, s["sanctions"]),
        "on_record": _with_source_positions(conn, s["on_record"]),
    }  # fmt: skip


def history(conn: Connection, agency_id: str, until: datetime | None = None) -> list[dict[str, Any]]:
    """Every change of the agency's standing up to ``until``, oldest first, each naming the events behind it."""
    rules, _ = scoring(conn)
    records = _records(conn, [agency_id])[str(agency_id)]
    by_id = {r["record_id"]: r for r in records}
    changes = credit_history(records, rules, _now(until))
    for change in changes:
        for item in change["because"]:
            record = by_id[item["record_id"]]
            # The event behind this change: the record's own event, or its repair; a window or
            # period that ran out has no event of its own, so it names the record's.
            item["event"] = record.get("repair_event") if item["change"] == "repaired" else record["event"]
            item["recorded_at"] = record["at"]
        _with_source_positions(conn, change["because"])
    return changes
