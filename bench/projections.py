"""Read-model benchmarks on PostgreSQL: projection lag under sustained load, and rebuild speed.

Run::

    .venv/bin/python -m bench.projections [--procurements N] [--rate R] [--seconds S]

* **lag** — a ProjectionRunner follows the Market live (LISTEN/NOTIFY) while one
  writer issues sign-ups at a steady R commands/s for S seconds. For each command the
  lag is the time from its commit to the moment *every* projection has applied it.
  Prints p50 and p99.
* **rebuild** — each projection rebuilt from zero (``ReadModels.rebuild``: pages of
  5,000 events, rows kept in memory, bulk writes), in events/s, over the raw driver's
  batched read of the same rows (psycopg2, ``fetchmany(500)`` over ``market_events``
  in notification order) run just before it; the median of three pairs. Target ≥ 0.3
  for every projection.

The exit status is 0 whatever the figures: benchmarks report, they never fail a build.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
import uuid
from datetime import timedelta

import psycopg
import psycopg2

from bench.signup_rate import DEFAULT_POSTGRES_URL
from market.bootstrap import build_market, build_projections
from market.clock import FixedClock
from market.settings import Settings
from projections.runner import ProjectionRunner
from tests.builders import T0, World

TARGET_REBUILD = 0.30


def populate(market, clock, procurements: int) -> tuple[World, list, list]:
    """A market with ``procurements`` requests taken through sign-up, selection and award."""
    world = World(market)
    agencies = [world.admitted_agency(n) for n in range(2, 18)]  # 0–9 sign up in setup, 10–15 in the lag run
    open_ones = []
    for i in range(procurements):
        pid = world.open_procurement()
        for j, (agency_id, actor) in enumerate(agencies[i % 4: i % 4 + 6]):
            market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - 100 * j)}, by=actor)
        open_ones.append(pid)
    clock.advance(timedelta(days=3))
    for pid in open_ones[: procurements // 2]:
        market.close_signup(pid)
        market.run_selection(pid)
    clock.advance(timedelta(days=7))
    for pid in open_ones[: procurements // 2]:
        market.award(pid)
    clock.set(T0 + timedelta(hours=1))  # back inside the sign-up window for the lag run
    return world, agencies, open_ones[procurements // 2:]


def raw_read_rate(url: str) -> tuple[int, float]:
    dsn = url.replace("postgresql+psycopg2://", "postgresql://")
    with psycopg2.connect(dsn) as conn, conn.cursor(name="bench_read") as cur:
        cur.itersize = 500
        started = time.perf_counter()
        cur.execute("SELECT * FROM market_events ORDER BY notification_id")
        rows = 0
        while batch := cur.fetchmany(500):
            rows += len(batch)
        return rows, rows / (time.perf_counter() - started)


def rebuild_ratios(read_models, url: str, rounds: int = 3) -> dict[str, tuple[float, float]]:
    """Each projection's rebuild rate and its ratio to a raw read run just before it.

    The two are measured side by side, ``rounds`` times, and the median ratio kept:
    a single pair on a shared machine swings by a factor of two.
    """
    head = read_models.head()
    result = {}
    for name in read_models.projections:
        pairs = []
        for _ in range(rounds):
            _, raw = raw_read_rate(url)
            started = time.perf_counter()
            read_models.rebuild(name)
            rate = head / (time.perf_counter() - started)
            pairs.append((rate / raw, rate))
        ratio, rate = sorted(pairs)[len(pairs) // 2]
        result[name] = (rate, ratio)
    return result


def measure_lag(market, read_models, world, agencies, procurements, rate: float, seconds: float) -> list[float]:
    commits: dict[int, float] = {}
    seen: dict[int, float] = {}
    runner = ProjectionRunner(read_models, poll_interval=0.05).start()
    runner.wait_until_caught_up(timeout=120)
    stop = threading.Event()

    def watch() -> None:
        last = 0
        while not stop.is_set() or last < max(commits, default=0):
            reached = min(runner._positions.values()) if runner._positions else 0  # bench only: no query
            if reached > last:
                now = time.perf_counter()
                for position in range(last + 1, reached + 1):
                    seen[position] = now
                last = reached
            time.sleep(0.0005)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    pairs = [(pid, a) for pid in procurements for a in agencies[10:]]
    interval, started = 1.0 / rate, time.perf_counter()
    for k, (pid, (agency_id, actor)) in enumerate(pairs):
        if time.perf_counter() - started > seconds:
            break
        time.sleep(max(0.0, started + k * interval - time.perf_counter()))
        market.sign_up(pid, agency_id, {"kind": "amount", "value": "25000"}, by=actor, idempotency_key=f"lag-{k}")
        commits[market.recorder.max_notification_id()] = time.perf_counter()
    stop.set()
    watcher.join(timeout=30)
    runner.stop()
    return [seen[p] - t for p, t in commits.items() if p in seen]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--procurements", type=int, default=1500)
    parser.add_argument("--rate", type=float, default=50.0, help="commands per second during the lag run")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)

    admin = DEFAULT_POSTGRES_URL.replace("postgresql+psycopg2://", "postgresql://")
    name = f"projection_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{admin.rsplit('/', 1)[0]}/{name}"
    try:
        settings = Settings(database_url=url)
        clock = FixedClock(T0)
        market = build_market(settings, clock=clock)
        world, agencies, still_open = populate(market, clock, args.procurements)
        read_models = build_projections(settings, market)
        rows, raw_rate = raw_read_rate(url)
        rates = rebuild_ratios(read_models, url)
        lags = sorted(measure_lag(market, read_models, world, agencies, still_open, args.rate, args.seconds))
        read_models.close()
        market.close()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print(f"PostgreSQL, {rows} events in the log")
    print(f"raw driver batched read: {raw_rate:,.0f} rows/s")
    print(f"{'projection':<22}{'rebuild events/s':>18}{'ratio':>8}  target ≥ {TARGET_REBUILD}")
    for projection, (rate, ratio) in rates.items():
        verdict = "PASS" if ratio >= TARGET_REBUILD else "BELOW TARGET"
        print(f"{projection:<22}{rate:>18,.0f}{ratio:>8.2f}  {verdict}")
    if lags:
        p50 = statistics.median(lags) * 1000
        p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))] * 1000
        print(f"projection lag at {args.rate:.0f} commands/s over {len(lags)} commands: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print("(benchmarks report; the exit status is 0 whatever the figures)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
