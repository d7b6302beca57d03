"""Monthly supervision reports (监管月报): issued once per region and month, as facts.

Issue 5 asks for a monthly report per region (concentration, delays, flags by
type, case outcomes). The figures a report showed are kept in the ``Issued``
event itself, with their SHA-256 digest, so that the report a regulator
downloads later is the one that was issued, even after read models move on
(a flag cleared, a case decided). The id derives from (region, month), so the
event store refuses to issue the same month's report twice, however many
scheduler processes or restarts try.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, derived_id, require_aware, require_text
from domain.supervision.errors import InvalidReport

MONTH = re.compile(r"^(20[0-9]{2})-(0[1-9]|1[0-2])$")  # "2026-03"


class ReportStatus(Enum):
    ISSUED = "issued"  # 已出具


class SupervisionReport(MarketAggregate):
    Status = ReportStatus

    @staticmethod
    def create_id(region: str, month: str) -> UUID:
        return derived_id("supervision-report", region, month)

    @classmethod
    def issue(
        cls, region: str, month: str, figures: dict[str, Any], digest: str, *, by: Actor, now: datetime
    ) -> SupervisionReport:
        if not MONTH.match(month or ""):
            raise InvalidReport(field="month", detail=month)
        if not isinstance(figures, dict) or not figures:
            raise InvalidReport(field="figures", detail="a report needs its figures")
        if not re.fullmatch(r"[0-9a-f]{64}", digest or ""):
            raise InvalidReport(field="digest", detail=digest)
        return cls(region=require_text(region, "region"), month=month, figures=figures, digest=digest,
                   actor=by.as_event(), at=require_aware(now))  # fmt: skip

    class Issued(MarketAggregate.Created):
        region: str
        month: str
        figures: dict[str, Any]
        digest: str
        actor: dict[str, Any]
        at: datetime

    @event(Issued)
    def __init__(self, region: str, month: str, figures: dict[str, Any], digest: str, actor: dict[str, Any],
                 at: datetime) -> None:  # fmt: skip
        self.region, self.month = region, month
        self.figures, self.digest = figures, digest
        self.issued_at = at
        self.status_code = ReportStatus.ISSUED.value
