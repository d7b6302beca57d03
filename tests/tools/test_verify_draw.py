"""Verifying a published result: domain.selection.verify and the standalone tools/verify_draw.py."""

import ast
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.selection import (Bid, Declaration, DirectParams, MeritParams, Params, PriceParams,
                              ProposalParams, conduct, owner_pick, verify)
from domain.selection.base import Outcome

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_draw.py"
_spec = importlib.util.spec_from_file_location("verify_draw_tool", TOOL)
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

SECRET = hashlib.sha256(b"platform secret").digest()
DECLARED = dict(evaluators=("e1",), declarations=(Declaration("e1", True),))
VERIFIERS = pytest.mark.parametrize("check", [verify, tool.verify], ids=["domain", "standalone"])


def bid(i, price="100.00", credit=70, response="30", staff="20", scores=True):
    return Bid(agency_id=f"agency-{i:02d}", uscc=f"91330100{i:010d}",
               price=Decimal(price) if price else None, credit_score=credit,
               scores={"response": Decimal(response), "staff": Decimal(staff)} if scores else None)


def run(code, bids, params):
    return conduct(code, procurement_id="3f1c9a2e-0000-4000-8000-000000000001", secret=SECRET,
                   bids=bids, params=params)


def with_owner_pick(result):
    outcome = result["outcome"]
    shortlisted = Outcome(outcome["method"], outcome["status"], figures=outcome["figures"],
                          transcript=tuple(outcome["transcript"]))
    picked = owner_pick(shortlisted, outcome["figures"]["short_list"][-1], "响应方案更完整")
    return {**result, "outcome": picked.to_dict()}


GENUINE = {
    "random": lambda: run("random", [bid(i) for i in range(6)], Params("state")),
    "lowest_price_tie": lambda: run("lowest_price", [bid(i, p) for i, p in enumerate(
        ["98.00", "97.50", "99.00", "97.50", "97.50"])], PriceParams("state")),
    "reasonable_price": lambda: run("reasonable_price", [bid(i, p) for i, p in enumerate(
        ["88.00", "95.10", "96.00", "99.99", "101.00", "101.00", "130.00"])], PriceParams("state")),
    "credit_merit_shortlisted": lambda: run("credit_merit", [bid(i, None, 60 + i % 5)
                                                             for i in range(14)], MeritParams()),
    "credit_merit_picked": lambda: with_owner_pick(
        run("credit_merit", [bid(i, None, 60 + i % 5) for i in range(14)], MeritParams())),
    "proposal_scoring_tie": lambda: run("proposal_scoring", [bid(0, "100"), bid(1, "100"),
                                                             bid(2, "120", response="35")],
                                        ProposalParams("state", **DECLARED)),
    "proposal_awaiting_scores": lambda: run("proposal_scoring", [bid(0), bid(1, scores=False)],
                                            ProposalParams("state", **DECLARED)),
    "direct": lambda: run("direct", [bid(0, None), bid(1, None)],
                          DirectParams("social", chosen="agency-01", justification="两次流标")),
    "failed": lambda: run("lowest_price", [bid(0), bid(1)], PriceParams("state")),
}


@VERIFIERS
@pytest.mark.parametrize("case", sorted(GENUINE))
def test_verify_of_a_genuine_result_accepts_it(check, case):
    result = json.loads(json.dumps(GENUINE[case](), ensure_ascii=False))
    assert check(result) == (True, [])


def test_genuine_results_exercise_the_tie_and_cut_off_draws():
    ops = lambda case: [s["op"] for s in GENUINE[case]()["outcome"]["transcript"]]
    assert ops("lowest_price_tie") == ["draw"]
    assert ops("proposal_scoring_tie") == ["draw"]
    assert ops("credit_merit_shortlisted") == ["draw", "weighted_draw"]  # tie at the L cut-off


def tampered(case, edit):
    result = GENUINE[case]()
    edit(result)
    return result


def _replace_winner(r):
    r["outcome"]["winner"] = next(e["agency_id"] for e in r["entries"]
                                  if e["agency_id"] != r["outcome"]["winner"])


