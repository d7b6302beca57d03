"""Selection methods (选取方式): minimums, winners, tie draws, determinism, owner pick."""

import hashlib
import json
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.draw import Randomness
from domain.errors import MissingField, ReasonRequired
from domain.selection import (DEFAULT_RULES, METHODS, Bid, Declaration, DirectParams,
                              MeritParams, Params, PriceParams, ProposalParams, Quote, RuleSet,
                              owner_pick, resolve_price)
from domain.selection.reasonable_price import reference_price
from domain.selection.errors import (ConflictNotDeclared, DuplicateRegistrant, EvaluatorConflicted,
                                     InvalidQuote, InvalidScore, NotARegistrant, NotAwaitingPick,
                                     NotOnShortList, UnknownMethod)

CHI2_CRITICAL_0_001_DF3 = 16.266
SEED = hashlib.sha256(b"fixed").digest()
DECLARED = dict(evaluators=("e1", "e2"),
                declarations=(Declaration("e1", True), Declaration("e2", True)))


def rnd(seed: bytes = SEED) -> Randomness:
    return Randomness(seed)


def bid(i: int, price=None, credit=None, response=None, staff=None) -> Bid:
    scores = None if response is None else {"response": Decimal(response), "staff": Decimal(staff)}
    return Bid(agency_id=f"a{i:02d}", uscc=f"91{i:016d}",
               price=None if price is None else Decimal(price), credit_score=credit, scores=scores)


def priced(*prices) -> list[Bid]:
    return [bid(i, p) for i, p in enumerate(prices)]


def drawn_pools(outcome) -> list[list[str]]:
    return [step["pool"] for step in outcome.transcript if step["op"] == "draw"]


prices = st.sampled_from(["95.00", "96.50", "97.00", "100.00", "100.00", "101.25", "120.00"])
price_lists = st.lists(prices, min_size=0, max_size=9)
fund = st.sampled_from(["state", "social"])


# --- minimums (流标) --------------------------------------------------------------

@pytest.mark.parametrize("code, params, n, status", [
    ("random", Params("state"), 2, "failed"), ("random", Params("state"), 3, "selected"),
    ("random", Params("social"), 1, "selected"), ("random", Params("social"), 0, "failed"),
    ("lowest_price", PriceParams("state"), 2, "failed"),
    ("lowest_price", PriceParams("social"), 1, "selected"),
    ("reasonable_price", PriceParams("state"), 2, "failed"),
    ("reasonable_price", PriceParams("social"), 1, "selected"),
    ("credit_merit", MeritParams("state"), 1, "failed"),
    ("credit_merit", MeritParams("state"), 2, "shortlisted"),
    ("proposal_scoring", ProposalParams("state", **DECLARED), 1, "failed"),
    ("proposal_scoring", ProposalParams("state", **DECLARED), 2, "selected"),
])
def test_select_with_n_valid_signups_fails_below_the_minimum(code, params, n, status):
    bids = [bid(i, "100.00", credit=80, response="30", staff="20") for i in range(n)]
    outcome = METHODS[code].select(bids, params, rnd())
    assert outcome.status == status
    if status == "failed":
        assert outcome.failure_reason == "too_few_bidders" and outcome.winner is None


def test_select_with_a_stamped_rule_set_uses_its_minimum_not_the_default():
    strict = RuleSet.from_dict({**DEFAULT_RULES.to_dict(), "version": "2025-x",
                                "minimum_bidders": {"state": {"random": 5}, "social": {}}})
    outcome = METHODS["random"].select(priced(*["1.00"] * 4), Params("state", strict), rnd())
    assert outcome.status == "failed" and outcome.figures["minimum"] == 5


def test_rule_set_round_trips_through_its_dict():
    assert RuleSet.from_dict(json.loads(json.dumps(DEFAULT_RULES.to_dict()))) == DEFAULT_RULES


def test_params_with_an_unknown_fund_source_is_refused():
    with pytest.raises(Exception) as err:
        Params("private")
    assert err.value.code == "invalid_input"


