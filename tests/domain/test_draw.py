"""The verifiable draw: commitment, list hash, seed, counter stream, uniformity."""

import hashlib
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.draw import Randomness, canonical_entries, commit, derive_seed, list_digest
from domain.errors import InvalidInput

# χ² critical values at p = 0.001 (any statistics table), by degrees of freedom.
CHI2_CRITICAL_0_001 = {2: 13.816, 3: 16.266, 5: 20.515}

ids = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=1, max_size=18)
pools = st.lists(ids, min_size=1, max_size=12, unique=True)
seeds = st.binary(min_size=32, max_size=32)


def seed_no(i: int) -> bytes:
    return hashlib.sha256(b"seed-%d" % i).digest()


def chi_square(counts: Counter, expected: dict) -> float:
    return sum((counts[key] - e) ** 2 / e for key, e in expected.items())


def reference_draw(pool, seed: bytes, k=1):
    """domain.md §5.1, verbatim: the stream must agree with the brief's algorithm."""
    pool, out, ctr = sorted(pool), [], 0
    while len(out) < k and pool:
        n = len(pool)
        limit = (1 << 256) // n * n
        while (x := int.from_bytes(hashlib.sha256(seed + ctr.to_bytes(8, "big")).digest(), "big")) >= limit:
            ctr += 1
        ctr += 1
        out.append(pool.pop(x % n))
    return out


