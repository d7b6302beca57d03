"""The oversight job, beside the deadline job under the one scheduler leader (architecture §5).

``OversightScheduler`` is the deadline scheduler plus one more APScheduler job
in the same persistent job store: each run makes an incremental scan, or the
full scan once a business day has passed its hour (02:00 by default), judged on
the market's clock so that an accelerated clock runs a simulated year of nightly
scans. Only the leader process schedules at all (market/scheduler.py's lock),
the scans' bookmarks live in the read-model database, and every flag command is
idempotent: a restart resumes from the bookmark, with no scan missed and no flag
recorded twice. After each scan the same run issues the monthly supervision
reports of the months that have ended (market/oversight/reporting.py), once each.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta
from typing import Any

from market.clock import SHANGHAI
from market.oversight.reporting import issue_due_reports
from market.oversight.scan import ScanReport, full_scan, incremental_scan, last_full_scan
from market.scheduler import DeadlineScheduler
from projections.engine import ReadModels

log = logging.getLogger(__name__)

JOB_ID = "market.oversight"
_SCHEDULERS: dict[str, OversightScheduler] = {}  # the job store pickles a name, not the object


def _oversee(name: str) -> None:
    """The job function APScheduler stores by reference."""
    scheduler = _SCHEDULERS.get(name)
    if scheduler is not None:
        scheduler.oversee()


def full_scan_due(last: datetime | None, now: datetime, hour: int) -> bool:
    """Whether the nightly scan of the latest business day past ``hour`` has not run yet."""
    if last is None:
        return True
    local = now.astimezone(SHANGHAI)
    slot = datetime.combine(local.date(), time(hour), tzinfo=SHANGHAI)
    if local < slot:
        slot -= timedelta(days=1)
    return last < slot


class OversightScheduler(DeadlineScheduler):
    def __init__(
        self, market: Any, read_models: ReadModels, *, interval_seconds: float = 5.0,
        oversight_interval_seconds: float = 30.0, full_scan_hour: int = 2, name: str = "market", **deadline_kw: Any,
    ) -> None:  # fmt: skip
        super().__init__(market, read_models, interval_seconds=interval_seconds, name=name, **deadline_kw)
        self.oversight_interval_seconds = oversight_interval_seconds
        self.full_scan_hour = full_scan_hour
        self.reports: list[ScanReport] = []  # what this process scanned (tests, logs)
        self.issued: list[dict[str, Any]] = []  # the monthly reports this process issued (tests, logs)
        self._scan_lock = threading.Lock()

    def start(self) -> bool:
        """Lead both jobs, or stand by; a leader scans at once what happened while none ran."""
        if not super().start():
            return False
        _SCHEDULERS[self.name] = self
        assert self._scheduler is not None
        self._scheduler.add_job(
            _oversee, "interval", seconds=self.oversight_interval_seconds, args=[self.name], id=JOB_ID,
            replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=None,
        )  # fmt: skip
        self.oversee()
        return True

    def oversee(self) -> ScanReport:
        """One oversight run: the nightly full scan when it is due, else an incremental one; then due reports."""
        with self._scan_lock:
            now = self.market.clock.now()
            if full_scan_due(last_full_scan(self.read_models), now, self.full_scan_hour):
                report = full_scan(self.market, self.read_models, now)
            else:
                report = incremental_scan(self.market, self.read_models, now)
            log.info("oversight %s scan to %s: %s", report.kind, report.position, dict(report.actions))
            self.reports.append(report)
            self.issued.extend(issue_due_reports(self.market, self.read_models, now))
            return report

    def stop(self) -> None:
        _SCHEDULERS.pop(self.name, None)
        super().stop()  # waits for a running scan to finish before the leadership goes
