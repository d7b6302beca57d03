"""The deadline scheduler: one APScheduler job that asks the market to process what is due.

* **Deadlines are data.** The job holds no business rule: it reads candidate
  timers from the due-deadlines read model and calls ``Market.process_due``,
  which re-checks each against its procurement and acts through idempotent
  commands. A tick that dies midway is finished by the next one.
* **Persistent.** The job lives in an SQLAlchemy job store on the read-model
  database, so its schedule survives restarts; on start a tick runs at once,
  which processes everything that fell due during the downtime, once.
* **One leader.** Only the process holding the leader lock runs ticks
  (a PostgreSQL advisory lock; a file lock for SQLite), so two scheduler
  processes never race each other (architecture §5).
"""

from __future__ import annotations

import fcntl
import logging
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, text

from market.app import Market
from market.integrity import jobs as integrity_jobs
from market.integrity.guard import IntegrityGuard
from projections.due_deadlines import due_candidates
from projections.engine import ReadModels

log = logging.getLogger(__name__)

JOB_ID = "market.process_due"
ADVISORY_KEY = 0x5A4A4353  # "ZJCS": the market's scheduler leadership
_SCHEDULERS: dict[str, DeadlineScheduler] = {}  # the job store pickles a name, not the object
# Yellow warnings come a few working days before a deadline: look that far ahead.
HORIZON = timedelta(days=14)


def _tick(name: str) -> None:
    """The job function APScheduler stores by reference."""
    scheduler = _SCHEDULERS.get(name)
    if scheduler is not None:
        scheduler.tick()


def _job_store(engine: Engine) -> SQLAlchemyJobStore:
    """The persistent job store: on PostgreSQL beside the read models; on SQLite in a file
    of its own, so that its writes never wait on a projection's batch (one writer per file)."""
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "market").with_suffix(".jobs.db")
        return SQLAlchemyJobStore(url=f"sqlite:///{path}", tablename="scheduler_jobs")
    return SQLAlchemyJobStore(engine=engine, tablename="rm_scheduler_jobs")


class LeaderLock:
    """Held by exactly one scheduler process per deployment."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn = None
        self._file = None

    def acquire(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            self._conn = self.engine.connect()
            got = self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar()
            self._conn.commit()
            if not got:
                self._conn.close()
                self._conn = None
            return bool(got)
        path = Path(self.engine.url.database or "market").with_suffix(".scheduler.lock")
        self._file = open(path, "w")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            self._file = None
            return False
        return True

    def release(self) -> None:
        if self._conn is not None:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            self._conn.commit()
            self._conn.close()
            self._conn = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class DeadlineScheduler:
    def __init__(
        self, market: Market, read_models: ReadModels, *, interval_seconds: float = 5.0, name: str = "market",
        integrity: IntegrityGuard | None = None,
    ) -> None:  # fmt: skip
        self.market = market
        self.integrity = integrity  # chain checkpoints and verification run in the same leader (tamper evidence)
        self.read_models = read_models
        self.interval_seconds = interval_seconds
        self.name = name
        self.lock = LeaderLock(read_models.engine)
        self.leader = False
        self.processed: list[dict[str, Any]] = []  # what this process did (tests, logs)
        self._tick_lock = threading.Lock()
        self._scheduler: BackgroundScheduler | None = None

    def start(self) -> bool:
        """Start ticking if this process wins the leadership; return whether it did."""
        self.leader = self.lock.acquire()
        if not self.leader:
            log.info("another process runs the deadline scheduler; standing by")
            return False
        _SCHEDULERS[self.name] = self
        store = _job_store(self.read_models.engine)
        self._scheduler = BackgroundScheduler(jobstores={"default": store}, timezone="Asia/Shanghai")
        self._scheduler.add_job(
            _tick, "interval", seconds=self.interval_seconds, args=[self.name], id=JOB_ID,
            replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=None,
        )  # fmt: skip
        if self.integrity is not None:
            integrity_jobs.schedule(self._scheduler, self.name, self.integrity)
        self._scheduler.start()
        self.tick()  # whatever fell due while no scheduler ran
        return True

    def tick(self) -> list[dict[str, Any]]:
        """Catch the due-deadlines read model up, then process what is due now."""
        with self._tick_lock:
            self.read_models.catch_up(["due_deadlines"])
            now = self.market.clock.now()
            with self.read_models.connect() as conn:
                candidates = due_candidates(conn, now + HORIZON)
            done = self.market.process_due(candidates)
            self.processed.extend(done)
            return done

    def stop(self) -> None:
        if self._scheduler is not None:
            if self._scheduler.running:
                self._scheduler.shutdown(wait=True)
            self._scheduler = None
        _SCHEDULERS.pop(self.name, None)
        integrity_jobs.unschedule(self.name)
        if self.leader:
            self.lock.release()
            self.leader = False
