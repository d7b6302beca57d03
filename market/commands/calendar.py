"""The working-day calendar (工作日历): seeding and the operator's yearly arrangement."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.base import Actor, Role
from domain.calendar import WorkingDayCalendar
from domain.errors import NotAllowed
from market.calendar_seed import seed_calendar


class CalendarCommands:
    def calendar(self) -> WorkingDayCalendar:
        """The region's calendar; weekends-only (provisional) if nobody seeded it yet."""
        calendar_id = WorkingDayCalendar.id_for(self.region)
        if self.exists(calendar_id):
            return self.repository.get(calendar_id)
        return WorkingDayCalendar.create(self.region, by=Actor.system(), now=self.clock.now())

    def seed_calendar(self) -> dict[str, Any]:
        """Publish 2004–2026 from chinese-calendar for years nobody has published yet."""

        def decide():
            cal = self.calendar()
            years = seed_calendar(cal, by=Actor.system(), now=self.clock.now())
            return ([cal] if cal.pending_events else []), {"years": years}

        return self._execute("seed_calendar", [self.region], decide, None)

    def publish_holiday_year(
        self, year: int, holidays: list[date], makeup_workdays: list[date], source: str, *, by: Actor,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """运营机构 publishes a year's holidays and 调休 workdays as the State Council announces them."""
        if by.role is not Role.OPERATOR:
            raise NotAllowed(field="role", detail=by.role.value)

        def decide():
            cal = self.calendar()
            cal.publish_year(year, holidays, makeup_workdays, source, by=by, now=self.clock.now())
            return [cal], {"year": year}

        return self._execute("publish_holiday_year", [year, holidays, makeup_workdays, source, by], decide, idempotency_key)