def test_select_with_a_duplicate_registrant_is_refused():
    with pytest.raises(DuplicateRegistrant):
        METHODS["random"].select([bid(1), bid(1), bid(2)], Params(), rnd())


def test_unknown_method_code_is_refused():
    from domain.selection import method
    with pytest.raises(UnknownMethod):
        method("auction")


# --- quotes -------------------------------------------------------------------------

@pytest.mark.parametrize("quote, base, price", [
    (Quote("amount", Decimal("1234.50")), None, "1234.50"),
    (Quote("discount_rate", Decimal("0.5")), Decimal("100.01"), "50.01"),  # 50.005 half up
    (Quote("discount_rate", Decimal("0.125")), Decimal("1000.05"), "875.04"),
    (Quote("discount_rate", Decimal("0")), Decimal("80.00"), "80.00"),
])
def test_resolve_price_rounds_half_up_to_the_fen(quote, base, price):
    assert str(resolve_price(quote, base)) == price


@pytest.mark.parametrize("quote, base", [
    (Quote("amount", 12.5), None), (Quote("amount", Decimal("1.005")), None),
    (Quote("amount", Decimal("0")), None), (Quote("discount_rate", Decimal("1")), Decimal("9")),
    (Quote("discount_rate", Decimal("0.1")), None), (Quote("bid", Decimal("1")), None),
])
def test_resolve_price_with_a_bad_quote_is_refused(quote, base):
    with pytest.raises(InvalidQuote):
        resolve_price(quote, base)


# --- direct -------------------------------------------------------------------------

def test_direct_with_a_justification_selects_the_chosen_registrant_without_drawing():
    outcome = METHODS["direct"].select(priced(None, None), DirectParams(
        "social", chosen="a01", justification="两次流标后直接选取"), rnd())
    assert (outcome.status, outcome.winner, outcome.transcript) == ("selected", "a01", ())


@pytest.mark.parametrize("justification", ["", "   "])
def test_direct_without_a_justification_is_refused(justification):
    with pytest.raises(ReasonRequired):
        METHODS["direct"].select(priced(None), DirectParams(chosen="a00",
                                                            justification=justification), rnd())


def test_direct_choosing_a_non_registrant_is_refused():
    with pytest.raises(NotARegistrant):
        METHODS["direct"].select(priced(None), DirectParams(chosen="a09", justification="x"), rnd())


# --- random ------------------------------------------------------------------------

@given(st.integers(min_value=1, max_value=12), fund, st.binary(min_size=32, max_size=32))
def test_random_winner_is_a_registrant_drawn_in_the_transcript(n, fund_source, seed):
    bids = priced(*[None] * n)
    outcome = METHODS["random"].select(bids, Params(fund_source), rnd(seed))
    if outcome.status == "selected":
        assert outcome.winner in {b.agency_id for b in bids}
        assert outcome.transcript[0]["result"] == [outcome.winner]
    else:
        assert fund_source == "state" and n < 3


def test_random_with_the_same_seed_is_deterministic_and_varies_with_the_secret():
    bids = priced(*[None] * 6)
    run = lambda s: METHODS["random"].select(bids, Params(), rnd(hashlib.sha256(s).digest()))
    assert run(b"x") == run(b"x")
    assert len({run(b"%d" % i).winner for i in range(30)}) > 1


# --- lowest price -------------------------------------------------------------------

@given(price_lists, fund, st.binary(min_size=32, max_size=32))
def test_lowest_price_winner_is_the_lowest_and_ties_are_drawn(ps, fund_source, seed):
    bids = priced(*ps)
    outcome = METHODS["lowest_price"].select(bids, PriceParams(fund_source), rnd(seed))
    if outcome.status == "failed":
        assert len(bids) < DEFAULT_RULES.minimum("lowest_price", fund_source)
        return
    lowest = min(b.price for b in bids)
    tied = sorted(b.agency_id for b in bids if b.price == lowest)
    assert outcome.winner in tied
    assert drawn_pools(outcome) == ([tied] if len(tied) > 1 else [])


