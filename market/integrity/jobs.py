"""The integrity jobs in the leader scheduler: sign checkpoints often, verify the whole chain less often.

APScheduler's SQLAlchemy job store pickles a job's function by reference and its
arguments by value, so the jobs are module functions that find their guard by name
(as ``market.scheduler._tick`` does).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from market.integrity.guard import IntegrityGuard

CHECKPOINT_JOB_ID = "market.integrity.checkpoint"
VERIFY_JOB_ID = "market.integrity.verify"
_GUARDS: dict[str, IntegrityGuard] = {}


def _checkpoint(name: str) -> None:
    guard = _GUARDS.get(name)
    if guard is not None:
        guard.checkpoint_job()


def _verify(name: str) -> None:
    guard = _GUARDS.get(name)
    if guard is not None:
        guard.verify_job()


def schedule(scheduler: Any, name: str, guard: IntegrityGuard) -> None:
    """Register both jobs on a started-or-starting APScheduler; the first full verification runs at once."""
    _GUARDS[name] = guard
    common = {"args": [name], "replace_existing": True, "coalesce": True, "max_instances": 1,
              "misfire_grace_time": None}  # fmt: skip
    scheduler.add_job(_checkpoint, "interval", seconds=guard.schedule.checkpoint_seconds, id=CHECKPOINT_JOB_ID,
                      **common)  # fmt: skip
    scheduler.add_job(_verify, "interval", seconds=guard.schedule.verify_seconds, id=VERIFY_JOB_ID,
                      next_run_time=datetime.now().astimezone(), **common)  # fmt: skip


def unschedule(name: str) -> None:
    _GUARDS.pop(name, None)