def test_commit_of_secret_is_its_hex_sha256():
    assert commit(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_canonical_entries_given_any_order_are_sorted_compact_utf8_json():
    entries = [{"uscc": "92B", "agency_id": "b", "price": "10.00"},
               {"uscc": "91A", "agency_id": "甲", "credit_score": 80}]
    assert canonical_entries(entries) == (
        '[{"agency_id":"甲","credit_score":80,"uscc":"91A"},'
        '{"agency_id":"b","price":"10.00","uscc":"92B"}]').encode("utf-8")
    assert list_digest(entries) == list_digest(list(reversed(entries)))


def test_list_digest_when_a_price_changes_differs():
    entries = [{"uscc": "91A", "agency_id": "a", "price": "10.00"}]
    assert list_digest(entries) != list_digest([{**entries[0], "price": "10.01"}])


def test_list_digest_with_a_float_value_is_refused():
    with pytest.raises(InvalidInput):
        list_digest([{"uscc": "91A", "agency_id": "a", "price": 10.0}])


def test_derive_seed_concatenates_secret_raw_list_hash_and_procurement_id():
    list_hash = hashlib.sha256(b"list").hexdigest()
    expected = hashlib.sha256(b"s3cret" + bytes.fromhex(list_hash) + "采购-1".encode()).digest()
    assert derive_seed(b"s3cret", list_hash, "采购-1") == expected


def test_derive_seed_with_a_short_list_hash_is_refused():
    with pytest.raises(InvalidInput):
        derive_seed(b"s", "abcd", "p")


@given(pools, seeds, st.integers(min_value=0, max_value=14))
def test_draw_from_a_fresh_stream_matches_the_brief_reference(pool, seed, k):
    assert Randomness(seed).draw(pool, k) == reference_draw(pool, seed, k)


@given(pools, seeds, st.integers(min_value=0, max_value=14))
def test_draw_returns_distinct_pool_items_and_records_the_step(pool, seed, k):
    rnd = Randomness(seed)
    out = rnd.draw(list(reversed(pool)), k)
    assert len(out) == min(k, len(pool)) == len(set(out)) and set(out) <= set(pool)
    assert rnd.transcript == [{"op": "draw", "pool": sorted(pool), "k": k, "result": out,
                               "counter_from": 0, "counter_to": rnd.counter}]


@given(seeds, st.lists(st.sampled_from(["draw", "choice", "weighted"]), min_size=1, max_size=6))
def test_stream_with_several_calls_uses_one_contiguous_counter(seed, ops):
    rnd = Randomness(seed)
    for op in ops:
        {"draw": lambda: rnd.draw(["a", "b", "c"], 2), "choice": lambda: rnd.choice_index(7),
         "weighted": lambda: rnd.weighted_draw({"a": 1, "b": 5}, 1)}[op]()
    bounds = [(s["counter_from"], s["counter_to"]) for s in rnd.transcript]
    assert [b[0] for b in bounds] == [0] + [b[1] for b in bounds[:-1]]
    assert rnd.counter == bounds[-1][1]


@given(seeds, st.integers(min_value=1, max_value=1000))
def test_choice_index_is_in_range_and_recorded(seed, n):
    rnd = Randomness(seed)
    index = rnd.choice_index(n)
    assert 0 <= index < n and rnd.transcript[0]["op"] == "choice_index"
    assert rnd.transcript[0]["pool"] == n and rnd.transcript[0]["result"] == [index]


@given(seeds, st.dictionaries(ids, st.integers(min_value=1, max_value=100), min_size=1),
       st.integers(min_value=0, max_value=5))
def test_weighted_draw_returns_distinct_keys_without_replacement(seed, pool, k):
    out = Randomness(seed).weighted_draw(pool, k)
    assert len(out) == min(k, len(pool)) == len(set(out)) and set(out) <= set(pool)


@pytest.mark.parametrize("pool", [{"a": 0}, {"a": -1}, {"a": 1.5}, {"a": True}])
def test_weighted_draw_with_a_non_positive_or_non_integer_ticket_is_refused(pool):
    with pytest.raises(InvalidInput):
        Randomness(seed_no(0)).weighted_draw(pool, 1)


def test_draw_with_duplicate_pool_items_is_refused():
    with pytest.raises(InvalidInput):
        Randomness(seed_no(0)).draw(["a", "a"], 1)


def test_randomness_with_a_seed_not_32_bytes_is_refused():
    with pytest.raises(InvalidInput):
        Randomness(b"short")


def test_draw_over_many_seeds_is_uniform_by_chi_square():
    pool, runs = ["A", "B", "C", "D", "E", "F"], 6000
    counts = Counter(Randomness(seed_no(i)).draw(pool, 1)[0] for i in range(runs))
    assert chi_square(counts, {p: runs / 6 for p in pool}) < CHI2_CRITICAL_0_001[5]


def test_draw_second_pick_over_many_seeds_is_uniform_by_chi_square():
    pool, runs = ["A", "B", "C", "D", "E", "F"], 6000
    counts = Counter(Randomness(seed_no(i)).draw(pool, 2)[1] for i in range(runs))
    assert chi_square(counts, {p: runs / 6 for p in pool}) < CHI2_CRITICAL_0_001[5]


def test_weighted_draw_over_many_seeds_is_proportional_to_tickets_by_chi_square():
    weights, runs = {"a": 1, "b": 2, "c": 3}, 6000
    counts = Counter(Randomness(seed_no(i)).weighted_draw(weights, 1)[0] for i in range(runs))
    assert chi_square(counts, {p: runs * w / 6 for p, w in weights.items()}) < CHI2_CRITICAL_0_001[2]


def test_chi_square_check_rejects_a_biased_draw():
    # The statistic must be able to fail: a pool where "A" takes two slots of seven.
    runs = 6000
    counts = Counter()
    for i in range(runs):
        pick = Randomness(seed_no(i)).draw(["A", "A2", "B", "C", "D", "E", "F"], 1)[0]
        counts["A" if pick == "A2" else pick] += 1
    assert chi_square(counts, {p: runs / 6 for p in "ABCDEF"}) > CHI2_CRITICAL_0_001[5]


def test_stream_reproduces_the_test_vector_published_in_the_algorithm_document():
    secret = bytes(31) + b"\x01"
    entries = [{"agency_id": "agency-b", "uscc": "91330100MA2B000002", "price": "97.50"},
               {"agency_id": "agency-a", "uscc": "91330100MA2A000001", "price": "98.00"},
               {"agency_id": "agency-c", "uscc": "91330100MA2C000003", "price": "97.50"}]
    list_hash = list_digest(entries)
    seed = derive_seed(secret, list_hash, "demo-0001")
    assert commit(secret) == "ec4916dd28fc4c10d78e287ca5d9cc51ee1ae73cbfde08c6b37324cbfaac8bc5"
    assert list_hash == "d0d9e764be7e3191f7e9db5b68fd92e3428d59cf61bd48804a5674b9fa4402bc"
    assert seed.hex() == "de5fa5fdd9e1b8f2595c82ce4d9af39883c512af4471cd0789e8425446e58b6c"
    assert Randomness(seed).draw(["agency-c", "agency-b"], 1) == ["agency-c"]
    rnd = Randomness(seed)
    assert rnd.draw(["agency-a", "agency-b", "agency-c"], 3) == ["agency-c", "agency-a", "agency-b"]
    assert rnd.weighted_draw({"y": 3, "x": 1}, 2) == ["x", "y"]
    assert [(s["counter_from"], s["counter_to"]) for s in rnd.transcript] == [(0, 3), (3, 5)]
