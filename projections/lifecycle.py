"""A procurement's state and deadlines as its events set them, shared by the read models
that keep one row per procurement.

``ProcurementLifecycle`` handles every event that moves the state or a deadline
and updates the row's ``status``, ``updated_at`` and whichever deadline columns
the table has (named after the domain's deadline kinds). A read model adds its
own handlers for the events it needs more from; they call ``_set`` and get the
state and deadlines with it. Status values are ``ProcurementStatus`` values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table

from domain.procurement import Procurement
from projections.base import handles
from projections.rows import Rows

P = Procurement
# The state each event leaves the procurement in (domain/procurement/status.py), by
# event class name: a procurement's events are of several classes per name (is_event).
_STATUS = {
    "Drafted": "draft", "Submitted": "pending_review", "Returned": "returned", "SignupOpened": "signup_open",
    "SignupClosed": "signup_closed", "WinnerSelected": "publicity", "Shortlisted": "shortlisted",
    "SelectionFailed": "failed", "PickedFromShortlist": "publicity", "Awarded": "contracting",
    "ContractFiled": "contract_filed", "ContractConfirmed": "in_service", "DeliverableSubmitted": "under_acceptance",
    "DeliverableAccepted": "evaluating", "DeliverableRejected": "in_service", "Evaluated": "closed",
    "Voided": "voided", "Terminated": "terminated",
}  # fmt: skip

DEADLINES = ("publicity_end", "contract_due", "service_due", "acceptance_due", "evaluation_due")

LIFECYCLE_EVENTS: tuple[type, ...] = tuple(
    getattr(P, name) for name in (*_STATUS, "Published", "ObjectionUpheld", "ExtensionGranted", "DeadlineRecomputed")
)


def status_after(e: Any) -> str | None:
    """The state after this event, or None if it leaves the state as it was."""
    kind = type(e).__name__
    if kind == "Published":
        return "signup_open" if e.opens_now else "published"
    if kind == "ObjectionUpheld":
        # Upheld: the selection is annulled and re-run (back to 待选取), or the request fails.
        return "failed" if e.failed else "signup_closed"
    return _STATUS.get(kind)


_ENDED = dict.fromkeys(DEADLINES)
# Deadline changes each event makes: kind → due time (None: no longer due).
_DEADLINES = {
    "WinnerSelected": lambda e: {"publicity_end": e.publicity_end["at"]},
    "PickedFromShortlist": lambda e: {"publicity_end": e.publicity_end["at"]},
    "ObjectionUpheld": lambda e: {"publicity_end": None},
    "Awarded": lambda e: {"publicity_end": None, "contract_due": e.contract_due["at"]},
    "ContractConfirmed": lambda e: {"contract_due": None, "service_due": e.service_due["at"]},
    "ExtensionGranted": lambda e: {"service_due": e.new_due["at"]},
    "DeliverableSubmitted": lambda e: {"acceptance_due": e.acceptance_due["at"]},
    "DeliverableRejected": lambda e: {"acceptance_due": None},
    "DeliverableAccepted": lambda e: {"service_due": None, "acceptance_due": None,
                                      "evaluation_due": e.evaluation_due["at"]},
    "Evaluated": lambda e: _ENDED, "Voided": lambda e: _ENDED, "Terminated": lambda e: _ENDED,
    "DeadlineRecomputed": lambda e: {e.kind: e.deadline["at"]},
}  # fmt: skip


def deadlines_after(e: Any) -> dict[str, Any]:
    """Deadline changes this event makes (by class name: only procurement events come here)."""
    change = _DEADLINES.get(type(e).__name__)
    return change(e) if change else {}


class ProcurementLifecycle:
    """Mixin for a Projection whose ``lifecycle_table`` has one row per ``procurement_id``."""

    lifecycle_table: Table

    @handles(*LIFECYCLE_EVENTS)
    def _lifecycle(self, e: Any, rows: Rows) -> None:
        self._set(rows, e)

    def _set(self, rows: Rows, e: Any, **values: Any) -> dict[str, Any] | None:
        """Update the procurement's row with ``values``, its state and its deadlines."""
        t = self.lifecycle_table
        auto: dict[str, Any] = {"updated_at": e.at}
        status = status_after(e)
        if status is not None:
            auto["status"] = status
        auto.update({k: v for k, v in deadlines_after(e).items() if k in t.c})
        row = rows.update(t, str(e.originator_id), **{**auto, **values})
        if row is not None:
            self._after_set(rows, row)
        return row

    def _after_set(self, rows: Rows, row: dict[str, Any]) -> None:
        """Hook: derive columns from the updated row (the owner's next action)."""
