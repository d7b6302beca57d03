"""Raw-SQL tampering with the events table is found at the right position, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from market.integrity.chain import GENESIS, extend


def test_an_untouched_store_verifies_clean(guard, procurement, market):
    report = guard.verify()

    assert report.clean, report.finding
    assert report.records == report.head == market.recorder.max_notification_id() > 30


def test_an_untouched_store_with_checkpoints_verifies_clean(guard, world, procurement):
    guard.checkpoint()
    world.admitted_agency(3)
    guard.checkpoint()

    report = guard.verify()

    assert report.clean, report.finding
    # register, then admit (with the credit file it opens): three events after the first checkpoint
    assert [cp.position for cp in report.checkpoints] == [report.head - 3, report.head]


def test_one_changed_byte_of_an_events_state_is_found_as_altered_at_its_position(guard, procurement, tamper):
    _, first = procurement
    tamper.flip_state_byte(first + 1)

    finding = guard.verify().finding

    assert (finding.position, finding.kind) == (first + 1, "altered")


def test_a_deleted_row_is_found_as_deleted_at_its_position(guard, procurement, tamper):
    _, first = procurement
    tamper.delete(first + 2)

    finding = guard.verify().finding

    assert (finding.position, finding.kind) == (first + 2, "deleted")


def test_a_forged_row_is_found_as_inserted_at_its_position(guard, procurement, tamper):
    _, first = procurement
    forged_at = tamper.insert_forged(like=first, originator_id=uuid.uuid4())

    finding = guard.verify().finding

    assert (finding.position, finding.kind) == (forged_at, "inserted")


def test_two_rows_that_swapped_topic_and_state_are_found_as_reordered_at_the_first(guard, procurement, tamper):
    _, first = procurement
    tamper.swap_contents(first + 1, first + 3)

    finding = guard.verify().finding

    assert (finding.position, finding.kind) == (first + 1, "reordered")
    assert str(first + 3) in finding.detail


def test_two_rows_that_swapped_positions_are_found_as_reordered_at_the_first(guard, procurement, tamper):
    _, first = procurement
    tamper.swap_positions(first, first + 2)

    finding = guard.verify().finding

    assert (finding.position, finding.kind) == (first, "reordered")
    assert str(first + 2) in finding.detail


def test_a_row_deleted_with_its_chain_row_is_found_at_its_position(guard, procurement, tamper):
    _, first = procurement
    tamper.delete(first + 1)
    tamper.sql("DELETE FROM {chain} WHERE position = {ph}", first + 1)

    finding = guard.verify().finding

    assert (finding.position, finding.kind) == (first + 1, "deleted")


def test_a_history_rewritten_with_recomputed_links_is_caught_by_the_signed_checkpoint(guard, procurement, tamper):
    _, first = procurement
    head = guard.checkpoint().head
    tamper.flip_state_byte(first + 1)
    # The attacker recomputes every digest and link from the altered record on: the chain
    # alone is now self-consistent, only the signature (key outside the database) disagrees.
    prev_position, prev_link = tamper.sql("SELECT position, link FROM {chain} WHERE position = {ph}", first)[0]
    rows = [(p, *tamper.row(p)) for p in tamper.positions() if p > first]
    to_id = (lambda oid: uuid.UUID(oid)) if tamper.ph == "?" else (lambda oid: oid)
    for link in extend(prev_position, bytes(prev_link), [(p, to_id(o), v, t, bytes(s)) for p, o, v, t, s in rows]):
        tamper.sql("UPDATE {chain} SET digest = {ph}, link = {ph} WHERE position = {ph}",
                   link.digest, link.link, link.position)  # fmt: skip

    finding = guard.verify().finding

    assert finding.kind == "rewritten"
    assert finding.position == 1 and str(head) in finding.detail  # somewhere before the checkpoint


def test_a_checkpoint_signed_with_another_key_is_found_as_forged(guard, procurement, tamper, tmp_path):
    from market.integrity.chain import checkpoint_message
    from market.integrity.keys import SigningKey

    head = guard.checkpoint().head
    mallory = SigningKey.load_or_create(tmp_path / "mallory.pem")
    link = tamper.sql("SELECT link FROM {chain} WHERE position = {ph}", head)[0][0]
    signature = mallory.sign(checkpoint_message(head, bytes(link), "2026-03-02T01:00:00+00:00"))
    tamper.sql("UPDATE {checkpoints} SET signature = {ph}, key_id = {ph}, signed_at = {ph}",
               signature, mallory.key_id, "2026-03-02T01:00:00+00:00")  # fmt: skip

    finding = guard.verify().finding

    assert (finding.position, finding.kind) == (head, "forged-checkpoint")


def test_a_truncated_tail_behind_a_checkpoint_is_found_as_deleted(guard, procurement, tamper):
    head = guard.checkpoint().head
    tamper.delete(head)
    tamper.sql("DELETE FROM {chain} WHERE position = {ph}", head)

    finding = guard.verify().finding

    assert (finding.position, finding.kind) == (head, "deleted")


@pytest.mark.parametrize("change", ["flip", "delete"])
def test_a_checkpoint_is_not_signed_over_a_tampered_chain(guard, world, tamper, change):
    guard.checkpoint()
    world.admitted_agency(3)  # records after the checkpoint, then one of them is changed
    tail = tamper.positions()[-1]
    tamper.flip_state_byte(tail) if change == "flip" else tamper.delete(tail)

    report = guard.checkpoint()

    assert report.finding is not None and report.finding.position == tail
    assert len(tamper.sql("SELECT * FROM {checkpoints}")) == 1


def test_the_chain_starts_from_the_genesis_link(guard, procurement, tamper):
    first = tamper.sql("SELECT prev_position, link FROM {chain} ORDER BY position LIMIT 1")[0]
    oid, version, topic, state = tamper.row(1)
    oid = uuid.UUID(oid) if isinstance(oid, str) else oid

    assert first[0] == 0
    assert bytes(first[1]) == extend(0, GENESIS, [(1, oid, version, topic, bytes(state))])[0].link
