"""Deadlines of a procurement, counted in working days on the region's calendar.

Each deadline keeps its basis (start and number of working days), so that a
deadline computed while its year was unpublished (weekends only, provisional)
can be recomputed, by an event, once the operator publishes that year.
Durations are the platform defaults of brief §4.1/§10, stamped on the
procurement at publication so that later changes never alter it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

# Working days (brief §4.1, §10): 公示期 3; contract signing 5; deliverable
# review reminder 10; evaluation 3 (AA市信用管理办法 [30]).
DEFAULT_TIMETABLE = {"publicity": 3, "contract": 5, "acceptance": 10, "evaluation": 3}


class Calendar(Protocol):
    def add_working_days(self, start: datetime, n: int) -> Any: ...


def due(calendar: Calendar, start: datetime, working_days: int) -> dict[str, Any]:
    """A deadline with its basis, JSON-safe for events."""
    deadline = calendar.add_working_days(start, working_days)
    return {
        "at": deadline.at,
        "provisional": deadline.provisional,
        "start": start,
        "working_days": working_days,
    }


def recomputed(calendar: Calendar, deadline: dict[str, Any]) -> dict[str, Any] | None:
    """The deadline recomputed on today's calendar, or None if nothing changed."""
    fresh = due(calendar, deadline["start"], deadline["working_days"])
    if fresh["at"] == deadline["at"] and fresh["provisional"] == deadline["provisional"]:
        return None
    return fresh
