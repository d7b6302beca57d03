"""Sign-ups through the HTTP API next to sign-ups through ``market/`` in-process, on PostgreSQL.

Run::

    .venv/bin/python -m bench.http_signup [--n N] [--clients C] [--rounds R]

In one run, against one fresh database:

* **HTTP** — a real uvicorn server (``api.app:create_app``, factory, in a subprocess, on
  127.0.0.1 on a free port, ``MARKET_RUN_SCHEDULER=false``). The read models are followed
  as a deployment on PostgreSQL runs them (``--projections``): by default a separate
  ``market projections follow`` process, with the API started ``MARKET_RUN_PROJECTIONS=false``
  (``follower``); or by the runner inside the API process, as ``market serve`` does on one
  box (``in-server``); or not at all (``none``, diagnostic). The follower runs from start to
  end, so it follows both sides' sign-ups alike. C client threads, each an ``httpx.Client``
  (keep-alive) logged in beforehand as its own agency account(s), POST
  ``/api/agency/procurements/{id}/signup`` with an ``Idempotency-Key`` and a quote.
  The server and the follower are started by ``bench/servers.py``.
* **in-process** — ``Market.sign_up(..., idempotency_key=...)`` from C threads sharing one
  ``Market``, the same load on its own agencies and procurements.
* **ratio** — HTTP / in-process, the median of the per-round ratios. Target ≥ 0.50.

Every side gets its own ~10 open procurements per 100 sign-ups and its own agencies; each
procurement receives 10 sign-ups from 10 different agencies (never the same one twice). All of
it — agencies, accounts, procurements, logins — is set up through the Market before timing.
Rounds alternate the order of the two sides (HTTP first, then in-process first, ...), and each
timed run starts once the server's read models have caught up with the log.
The exit status is 0 whatever the ratio: benchmarks report, they never fail a build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

import httpx

from bench.servers import ApiServer, Follower
from domain.base import Actor, Role
from domain.procurement import Procurement
from market.bootstrap import build_market
from market.settings import Settings
from tests.builders import OPERATOR, World

TARGET_RATIO = 0.50
SIGNUPS_PER_PROCUREMENT = 10
DEFAULT_N = 1500  # timed sign-ups per side, over all rounds
DEFAULT_CLIENTS = 4
DEFAULT_ROUNDS = 5
WARMUP = SIGNUPS_PER_PROCUREMENT  # one procurement per side before the timed rounds (not in the rates)
PASSWORD = "bench-password-123"
QUOTE = {"kind": "amount", "value": "30000"}
DEFAULT_POSTGRES_URL = os.environ.get(
    "MARKET_BENCH_POSTGRES_URL",
    os.environ.get("MARKET_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
)

# --- results -------------------------------------------------------------------------


@dataclass
class HttpBenchResult:
    backend: str
    n: int  # timed sign-ups per side
    clients: int
    http_rates: list[float] = field(default_factory=list)  # sign-ups/s, one per round
    inproc_rates: list[float] = field(default_factory=list)
    expected: dict[str, int] = field(default_factory=dict)  # side -> sign-ups issued (timed + warm-up)
    recorded: dict[str, int] = field(default_factory=dict)  # side -> active sign-ups found afterwards
    errors: dict[str, int] = field(default_factory=dict)  # side -> failed commands
    first_errors: list[str] = field(default_factory=list)
    procurements: dict[str, int] = field(default_factory=dict)
    agencies: dict[str, int] = field(default_factory=dict)
    projections: str = "follower"  # who follows the log into the read models (see the module's doc)
    setup_seconds: float = 0.0
    seconds: float = 0.0
    skipped: str | None = None

    @property
    def http_rate(self) -> float:
        return statistics.median(self.http_rates)

    @property
    def inproc_rate(self) -> float:
        return statistics.median(self.inproc_rates)

    @property
    def ratio(self) -> float:
        return statistics.median(h / i for h, i in zip(self.http_rates, self.inproc_rates))

    @property
    def passed(self) -> bool:
        return self.ratio >= TARGET_RATIO


# --- set-up (never timed) ------------------------------------------------------------


@dataclass
class Agent:
    agency_id: UUID
    actor: Actor
    username: str
    token: str = ""


@dataclass
class Item:
    procurement_id: UUID
    agent: Agent
    key: str


@dataclass
class SidePlan:
    agents: list[Agent]
    procurements: list[UUID] = field(default_factory=list)
    # run -> client -> its sign-ups, in order; run 0 is the warm-up
    runs: list[list[list[Item]]] = field(default_factory=list)

    @property
    def issued(self) -> int:
        return sum(len(items) for run in self.runs for items in run)


def agencies_per_side(clients: int) -> int:
    """At least 10 (a procurement's sign-ups come from 10 different agencies), a multiple of C."""
    return clients * -(-SIGNUPS_PER_PROCUREMENT // clients)


def set_up_side(world: World, first_n: int, clients: int, sizes: list[int], *, accounts: bool) -> SidePlan:
    """Agencies (and their accounts), then each run's own procurements and its plan.

    Procurement p of a run is signed up by agencies (10p + k) mod A, k < 10: no agency twice.
    Agency a belongs to client a mod C; each client walks its procurements starting at its own
    offset, so clients rarely write to the same procurement at the same moment."""
    m = world.market
    agents = []
    for a in range(agencies_per_side(clients)):
        n = first_n + a
        agency_id, actor = world.admitted_agency(n)
        if accounts:
            m.open_account(actor.id, f"基准{n}", Role.AGENCY, agency_id, PASSWORD, by=OPERATOR)
        agents.append(Agent(agency_id, actor, actor.id))
    plan = SidePlan(agents)
    now = m.clock.now()
    opens, closes = now - timedelta(hours=1), now + timedelta(days=30)
    for size in sizes:
        count = max(1, -(-size // SIGNUPS_PER_PROCUREMENT))
        own = [world.open_procurement(opens=opens, closes=closes) for _ in range(count)]
        plan.procurements.extend(own)
        pairs = [(p, (SIGNUPS_PER_PROCUREMENT * p + k) % len(agents))
                 for p in range(count) for k in range(SIGNUPS_PER_PROCUREMENT)][:size]  # fmt: skip
        per_client: list[list[tuple[int, int]]] = [[] for _ in range(clients)]
        for p, a in pairs:
            per_client[a % clients].append((p, a))
        run = []
        for c, mine in enumerate(per_client):
            offset = c * count // clients
            mine.sort(key=lambda pa: ((pa[0] - offset) % count, pa[1]))
            run.append([Item(own[p], agents[a], f"bench-{uuid.uuid4()}") for p, a in mine])
        plan.runs.append(run)
    return plan


def _slices(n: int, rounds: int) -> list[int]:
    rounds = max(1, min(rounds, n))
    return [n // rounds + (1 if i < n % rounds else 0) for i in range(rounds)]


# --- the server ----------------------------------------------------------------------


def log_in(base_url: str, agents: list[Agent]) -> None:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for agent in agents:
            response = client.post("/api/token", data={"username": agent.username, "password": PASSWORD})
            response.raise_for_status()
            agent.token = response.json()["access_token"]


def settle(base_url: str, agent: Agent, head: int) -> None:
    """Wait until the server's read models have applied the log up to ``head`` (untimed)."""
    deadline = time.monotonic() + 120
    with httpx.Client(base_url=base_url, timeout=30) as client:
        while time.monotonic() < deadline:
            t = time.monotonic()
            client.get("/api/agency/signups", headers={
                "Authorization": f"Bearer {agent.token}", "X-Consistent-After": str(head),
            }).raise_for_status()  # fmt: skip
            if time.monotonic() - t < 4.0:  # the server waits up to 5 s, then answers anyway
                return


# --- the measured runs ---------------------------------------------------------------


class Errors:
    def __init__(self) -> None:
        self.count = 0
        self.first: list[str] = []
        self._lock = threading.Lock()

    def add(self, text: str) -> None:
        with self._lock:
            self.count += 1
            if len(self.first) < 3:
                self.first.append(text[:300])


def _threads(work: list[list[Item]], worker) -> float:
    """Run ``worker(items)`` for each client in its own thread; seconds from the start signal to the last."""
    ready = threading.Barrier(len(work) + 1)
    threads = [threading.Thread(target=worker, args=(items, ready)) for items in work]
    for t in threads:
        t.start()
    ready.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def run_http(base_url: str, work: list[list[Item]], errors: Errors) -> float:
    clients = [httpx.Client(base_url=base_url, timeout=60) for _ in work]
    for client, items in zip(clients, work):  # open each keep-alive connection before the start
        if items:
            client.get("/openapi.json").raise_for_status()
    by_items = {id(items): client for client, items in zip(clients, work)}

    def worker(items: list[Item], ready: threading.Barrier) -> None:
        client = by_items[id(items)]
        ready.wait()
        for s in items:
            try:
                response = client.post(
                    f"/api/agency/procurements/{s.procurement_id}/signup", json={"quote": QUOTE},
                    headers={"Authorization": f"Bearer {s.agent.token}", "Idempotency-Key": s.key},
                )  # fmt: skip
                if response.status_code != 200:
                    errors.add(f"HTTP {response.status_code}: {response.text}")
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors.add(f"{type(exc).__name__}: {exc}")

    try:
        return _threads(work, worker)
    finally:
        for client in clients:
            client.close()


def run_inproc(market, work: list[list[Item]], errors: Errors) -> float:
    def worker(items: list[Item], ready: threading.Barrier) -> None:
        ready.wait()
        for s in items:
            try:
                # Scoped as the API scopes it ("<account>:<key>"), so the receipts look alike.
                market.sign_up(s.procurement_id, s.agent.agency_id, QUOTE, by=s.agent.actor,
                               idempotency_key=f"{s.agent.actor.id}:{s.key}")  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors.add(f"{type(exc).__name__}: {exc}")

    return _threads(work, worker)


def count_signups(market, procurements: list[UUID]) -> int:
    return sum(len(market.load(pid, Procurement).active_signups()) for pid in procurements)


def measure(
    database_url: str, n: int, clients: int, rounds: int, backend: str = "PostgreSQL", *,
    projections: str = "follower",
) -> HttpBenchResult:
    """Set up (untimed), start the server, warm up, run the interleaved timed rounds, count."""
    if n < 1 or clients < 1:
        raise ValueError("n and clients must be at least 1")
    started = time.perf_counter()
    if projections not in PROJECTIONS:
        raise ValueError(f"projections must be one of {', '.join(PROJECTIONS)}")
    result = HttpBenchResult(backend=backend, n=n, clients=clients, projections=projections)
    sizes = [WARMUP, *_slices(n, rounds)]
    market = build_market(Settings(database_url=database_url))
    server = follower = None
    try:
        with tempfile.TemporaryDirectory(prefix="http-signup-bench-") as workdir:
            world = World(market)
            a = agencies_per_side(clients)
            plans = {
                "http": set_up_side(world, 2, clients, sizes, accounts=True),
                "in-process": set_up_side(world, 2 + a, clients, sizes, accounts=False),
            }
            if projections == "follower":
                follower = Follower(database_url, workdir)
            server = ApiServer(
                database_url, workdir, runner=projections != "none",
                env={"MARKET_RUN_PROJECTIONS": "false"} if projections == "follower" else None,
            )  # fmt: skip
            server.wait_ready()
            log_in(server.base_url, plans["http"].agents)
            result.setup_seconds = time.perf_counter() - started
            errors = {side: Errors() for side in plans}
            probe = plans["http"].agents[0]

            def timed(side: str, run: int) -> float:
                settle(server.base_url, probe, market.recorder.max_notification_id() or 0)
                work = plans[side].runs[run]
                if side == "http":
                    return run_http(server.base_url, work, errors[side])
                return run_inproc(market, work, errors[side])

            for run in range(len(sizes)):
                order = ("http", "in-process") if run % 2 == 0 else ("in-process", "http")
                seconds = {side: timed(side, run) for side in order}
                if run > 0:  # run 0 is the warm-up
                    result.http_rates.append(sizes[run] / seconds["http"])
                    result.inproc_rates.append(sizes[run] / seconds["in-process"])

            for side, plan in plans.items():
                result.expected[side] = plan.issued
                result.recorded[side] = count_signups(market, plan.procurements)
                result.errors[side] = errors[side].count
                result.first_errors += [f"{side}: {e}" for e in errors[side].first]
                result.procurements[side] = len(plan.procurements)
                result.agencies[side] = len(plan.agents)
            server.stop()
            if server.process.returncode not in (0, -15):
                result.first_errors.append(f"server exit {server.process.returncode}")
            server = None
            if follower is not None:
                follower.stop()
                if follower.process.returncode not in (0, -15):
                    result.first_errors.append(f"follower exit {follower.process.returncode}: {follower.output()}")
                follower = None
    finally:
        if server is not None:
            server.stop()
        if follower is not None:
            follower.stop()
        market.close()
    result.seconds = time.perf_counter() - started
    return result


def bench_postgres(
    n: int, clients: int, rounds: int, admin_url: str = DEFAULT_POSTGRES_URL, *, projections: str = "follower"
) -> HttpBenchResult:
    import psycopg

    admin = admin_url.replace("postgresql+psycopg2://", "postgresql://")
    name = f"http_signup_bench_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        return HttpBenchResult(backend="PostgreSQL", n=n, clients=clients,
                               skipped=f"unreachable at {admin_url}: {exc}".strip())  # fmt: skip
    try:
        return measure(f"{admin.rsplit('/', 1)[0]}/{name}", n, clients, rounds, projections=projections)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_sqlite(n: int, clients: int, rounds: int, *, projections: str = "follower") -> HttpBenchResult:
    with tempfile.TemporaryDirectory(prefix="http-signup-bench-db-") as tmp:
        return measure(f"sqlite:///{tmp}/market.db", n, clients, rounds, backend="SQLite file", projections=projections)


# --- the report ----------------------------------------------------------------------

PROJECTIONS = {
    "follower": "a separate `market projections follow` process (API with MARKET_RUN_PROJECTIONS=false)",
    "in-server": "the runner inside the API process",
    "none": "nobody (diagnostic)",
}

LABEL = 48


def report(result: HttpBenchResult) -> str:
    r = result
    lines = []
    if r.skipped:
        lines.append(f"{r.backend}: skipped ({r.skipped})")
    else:
        lines += [
            f"sign_up through HTTP vs market/ in-process on {r.backend}: N={r.n} timed sign-ups per side, "
            f"C={r.clients} concurrent clients, ~{SIGNUPS_PER_PROCUREMENT} per procurement; "
            f"{len(r.http_rates)} interleaved rounds, medians"
            + f"; read models followed by: {PROJECTIONS[r.projections]}",
            f"{'HTTP sign-up, keyed (sign-ups/s)':{LABEL}}{r.http_rate:>12.0f}",
            f"{'in-process Market.sign_up, keyed (sign-ups/s)':{LABEL}}{r.inproc_rate:>12.0f}",
            f"{'ratio HTTP / in-process':{LABEL}}{r.ratio:>12.2f}",
            f"{f'target: ratio >= {TARGET_RATIO:.2f}':{LABEL}}{'PASS' if r.passed else 'BELOW TARGET':>12}",
            "  per-round ratios: " + " ".join(f"{h / i:.2f}" for h, i in zip(r.http_rates, r.inproc_rates)),
            "  per-round rates HTTP / in-process: "
            + ", ".join(f"{h:.0f}/{i:.0f}" for h, i in zip(r.http_rates, r.inproc_rates)),
        ]
        for side in r.expected:
            lines.append(
                f"  {side}: {r.recorded[side]} sign-ups recorded of {r.expected[side]} issued "
                f"(incl. {WARMUP} warm-up), {r.errors[side]} errors, {r.procurements[side]} procurements, "
                f"{r.agencies[side]} agencies"
            )
        lines += [f"  error: {e}" for e in r.first_errors]
        lines.append(f"  set-up, untimed: {r.setup_seconds:.1f} s; whole run: {r.seconds:.1f} s")
    lines.append("")
    lines.append("A benchmark reports, it never fails a build: the exit status is 0 whatever the ratio.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http_signup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=DEFAULT_N, help=f"timed sign-ups per side (default {DEFAULT_N})")
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS,
                        help=f"concurrent clients/threads per side (default {DEFAULT_CLIENTS})")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="interleaved timed rounds")
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="admin URL; a fresh database is made")
    parser.add_argument("--projections", choices=list(PROJECTIONS), default="follower",
                        help="who follows the log into the read models (default: a separate follower process)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.backend == "sqlite":
        result = bench_sqlite(args.n, args.clients, args.rounds, projections=args.projections)
    else:
        result = bench_postgres(args.n, args.clients, args.rounds, args.postgres_url, projections=args.projections)
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