def test_lowest_price_with_out_of_band_quotes_counts_only_valid_bids():
    params = PriceParams("state", ceiling=Decimal("100.00"), floor=Decimal("90.00"))
    outcome = METHODS["lowest_price"].select(priced("89.99", "95", "100", "100.01"), params, rnd())
    assert outcome.status == "failed" and outcome.figures["rejected"] == ["a00", "a03"]
    outcome = METHODS["lowest_price"].select(priced("89.99", "99", "95", "100"), params, rnd())
    assert (outcome.status, outcome.winner) == ("selected", "a02")
    assert outcome.figures["rejected"] == ["a00"]


def test_lowest_price_with_a_missing_quote_is_refused():
    with pytest.raises(InvalidQuote):
        METHODS["lowest_price"].select(priced("1", None, "2"), PriceParams(), rnd())


# --- reasonable price ---------------------------------------------------------------

def expected_reference(k: str, averaged: list[Decimal]) -> Decimal:
    # One division of exact operands: rounding the mean first would round twice
    # (e.g. 0.98 × 700.75/7 is exactly 98.105 → 98.11, not 98.10).
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(k) * sum(averaged) / (100 * len(averaged))
        return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(price_lists, fund, st.binary(min_size=32, max_size=32))
def test_reasonable_price_winner_is_closest_to_r_and_dropped_extremes_never_win(ps, fund_source, seed):
    bids = priced(*ps)
    outcome = METHODS["reasonable_price"].select(bids, PriceParams(fund_source), rnd(seed))
    if outcome.status == "failed":
        assert len(bids) < DEFAULT_RULES.minimum("reasonable_price", fund_source)
        return
    f, by_id = outcome.figures, {b.agency_id: b.price for b in bids}
    assert outcome.transcript[0]["pool"] == ["95", "96", "97", "98"]
    assert f["k"] == outcome.transcript[0]["result"][0]
    values = sorted(by_id.values())
    trimmed = len(bids) >= 5
    assert [Decimal(p) for p in f["averaged"]] == (values[1:-1] if trimmed else values)
    r = expected_reference(f["k"], [Decimal(p) for p in f["averaged"]])
    assert Decimal(f["reference_price"]) == r
    inner = [a for a, p in by_id.items() if values[0] < p < values[-1]]
    if trimmed and inner:
        assert f["dropped"] == sorted(a for a in by_id if a not in inner)
        assert outcome.winner in inner
    else:
        assert f["dropped"] == []
    may_win = [a for a in by_id if a not in f["dropped"]]
    best = min(abs(by_id[a] - r) for a in may_win)
    tied = sorted(a for a in may_win if abs(by_id[a] - r) == best)
    assert outcome.winner in tied
    assert drawn_pools(outcome)[1:] == ([tied] if len(tied) > 1 else [])


def test_reference_price_at_an_exact_half_fen_rounds_up_without_double_rounding():
    averaged = [Decimal(p) for p in ("95", "95", "96.5", "96.5", "96.5", "101.25", "120")]
    assert str(reference_price("98", averaged)) == "98.11"  # exactly 98.105


def test_reasonable_price_below_five_bids_averages_all_and_drops_none():
    outcome = METHODS["reasonable_price"].select(priced("90", "100", "110", "120"), PriceParams(), rnd())
    assert outcome.figures["dropped"] == [] and len(outcome.figures["averaged"]) == 4


def test_reasonable_price_with_tied_extremes_drops_one_from_the_mean_and_all_from_winning():
    outcome = METHODS["reasonable_price"].select(
        priced("80", "80", "100", "101", "130", "130"), PriceParams(), rnd())
    assert outcome.figures["averaged"] == ["80.00", "100.00", "101.00", "130.00"]
    assert outcome.figures["dropped"] == ["a00", "a01", "a04", "a05"]
    assert outcome.winner in {"a02", "a03"}


def test_reasonable_price_with_all_bids_equal_lets_everyone_win_by_draw():
    outcome = METHODS["reasonable_price"].select(priced(*["100"] * 5), PriceParams(), rnd())
    assert outcome.figures["dropped"] == [] and outcome.status == "selected"
    assert drawn_pools(outcome)[1] == [f"a{i:02d}" for i in range(5)]


