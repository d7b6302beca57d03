"""The market application: every command loads, lets an aggregate decide, saves.

``Market._execute`` is the one place that gives commands their guarantees:

* **Idempotency** — with a key, the first result is stored in a receipt saved in
  the same transaction as the command's events; a repeat returns it.
* **Retry** — a concurrent write of the same aggregate version makes the save
  fail; the whole command (reload, decide, save) is re-run with jittered
  backoff, then refused as ``ConcurrentChange`` (HTTP 409).
* **Nothing recorded on refusal** — aggregates decide before anything is saved,
  and a domain error aborts before ``save``.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import Environment, EnvType

from domain.base import Actor
from domain.errors import ConcurrentChange, DomainError, IdempotencyKeyReused, NotFound
from market.clock import Clock, SystemClock
from market.identity import PersonDigester
from market.loading import stored_events_of
from market.privacy.keys import MemoryPersonKeys, PersonKeys
from market.integrity.recorders import chained_env
from market.receipts import CommandReceipt, fingerprint

A = TypeVar("A", bound=Aggregate)
Decision = tuple[list[Aggregate], Any]


def replay(aggregate: Any, events: Iterable[Any]) -> Any:
    """Apply stored events in order: the library's ``project_aggregate`` minus its per-event
    ``assert isinstance(event, CanMutateProtocol)``. That runtime-protocol check costs about
    12 µs an event on Python 3.11, more than the mutation itself, and every event read back
    from the store has ``mutate`` anyway (bench/README.md has the figures)."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


class MarketCore(Application):
    name = "Market"  # pinned: stored tables depend on it
    chain_events = True  # every stored record is hash-chained in its own transaction (docs/tamper-evidence.md)

    def __init__(
        self, env: dict[str, str] | None = None, *, clock: Clock | None = None,
        digester: PersonDigester | None = None, retry_attempts: int = 60, region: str = "430000",
        person_keys: PersonKeys | None = None,
    ) -> None:  # fmt: skip
        super().__init__(env)
        self.region = region
        self.clock = clock or SystemClock()
        self.digester = digester or PersonDigester(b"demo-only-person-digest-key-change-me")
        self.retry_attempts = retry_attempts
        # One key per person, outside the event store (market/privacy/keys.py); memory unless given.
        self.person_keys = person_keys or MemoryPersonKeys()
        self._written = threading.local()  # per thread: the log position of its last command's save

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        environment = super().construct_env(name, env)
        return chained_env(environment) if self.chain_events else environment

    # --- the command runner -------------------------------------------------------

    def _execute(
        self, command: str, payload: Any, decide: Callable[[], Decision], idempotency_key: str | None
    ) -> Any:
        """Run ``decide`` (load + decide, no side effects) and save what it returns."""
        print_ = fingerprint(command, payload) if idempotency_key else ""
        self._written.position = None
        # A key's receipt is read only when there is a sign that it exists: a refusal or a
        # failed save. The save carries the receipt, whose id derives from the key, so a repeat
        # can never be recorded twice: its save fails and the receipt is found then. This spares
        # every keyed command a read before deciding (bench/README.md).
        for attempt in range(self.retry_attempts):
            try:
                aggregates, result = decide()
            except DomainError:
                # A repeat (or a racing request with the same key) may see the first request's
                # effect, e.g. "already signed up": that request's result is ours.
                if idempotency_key and (previous := self._receipt(idempotency_key)) is not None:
                    return self._repeat(previous, print_)
                raise
            if idempotency_key:
                receipt = CommandReceipt(
                    key=idempotency_key, command=command, fingerprint=print_, result=result,
                    actor=_actor_of(payload), at=self.clock.now(),
                )  # fmt: skip
                aggregates = [*aggregates, receipt]
            try:
                recordings = self.save(*aggregates)
            except IntegrityError:
                # The same key's receipt was saved first (a repeat: answer it), or someone saved
                # one of these aggregates first: back off with jitter so that racing writers
                # spread out, then re-decide.
                if idempotency_key and (previous := self._receipt(idempotency_key)) is not None:
                    return self._repeat(previous, print_)
                time.sleep(min(0.2, 0.002 * (2 ** min(attempt, 7))) * random.random())
                continue
            self._written.position = max((r.notification.id for r in recordings), default=None)
            return result
        raise ConcurrentChange(detail=command)

    def written_position(self) -> int:
        """The log position this thread's last command reached: its own save's, or the head.

        A repeated or refused command saved nothing; the head then is a position at or
        after the first request's events, which is what a read that waits for it needs.
        Reading it clears it, so a later command that saves some other way can never
        answer with this one's position.
        """
        position = getattr(self._written, "position", None)
        self._written.position = None
        return position if position is not None else (self.recorder.max_notification_id() or 0)

    @staticmethod
    def _repeat(previous: CommandReceipt, print_: str) -> Any:
        """The first result for a repeated key, or ``IdempotencyKeyReused`` for another command."""
        if previous.fingerprint != print_:
            raise IdempotencyKeyReused(field="Idempotency-Key") from None
        return previous.result

    def _receipt(self, key: str) -> CommandReceipt | None:
        # One query on the events table, even if snapshotting or the aggregate cache is ever
        # switched on (a receipt is never snapshotted, and a miss is never cached).
        return replay(None, self.events.get(CommandReceipt.create_id(key)))

    def _get(self, aggregate_id: UUID) -> Any:
        return self.repository.get(aggregate_id, projector_func=replay)

    def load(self, aggregate_id: UUID | str, kind: type[A]) -> A:
        """Get an aggregate of the expected class, or raise ``NotFound`` (HTTP 404)."""
        try:
            aggregate = self._get(UUID(str(aggregate_id)))
        except (AggregateNotFoundError, ValueError):
            raise NotFound(field="id", detail=str(aggregate_id)) from None
        if not isinstance(aggregate, kind):
            raise NotFound(field="id", detail=str(aggregate_id))
        return aggregate

    def load_together(self, *wanted: tuple[UUID | str, type]) -> list[Any]:
        """Several aggregates in one query, each of its expected class, or ``NotFound``."""
        ids = []
        for aggregate_id, _kind in wanted:
            try:
                ids.append(UUID(str(aggregate_id)))
            except ValueError:
                raise NotFound(field="id", detail=str(aggregate_id)) from None
        stored = stored_events_of(self.recorder, ids)
        loaded = []
        for uid, (_, kind) in zip(ids, wanted, strict=True):
            events = [self.mapper.to_domain_event(s) for s in stored.get(uid, [])]
            aggregate = replay(None, events) if events else None
            if not isinstance(aggregate, kind):
                raise NotFound(field="id", detail=str(uid))
            loaded.append(aggregate)
        return loaded

    def exists(self, aggregate_id: UUID) -> bool:
        try:
            self._get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def history(self, aggregate_id: UUID | str) -> list[Any]:
        """Every stored event of one aggregate, oldest first (for audit and the CLI)."""
        try:
            uid = UUID(str(aggregate_id))
        except ValueError:
            raise NotFound(field="id", detail=str(aggregate_id)) from None
        events = list(self.events.get(uid))
        if not events:
            raise NotFound(field="id", detail=str(aggregate_id))
        return events


def _actor_of(payload: Any) -> dict[str, Any]:
    """The actor named in a command's payload (every command passes ``by``), for its receipt."""
    items = payload if isinstance(payload, list) else [payload]
    actor = next((p for p in items if isinstance(p, Actor)), None) or Actor.system()
    return actor.as_event()
