"""The hash chain over the event store: how one stored record becomes one link.

Every record the recorder stores at notification position ``n`` gets a chain row::

    digest_n = SHA-256(EVENT_TAG ‖ len‖originator_id ‖ u64 version ‖ len‖topic ‖ len‖state)
    link_n   = SHA-256(link_p ‖ u64 n ‖ digest_n)      p = the previous chained position

``link`` of the first record follows ``GENESIS`` (32 zero bytes). Integers are big-endian,
``len`` is a u32 byte count, text is UTF-8 and the originator id is its canonical text (a
UUID's hyphenated lower-case form). The state is the bytes as stored (after the mapper's
transcoder, compressor and cipher), so the chain proves what the database holds.

The record's own digest sits between the record and the link so that an export can prove
a procurement's events up to a signed checkpoint with *digests* of everyone else's events
(not their data), and so that a record found at the wrong position can be recognised.
``tools/verify_chain.py`` re-implements these functions with the standard library only;
``tests/integrity`` checks that the two agree.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from uuid import UUID

EVENT_TAG = b"zjcs-event-v1\x00"
CHECKPOINT_TAG = b"zjcs-checkpoint-v1\x00"
GENESIS = bytes(32)


@dataclass(frozen=True, slots=True)
class Record:
    """One stored event, as the events table holds it."""

    position: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


@dataclass(frozen=True, slots=True)
class Link:
    """One chain row: the record's digest and the running link."""

    position: int
    prev_position: int  # 0 before the first record
    digest: bytes
    link: bytes


def originator_text(originator_id: UUID | str) -> str:
    return str(originator_id)  # a UUID's canonical form; readers convert SQLite's hex text to UUID first


def record_digest(originator_id: UUID | str, version: int, topic: str, state: bytes) -> bytes:
    oid = originator_text(originator_id).encode()
    top = topic.encode()
    h = hashlib.sha256(EVENT_TAG)
    h.update(struct.pack(">I", len(oid)) + oid + struct.pack(">QI", version, len(top)) + top)
    h.update(struct.pack(">I", len(state)))
    h.update(state)
    return h.digest()


def digest_of(record: Record) -> bytes:
    return record_digest(record.originator_id, record.originator_version, record.topic, record.state)


def next_link(prev_link: bytes, position: int, digest: bytes) -> bytes:
    return hashlib.sha256(prev_link + struct.pack(">Q", position) + digest).digest()


def checkpoint_message(position: int, link: bytes, signed_at: str) -> bytes:
    """The bytes an Ed25519 checkpoint signature covers."""
    return CHECKPOINT_TAG + struct.pack(">Q", position) + link + signed_at.encode("ascii")


def extend(prev_position: int, prev_link: bytes, records: list[tuple[int, UUID | str, int, str, bytes]]) -> list[Link]:
    """Chain rows for freshly stored records (position order), after ``(prev_position, prev_link)``."""
    rows = []
    for position, originator_id, version, topic, state in records:
        digest = record_digest(originator_id, version, topic, state)
        prev_link = next_link(prev_link, position, digest)
        rows.append(Link(position, prev_position, digest, prev_link))
        prev_position = position
    return rows
