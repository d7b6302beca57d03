"""A procurement's stored records with the chain proof that ties them to a signed checkpoint.

The document holds, in position order from the link just before the procurement's first
record up to a signed checkpoint at or after its last one:

* the procurement's own records (and its draw secret's) exactly as stored — originator id,
  version, topic and the state bytes (base64) — each with the stored link before and after it;
* for every other record in between, only its chained digest: another procurement's data
  (and the persons in it) never leave the database, yet the links can be recomputed;
* the checkpoint, its Ed25519 signature and the public key.

``tools/verify_chain.py`` checks such a file offline with the standard library alone.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from market.integrity.chain import GENESIS, Record
from market.integrity.store import ChainReader, Checkpoint

FORMAT = "zjcs-chain-export/1"
CANONICAL = {
    "digest": "SHA-256('zjcs-event-v1\\0' || u32 len || originator_id (canonical UUID text) || u64 originator_version"
              " || u32 len || topic (UTF-8) || u32 len || state bytes)",
    "link": "SHA-256(previous link || u64 position || digest); the link before the first record is 32 zero bytes",
    "checkpoint": "Ed25519 over 'zjcs-checkpoint-v1\\0' || u64 position || link || signed_at (ASCII)",
    "integers": "big-endian",
}  # fmt: skip


def covering_checkpoint(checkpoints: list[Checkpoint], position: int) -> Checkpoint | None:
    """The earliest checkpoint at or after ``position`` (the shortest proof)."""
    return next((cp for cp in checkpoints if cp.position >= position), None)


def export_document(
    reader: ChainReader, procurement_id: UUID, aggregate_ids: list[UUID], checkpoint: Checkpoint, public_key: bytes
) -> dict[str, Any]:
    records = reader.records_of(aggregate_ids)
    by_position = {r.position: r for r in records}
    anchor = reader.link_before(records[0].position) if records else None
    anchor_pos, anchor_link = (anchor.position, anchor.link) if anchor else (0, GENESIS)
    entries: list[dict[str, Any]] = []
    previous = anchor_link
    chained = list(reader.links(after=anchor_pos, upto=checkpoint.position))
    chained_at = {k.position for k in chained}
    # A record stored without a chain row (a forgery) is exported too: the proof then fails.
    unchained = [(r.position, None) for r in records
                 if r.position <= checkpoint.position and r.position not in chained_at]  # fmt: skip
    for position, link in sorted([*((k.position, k) for k in chained), *unchained], key=lambda item: item[0]):
        record = by_position.get(position)
        if record is None:
            entries.append({"position": position, "digest": link.digest.hex()})
        else:
            entries.append({"position": position, "event": _event(record), "link_before": previous.hex(),
                            "link": link.link.hex() if link else None})  # fmt: skip
        previous = link.link if link else previous
    return {
        "format": FORMAT,
        "procurement_id": str(procurement_id),
        "aggregates": [str(i) for i in aggregate_ids],
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "canonical": CANONICAL,
        "anchor": {"position": anchor_pos, "link": anchor_link.hex()},
        "entries": entries,
        "checkpoint": {"position": checkpoint.position, "link": checkpoint.link.hex(),
                       "signed_at": checkpoint.signed_at, "signature": checkpoint.signature.hex(),
                       "key_id": checkpoint.key_id},  # fmt: skip
        "public_key": public_key.hex(),
    }


def _event(record: Record) -> dict[str, Any]:
    return {
        "originator_id": record.originator_id,
        "originator_version": record.originator_version,
        "topic": record.topic,
        "state": base64.b64encode(record.state).decode("ascii"),
    }
