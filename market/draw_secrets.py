"""The platform's draw secret for one procurement, sealed until selection.

Its SHA-256 is published with the notice (the commitment); the secret itself is
revealed only inside the selection result (brief §5.1). It is kept in its own
aggregate so that audit views can withhold it until then.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import derived_id
from domain.draw import commit


class DrawSecret(Aggregate):
    @staticmethod
    def create_id(procurement_id: str) -> UUID:
        return derived_id("draw-secret", procurement_id)

    @event("Sealed")
    def __init__(self, procurement_id: str, secret: str, actor: dict[str, Any], at: datetime) -> None:
        self.procurement_id = procurement_id
        self.secret = secret

    @property
    def commitment(self) -> str:
        return commit(bytes.fromhex(self.secret))
