"""A projection's own book of display names: departments, service items, owners, agencies.

Each read model that shows names keeps its own copy instead of reading another
projection's tables, so that it can be rebuilt alone and its handlers stay a
pure function of the events. Only organisations' names are kept (and 统一社会
信用代码), never a person's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, String, Table

from domain.agency import Agency
from domain.catalogue import ServiceItem
from domain.department import Department
from domain.owner import Owner
from projections.base import handles, is_event
from projections.database import METADATA
from projections.rows import Rows


def name_table(table_name: str) -> Table:
    return Table(
        table_name,
        METADATA,
        Column("kind", String(16), primary_key=True),  # department | item | owner | agency
        Column("key", String(64), primary_key=True),  # the aggregate id, or an item's code
        Column("name", String(200), nullable=False),
        Column("uscc", String(18)),
        Column("pending_name", String(200)),  # an agency's renaming awaiting the operator's check
    )


class NameBook:
    """Mixin for a Projection with a ``names`` table made by ``name_table``."""

    names: Table

    def name_of(self, rows: Rows, kind: str, key: Any) -> str | None:
        row = rows.get(self.names, (kind, str(key))) if key is not None else None
        return row["name"] if row else None

    def _add_name(self, rows: Rows, kind: str, key: Any, name: str, uscc: str | None = None) -> None:
        rows.insert(self.names, kind=kind, key=str(key), name=name, uscc=uscc)

    @handles(Department.Established)
    def _department_established(self, e: Any, rows: Rows) -> None:
        self._add_name(rows, "department", e.originator_id, e.name, e.uscc)

    @handles(ServiceItem.Defined)
    def _item_defined(self, e: Any, rows: Rows) -> None:
        self._add_name(rows, "item", e.code, e.name)

    @handles(Owner.Registered)
    def _owner_registered(self, e: Any, rows: Rows) -> None:
        self._add_name(rows, "owner", e.originator_id, e.name, e.uscc)

    @handles(Agency.Registered)
    def _agency_registered(self, e: Any, rows: Rows) -> None:
        self._add_name(rows, "agency", e.originator_id, e.profile["name"], e.uscc)

    @handles(Agency.Resubmitted)
    def _agency_resubmitted(self, e: Any, rows: Rows) -> None:
        rows.update(self.names, ("agency", str(e.originator_id)), name=e.profile["name"])

    @handles(Agency.ChangeSubmitted)
    def _agency_change_submitted(self, e: Any, rows: Rows) -> None:
        # A change takes effect only once the operator approves it.
        rows.update(self.names, ("agency", str(e.originator_id)), pending_name=e.changes.get("name"))

    @handles(Agency.ChangeApproved, Agency.ChangeReturned)
    def _agency_change_decided(self, e: Any, rows: Rows) -> None:
        key = ("agency", str(e.originator_id))
        row = rows.get(self.names, key)
        if row is None:
            return
        approved = row["pending_name"] if is_event(e, Agency.ChangeApproved) else None
        rows.update(self.names, key, name=approved or row["name"], pending_name=None)
