"""The integrity service: verify the chain, sign checkpoints, raise the alarm, export proofs.

A checkpoint is signed only over a chain that was just re-verified from the previous
checkpoint up to the head: otherwise a history rewritten since the last checkpoint would
be signed as genuine. Both scheduled jobs (``market.integrity.jobs``) and the CLI call here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.errors import NotFound
from market.draw_secrets import DrawSecret
from market.integrity.alarm import all_clear, raise_alarm
from market.integrity.chain import GENESIS, checkpoint_message
from market.integrity.export import covering_checkpoint, export_document
from market.integrity.keys import SigningKey, TrustedKeys
from market.integrity.store import ChainStore, Checkpoint
from market.integrity.verify import Finding, Report, walk

if TYPE_CHECKING:
    from market.app import Market


class IntegrityFailure(Exception):
    """The chain does not verify, so nothing will be signed or exported as genuine."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(f"position {finding.position}: {finding.kind} ({finding.detail})")
        self.finding = finding


@dataclass(frozen=True)
class Schedule:
    checkpoint_seconds: float = 300.0
    verify_seconds: float = 3600.0


class IntegrityGuard:
    def __init__(
        self, market: Market, *, key_file: Path, retired_keys: str = "", schedule: Schedule = Schedule()
    ) -> None:
        self.market = market
        self.store = ChainStore(market.recorder)
        self.key_file = Path(key_file)
        self.trusted = TrustedKeys.from_settings(self.key_file, retired_keys)
        self.schedule = schedule

    @classmethod
    def from_settings(cls, settings: Any, market: Market) -> IntegrityGuard | None:
        """The guard for this market, or None for the memory store (it keeps no chain)."""
        if not ChainStore.supports(market.recorder):
            return None
        schedule = Schedule(settings.checkpoint_interval_seconds, settings.verify_interval_seconds)
        return cls(market, key_file=settings.checkpoint_key_file, retired_keys=settings.checkpoint_public_keys,
                   schedule=schedule)  # fmt: skip

    def signing_key(self) -> SigningKey:
        key = SigningKey.load_or_create(self.key_file)
        self.trusted.keys.setdefault(key.key_id, key.public_key)
        return key

    def verify(self) -> Report:
        """Walk the whole chain and every checkpoint."""
        with self.store.reader() as reader:
            return walk(reader, self.trusted)

    def checkpoint(self) -> Report:
        """Re-verify from the last checkpoint to the head; if clean, sign the head (unless already signed)."""
        key = self.signing_key()
        with self.store.reader() as reader:
            checkpoints = reader.checkpoints()
            last = checkpoints[-1] if checkpoints else None
            if last and not self.trusted(last.key_id, checkpoint_message(last.position, last.link, last.signed_at),
                                         last.signature):  # fmt: skip
                return Report(finding=Finding(last.position, "forged-checkpoint", f"key {last.key_id}"))
            start = (last.position, last.link) if last else (0, GENESIS)
            report = walk(reader, self.trusted, start=start)
        if not report.clean or report.head == start[0]:
            return report
        signed_at = datetime.now(UTC).isoformat(timespec="seconds")
        signature = key.sign(checkpoint_message(report.head, report.head_link, signed_at))
        checkpoint = Checkpoint(report.head, report.head_link, signed_at, signature, key.key_id)
        self.store.add_checkpoint(checkpoint)
        report.checkpoints.append(checkpoint)
        return report

    # --- the scheduled jobs: a failure raises the critical flag ----------------------

    def checkpoint_job(self) -> Report:
        report = self.checkpoint()
        if report.finding is not None:
            raise_alarm(self.market, report.finding)
        return report

    def verify_job(self) -> Report:
        report = self.verify()
        if report.finding is not None:
            raise_alarm(self.market, report.finding)
        else:
            all_clear(self.market)
        return report

    # --- export --------------------------------------------------------------------

    def export(self, procurement_id: UUID | str) -> dict[str, Any]:
        """A procurement's records and their proof up to a signed checkpoint (signing one if none covers them)."""
        pid = UUID(str(procurement_id))
        ids = [pid, DrawSecret.create_id(str(pid))]
        for attempt in range(2):
            with self.store.reader() as reader:
                records = reader.records_of(ids)
                if not records:
                    raise NotFound(field="procurement_id", detail=str(pid))
                checkpoint = covering_checkpoint(reader.checkpoints(), records[-1].position)
                if checkpoint is not None:
                    public_key = self.trusted.keys.get(checkpoint.key_id)
                    if public_key is None:
                        raise IntegrityFailure(Finding(checkpoint.position, "forged-checkpoint", "unknown key"))
                    return export_document(reader, pid, ids, checkpoint, public_key)
            if attempt == 0:
                report = self.checkpoint()
                if report.finding is not None:
                    raise IntegrityFailure(report.finding)
        raise IntegrityFailure(Finding(records[-1].position, "inserted", "no checkpoint covers the last record"))
