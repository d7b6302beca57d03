"""bench/chain_cost.py runs end to end on SQLite with a tiny N (no timing is asserted)."""

from __future__ import annotations

import re
import sqlite3

from bench.chain_cost import measure, report


def test_the_chain_benchmark_runs_both_sides_and_only_the_chained_one_is_chained(tmp_path):
    chained, plain = tmp_path / "chained.db", tmp_path / "plain.db"

    result = measure("SQLite file", f"sqlite:///{chained}", f"sqlite:///{plain}", 24, 3, tmp_path / "key.pem")

    assert len(result.chained_rates) == len(result.plain_rates) == 3 and result.ratio > 0
    with sqlite3.connect(chained) as c:
        events, links = (c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                         for t in ("stored_events", "stored_events_chain"))  # fmt: skip
        signups = c.execute("SELECT COUNT(*) FROM stored_events WHERE topic LIKE '%.SignedUp'").fetchone()[0]
    with sqlite3.connect(plain) as c:
        plain_tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        plain_signups = c.execute("SELECT COUNT(*) FROM stored_events WHERE topic LIKE '%.SignedUp'").fetchone()[0]
    assert signups == plain_signups == 24
    assert events == links == result.records
    assert "stored_events_chain" not in plain_tables
    assert re.search(r"ratio chained / not chained\s+\d+\.\d\d\n", report([result]))