def test_reasonable_price_coefficient_over_many_seeds_is_uniform_by_chi_square():
    bids, runs = priced("90", "95", "100", "105", "110"), 4000
    counts = Counter(
        METHODS["reasonable_price"].select(bids, PriceParams(), rnd(hashlib.sha256(b"%d" % i).digest()))
        .figures["k"] for i in range(runs))
    assert sum((counts[k] - runs / 4) ** 2 / (runs / 4) for k in "95 96 97 98".split()) \
        < CHI2_CRITICAL_0_001_DF3


# --- credit merit -------------------------------------------------------------------

@given(st.lists(st.integers(min_value=-5, max_value=100), max_size=16), fund,
       st.integers(min_value=1, max_value=10), st.integers(min_value=1, max_value=5),
       st.binary(min_size=32, max_size=32))
def test_credit_merit_short_list_is_drawn_from_the_top_of_the_ranking(scores, fund_source, size_l,
                                                                     size_s, seed):
    bids = [bid(i, credit=s) for i, s in enumerate(scores)]
    outcome = METHODS["credit_merit"].select(
        bids, MeritParams(fund_source, long_list=size_l, short_list=size_s), rnd(seed))
    if outcome.status == "failed":
        assert len(bids) < DEFAULT_RULES.minimum("credit_merit", fund_source)
        return
    f, score = outcome.figures, {b.agency_id: b.credit_score for b in bids}
    assert outcome.status == "shortlisted" and outcome.winner is None
    assert len(f["long_list"]) == min(len(bids), size_l)
    assert len(f["short_list"]) == min(len(f["long_list"]), size_s)
    assert set(f["short_list"]) <= set(f["long_list"]) <= set(score)
    if f["eliminated"]:
        cut = min(score[a] for a in f["long_list"])
        assert max(score[a] for a in f["eliminated"]) <= cut
        tied_at_cut = sorted(a for a in score if score[a] == cut)
        straddles = any(score[a] == cut for a in f["eliminated"])
        assert (tied_at_cut in drawn_pools(outcome)) == straddles
    weighted = [s for s in outcome.transcript if s["op"] == "weighted_draw"]
    if len(f["long_list"]) > size_s:
        assert weighted[0]["result"] == f["short_list"]
        assert weighted[0]["pool"] == {a: max(score[a], 1) for a in f["long_list"]}
    else:
        assert weighted == []


def shortlisted():
    bids = [bid(i, credit=60 + i) for i in range(6)]
    return METHODS["credit_merit"].select(bids, MeritParams(), rnd())


def test_owner_pick_from_the_short_list_with_a_reason_selects_it():
    outcome = shortlisted()
    picked = owner_pick(outcome, outcome.figures["short_list"][1], " 方案更优 ")
    assert (picked.status, picked.winner) == ("selected", outcome.figures["short_list"][1])
    assert picked.figures["owner_pick"]["reason"] == "方案更优"
    assert picked.transcript == outcome.transcript


def test_owner_pick_off_the_short_list_is_refused():
    outcome = shortlisted()
    outsider = next(a for a in outcome.figures["long_list"] if a not in outcome.figures["short_list"])
    with pytest.raises(NotOnShortList):
        owner_pick(outcome, outsider, "理由")


def test_owner_pick_without_a_reason_is_refused():
    outcome = shortlisted()
    with pytest.raises(ReasonRequired):
        owner_pick(outcome, outcome.figures["short_list"][0], " ")


def test_owner_pick_on_an_outcome_already_selected_is_refused():
    outcome = shortlisted()
    picked = owner_pick(outcome, outcome.figures["short_list"][0], "理由")
    with pytest.raises(NotAwaitingPick):
        owner_pick(picked, outcome.figures["short_list"][0], "理由")


def test_credit_merit_with_a_missing_credit_score_is_refused():
    with pytest.raises(InvalidScore):
        METHODS["credit_merit"].select([bid(0, credit=1), bid(1)], MeritParams(), rnd())


# --- proposal scoring ---------------------------------------------------------------

