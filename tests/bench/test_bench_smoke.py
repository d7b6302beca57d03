"""The sign-up benchmark runs end to end on SQLite with a tiny N.

No timing is asserted: these machines are noisy, and a benchmark reports rather
than fails. What is checked is that it ran the load it claims to have run.
"""

from __future__ import annotations

import re

from bench.signup_rate import LOADS, OTHER, BackendResult, main, measure, report
from market.bootstrap import build_market
from market.settings import Settings

N = 24


def _recorded(database_url: str) -> dict[str, int]:
    """Count the stored events by ``Aggregate.Event``, independently of the benchmark's own count."""
    market = build_market(Settings(database_url=database_url))
    try:
        counts: dict[str, int] = {}
        for notification in market.recorder.select_notifications(start=1, limit=1_000_000):
            name = notification.topic.split(":", 1)[-1]  # "module:Class.Event" -> "Class.Event"
            counts[name] = counts.get(name, 0) + 1
        return counts
    finally:
        market.close()


def test_the_benchmark_records_exactly_n_keyed_sign_ups_and_reports_both_rates_and_a_ratio(tmp_path):
    market_url, bare_url = f"sqlite:///{tmp_path}/market.db", f"sqlite:///{tmp_path}/bare.db"

    result = measure("SQLite file", market_url, bare_url, N, rounds=3)

    recorded = _recorded(market_url)
    signed_up = sum(count for name, count in recorded.items() if name.endswith(".SignedUp"))
    assert signed_up == N
    assert recorded["CommandReceipt.Recorded"] == N  # one idempotency receipt per sign-up
    assert result.signups_recorded == N
    assert result.procurements >= N // 10
    assert len(result.market_rates) == len(result.bare_rates) == 3
    assert result.market_rate > 0 and result.bare_rate > 0 and result.ratio > 0
    assert {LOADS, OTHER} <= set(result.breakdown)
    assert set(result.bare_breakdown) == {"get", "command", "save"}

    text = report([result])
    assert re.search(r"market sign_up, keyed \(commands/s\)\s+\d+\n", text)
    assert re.search(r"bare get \+ 1 event \+ save \(commands/s\)\s+\d+\n", text)
    assert re.search(r"ratio market / bare\s+\d+\.\d\d\n", text)
    assert re.search(r"target: ratio >= 0\.60\s+(PASS|BELOW TARGET)\n", text)


def test_a_skipped_backend_is_reported_not_raised():
    text = report([BackendResult(backend="PostgreSQL", n=N, skipped="unreachable")])
    assert "PostgreSQL: skipped (unreachable)" in text


def test_the_command_line_exits_0_whatever_the_ratio(capsys):
    assert main(["--backend", "sqlite", "--n", "12", "--rounds", "2"]) == 0
    out = capsys.readouterr().out
    assert "ratio market / bare" in out and "exit status is 0" in out
