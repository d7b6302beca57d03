"""Walking the chain: recompute every link from the stored records and check the signed checkpoints.

The walk merges the events table and the chain table by position and stops at the first
position where they disagree. What it says there:

* ``altered`` — a record is stored but its digest is not the one chained at its position;
* ``deleted`` — a position was chained but its record is gone (or the record and its chain
  row are both gone: the next chain row names the missing position as its predecessor);
* ``inserted`` — a record is stored at a position that was never chained;
* ``reordered`` — a record is found where another was chained, and its own digest is chained
  elsewhere (rows moved or swapped), or two records swapped their topic and state;
* ``chain-altered`` — the record matches its digest but the stored link does not follow;
* ``rewritten`` — every row is self-consistent, yet a signed checkpoint disagrees: the records
  *and* their chain rows were recomputed after the last good checkpoint;
* ``forged-checkpoint`` — a checkpoint whose signature does not verify with a trusted key.

Whoever can write to the database can recompute links, so the chain alone only localises
changes; the Ed25519 checkpoints, signed with a key held outside the database, are what an
attacker cannot redo (docs/tamper-evidence.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from market.integrity.chain import GENESIS, Link, Record, checkpoint_message, digest_of, next_link, record_digest
from market.integrity.store import ChainReader, Checkpoint

SignatureCheck = Callable[[str, bytes, bytes], bool]  # (key_id, message, signature) -> valid
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Finding:
    position: int
    kind: str
    detail: str


@dataclass
class Report:
    records: int = 0  # records checked
    head: int = 0  # the last position checked
    head_link: bytes = GENESIS  # the recomputed link there
    checkpoints: list[Checkpoint] = field(default_factory=list)  # checked and found good
    finding: Finding | None = None

    @property
    def clean(self) -> bool:
        return self.finding is None


def _peek(it: Iterator[T]) -> tuple[T | None, Iterator[T]]:
    return next(it, None), it


def walk(reader: ChainReader, signed: SignatureCheck, *, start: tuple[int, bytes] = (0, GENESIS)) -> Report:
    """Check every record and chain row after ``start`` = (position, link), and the checkpoints after it."""
    prev_pos, prev_link = start
    report = Report(head=prev_pos, head_link=prev_link)
    pending = [cp for cp in reader.checkpoints() if cp.position > prev_pos]
    rec, records = _peek(reader.records(after=prev_pos))
    lnk, links = _peek(reader.links(after=prev_pos))
    good_since = prev_pos  # the last position vouched for by a checkpoint (or the start)

    def found(position: int, kind: str, detail: str) -> Report:
        report.finding = Finding(position, kind, detail)
        return report

    while rec is not None or lnk is not None:
        pos = min(x.position for x in (rec, lnk) if x is not None)
        while pending and pending[0].position < pos:  # a checkpointed position that holds nothing now
            cp = pending.pop(0)
            if not signed(cp.key_id, checkpoint_message(cp.position, cp.link, cp.signed_at), cp.signature):
                return found(cp.position, "forged-checkpoint",
                             f"checkpoint signature does not verify with a trusted key (key id {cp.key_id})")
            return found(cp.position, "deleted", f"signed checkpoint at {cp.position}, but nothing stored there")
        r = rec if rec is not None and rec.position == pos else None
        k = lnk if lnk is not None and lnk.position == pos else None
        if k is None:
            return classify(reader, found(pos, "inserted", f"{_describe(r)} was never chained"), r, None)
        if r is None:
            return classify(reader, found(pos, "deleted", "chained record is missing"), None, k)
        digest = digest_of(r)
        if digest != k.digest:
            return classify(reader, found(pos, "altered", f"{_describe(r)} differs from the record chained here"), r, k)
        if k.prev_position > prev_pos:
            return found(k.prev_position, "deleted", f"record and chain row gone (named as predecessor by {pos})")
        if k.prev_position < prev_pos:
            return found(prev_pos, "inserted",
                         f"record with a forged chain row (the row at {pos} follows {k.prev_position})")
        link = next_link(prev_link, pos, digest)
        if link != k.link:
            return found(pos, "chain-altered", "stored link does not follow from the previous link and this record")
        prev_pos, prev_link = pos, link
        report.records, report.head, report.head_link = report.records + 1, pos, link
        while pending and pending[0].position == pos:
            cp = pending.pop(0)
            if not signed(cp.key_id, checkpoint_message(cp.position, cp.link, cp.signed_at), cp.signature):
                return found(pos, "forged-checkpoint",
                             f"checkpoint signature does not verify with a trusted key (key id {cp.key_id})")
            if cp.link != link:
                return found(good_since + 1, "rewritten",
                             f"records and chain rows recomputed somewhere in ({good_since}, {pos}]: "
                             f"the checkpoint signed at {cp.signed_at} disagrees")  # fmt: skip
            report.checkpoints.append(cp)
            good_since = pos
        rec, lnk = next(records, None), next(links, None)  # both were at pos
    if pending:
        return found(prev_pos + 1, "deleted", f"records up to the signed checkpoint at {pending[0].position} are gone")
    return report


def classify(reader: ChainReader, report: Report, record: Record | None, link: Link | None) -> Report:
    """Tell a moved or swapped record from an altered, deleted or inserted one (a second pass)."""
    finding = report.finding
    assert finding is not None
    p = finding.position
    wanted = link.digest if link else None  # the digest chained at p
    mine = digest_of(record) if record else None  # the digest of what is stored at p
    if mine is not None:
        for other in reader.links():
            if other.digest == mine and other.position != p:
                return _reorder(report, f"the record stored at {p} was chained at {other.position}")
    if wanted is not None:
        for other in reader.records():
            if other.position == p:
                continue
            if digest_of(other) == wanted:
                return _reorder(report, f"the record chained at {p} is stored at {other.position}")
            if record and record_digest(record.originator_id, record.originator_version, other.topic,
                                        other.state) == wanted:  # fmt: skip
                return _reorder(report, f"topic and state of the records at {p} and {other.position} were swapped")
    return report


def _reorder(report: Report, detail: str) -> Report:
    assert report.finding is not None
    report.finding = Finding(report.finding.position, "reordered", detail)
    return report


def _describe(record: Record | None) -> str:
    if record is None:
        return "record"
    return f"record {record.originator_id} v{record.originator_version} ({record.topic.rsplit(':', 1)[-1]})"
