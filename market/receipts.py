"""Idempotency receipts: one per idempotency key, saved with the command's events.

Repeating a command with the same key returns the first result and records
nothing new. The receipt's id is derived from the key, so two racing requests
with one key cannot both record: the second save fails on the receipt and its
retry finds the first result. A key reused for a *different* command is
refused (its fingerprint differs), as in Stripe's and ProZorro's APIs.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import derived_id


def fingerprint(command: str, payload: Any) -> str:
    body = json.dumps([command, payload], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


class CommandReceipt(Aggregate):
    @staticmethod
    def create_id(key: str) -> UUID:
        return derived_id("command-receipt", key)

    @event("Recorded")
    def __init__(self, key: str, command: str, fingerprint: str, result: Any, actor: dict[str, Any], at: datetime) -> None:
        self.key = key
        self.command = command
        self.fingerprint = fingerprint
        self.result = result