TAMPERING = {
    "entry_removed": ("random", lambda r: r["entries"].pop(0), "list hash"),
    "entry_added": ("random", lambda r: r["entries"].append(
        {"agency_id": "agency-99", "uscc": "913301000000000099"}), "list hash"),
    "price_changed": ("reasonable_price", lambda r: r["entries"][3].update(price="99.98"),
                      "list hash"),
    "winner_altered": ("lowest_price_tie", _replace_winner, "winner"),
    "secret_not_committed": ("random", lambda r: r.update(secret=hashlib.sha256(b"x").hexdigest()),
                             "commitment"),
    "commitment_replaced": ("random", lambda r: r.update(commitment="00" * 32), "commitment"),
    "coefficient_altered": ("reasonable_price",
                            lambda r: r["outcome"]["figures"].update(k="95" if r["outcome"][
                                "figures"]["k"] != "95" else "96"), "figures.k"),
    "short_list_altered": ("credit_merit_shortlisted", lambda r: r["outcome"]["figures"].update(
        short_list=r["outcome"]["figures"]["long_list"][:3][::-1]), "short_list"),
    "transcript_altered": ("random", lambda r: r["outcome"]["transcript"][0].update(
        counter_to=99), "transcript"),
    "pick_off_short_list": ("credit_merit_picked", lambda r: r["outcome"]["figures"][
        "owner_pick"].update(agency_id="agency-00"), "cannot re-run"),
    "failure_hidden": ("failed", lambda r: r["outcome"].update(status="selected",
                                                               winner="agency-00"), "status"),
    "field_missing": ("random", lambda r: r.pop("seed"), "missing"),
}


@VERIFIERS
@pytest.mark.parametrize("name", sorted(TAMPERING))
def test_verify_of_a_tampered_result_rejects_it_with_the_reason(check, name):
    case, edit, expected_reason = TAMPERING[name]
    ok, reasons = check(tampered(case, edit))
    assert not ok
    assert any(expected_reason in reason for reason in reasons), reasons


@VERIFIERS
def test_verify_of_a_list_re_hashed_after_the_fact_still_catches_the_stale_outcome(check):
    result = GENUINE["random"]()
    removed = result["outcome"]["winner"]
    result["entries"] = [e for e in result["entries"] if e["agency_id"] != removed]
    result["list_hash"] = tool.list_digest(result["entries"])
    result["seed"] = hashlib.sha256(bytes.fromhex(result["secret"]) + bytes.fromhex(
        result["list_hash"]) + result["procurement_id"].encode()).hexdigest()
    ok, reasons = check(result)
    assert not ok and any("winner" in r or "transcript" in r for r in reasons)


# --- the standalone tool agrees with the platform on arbitrary inputs ------------------

entries_st = st.lists(st.tuples(st.sampled_from(["95.00", "97.50", "100.00", "100.00", "104.30"]),
                                st.integers(min_value=0, max_value=9),
                                st.sampled_from(["10", "30", "40"])), min_size=0, max_size=14)
method_st = st.sampled_from(["random", "lowest_price", "reasonable_price", "credit_merit",
                             "proposal_scoring"])


@settings(max_examples=150)
@given(method_st, entries_st, st.sampled_from(["state", "social"]),
       st.binary(min_size=1, max_size=40))
def test_standalone_verify_accepts_whatever_the_platform_publishes(code, rows, fund, secret):
    bids = [bid(i, p, c, response=r) for i, (p, c, r) in enumerate(rows)]
    params = {"random": Params(fund), "lowest_price": PriceParams(fund),
              "reasonable_price": PriceParams(fund),
              "credit_merit": MeritParams(fund, long_list=5, short_list=2),
              "proposal_scoring": ProposalParams(fund, **DECLARED)}[code]
    result = conduct(code, procurement_id="p-1", secret=secret, bids=bids, params=params)
    assert tool.verify(json.loads(json.dumps(result))) == (True, [])
    assert verify(result) == (True, [])


# --- the command line ----------------------------------------------------------------

def run_tool(tmp_path, result):
    path = tmp_path / "result.json"
    path.write_text(result if isinstance(result, str) else json.dumps(result, ensure_ascii=False),
                    encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, str(TOOL), str(path)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_verify_draw_cli_on_a_genuine_file_prints_genuine_and_exits_0(tmp_path):
    done = run_tool(tmp_path, with_owner_pick(GENUINE["credit_merit_shortlisted"]()))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "真实有效" in done.stdout and "GENUINE" in done.stdout


def test_verify_draw_cli_on_an_altered_file_prints_mismatch_and_exits_1(tmp_path):
    done = run_tool(tmp_path, tampered("reasonable_price", lambda r: r["entries"].pop()))
    assert done.returncode == 1
    assert "不一致" in done.stdout and "MISMATCH" in done.stdout and "list hash" in done.stdout


def test_verify_draw_cli_on_a_file_that_is_not_json_exits_1(tmp_path):
    done = run_tool(tmp_path, "{not json")
    assert done.returncode == 1 and "MISMATCH" in done.stdout


def test_verify_draw_imports_only_the_standard_library():
    tree = ast.parse(TOOL.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert imported and imported <= set(sys.stdlib_module_names)
