"""Procurement commands after the award: contract, service, acceptance, evaluation,
and the side branches (void, republish, abandon)."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from domain.agency import Agency
from domain.base import Actor
from domain.procurement import Procurement


class ServiceCommands:
    def file_contract(self, procurement_id: UUID, contract: dict[str, Any], *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """上传合同 (owner or winner)."""
        return self._procurement_command(
            "file_contract", procurement_id, [contract, by],
            lambda p, now: p.file_contract(contract, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def confirm_contract(self, procurement_id: UUID, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """确认合同: the service clock starts; its due date counts working days."""

        return self._procurement_command(
            "confirm_contract", procurement_id, [by],
            lambda p, now: p.confirm_contract(calendar=self.calendar(), by=by, now=now), idempotency_key,
        )  # fmt: skip

    def request_extension(self, procurement_id: UUID, days: int, reason: str, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        return self._procurement_command(
            "request_extension", procurement_id, [days, reason, by],
            lambda p, now: p.request_extension(days, reason, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def grant_extension(self, procurement_id: UUID, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """业主同意延期: the due date moves by the requested working days."""

        return self._procurement_command(
            "grant_extension", procurement_id, [by],
            lambda p, now: p.grant_extension(calendar=self.calendar(), by=by, now=now), idempotency_key,
        )  # fmt: skip

    def refuse_extension(self, procurement_id: UUID, reason: str, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        return self._procurement_command(
            "refuse_extension", procurement_id, [reason, by],
            lambda p, now: p.refuse_extension(reason, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def submit_deliverable(self, procurement_id: UUID, document: dict[str, Any], *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """上传服务成果."""
        return self._procurement_command(
            "submit_deliverable", procurement_id, [document, by],
            lambda p, now: p.submit_deliverable(document, calendar=self.calendar(), by=by, now=now), idempotency_key,
        )  # fmt: skip

    def accept_deliverable(self, procurement_id: UUID, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """签收服务成果."""
        return self._procurement_command(
            "accept_deliverable", procurement_id, [by],
            lambda p, now: p.accept_deliverable(calendar=self.calendar(), by=by, now=now), idempotency_key,
        )  # fmt: skip

    def reject_deliverable(self, procurement_id: UUID, reasons: list[str], *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """退回服务成果, with reasons."""
        return self._procurement_command(
            "reject_deliverable", procurement_id, [reasons, by],
            lambda p, now: p.reject_deliverable(reasons, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def evaluate(self, procurement_id: UUID, scores: dict[str, int], comment: str = "", *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """服务评价 on five dimensions; the engagement ends and the rating goes on the winner's credit file."""
        release = self._release_winner("closed", by)
        return self._procurement_command(
            "evaluate", procurement_id, [scores, comment, by],
            lambda p, now: p.evaluate(scores, comment, by=by, now=now), idempotency_key,
            extra=lambda p, now: [*release(p, now), *self._evaluation_on_file(p, by, now)],
        )  # fmt: skip

    def void_procurement(self, procurement_id: UUID, reason_code: str, reason: str, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """置为无效 before a contract exists."""
        return self._procurement_command(
            "void_procurement", procurement_id, [reason_code, reason, by],
            lambda p, now: p.void(reason_code, reason, by=by, now=now), idempotency_key,
            extra=self._release_winner("voided", by),
        )  # fmt: skip

    def abandon(self, procurement_id: UUID, reason: str, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """放弃中选 / 中止服务 by the winner: terminated, and recorded against the agency."""

        def record(p, now):
            if p.winner_id is None:
                return []
            agency = self.load(p.winner_id, Agency)
            agency.record_abandonment(p.id, reason, by=by, now=now)
            return [agency]

        return self._procurement_command(
            "abandon", procurement_id, [reason, by], lambda p, now: p.abandon(reason, by=by, now=now),
            idempotency_key, extra=record,
        )  # fmt: skip

    def republish(
        self, procurement_id: UUID, changes: dict[str, Any] | None = None, *, by: Actor,
        idempotency_key: str | None = None, new_id: UUID | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """重新采购 after 流标: a new round, linked to this one, back in draft."""
        next_id = new_id or uuid4()

        def decide():
            p = self.load(procurement_id, Procurement)
            successor = p.republish(changes, new_id=next_id, by=by, now=self.clock.now())
            return [p, successor], {"procurement_id": str(successor.id), "previous_id": str(p.id),
                                    "round_no": successor.round_no, "status": successor.status_code}  # fmt: skip

        return self._execute("republish", [str(procurement_id), changes, by], decide, idempotency_key)

    def _release_winner(self, outcome: str, by: Actor):
        def release(p, now):
            if p.winner_id is None:
                return []
            agency = self.load(p.winner_id, Agency)
            agency.release(p.id, outcome, by=by, now=now)
            return [agency] if agency.pending_events else []

        return release
