"""A procurement's public timeline (公开时间线): what happened to it, in order, as far as the
public may know.

One row per public milestone, from publication on: published, sign-up opened,
sign-up closed (with the number of sign-ups), the selection (winner and 公示期,
short list, or 流标), objections filed and their outcome, the award, the confirmed
contract, and how it ended (服务完成, 无效, 服务中止, 重新采购).

Nothing sealed enters this table: ``SignedUp``, ``QuoteRevised`` and
``SignupWithdrawn`` are not handled at all, so neither who signed up nor a quote
is ever here (quotes stay sealed until the close, domain.md §4.3). An objection
is recorded without who filed it or why; the agency an upheld objection excluded
is not named either. Names are of organisations only (projections/names.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Integer, String, Table, select

from domain.procurement import Procurement as P
from projections.base import Projection, handles, is_event
from projections.database import METADATA, UTCDateTime
from projections.names import NameBook, name_table
from projections.rows import Rows

TIMELINE = Table(
    "rm_pub_timeline", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),  # the procurement's version: its own order
    Column("kind", String(24), nullable=False), Column("at", UTCDateTime, nullable=False),
    Column("count", Integer),  # sign-ups at the close
    Column("agency_id", String(36)), Column("agency_name", String(200)),  # the selected agency
    Column("due_at", UTCDateTime),  # 公示期满 after a selection, the contract deadline after the award
    Column("code", String(64)),  # a failure or void reason code, the selection method
    Column("link_id", String(36)),  # the next round after 重新采购
)  # fmt: skip

NAMES = name_table("rm_pub_timeline_names")

KINDS = ("published", "signup_opened", "signup_closed", "selected", "shortlisted", "failed", "objection_filed",
         "objection_upheld", "objection_rerun", "objection_dismissed", "awarded", "contract", "closed", "voided",
         "terminated", "republished")  # fmt: skip


class PublicTimeline(NameBook, Projection):
    name = "public_timeline"
    version = 1
    names = NAMES
    tables = (TIMELINE, NAMES)

    def _add(self, rows: Rows, e: Any, kind: str, **values: Any) -> None:
        rows.insert(TIMELINE, procurement_id=str(e.originator_id), version=e.originator_version, kind=kind, at=e.at,
                    **values)  # fmt: skip

    @handles(P.Published)
    def published(self, e: Any, rows: Rows) -> None:
        self._add(rows, e, "published")

    @handles(P.SignupOpened)
    def signup_opened(self, e: Any, rows: Rows) -> None:
        self._add(rows, e, "signup_opened")

    @handles(P.SignupClosed)
    def signup_closed(self, e: Any, rows: Rows) -> None:
        # The frozen list becomes public now; the timeline keeps its size only.
        self._add(rows, e, "signup_closed", count=len(e.entries))

    @handles(P.WinnerSelected, P.PickedFromShortlist)
    def selected(self, e: Any, rows: Rows) -> None:
        outcome = e.result["outcome"]
        winner = outcome["winner"]
        self._add(rows, e, "selected", agency_id=winner, agency_name=self.name_of(rows, "agency", winner),
                  code=outcome["method"], due_at=e.publicity_end["at"])  # fmt: skip

    @handles(P.Shortlisted)
    def shortlisted(self, e: Any, rows: Rows) -> None:
        self._add(rows, e, "shortlisted", code=e.result["outcome"]["method"])

    @handles(P.SelectionFailed)
    def failed(self, e: Any, rows: Rows) -> None:
        self._add(rows, e, "failed", code=e.result["outcome"].get("failure_reason"))

    @handles(P.ObjectionFiled)
    def objection_filed(self, e: Any, rows: Rows) -> None:
        self._add(rows, e, "objection_filed")

    @handles(P.ObjectionUpheld, P.ObjectionDismissed)
    def objection_decided(self, e: Any, rows: Rows) -> None:
        if is_event(e, P.ObjectionDismissed):
            self._add(rows, e, "objection_dismissed")
        else:  # upheld: the request fails, or the selection is re-run without the offending sign-up
            self._add(rows, e, "objection_upheld" if e.failed else "objection_rerun", count=len(e.entries))

    @handles(P.Awarded)
    def awarded(self, e: Any, rows: Rows) -> None:
        self._add(rows, e, "awarded", agency_id=e.agency_id, agency_name=self.name_of(rows, "agency", e.agency_id),
                  due_at=e.contract_due["at"])  # fmt: skip

    @handles(P.ContractConfirmed)
    def contract(self, e: Any, rows: Rows) -> None:
        # A contract is public once both parties confirmed it, as public_notices shows it.
        self._add(rows, e, "contract")

    @handles(P.Evaluated, P.Voided, P.Terminated, P.Republished)
    def ended(self, e: Any, rows: Rows) -> None:
        if is_event(e, P.Voided):
            self._add(rows, e, "voided", code=e.reason_code)
        elif is_event(e, P.Republished):
            self._add(rows, e, "republished", link_id=e.new_id)
        else:
            self._add(rows, e, "closed" if is_event(e, P.Evaluated) else "terminated")


# --- queries (pure reads) ------------------------------------------------------------


def timeline(conn: Connection, procurement_id: str) -> list[dict[str, Any]]:
    """The procurement's public milestones, oldest first."""
    q = select(TIMELINE).where(TIMELINE.c.procurement_id == str(procurement_id)).order_by(TIMELINE.c.version)
    return [dict(r._mapping) for r in conn.execute(q)]
