"""The clock port: the only place the market learns what time it is.

Business rules never read the wall clock; commands take ``now`` from the
market's clock, which tests replace with a ``FixedClock`` and demos with an
``AcceleratedClock`` (ProZorro's ``accelerator``: one real second stands for
``factor`` seconds of business time).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(SHANGHAI)


class FixedClock:
    """A clock that moves only when told to (tests)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a timezone-aware start is required")
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


class AcceleratedClock:
    """Business time runs ``factor`` times faster than real time, from ``start``."""

    def __init__(self, start: datetime, factor: float) -> None:
        self.start = start
        self.factor = factor
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(time.monotonic() - self._origin) * self.factor)
