"""The scheduled jobs: checkpoints are signed on a clean chain; a failure raises a critical flag."""

from __future__ import annotations

import logging
import time

from cryptography.hazmat.primitives import serialization

from domain.supervision.flags import Flag, FlagStatus
from market.integrity.alarm import FLAG_CODE, FLAG_KEY
from market.integrity.jobs import CHECKPOINT_JOB_ID, VERIFY_JOB_ID
from market.integrity.keys import SigningKey
from market.scheduler import DeadlineScheduler
from projections.catalog import open_read_models

FLAG_ID = Flag.create_id(FLAG_CODE, FLAG_KEY)


def flag(market) -> Flag | None:
    return market.load(FLAG_ID, Flag) if market.exists(FLAG_ID) else None


def test_the_checkpoint_job_signs_the_head_with_the_key_from_the_key_file(guard, procurement, market, key_file):
    report = guard.checkpoint_job()

    (checkpoint,) = report.checkpoints
    assert checkpoint.position == market.recorder.max_notification_id()
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert checkpoint.key_id == SigningKey.load(key_file).key_id
    assert guard.checkpoint_job().checkpoints == []  # nothing new: nothing signed twice


def test_the_private_key_is_never_stored_in_the_database(guard, procurement, tamper, key_file):
    guard.checkpoint_job()
    pem = key_file.read_bytes()
    private = serialization.load_pem_private_key(pem, password=None)
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())  # fmt: skip
    secrets = (seed, seed.hex().encode(), pem.splitlines()[1])

    for table in ("{events}", "{chain}", "{checkpoints}"):
        for row in tamper.sql(f"SELECT * FROM {table}"):
            cells = [bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode() for v in row]
            assert not any(secret in cell for secret in secrets for cell in cells)


def test_a_failed_verification_raises_one_critical_flag_and_logs_critically(guard, procurement, market, tamper, caplog):
    _, first = procurement
    tamper.flip_state_byte(first + 1)

    with caplog.at_level(logging.CRITICAL, logger="market.integrity"):
        report = guard.verify_job()
    raised = flag(market)

    assert report.finding.position == first + 1
    assert any(r.levelno == logging.CRITICAL and str(first + 1) in r.getMessage() for r in caplog.records)
    assert raised is not None and raised.severity == "critical" and raised.status is FlagStatus.OPEN
    assert raised.evidence == [{"position": first + 1, "kind": "altered"}]
    version = raised.version
    guard.verify_job()  # the same finding again records nothing
    assert flag(market).version == version


def test_a_clean_verification_after_a_restore_clears_the_flag(guard, procurement, market, tamper):
    _, first = procurement
    tamper.flip_state_byte(first + 1)
    guard.verify_job()
    tamper.flip_state_byte(first + 1)  # restored from backup

    report = guard.verify_job()

    assert report.clean
    assert flag(market).status is FlagStatus.CLEARED


def test_a_tampered_chain_fails_the_checkpoint_job_with_a_flag_and_no_signature(guard, world, market, tamper):
    guard.checkpoint_job()
    world.admitted_agency(3)
    tail = tamper.positions()[-1]
    tamper.flip_state_byte(tail)

    report = guard.checkpoint_job()

    assert report.finding.position == tail and report.checkpoints == []
    assert flag(market).evidence[0]["position"] == tail


def test_an_alarm_that_cannot_be_recorded_is_still_logged_critically(guard, world, market, tamper, caplog):
    """Deleting SQLite's last row frees its rowid; the recorder then refuses every write (fail closed)."""
    tail = tamper.positions()[-1]
    tamper.delete(tail)

    with caplog.at_level(logging.CRITICAL, logger="market.integrity"):
        guard.verify_job()

    assert [r.getMessage() for r in caplog.records if r.levelno == logging.CRITICAL][0].startswith(
        f"event chain verification FAILED at position {tail}"
    )


def test_the_leader_scheduler_runs_the_integrity_jobs(guard, procurement, market, database_url, tamper):
    tail = tamper.positions()[-1]  # the agency's: the deadline tick never loads it
    tamper.flip_state_byte(tail)
    read_models = open_read_models(database_url, market)
    scheduler = DeadlineScheduler(market, read_models, interval_seconds=60, integrity=guard)
    try:
        assert scheduler.start()
        jobs = {job.id for job in scheduler._scheduler.get_jobs()}
        deadline = time.monotonic() + 20
        while flag(market) is None and time.monotonic() < deadline:  # the first verification runs at start
            time.sleep(0.05)
    finally:
        scheduler.stop()
        read_models.close()

    assert {CHECKPOINT_JOB_ID, VERIFY_JOB_ID} <= jobs
    assert flag(market).evidence[0]["position"] == tail
