"""The owner's workspace (业主工作台): its procurements by state, and what awaits its action.

An owner admin (采购管理人) sees every procurement of the unit; a delegate
(采购受托人) only those they drafted (``created_by``, 广东操作手册 [12]) — the
query takes the filter, the API decides who gets which.

Sealed quotes hold here too: before the close the owner sees the number of
sign-ups only, so this read model counts them and stores nothing else.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, Connection, Integer, String, Table, func, select

from domain.procurement import Procurement as P
from domain.procurement.notice import OWNER_RUN_METHODS
from domain.procurement.status import LABELS, ProcurementStatus
from projections.agency_directory import AGENCIES
from projections.base import Projection, handles, is_event
from projections.database import METADATA, UTCDateTime
from projections.lifecycle import DEADLINES, ProcurementLifecycle
from projections.rows import Rows

PROCUREMENTS = Table(
    "rm_ow_procurements", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("owner_id", String(36), nullable=False, index=True), Column("created_by", String(64), index=True),
    Column("project_code", String(64)), Column("project_name", String(200)), Column("service_item_code", String(32)),
    Column("method", String(32)), Column("status", String(24), nullable=False, index=True),
    Column("round_no", Integer), Column("previous_id", String(36)), Column("next_id", String(36)),
    Column("signup_count", Integer, nullable=False),
    Column("signup_closes_at", UTCDateTime), Column("selection_at", UTCDateTime),
    Column("winner_id", String(36)), Column("contract_filed_by", String(24)),  # owner | agency
    Column("extension_pending", Boolean, nullable=False), Column("objections_pending", Integer, nullable=False),
    *(Column(kind, UTCDateTime) for kind in DEADLINES),
    Column("drafted_at", UTCDateTime), Column("updated_at", UTCDateTime),
    Column("awaits", String(32), index=True),  # the owner's next action, or NULL
    Column("awaits_due", UTCDateTime),  # when that action falls due, where a deadline applies
)  # fmt: skip

# The owner's next step per state (brief §4.1); labels are the console's.
ACTIONS = {
    "submit": "提交审核", "resubmit": "修改后重新提交", "select": "直接选取", "pick_from_shortlist": "择定中选机构",
    "file_contract": "上传合同", "confirm_contract": "确认合同", "decide_extension": "审批延期申请",
    "accept_deliverable": "签收服务成果", "evaluate": "服务评价", "republish_or_void": "重新采购或置为无效",
}  # fmt: skip
_DUE = {"file_contract": "contract_due", "confirm_contract": "contract_due", "accept_deliverable": "acceptance_due",
        "evaluate": "evaluation_due", "select": "selection_at"}  # fmt: skip


def awaits(row: dict[str, Any]) -> str | None:
    """What the owner must do next, given the row's state."""
    status = row["status"]
    simple = {
        "draft": "submit", "returned": "resubmit", "shortlisted": "pick_from_shortlist",
        "contracting": "file_contract", "under_acceptance": "accept_deliverable", "evaluating": "evaluate",
    }  # fmt: skip
    if status in simple:
        return simple[status]
    if status == "signup_closed" and row["method"] in OWNER_RUN_METHODS:
        return "select"  # 直接选取 / 综合评分: the owner acts at the selection time
    if status == "contract_filed" and row["contract_filed_by"] == "agency":
        return "confirm_contract"
    if status == "in_service" and row["extension_pending"]:
        return "decide_extension"
    if status == "failed" and row["next_id"] is None:
        return "republish_or_void"
    return None


