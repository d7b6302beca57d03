"""Live following: a thread that keeps every projection caught up with the Market.

The runner always *pulls* from the tracked position (``ReadModels.catch_up_batch``),
which is what makes it exactly-once; the event store only tells it when to look:

* PostgreSQL (and the in-memory store): the library's LISTEN/NOTIFY subscription
  (``recorder.subscribe``) wakes it as soon as an event commits;
* SQLite has no subscriptions (the recorder raises NotImplementedError): it polls
  every ``poll_interval`` seconds.

A slow safety poll runs in both modes, so a lost notification only delays a
projection. A projection whose handler fails is retried with backoff while the
others carry on; its error shows in ``ReadModels.status()``.

Each round follows all projections in one transaction (``ReadModels.follow``),
and rounds are spaced at least ``min_interval`` apart: under load every commit
sends a notification, and a round per commit spent most of the API process's
time on per-round overhead (bench/http_signup.py); spaced rounds take the events
of a burst together. A reader waiting for its own write (``wait_until_caught_up``)
skips the spacing, so read-your-writes stays prompt. A deployment may run the
runner in a process of its own (``market projections follow``); the API then
waits on the stored positions instead (``TrackedPositions``).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback

from projections.engine import BATCH, ReadModels

log = logging.getLogger(__name__)


class ProjectionRunner:
    def __init__(
        self, read_models: ReadModels, *, poll_interval: float = 0.1, safety_interval: float = 2.0,
        rebuild_stale: bool = True, min_interval: float = 0.05,
    ) -> None:  # fmt: skip
        self.read_models = read_models
        self.poll_interval = poll_interval
        self.safety_interval = safety_interval
        self.rebuild_stale = rebuild_stale
        self.min_interval = min_interval
        self._urgent = threading.Event()  # a reader waits for a position: no spacing
        self.live = False  # True once a subscription delivers wake-ups
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._progress = threading.Condition()
        self._positions: dict[str, int] = {}
        self._retry_at: dict[str, float] = {}
        self._failures: dict[str, int] = {}
        self._threads: list[threading.Thread] = []
        self._subscription = None
        self._listening = threading.Event()  # set once the listener subscribed or fell back to polling

    # --- life cycle ---------------------------------------------------------------

    def start(self) -> ProjectionRunner:
        if self._threads:
            raise RuntimeError("runner already started")
        if self.rebuild_stale:
            self.read_models.rebuild_stale()
        self._positions = self.read_models.positions()
        for target, name in ((self._follow, "projection-runner"), (self._listen, "projection-listener")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        self._listening.wait(5.0)  # so that ``live`` says how this runner follows once started
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._urgent.set()
        self._wake.set()
        if self._subscription is not None:
            self._subscription.stop()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def __enter__(self) -> ProjectionRunner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wake(self) -> None:
        """Look for new events now instead of at the next poll."""
        self._urgent.set()
        self._wake.set()

    # --- waiting (tests, the CLI, read-your-writes in the API) -----------------------

    def wait_until_caught_up(self, position: int | None = None, timeout: float = 10.0) -> dict[str, int]:
        """Block until every projection has applied ``position`` (default: the head now).

        Raises TimeoutError, naming the projections behind and their errors.
        """
        target = self.read_models.head() if position is None else position
        deadline = time.monotonic() + timeout
        self.wake()
        with self._progress:
            while True:
                behind = {n: p for n, p in self._positions.items() if p < target}
                if not behind and len(self._positions) == len(self.read_models.projections):
                    return dict(self._positions)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    errors = {n: self.read_models.errors.get(n) for n in behind}
                    raise TimeoutError(f"projections behind position {target}: {behind}; errors: {errors}")
                self._progress.wait(min(remaining, 0.5))

    # --- the threads ----------------------------------------------------------------

    def _follow(self) -> None:
        refreshed = time.monotonic()
        round_ended = 0.0
        while not self._stopping.is_set():
            spacing = round_ended + self.min_interval - time.monotonic()
            if spacing > 0 and not self._urgent.is_set():
                self._urgent.wait(spacing)  # let a burst's events gather into this round
            self._urgent.clear()
            self._wake.clear()
            busy = False
            try:
                if time.monotonic() - refreshed > self.safety_interval:
                    # Another process may have reset a projection (a rebuild it never finished).
                    with self._progress:
                        self._positions.update(self.read_models.positions())
                    refreshed = time.monotonic()
                head = self.read_models.head()
            except Exception:  # the event store is unreachable: try again at the next poll
                log.exception("cannot read the head of the notification log")
                head = None
            # An idle poll costs one query, not a locked transaction per projection.
            behind = [name for name in self.read_models.projections
                      if head is None or self._positions.get(name, 0) < head]  # fmt: skip
            busy = self._follow_together([n for n in behind if n not in self._failures])
            for name in behind:
                if self._stopping.is_set():
                    return
                if name in self._failures:  # one at a time, with backoff, so it cannot hold up the rest
                    busy |= self._step(name)
            round_ended = 0.0 if busy else time.monotonic()
            if busy:
                continue  # a full batch was read: there is more waiting, go on at once
            interval = self.safety_interval if self.live else self.poll_interval
            self._wake.wait(interval)

    def _follow_together(self, names: list[str]) -> bool:
        """All these projections' next batch in one transaction; True if the log read was full.

        If it fails, each is tried on its own (``_step``), so that only the failing
        one is held back and retried with backoff.
        """
        if not names:
            return False
        try:
            result = self.read_models.follow(names)
        except Exception:
            log.warning("following %d projections together failed; trying each on its own", len(names))
            busy = False
            for name in names:
                busy |= self._step(name)
            return busy
        with self._progress:
            for name, (position, _count) in result.items():
                self._positions[name] = position
                self.read_models.errors.pop(name, None)
            self._progress.notify_all()
        return any(count == BATCH for _position, count in result.values())

    def _step(self, name: str) -> bool:
        """One batch for one projection; True if it read a full batch."""
        if time.monotonic() < self._retry_at.get(name, 0.0):
            return False
        try:
            result = self.read_models.catch_up_batch(name, blocking=False)
        except Exception as exc:  # keep following the others; retry this one later
            failures = self._failures.get(name, 0) + 1
            self._failures[name] = failures
            self._retry_at[name] = time.monotonic() + min(30.0, 0.1 * 2**failures)
            self.read_models.errors[name] = "".join(traceback.format_exception_only(exc)).strip()
            log.exception("projection %s failed (attempt %d)", name, failures)
            return False
        if result is None:
            return False  # being rebuilt in this process right now
        position, count = result
        self._failures.pop(name, None)
        self._retry_at.pop(name, None)
        self.read_models.errors.pop(name, None)
        with self._progress:
            self._positions[name] = position
            self._progress.notify_all()
        return count == BATCH

    def _listen(self) -> None:
        """Turn the library's subscription into wake-ups; fall back to polling."""
        recorder = self.read_models.app.recorder
        while not self._stopping.is_set():
            try:
                subscription = recorder.subscribe(gt=self.read_models.head())
            except NotImplementedError:
                self._listening.set()
                return  # SQLite: the follower polls
            except Exception:
                log.exception("cannot subscribe to the event store; polling meanwhile")
                self._listening.set()
                self._stopping.wait(1.0)
                continue
            self._subscription = subscription
            if self._stopping.is_set():  # stop() ran before the subscription was visible to it
                subscription.stop()
            self.live = True
            self._listening.set()
            try:
                with subscription:
                    for _notification in subscription:
                        self._wake.set()
                        if self._stopping.is_set():
                            break
            except Exception:
                log.exception("projection subscription failed; polling until it is back")
            finally:
                self.live = False
                self._subscription = None
            self._stopping.wait(1.0)


class TrackedPositions:
    """Read-your-writes for a process that reads while another process follows the log.

    ``wait_until_caught_up`` answers like the runner's, from the positions stored in
    ``rm_tracking``, polled every ``poll_interval`` seconds: one small query each.
    """

    def __init__(self, read_models: ReadModels, *, poll_interval: float = 0.02) -> None:
        self.read_models = read_models
        self.poll_interval = poll_interval

    def wait_until_caught_up(self, position: int | None = None, timeout: float = 10.0) -> dict[str, int]:
        target = self.read_models.head() if position is None else position
        deadline = time.monotonic() + timeout
        while True:
            positions = self.read_models.positions()
            behind = {n: p for n, p in positions.items() if p < target}
            if not behind and len(positions) == len(self.read_models.projections):
                return positions
            if time.monotonic() >= deadline:
                raise TimeoutError(f"projections behind position {target}: {behind}")
            time.sleep(self.poll_interval)

    def stop(self, timeout: float = 0.0) -> None:
        """Nothing to stop: the following happens in another process."""
