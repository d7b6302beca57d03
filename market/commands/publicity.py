"""中选公示 commands: objections (质疑) and the owner's pick from a short list."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.base import Actor
from domain.procurement import Procurement
from market.draw_secrets import DrawSecret

# Methods the platform re-runs by itself once an objection strikes out a sign-up.
SYSTEM_RUN_METHODS = ("random", "lowest_price", "reasonable_price", "credit_merit")


class PublicityCommands:
    def file_objection(
        self, procurement_id: UUID, agency_id: UUID, reasons: list[str], evidence: list[dict[str, str]] | None = None,
        *, by: Actor, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """提出质疑: a participant objects before the 公示期 ends."""

        def decide():
            p = self.load(procurement_id, Procurement)
            objection_id = p.file_objection(str(agency_id), reasons, evidence or [], by=by, now=self.clock.now())
            return [p], {"procurement_id": str(p.id), "objection_id": objection_id, "status": p.status_code}

        return self._execute("file_objection", [str(procurement_id), str(agency_id), reasons, evidence, by], decide, idempotency_key)

    def uphold_objection(
        self, procurement_id: UUID, objection_id: str, reason: str, *, exclude_agency_id: UUID | None = None,
        fail: bool = False, by: Actor, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """支持质疑: strike out the offending sign-up and re-run the selection, or fail the request.

        For methods the platform runs, the re-run happens in the same transaction,
        so no one can observe an annulled selection without its replacement.
        """

        def decide():
            p = self.load(procurement_id, Procurement)
            now = self.clock.now()
            excluded = str(exclude_agency_id) if exclude_agency_id else None
            p.uphold_objection(objection_id, reason, exclude_agency_id=excluded, fail=fail, by=by, now=now)
            if not fail and p.notice["method"] in SYSTEM_RUN_METHODS:
                secret = self.load(DrawSecret.create_id(str(p.id)), DrawSecret)
                p.run_selection(bytes.fromhex(secret.secret), calendar=self.calendar(), by=Actor.system(), now=now)
            return [p], {"procurement_id": str(p.id), "status": p.status_code, "winner": p.winner_id}

        payload = [str(procurement_id), objection_id, reason, str(exclude_agency_id), fail, by]
        return self._execute("uphold_objection", payload, decide, idempotency_key)

    def dismiss_objection(
        self, procurement_id: UUID, objection_id: str, reason: str, *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """驳回质疑: the selection stands."""
        return self._procurement_command(
            "dismiss_objection", procurement_id, [objection_id, reason, by],
            lambda p, now: p.dismiss_objection(objection_id, reason, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def pick_from_shortlist(
        self, procurement_id: UUID, agency_id: UUID, reason: str, *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """信用择优: the owner picks the winner from the 小名单."""
        return self._procurement_command(
            "pick_from_shortlist", procurement_id, [str(agency_id), reason, by],
            lambda p, now: p.pick_from_shortlist(str(agency_id), reason, calendar=self.calendar(), by=by, now=now),
            idempotency_key,
        )  # fmt: skip

    def recompute_deadlines(self, procurement_id: UUID, *, by: Actor | None = None) -> dict[str, Any]:
        """Recompute provisional deadlines after a year's holidays were published (idempotent)."""
        by = by or Actor.system()

        def decide():
            p = self.load(procurement_id, Procurement)
            changed = p.recompute_deadlines(calendar=self.calendar(), by=by, now=self.clock.now())
            return ([p] if changed else []), {"procurement_id": str(p.id), "recomputed": changed}

        return self._execute("recompute_deadlines", [str(procurement_id)], decide, None)
