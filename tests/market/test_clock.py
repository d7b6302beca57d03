"""The clock port: real, fixed, and accelerated for demos and drills."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from market.bootstrap import build_clock
from market.clock import SHANGHAI, AcceleratedClock, SystemClock
from market.settings import Settings


def test_an_accelerated_clock_runs_business_time_faster_than_real_time():
    start = datetime(2026, 9, 28, 9, 0, tzinfo=SHANGHAI)
    clock = build_clock(Settings(clock_acceleration=86400, clock_start=start))
    assert isinstance(clock, AcceleratedClock)
    first = clock.now()
    time.sleep(0.05)  # not a timing assertion: only that time moved forward, and by far more than 0.05 s
    assert first >= start and clock.now() - first > timedelta(minutes=30)


def test_the_default_clock_is_the_system_clock_in_shanghai_time():
    clock = build_clock(Settings())
    assert isinstance(clock, SystemClock) and clock.now().utcoffset() == timedelta(hours=8)
