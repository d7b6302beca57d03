"""How fast ``Market.sign_up`` runs next to the bare eventsourcing library, on SQLite and PostgreSQL.

Run::

    .venv/bin/python -m bench.signup_rate [--backend sqlite|postgres|both] [--n N] [--rounds R]

For each backend it measures, in one run, interleaving the two sides in chunks of 20
commands (ABBA order) over several rounds and taking medians:

* **market** — ``Market.sign_up`` with an idempotency key per command (as the API
  calls it): load procurement, load agency, eligibility and sign-up rules, one
  transaction saving the ``SignedUp`` event with the command's receipt. Sign-ups are
  spread over ~N/10 open procurements (about 10 each, filling in turn), one admitted
  agency per sign-up; all of it is set up before timing starts.
* **bare** — the library's own floor for the same cycle on a trivial aggregate:
  ``repository.get(id)`` → one ``@event`` method → ``app.save(agg)``, in its own
  Application (own tables; on SQLite its own file), with the same settings.
* **ratio** — market / bare, the median of the per-round ratios. Target ≥ 0.60.

Then one instrumented round tells where a sign-up spends its time.
The exit status is 0 whatever the ratio: benchmarks report, they never fail a build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from domain.agency import Agency
from domain.procurement import Procurement
from market.bootstrap import build_market
from market.clock import FixedClock
from market.settings import Settings
from tests.builders import T0, World

TARGET_RATIO = 0.60
SIGNUPS_PER_PROCUREMENT = 10
DEFAULT_N = 2000
DEFAULT_ROUNDS = 8
CHUNK = 20  # commands per side between switches, within a round
QUOTE = {"kind": "amount", "value": "30000"}
OTHER = "other (fingerprint, eligibility, rules, receipt)"
RECEIPT = "receipt lookup (on refusal or failed save)"
LOADS = "get Procurement + Agency + credit (one query)"
DEFAULT_POSTGRES_URL = os.environ.get(
    "MARKET_BENCH_POSTGRES_URL",
    os.environ.get("MARKET_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
)


# --- the bare library's trivial aggregate -------------------------------------------


class Counter(Aggregate):
    def __init__(self) -> None:
        self.count = 0

    @event("Incremented")
    def increment(self) -> None:
        self.count += 1


class BareBench(Application):
    name = "SignupBenchBare"  # its own tables, never the market's


# --- results -------------------------------------------------------------------------


@dataclass
class BackendResult:
    backend: str
    n: int  # sign-ups recorded by the market (timed rounds + the instrumented round)
    market_rates: list[float] = field(default_factory=list)  # commands/s, one per round
    bare_rates: list[float] = field(default_factory=list)
    breakdown: dict[str, float] = field(default_factory=dict)  # seconds summed over the instrumented round
    bare_breakdown: dict[str, float] = field(default_factory=dict)
    breakdown_commands: int = 0
    procurements: int = 0
    signups_recorded: int = 0
    setup_seconds: float = 0.0
    skipped: str | None = None

    @property
    def market_rate(self) -> float:
        return statistics.median(self.market_rates)

    @property
    def bare_rate(self) -> float:
        return statistics.median(self.bare_rates)

    @property
    def ratio(self) -> float:
        # Paired per round (the two measurements of a round ran side by side), then the median.
        return statistics.median(m / b for m, b in zip(self.market_rates, self.bare_rates))

    @property
    def passed(self) -> bool:
        return self.ratio >= TARGET_RATIO


# --- set-up (never timed) ------------------------------------------------------------


@dataclass
class SignUp:
    procurement_id: UUID
    agency_id: UUID
    actor: Any
    key: str


def set_up_market(market, slices: list[int]) -> tuple[list[UUID], list[SignUp]]:
    """One admitted agency per sign-up; each slice (round) gets its own ceil(size/10) open procurements,
    and sign-up j of a slice goes to procurement j mod P of that slice. Every round thus sees the same
    mix (procurements filling from 0 to ~10 sign-ups, interleaved), so rounds can be compared."""
    world = World(market)
    procurements: list[UUID] = []
    plan: list[SignUp] = []
    for size in slices:
        count = max(1, -(-size // SIGNUPS_PER_PROCUREMENT))
        own = [world.open_procurement() for _ in range(count)]
        procurements.extend(own)
        for j in range(size):
            agency_id, actor = world.admitted_agency(len(plan) + 2)  # 1 is the owner's number
            plan.append(SignUp(own[j % count], agency_id, actor, f"bench-{uuid.uuid4()}"))
    return procurements, plan


def set_up_bare(app: BareBench, n: int) -> list[UUID]:
    ids = []
    for start in range(0, n, 100):
        batch = [Counter() for _ in range(min(100, n - start))]
        app.save(*batch)
        ids.extend(c.id for c in batch)
    for aggregate_id in ids[:5]:  # warm the read path
        app.repository.get(aggregate_id)
    return ids


# --- the measured loops --------------------------------------------------------------


def run_signups(market, plan: list[SignUp]) -> float:
    start = time.perf_counter()
    for s in plan:
        market.sign_up(s.procurement_id, s.agency_id, QUOTE, by=s.actor, idempotency_key=s.key)
    return time.perf_counter() - start


def run_bare(app: BareBench, ids: list[UUID]) -> float:
    start = time.perf_counter()
    for aggregate_id in ids:
        counter = app.repository.get(aggregate_id)
        counter.increment()
        app.save(counter)
    return time.perf_counter() - start


def _timed(spent: dict[str, float], label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - t

    return wrapper


@contextmanager
def instrumented(market) -> Iterator[dict[str, float]]:
    """Time the phases of ``_execute``/``decide`` by wrapping them on this instance only."""
    spent: dict[str, float] = dict.fromkeys([RECEIPT, LOADS, "save (event + receipt, 1 transaction)"], 0.0)
    originals = {name: getattr(market, name) for name in ("_receipt", "load_for_signup", "save")}
    market._receipt = _timed(spent, RECEIPT, originals["_receipt"])
    market.load_for_signup = _timed(spent, LOADS, originals["load_for_signup"])
    market.save = _timed(spent, "save (event + receipt, 1 transaction)", originals["save"])
    try:
        yield spent
    finally:
        for name in originals:
            delattr(market, name)


def bare_breakdown(app: BareBench, ids: list[UUID]) -> dict[str, float]:
    spent = {"get": 0.0, "command": 0.0, "save": 0.0}
    for aggregate_id in ids:
        t0 = time.perf_counter()
        counter = app.repository.get(aggregate_id)
        t1 = time.perf_counter()
        counter.increment()
        t2 = time.perf_counter()
        app.save(counter)
        t3 = time.perf_counter()
        spent["get"] += t1 - t0
        spent["command"] += t2 - t1
        spent["save"] += t3 - t2
    return spent


def count_signups(market, procurements: list[UUID]) -> int:
    return sum(len(market.load(pid, Procurement).active_signups()) for pid in procurements)


def _slices(n: int, rounds: int) -> tuple[int, list[int]]:
    """Split N into the instrumented round's size and the timed rounds' sizes."""
    breakdown = max(1, n // 10) if n > 1 else 0
    timed = n - breakdown
    rounds = max(1, min(rounds, timed))
    sizes = [timed // rounds + (1 if i < timed % rounds else 0) for i in range(rounds)]
    return breakdown, sizes


def measure(backend: str, market_url: str, bare_url: str, n: int, rounds: int) -> BackendResult:
    """Set up (untimed), run the timed rounds, then one instrumented round per side."""
    if n < 2:
        raise ValueError("n must be at least 2")
    result = BackendResult(backend=backend, n=n)
    breakdown_size, sizes = _slices(n, rounds)
    t0 = time.perf_counter()
    market = build_market(Settings(database_url=market_url), clock=FixedClock(T0))
    bare = BareBench(env=Settings(database_url=bare_url).event_store_env())
    try:
        procurements, plan = set_up_market(market, [*sizes, breakdown_size])
        ids = set_up_bare(bare, n)
        result.procurements = len(procurements)
        result.setup_seconds = time.perf_counter() - t0

        at = 0
        for size in sizes:
            market_s = bare_s = 0.0
            # Within a round, alternate in small chunks (ABBA), so that a noisy moment (a WAL
            # checkpoint, another process) lands on both sides alike.
            for k, start in enumerate(range(at, at + size, CHUNK)):
                stop = min(start + CHUNK, at + size)
                if k % 4 in (0, 3):
                    bare_s += run_bare(bare, ids[start:stop])
                    market_s += run_signups(market, plan[start:stop])
                else:
                    market_s += run_signups(market, plan[start:stop])
                    bare_s += run_bare(bare, ids[start:stop])
            at += size
            result.market_rates.append(size / market_s)
            result.bare_rates.append(size / bare_s)

        # The instrumented round, interleaved the same way.
        total, bare_spent = 0.0, {"get": 0.0, "command": 0.0, "save": 0.0}
        with instrumented(market) as spent:
            for start in range(at, n, CHUNK):
                total += run_signups(market, plan[start : start + CHUNK])
                for phase, seconds in bare_breakdown(bare, ids[start : start + CHUNK]).items():
                    bare_spent[phase] += seconds
        result.breakdown = {**spent, OTHER: total - sum(spent.values())}
        result.bare_breakdown = bare_spent
        result.breakdown_commands = breakdown_size
        result.signups_recorded = count_signups(market, procurements)
    finally:
        market.close()
        bare.close()
    return result


# --- backends ------------------------------------------------------------------------


def bench_sqlite(n: int, rounds: int) -> BackendResult:
    with tempfile.TemporaryDirectory(prefix="signup-bench-") as tmp:
        return measure("SQLite file", f"sqlite:///{tmp}/market.db", f"sqlite:///{tmp}/bare.db", n, rounds)


def bench_postgres(n: int, rounds: int, admin_url: str = DEFAULT_POSTGRES_URL) -> BackendResult:
    import psycopg

    admin = admin_url.replace("postgresql+psycopg2://", "postgresql://")
    name = f"signup_bench_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        return BackendResult(backend="PostgreSQL", n=n, skipped=f"unreachable at {admin_url}: {exc}".strip())
    url = f"{admin.rsplit('/', 1)[0]}/{name}"
    try:
        return measure("PostgreSQL", url, url, n, rounds)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the report ----------------------------------------------------------------------


def _breakdown_table(
    title: str, ran: list[BackendResult], pick: Callable[[BackendResult], dict[str, float]]
) -> list[str]:
    lines = [title, f"{'':{LABEL}}" + "".join(f"{r.backend:>{CELL}}" for r in ran)]
    labels = list(dict.fromkeys(k for r in ran for k in pick(r)))
    for label in [*labels, "total"]:
        cells = []
        for r in ran:
            spent = pick(r)
            total = sum(spent.values())
            value = total if label == "total" else spent.get(label, 0.0)
            cells.append(f"{1000 * value / max(1, r.breakdown_commands):.3f} ms {100 * value / total:5.1f}%")
        lines.append(f"{label:{LABEL}}" + "".join(f"{c:>{CELL}}" for c in cells))
    return lines


LABEL, CELL = 48, 20


def report(results: list[BackendResult]) -> str:
    ran = [r for r in results if not r.skipped]
    lines = []
    if ran:
        first = ran[0]
        lines.append(
            f"sign_up through market/ vs the bare library: N={first.n} sign-ups per backend, "
            f"~{SIGNUPS_PER_PROCUREMENT} per procurement; {len(first.market_rates)} interleaved rounds, medians"
        )
        rows = [
            ("market sign_up, keyed (commands/s)", lambda r: f"{r.market_rate:.0f}"),
            ("bare get + 1 event + save (commands/s)", lambda r: f"{r.bare_rate:.0f}"),
            ("ratio market / bare", lambda r: f"{r.ratio:.2f}"),
            (f"target: ratio >= {TARGET_RATIO:.2f}", lambda r: "PASS" if r.passed else "BELOW TARGET"),
            ("sign-ups recorded / procurements", lambda r: f"{r.signups_recorded} / {r.procurements}"),
            ("set-up, untimed (s)", lambda r: f"{r.setup_seconds:.1f}"),
        ]
        lines.append(f"{'':{LABEL}}" + "".join(f"{r.backend:>{CELL}}" for r in ran))
        for label, cell in rows:
            lines.append(f"{label:{LABEL}}" + "".join(f"{cell(r):>{CELL}}" for r in ran))
        for r in ran:
            per_round = " ".join(f"{m / b:.2f}" for m, b in zip(r.market_rates, r.bare_rates))
            lines.append(f"  per-round ratios, {r.backend}: {per_round}")
        lines.append("")
        lines += _breakdown_table(
            f"Where one market sign_up spends its time (instrumented round of {first.breakdown_commands} "
            "commands; ms per command, share):",
            ran, lambda r: r.breakdown,
        )  # fmt: skip
        lines.append("")
        lines += _breakdown_table("The bare cycle, for comparison:", ran, lambda r: r.bare_breakdown)
    for r in results:
        if r.skipped:
            lines.append(f"{r.backend}: skipped ({r.skipped})")
    lines.append("")
    lines.append("A benchmark reports, it never fails a build: the exit status is 0 whatever the ratio.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.signup_rate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--n", type=int, default=DEFAULT_N, help=f"sign-ups per backend (default {DEFAULT_N})")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="interleaved timed rounds")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="admin URL; a fresh database is made")
    args = parser.parse_args(argv)
    if args.n < 2:
        parser.error("--n must be at least 2")

    results = []
    if args.backend in ("sqlite", "both"):
        results.append(bench_sqlite(args.n, args.rounds))
    if args.backend in ("postgres", "both"):
        results.append(bench_postgres(args.n, args.rounds, args.postgres_url))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
