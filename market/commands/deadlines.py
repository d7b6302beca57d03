"""The deadline engine's commands: what a scheduler tick asks the market to do.

``process_due`` takes candidate timers (from the due-deadlines read model, which
only *finds* them) and lets each procurement decide again: a timer that moved
or was already handled is skipped. Every action is an idempotent command keyed
by (procurement, kind, due time), saved in its own transaction, so a tick that
crashes midway leaves no half-done transition and the next tick finishes the
job; after downtime, everything that fell due is processed exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.base import Actor
from domain.errors import DomainError
from domain.procurement import Procurement
from market.commands.publicity import SYSTEM_RUN_METHODS

log = logging.getLogger(__name__)

# Overdue warnings (红黄牌): yellow this many working days before the deadline.
WATCHED = ("contract_due", "service_due", "acceptance_due", "evaluation_due")


class DeadlineCommands:
    yellow_working_days: int = 2

    def record_overdue(self, procurement_id: UUID, kind: str, level: str, *, idempotency_key: str | None = None) -> dict[str, Any]:
        by = Actor.system()

        def decide():
            p = self.load(procurement_id, Procurement)
            recorded = p.record_overdue(kind, level, by=by, now=self.clock.now())
            return ([p] if recorded else []), {"procurement_id": str(p.id), "kind": kind, "level": level, "recorded": recorded}

        return self._execute("record_overdue", [str(procurement_id), kind, level], decide, idempotency_key)

    def process_due(self, candidates: Iterable[tuple[UUID | str, str, datetime]]) -> list[dict[str, Any]]:
        """Act on every candidate timer that is really due now; return what was done."""
        now = self.clock.now()
        calendar = self.calendar()
        done = []
        for procurement_id, kind, due_at in candidates:
            try:
                outcome = self._process_one(UUID(str(procurement_id)), kind, due_at, now, calendar)
            except DomainError as refused:  # raced with a person or another tick: nothing to do
                log.info("deadline %s/%s skipped: %s", procurement_id, kind, refused.code)
                continue
            if outcome is not None:
                done.append({"procurement_id": str(procurement_id), "kind": kind, **outcome})
        return done

    def _process_one(self, pid: UUID, kind: str, due_at: datetime, now: datetime, calendar) -> dict[str, Any] | None:
        p = self.load(pid, Procurement)
        timer = p.timers().get(kind)
        if timer is None or timer["at"] != due_at:
            return None  # stale: the request moved on, or the deadline was recomputed
        key = f"deadline:{pid}:{kind}:{due_at.isoformat()}"
        if kind in WATCHED:
            level = "red" if now >= due_at else "yellow"
            if level == "yellow" and calendar.working_days_between(now, due_at) > self.yellow_working_days:
                return None
            if f"{kind}:{level}:{due_at.isoformat()}" in p.warnings:
                return None
            result = self.record_overdue(pid, kind, level, idempotency_key=f"{key}:{level}")
            return {"action": f"overdue_{level}"} if result["recorded"] else None
        if now < due_at:
            return None
        if kind == "signup_opens":
            return {"action": "open_signup", **self.open_signup(pid, idempotency_key=key)}
        if kind == "signup_closes":
            return {"action": "close_signup", **self.close_signup(pid, idempotency_key=key)}
        if kind == "selection" and p.notice["method"] in SYSTEM_RUN_METHODS:
            return {"action": "run_selection", **self.run_selection(pid, idempotency_key=key)}
        if kind == "publicity_end" and not p.pending_objections():
            return {"action": "award", **self.award(pid, idempotency_key=key)}
        return None
