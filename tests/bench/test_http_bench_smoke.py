"""The HTTP sign-up benchmark runs end to end on SQLite with a tiny N (a real uvicorn subprocess).

No timing is asserted: what is checked is that it ran the load it claims to have run, through
both paths, and that the report carries both rates and their ratio.
"""

from __future__ import annotations

import re

from bench.http_signup import WARMUP, HttpBenchResult, measure, report
from market.bootstrap import build_market
from market.settings import Settings

N, CLIENTS, ROUNDS = 24, 2, 2


def _recorded(database_url: str) -> dict[str, int]:
    """Stored events by ``Aggregate.Event``, counted independently of the benchmark."""
    market = build_market(Settings(database_url=database_url))
    try:
        counts: dict[str, int] = {}
        for notification in market.recorder.select_notifications(start=1, limit=1_000_000):
            name = notification.topic.split(":", 1)[-1]
            counts[name] = counts.get(name, 0) + 1
        return counts
    finally:
        market.close()


def test_the_http_benchmark_records_exactly_the_sign_ups_it_issues_and_reports_both_rates(tmp_path):
    url = f"sqlite:///{tmp_path}/market.db"

    result = measure(url, N, CLIENTS, ROUNDS, backend="SQLite file")

    per_side = N + WARMUP
    assert result.expected == {"http": per_side, "in-process": per_side}
    assert result.recorded == {"http": per_side, "in-process": per_side}
    assert result.errors == {"http": 0, "in-process": 0}, result.first_errors
    recorded = _recorded(url)
    signed_up = sum(count for name, count in recorded.items() if name.endswith(".SignedUp"))
    assert signed_up == 2 * per_side
    receipts = sum(count for name, count in recorded.items() if name.endswith("CommandReceipt.Recorded"))
    assert receipts >= 2 * per_side  # one per keyed sign-up (set-up commands carry no key)
    assert len(result.http_rates) == len(result.inproc_rates) == ROUNDS
    assert result.http_rate > 0 and result.inproc_rate > 0 and result.ratio > 0

    text = report(result)
    assert re.search(r"HTTP sign-up, keyed \(sign-ups/s\)\s+\d+\n", text)
    assert re.search(r"in-process Market\.sign_up, keyed \(sign-ups/s\)\s+\d+\n", text)
    assert re.search(r"ratio HTTP / in-process\s+\d+\.\d\d\n", text)
    assert re.search(r"target: ratio >= 0\.50\s+(PASS|BELOW TARGET)\n", text)


def test_a_skipped_run_is_reported_not_raised():
    text = report(HttpBenchResult(backend="PostgreSQL", n=N, clients=CLIENTS, skipped="unreachable"))
    assert "PostgreSQL: skipped (unreachable)" in text
    assert "exit status is 0" in text
