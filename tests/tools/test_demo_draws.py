"""Every selection result in the demo market, checked by the standalone verifier (issue 3, Must show).

The demo is built once per backend; every result record carried by WinnerSelected,
Shortlisted, SelectionFailed and PickedFromShortlist is taken as the public would
get it (JSON). tools/verify_draw.py must call each one GENUINE, and MISMATCH once
its candidate list or its winner is altered. The in-process function checks every
record; the tool as a subprocess checks a sample of each method.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from domain.selection import METHODS, verify as domain_verify
from market.bootstrap import build_market
from market.clock import SHANGHAI, FixedClock
from market.demo import build_demo
from market.settings import Settings

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_draw.py"
_spec = importlib.util.spec_from_file_location("verify_draw_tool", TOOL)
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
SEED = 2024
RESULT_EVENTS = ("WinnerSelected", "Shortlisted", "SelectionFailed", "PickedFromShortlist")
LIST_EVENTS = ("SignupClosed", "ObjectionUpheld")  # where the list hash was published before the result


@dataclass(frozen=True)
class Published:
    procurement_id: str
    event: str
    status: str  # the procurement's status at the end of the demo
    record: dict[str, Any]  # the result record, as JSON gives it back
    commitment: str  # published with the notice
    list_hash: str  # published at the sign-up close, or with the upheld objection's new list
    latest: bool  # the last result of its procurement

    @property
    def method(self) -> str:
        return self.record["method"]


def demo_results(database_url: str) -> list[Published]:
    market = build_market(Settings(database_url=database_url), clock=FixedClock(START))
    try:
        summary = build_demo(market, seed=SEED)
        out: list[Published] = []
        for p in summary.procurements:
            commitment = list_hash = None
            mine = []
            for e in market.history(p.id):
                name = type(e).__name__
                if name == "Published":
                    commitment = e.commitment
                elif name in LIST_EVENTS:
                    list_hash = e.list_hash
                elif name in RESULT_EVENTS:
                    record = json.loads(json.dumps(e.result, ensure_ascii=False))  # must be plain JSON
                    mine.append(Published(p.id, name, p.status, record, commitment, list_hash, False))
            if mine:
                mine[-1] = Published(**{**mine[-1].__dict__, "latest": True})
            out += mine
        return out
    finally:
        market.close()


@pytest.fixture(scope="module")
def results() -> list[Published]:
    return demo_results("memory://")


def _ids(results: list[Published]) -> list[str]:
    return [f"{r.method}-{r.event}-{r.procurement_id[:8]}" for r in results]


# --- alterations -------------------------------------------------------------------------


def _forged_entry(record: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"agency_id": "00000000-0000-4000-8000-00000000f0f0", "uscc": "91430100MA4F0RGE0X"}
    entries = record["entries"]
    if any("price" in e for e in entries) or record["method"] in ("lowest_price", "reasonable_price",
                                                                  "proposal_scoring"):
        entry["price"] = "1000.00"
    if any("credit_score" in e for e in entries):
        entry["credit_score"] = 100
    return entry


def drop_entry(record):
    if not record["entries"]:
        return None
    winner = record["outcome"]["winner"]
    at = next((i for i, e in enumerate(record["entries"]) if e["agency_id"] == winner), -1)
    del record["entries"][at]  # the winner's entry if there is one, else the last
    return record


def change_price(record):
    priced = [e for e in record["entries"] if "price" in e]
    if not priced:
        return None
    winner = record["outcome"]["winner"]
    entry = next((e for e in priced if e["agency_id"] == winner), priced[0])
    entry["price"] = str(Decimal(entry["price"]) - Decimal("100.00"))
    return record


def add_entry(record):
    record["entries"].append(_forged_entry(record))
    return record


def other_winner(record):
    outcome = record["outcome"]
    others = [e["agency_id"] for e in record["entries"] if e["agency_id"] != outcome["winner"]]
    outcome["winner"] = others[0] if others else _forged_entry(record)["agency_id"]
    return record


ALTERATIONS = {"drop_entry": drop_entry, "change_price": change_price, "add_entry": add_entry,
               "other_winner": other_winner}  # fmt: skip


def altered(record: dict[str, Any], how: str) -> dict[str, Any] | None:
    """The record altered one way, or None when that alteration does not apply (no entry, no price)."""
    return ALTERATIONS[how](copy.deepcopy(record))


def resealed(record: dict[str, Any]) -> dict[str, Any] | None:
    """A forger who drops a losing entry, then recomputes the list hash and the seed to match."""
    forged = copy.deepcopy(record)
    losers = [i for i, e in enumerate(forged["entries"]) if e["agency_id"] != forged["outcome"]["winner"]]
    if not losers:
        return None
    del forged["entries"][losers[-1]]
    forged["list_hash"] = tool.list_digest(forged["entries"])
    secret = bytes.fromhex(forged["secret"])
    forged["seed"] = hashlib.sha256(secret + bytes.fromhex(forged["list_hash"])
                                    + forged["procurement_id"].encode("utf-8")).hexdigest()  # fmt: skip
    return forged


# --- every record is genuine ----------------------------------------------------------------


def test_the_demo_publishes_results_of_every_method_and_event(results):
    assert {r.method for r in results} == set(METHODS)
    assert {r.event for r in results} == set(RESULT_EVENTS)
    latest = [r for r in results if r.latest]
    assert {r.method for r in latest} == set(METHODS)
    assert len(results) > len(latest) >= 40  # re-runs after upheld objections, picks after short lists
    for method in METHODS:
        selected = [r for r in latest if r.method == method and r.record["outcome"]["status"] == "selected"]
        assert selected, method


def test_every_demo_result_is_genuine_to_the_standalone_verifier(results):
    verdicts = {_id: tool.verify(r.record) for _id, r in zip(_ids(results), results)}
    assert {k: v for k, v in verdicts.items() if v != (True, [])} == {}
    counts = {m: sum(1 for r in results if r.method == m) for m in METHODS}
    assert all(counts.values()), counts
    assert sum(counts.values()) == len(results)


def test_the_domain_verifier_agrees_on_every_demo_result(results):
    assert all(domain_verify(r.record) == (True, []) for r in results)


def test_each_result_matches_the_commitment_and_list_hash_published_before_it(results):
    """What the tool tells the reader to compare: the notice's commitment, the closed list's hash."""
    for r in results:
        assert r.record["commitment"] == r.commitment and r.record["list_hash"] == r.list_hash, r.procurement_id


def test_the_demo_results_hold_every_kind_of_draw(results):
    latest = [r.record for r in results if r.latest]
    outcomes = [rec["outcome"] for rec in latest]

    def draws(o):
        return [s for s in o["transcript"] if s["op"] == "draw"]

    assert any(o["method"] == "random" and o["status"] == "selected" and draws(o) for o in outcomes)
    coefficient = [o for o in outcomes if o["method"] == "reasonable_price" and o["status"] == "selected"]
    assert coefficient and all(o["figures"]["k"] in ("95", "96", "97", "98") for o in coefficient)
    assert all(draws(o)[0]["pool"] == ["95", "96", "97", "98"] for o in coefficient)
    trimmed = [o for o in coefficient if o["figures"]["dropped"]]
    assert trimmed and all(o["winner"] not in o["figures"]["dropped"] for o in trimmed)
    ties = [o for o in outcomes if o["method"] == "lowest_price" and o["status"] == "selected" and draws(o)]
    assert ties and all(o["winner"] in draws(o)[0]["pool"] and len(draws(o)[0]["pool"]) >= 2 for o in ties)
    assert all(len({b["price"] for b in o["figures"]["ranking"] if b["agency_id"] in draws(o)[0]["pool"]}) == 1
               for o in ties)  # the tied quotes are equal
    picks = [o for o in outcomes if "owner_pick" in o["figures"]]
    assert any(s["op"] == "weighted_draw" for o in picks for s in o["transcript"])
    assert all(o["winner"] in o["figures"]["short_list"] for o in picks)
    scored = [rec for rec in latest if rec["method"] == "proposal_scoring" and rec["outcome"]["status"] == "selected"]
    assert scored and all(rec["params"]["evaluators"] and rec["scores"] for rec in scored)
    failed = [o for o in outcomes if o["status"] == "failed"]
    assert {o["method"] for o in failed} >= {"lowest_price", "random", "proposal_scoring"}
    assert all(o["failure_reason"] == "too_few_bidders" for o in failed)


# --- any alteration is a mismatch -------------------------------------------------------------


@pytest.mark.parametrize("how", sorted(ALTERATIONS))
def test_an_altered_demo_result_is_a_mismatch(results, how):
    applied = 0
    for _id, r in zip(_ids(results), results):
        forged = altered(r.record, how)
        if forged is None:
            continue
        applied += 1
        ok, reasons = tool.verify(forged)
        assert not ok and reasons, (_id, how)
    assert applied >= (len(results) if how in ("add_entry", "other_winner") else 1)


def test_a_resealed_list_is_caught_by_the_verifier_or_by_the_published_list_hash(results):
    """Recomputing hash and seed hides a dropped entry from the tool only where nothing depends on the
    list (直接选取's designation); the list hash published at the close still gives that away."""
    for r in results:
        if (forged := resealed(r.record)) is None:
            continue
        assert forged["list_hash"] != r.list_hash
        designated = r.method == "direct" and r.record["outcome"]["status"] == "selected"
        assert tool.verify(forged)[0] is designated, r.procurement_id


# --- the tool itself, as the public runs it ---------------------------------------------------


def run_tool(record: dict[str, Any], path: Path) -> subprocess.CompletedProcess:
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    # -I: isolated, so nothing of the project can be imported; run outside the repository.
    return subprocess.run([sys.executable, "-I", str(TOOL), str(path)], capture_output=True, text=True,
                          cwd=path.parent, timeout=60)  # fmt: skip


def _sample(results: list[Published]) -> list[Published]:
    """One record per method and event, the latest result first."""
    seen, out = set(), []
    for r in sorted(results, key=lambda r: not r.latest):
        if (r.method, r.event) not in seen:
            seen.add((r.method, r.event))
            out.append(r)
    return out


def test_the_tool_as_a_subprocess_says_genuine_then_mismatch_for_a_sample_of_each_method(results, tmp_path):
    sample = _sample(results)
    assert {r.method for r in sample} == set(METHODS)
    for n, r in enumerate(sample):
        done = run_tool(r.record, tmp_path / f"result-{n}.json")
        assert done.returncode == 0 and "GENUINE" in done.stdout, (r.method, r.event, done.stdout, done.stderr)
        assert r.record["commitment"] in done.stdout and r.record["list_hash"] in done.stdout
        for how in sorted(ALTERATIONS):
            forged = altered(r.record, how)
            if forged is None:
                continue
            done = run_tool(forged, tmp_path / f"result-{n}-{how}.json")
            assert done.returncode == 1 and "MISMATCH" in done.stdout, (r.method, r.event, how, done.stdout)


def test_the_demo_on_sqlite_publishes_the_same_results_all_genuine(results, tmp_path):
    on_sqlite = demo_results(f"sqlite:///{tmp_path / 'demo.db'}")
    shape = lambda rs: [(r.procurement_id, r.event, r.method, r.status, r.latest) for r in rs]  # noqa: E731
    assert shape(on_sqlite) == shape(results)
    assert all(tool.verify(r.record) == (True, []) for r in on_sqlite)