class OwnerWorkspace(ProcurementLifecycle, Projection):
    name = "owner_workspace"
    version = 1
    lifecycle_table = PROCUREMENTS
    tables = (PROCUREMENTS,)
    preload = ((PROCUREMENTS, "procurement_id"),)

    def _after_set(self, rows: Rows, row: dict[str, Any]) -> None:
        action = awaits(row)
        rows.update(PROCUREMENTS, row["procurement_id"], awaits=action,
                    awaits_due=row[_DUE[action]] if action in _DUE else None)  # fmt: skip

    @handles(P.Drafted)
    def drafted(self, e: Any, rows: Rows) -> None:
        rows.insert(
            PROCUREMENTS, procurement_id=str(e.originator_id), owner_id=e.owner_id, created_by=e.created_by,
            status="draft", round_no=e.round_no, previous_id=e.previous_id, signup_count=0, extension_pending=False,
            objections_pending=0, drafted_at=e.at, updated_at=e.at, awaits="submit", **_notice_values(e.notice),
        )  # fmt: skip

    @handles(P.Amended)
    def amended(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, **_notice_values(e.notice))

    @handles(P.SignedUp, P.SignupWithdrawn)
    def signups_counted(self, e: Any, rows: Rows) -> None:
        row = rows.get(PROCUREMENTS, str(e.originator_id))
        self._set(rows, e, signup_count=row["signup_count"] + (1 if is_event(e, P.SignedUp) else -1))

    @handles(P.SignupClosed)
    def signup_closed(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, signup_count=len(e.entries))

    @handles(P.WinnerSelected, P.PickedFromShortlist)
    def winner_selected(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, winner_id=e.result["outcome"]["winner"])

    @handles(P.ObjectionFiled, P.ObjectionDismissed, P.ObjectionUpheld)
    def objection(self, e: Any, rows: Rows) -> None:
        # While an objection is pending the award waits (publicity.py); upheld, the winner is annulled.
        row = rows.get(PROCUREMENTS, str(e.originator_id))
        values: dict[str, Any] = {"objections_pending": row["objections_pending"]
                                  + (1 if is_event(e, P.ObjectionFiled) else -1)}  # fmt: skip
        if is_event(e, P.ObjectionUpheld):
            values.update(winner_id=None, signup_count=len(e.entries))
        self._set(rows, e, **values)

    @handles(P.ContractFiled)
    def contract_filed(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, contract_filed_by="agency" if e.contract["filed_by_role"] == "agency" else "owner")

    @handles(P.ExtensionRequested, P.ExtensionGranted, P.ExtensionRefused)
    def extension(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, extension_pending=is_event(e, P.ExtensionRequested))

    @handles(P.Republished)
    def republished(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, next_id=e.new_id)


def _notice_values(n: dict[str, Any]) -> dict[str, Any]:
    keys = ("project_code", "project_name", "service_item_code", "method", "signup_closes_at", "selection_at")
    return {k: n[k] for k in keys}


# --- queries (pure reads) ------------------------------------------------------------


def _scoped(q: Any, owner_id: str, created_by: str | None) -> Any:
    q = q.where(PROCUREMENTS.c.owner_id == str(owner_id))
    return q if created_by is None else q.where(PROCUREMENTS.c.created_by == created_by)


def procurements(
    conn: Connection, owner_id: str, *, created_by: str | None = None, status: str | list[str] | None = None,
    awaiting: bool | None = None, limit: int = 50, offset: int = 0,
) -> list[dict[str, Any]]:  # fmt: skip
    """The unit's procurements, latest activity first; ``created_by`` scopes a delegate to their own."""
    t = PROCUREMENTS
    q = _scoped(select(t, AGENCIES.c.name.label("winner_name")), owner_id, created_by)
    q = q.outerjoin(AGENCIES, AGENCIES.c.agency_id == t.c.winner_id)
    if status:
        q = q.where(t.c.status.in_([status] if isinstance(status, str) else status))
    if awaiting is not None:
        q = q.where(t.c.awaits.is_not(None) if awaiting else t.c.awaits.is_(None))
    q = q.order_by(t.c.updated_at.desc(), t.c.procurement_id).limit(limit).offset(offset)
    return [_labelled(dict(r._mapping)) for r in conn.execute(q)]


def awaiting_action(conn: Connection, owner_id: str, *, created_by: str | None = None) -> list[dict[str, Any]]:
    """Procurements on which the owner must act, oldest request first."""
    rows = procurements(conn, owner_id, created_by=created_by, awaiting=True, limit=1000)
    return sorted(rows, key=lambda r: (r["updated_at"], r["procurement_id"]))


def counts_by_status(conn: Connection, owner_id: str, *, created_by: str | None = None) -> dict[str, int]:
    """How many procurements are in each state, plus ``awaiting`` (the to-do badge)."""
    t = PROCUREMENTS
    q = _scoped(select(t.c.status, func.count()), owner_id, created_by).group_by(t.c.status)
    counts = {status: n for status, n in conn.execute(q)}
    awaiting = _scoped(select(func.count()).select_from(t), owner_id, created_by).where(t.c.awaits.is_not(None))
    counts["awaiting"] = conn.execute(awaiting).scalar() or 0
    return counts


def _labelled(row: dict[str, Any]) -> dict[str, Any]:
    row["status_label"] = LABELS[ProcurementStatus(row["status"])]
    row["awaits_label"] = ACTIONS.get(row["awaits"]) if row["awaits"] else None
    return row
