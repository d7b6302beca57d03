"""What the hash chain costs a command: the rate with chaining over the rate without it, in one run.

Run::

    .venv/bin/python -m bench.chain_cost [--backend sqlite|postgres|both] [--n N] [--rounds R]

For each backend, two markets run the same command, ``Market.sign_up`` with an idempotency
key (as the API calls it; bench/signup_rate.py describes the load): one as built in
production, whose recorder writes each record's chain row in the same transaction, and one
with ``chain_events = False`` (the library's plain recorder). Each has its own database.
The two sides alternate in chunks of 20 commands (ABBA order) inside each round, and the
ratio is the median of the per-round ratios. Target ≥ 0.85.

Then the chained store is verified end to end (``IntegrityGuard.verify``), and a checkpoint is
signed over the N records of the timed rounds (it re-verifies them first), to show what the
scheduled jobs cost. The exit status is 0 whatever the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench.signup_rate import CHUNK, DEFAULT_POSTGRES_URL, run_signups, set_up_market
from market.app import Market
from market.bootstrap import build_market
from market.clock import FixedClock
from market.identity import PersonDigester
from market.integrity.guard import IntegrityGuard
from market.settings import Settings
from tests.builders import T0

TARGET_RATIO = 0.85
DEFAULT_N = 2000
DEFAULT_ROUNDS = 8


class UnchainedMarket(Market):
    chain_events = False  # the library's own recorder: no chain rows


def build_unchained(url: str) -> Market:
    """``build_market`` with the plain recorder."""
    settings = Settings(database_url=url)
    market = UnchainedMarket(
        env=settings.event_store_env(), clock=FixedClock(T0),
        digester=PersonDigester(settings.person_digest_key.encode()),
        retry_attempts=settings.retry_attempts, region=settings.region,
    )  # fmt: skip
    market.seed_calendar()
    return market


@dataclass
class Result:
    backend: str
    n: int
    chained_rates: list[float] = field(default_factory=list)
    plain_rates: list[float] = field(default_factory=list)
    records: int = 0  # records in the chained store when verified
    verify_seconds: float = 0.0
    checkpoint_seconds: float = 0.0  # re-verify the timed rounds' records, then sign
    skipped: str | None = None

    @property
    def ratio(self) -> float:
        return statistics.median(c / p for c, p in zip(self.chained_rates, self.plain_rates))


def _sizes(n: int, rounds: int) -> list[int]:
    rounds = max(1, min(rounds, n))
    return [n // rounds + (1 if i < n % rounds else 0) for i in range(rounds)]


def measure(backend: str, chained_url: str, plain_url: str, n: int, rounds: int, key_file: Path) -> Result:
    result = Result(backend, n)
    sizes = _sizes(n, rounds)
    chained = build_market(Settings(database_url=chained_url), clock=FixedClock(T0))
    plain = build_unchained(plain_url)
    try:
        _, chained_plan = set_up_market(chained, sizes)
        _, plain_plan = set_up_market(plain, sizes)
        guard = IntegrityGuard(chained, key_file=key_file)
        guard.checkpoint()  # so that the timed checkpoint below covers the timed rounds' records only
        at = 0
        for size in sizes:
            chained_s = plain_s = 0.0
            for k, start in enumerate(range(at, at + size, CHUNK)):
                stop = min(start + CHUNK, at + size)
                if k % 4 in (0, 3):
                    plain_s += run_signups(plain, plain_plan[start:stop])
                    chained_s += run_signups(chained, chained_plan[start:stop])
                else:
                    chained_s += run_signups(chained, chained_plan[start:stop])
                    plain_s += run_signups(plain, plain_plan[start:stop])
            at += size
            result.chained_rates.append(size / chained_s)
            result.plain_rates.append(size / plain_s)
        t0 = time.perf_counter()
        report = guard.verify()
        result.verify_seconds = time.perf_counter() - t0
        assert report.clean, report.finding
        result.records = report.records
        t0 = time.perf_counter()
        guard.checkpoint()
        result.checkpoint_seconds = time.perf_counter() - t0
    finally:
        chained.close()
        plain.close()
    return result


def bench_sqlite(n: int, rounds: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="chain-bench-") as tmp:
        return measure("SQLite file", f"sqlite:///{tmp}/chained.db", f"sqlite:///{tmp}/plain.db", n, rounds,
                       Path(tmp) / "key.pem")  # fmt: skip


def bench_postgres(n: int, rounds: int, admin_url: str) -> Result:
    import psycopg

    admin = admin_url.replace("postgresql+psycopg2://", "postgresql://")
    names = [f"chain_bench_{side}_{uuid.uuid4().hex[:10]}" for side in ("chained", "plain")]
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            for name in names:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        return Result("PostgreSQL", n, skipped=f"unreachable at {admin_url}: {exc}".strip())
    base = admin.rsplit("/", 1)[0]
    try:
        with tempfile.TemporaryDirectory(prefix="chain-bench-") as tmp:
            return measure("PostgreSQL", f"{base}/{names[0]}", f"{base}/{names[1]}", n, rounds, Path(tmp) / "key.pem")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


LABEL, CELL = 44, 16


def report(results: list[Result]) -> str:
    ran = [r for r in results if not r.skipped]
    lines = []
    if ran:
        lines.append(f"keyed sign_up with and without the hash chain: N={ran[0].n} per side and backend, "
                     f"{len(ran[0].chained_rates)} interleaved rounds, medians")  # fmt: skip
        rows = [
            ("chained (commands/s)", lambda r: f"{statistics.median(r.chained_rates):.0f}"),
            ("not chained (commands/s)", lambda r: f"{statistics.median(r.plain_rates):.0f}"),
            ("ratio chained / not chained", lambda r: f"{r.ratio:.2f}"),
            (f"target: ratio >= {TARGET_RATIO:.2f}", lambda r: "PASS" if r.ratio >= TARGET_RATIO else "BELOW TARGET"),
            ("full verification (records/s)", lambda r: f"{r.records / r.verify_seconds:.0f}"),
            ("checkpoint over the N new records (ms)", lambda r: f"{1000 * r.checkpoint_seconds:.1f}"),
        ]
        lines.append(f"{'':{LABEL}}" + "".join(f"{r.backend:>{CELL}}" for r in ran))
        for label, cell in rows:
            lines.append(f"{label:{LABEL}}" + "".join(f"{cell(r):>{CELL}}" for r in ran))
        for r in ran:
            per_round = " ".join(f"{c / p:.2f}" for c, p in zip(r.chained_rates, r.plain_rates))
            lines.append(f"  per-round ratios, {r.backend}: {per_round}")
    lines += [f"{r.backend}: skipped ({r.skipped})" for r in results if r.skipped]
    lines.append("A benchmark reports, it never fails a build: the exit status is 0 whatever the ratio.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chain_cost", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--n", type=int, default=DEFAULT_N, help=f"sign-ups per side and backend (default {DEFAULT_N})")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="interleaved timed rounds")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="admin URL; fresh databases are made")
    args = parser.parse_args(argv)
    results = []
    if args.backend in ("sqlite", "both"):
        results.append(bench_sqlite(args.n, args.rounds))
    if args.backend in ("postgres", "both"):
        results.append(bench_postgres(args.n, args.rounds, args.postgres_url))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