points = st.sampled_from(["0", "20", "30", "30", "35.5"])


@given(st.lists(st.tuples(prices, points, st.sampled_from(["10", "20", "30"])), max_size=8),
       fund, st.binary(min_size=32, max_size=32))
def test_proposal_scoring_winner_has_the_best_total_then_the_lowest_price(rows, fund_source, seed):
    bids = [bid(i, p, response=r, staff=s) for i, (p, r, s) in enumerate(rows)]
    outcome = METHODS["proposal_scoring"].select(bids, ProposalParams(fund_source, **DECLARED), rnd(seed))
    if outcome.status == "failed":
        assert len(bids) < DEFAULT_RULES.minimum("proposal_scoring", fund_source)
        return
    b_min = min(b.price for b in bids)
    total = {b.agency_id: (30 * b_min / b.price).quantize(Decimal("0.01"), ROUND_HALF_UP)
             + sum(b.scores.values()) for b in bids}
    price = {b.agency_id: b.price for b in bids}
    best = max(total.values())
    cheapest = min(price[a] for a in total if total[a] == best)
    tied = sorted(a for a in total if total[a] == best and price[a] == cheapest)
    assert outcome.winner in tied
    assert drawn_pools(outcome) == ([tied] if len(tied) > 1 else [])
    assert Decimal(outcome.figures["ranking"][0]["total"]) == best


def test_proposal_scoring_with_an_undeclared_evaluator_is_refused():
    params = ProposalParams(evaluators=("e1", "e2"), declarations=(Declaration("e1", True),))
    with pytest.raises(ConflictNotDeclared):
        METHODS["proposal_scoring"].select([bid(0, "1", response="1", staff="1")] * 1, params, rnd())


def test_proposal_scoring_with_a_declared_conflict_is_refused():
    params = ProposalParams(evaluators=("e1",), declarations=(Declaration("e1", False),))
    with pytest.raises(EvaluatorConflicted):
        METHODS["proposal_scoring"].select([bid(0, "1", response="1", staff="1")], params, rnd())


def test_proposal_scoring_without_evaluators_is_refused():
    with pytest.raises(MissingField):
        METHODS["proposal_scoring"].select([bid(0, "1", response="1", staff="1")],
                                           ProposalParams(), rnd())


def test_proposal_scoring_before_all_scores_are_in_awaits_scores():
    bids = [bid(0, "10", response="30", staff="20"), bid(1, "11")]
    outcome = METHODS["proposal_scoring"].select(bids, ProposalParams(**DECLARED), rnd())
    assert outcome.status == "awaiting_scores" and outcome.figures["missing"] == ["a01"]


def test_proposal_scoring_with_points_above_the_weight_is_refused():
    bids = [bid(0, "10", response="40.01", staff="20"), bid(1, "11", response="1", staff="1")]
    with pytest.raises(InvalidScore):
        METHODS["proposal_scoring"].select(bids, ProposalParams(**DECLARED), rnd())


# --- every method ------------------------------------------------------------------

ALL_PARAMS = {
    "direct": DirectParams(chosen="a02", justification="理由"), "random": Params(),
    "lowest_price": PriceParams(), "reasonable_price": PriceParams(), "credit_merit": MeritParams(),
    "proposal_scoring": ProposalParams(**DECLARED),
}


@pytest.mark.parametrize("code", sorted(METHODS))
@given(seed=st.binary(min_size=32, max_size=32), n=st.integers(min_value=3, max_value=14))
def test_select_for_every_method_is_deterministic_json_safe_and_picks_a_registrant(code, seed, n):
    bids = [bid(i, f"{100 + i % 4}.00", credit=50 + i % 3, response="30", staff="20") for i in range(n)]
    first = METHODS[code].select(bids, ALL_PARAMS[code], rnd(seed))
    assert first == METHODS[code].select(bids, ALL_PARAMS[code], rnd(seed))
    assert json.loads(json.dumps(first.to_dict())) == first.to_dict()
    chosen = [first.winner] if first.winner else first.figures["short_list"]
    assert set(chosen) <= {b.agency_id for b in bids}
