"""Idempotency and races: nothing lost, nothing duplicated, on every backend."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from domain.base import Actor, Role
from domain.errors import AlreadyRegistered, IdempotencyKeyReused
from domain.procurement import Procurement
from tests.builders import agency_profile, uscc


def _all_at_once(n: int, task):
    """Run ``task(i)`` in n threads released together by a barrier; return results or exceptions."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        try:
            return task(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            return exc

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_repeating_a_command_with_the_same_key_returns_the_first_result_and_records_nothing(market, world):
    agency_id, actor = world.admitted_agency(2)
    pid = world.open_procurement()
    first = market.sign_up(pid, agency_id, {"kind": "amount", "value": "20000"}, by=actor, idempotency_key="k-1")
    head = market.recorder.max_notification_id()

    again = market.sign_up(pid, agency_id, {"kind": "amount", "value": "20000"}, by=actor, idempotency_key="k-1")

    assert again == first
    assert market.recorder.max_notification_id() == head


def test_reusing_a_key_for_a_different_command_is_refused_and_records_nothing(market, world):
    agency_id, actor = world.admitted_agency(2)
    pid = world.open_procurement()
    market.sign_up(pid, agency_id, {"kind": "amount", "value": "20000"}, by=actor, idempotency_key="k-2")
    head = market.recorder.max_notification_id()

    with pytest.raises(IdempotencyKeyReused) as refused:
        market.revise_quote(pid, agency_id, {"kind": "amount", "value": "19000"}, by=actor, idempotency_key="k-2")

    assert refused.value.code == "idempotency_key_reused"
    assert market.recorder.max_notification_id() == head


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_racing_registrations_of_one_credit_code_record_exactly_one(market, world):
    outcomes = _all_at_once(8, lambda i: market.register_agency(uscc(7), agency_profile(7), by=Actor(f"u{i}", Role.AGENCY)))

    registered = [o for o in outcomes if isinstance(o, dict)]
    refused = [o for o in outcomes if isinstance(o, AlreadyRegistered)]
    assert len(registered) == 1 and len(refused) == 7
    assert [type(e).__name__ for e in market.history(registered[0]["agency_id"])] == ["Registered"]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_fifty_agencies_signing_up_at_once_are_all_recorded_exactly_once(market, world):
    agencies = [world.admitted_agency(n) for n in range(100, 150)]
    pid = world.open_procurement()

    outcomes = _all_at_once(
        50,
        lambda i: market.sign_up(
            pid, agencies[i][0], {"kind": "amount", "value": str(20000 + i)}, by=agencies[i][1], idempotency_key=f"signup-{i}"
        ),
    )

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    procurement = market.load(pid, Procurement)
    signed = [type(e).__name__ for e in market.history(pid)].count("SignedUp")
    assert signed == 50
    assert {s["agency_id"] for s in procurement.active_signups()} == {str(a) for a, _ in agencies}

    head = market.recorder.max_notification_id()
    replayed = _all_at_once(
        10,
        lambda i: market.sign_up(
            pid, agencies[i][0], {"kind": "amount", "value": str(20000 + i)}, by=agencies[i][1], idempotency_key=f"signup-{i}"
        ),
    )
    assert [r["agency_id"] for r in replayed] == [str(agencies[i][0]) for i in range(10)]
    assert market.recorder.max_notification_id() == head


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_one_key_sent_twice_at_once_records_one_sign_up(market, world):
    agency_id, actor = world.admitted_agency(2)
    pid = world.open_procurement()

    outcomes = _all_at_once(
        6, lambda i: market.sign_up(pid, agency_id, {"kind": "amount", "value": "20000"}, by=actor, idempotency_key="same")
    )

    assert all(o == outcomes[0] for o in outcomes), outcomes
    assert [type(e).__name__ for e in market.history(pid)].count("SignedUp") == 1


def test_repeating_a_creating_command_with_its_key_returns_the_same_new_id_and_records_nothing(market, world):
    from tests.builders import notice

    first = market.draft_procurement(world.owner_id, notice(), by=world.owner, idempotency_key="draft-1")
    head = market.recorder.max_notification_id()

    again = market.draft_procurement(world.owner_id, notice(), by=world.owner, idempotency_key="draft-1")

    assert again == first
    assert market.recorder.max_notification_id() == head
