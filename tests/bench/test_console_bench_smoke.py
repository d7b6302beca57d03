"""The console page benchmark runs end to end on SQLite with one timed request per page.

No timing is asserted: what is checked is that every page it claims to time answered 200 through
a real server, once per round, and that the report prints each page against the target.
"""

from __future__ import annotations

from bench.console_pages import OPERATOR_PAGES, TARGET_MS, report, run


def test_the_console_benchmark_times_every_page_and_reports_it_against_the_target():
    timings = run("sqlite", 2)
    assert len(timings) == 11 + len(OPERATOR_PAGES)
    assert {t.status for t in timings} == {200}
    assert all(len(t.samples_ms) == 2 for t in timings)
    text = report(timings, "sqlite", 2)
    assert f"target median < {TARGET_MS:.0f} ms" in text
    for t in timings:
        assert t.name in text
