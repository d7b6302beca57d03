"""The verifiable draw (可验证抽取): commitment, frozen-list hash, seed, counter stream.

domain.md §5.1: at 报名截止 (SignupClosed) the eligible list is frozen, sorted by
统一社会信用代码, and its SHA-256 published; the notice already committed to
SHA-256(secret). Every random decision of a selection, tie-breaks included, is
then read from ONE counter-mode SHA-256 stream over the seed, never from
`random` (whose output changes between Python versions). Each call appends a
step to a transcript, published with the 中选公告 so that anyone can replay it.
The byte-level algorithm is in docs/draw-algorithm.md; tools/verify_draw.py is
an independent re-implementation.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from domain.errors import InvalidInput

ALGORITHM = "sha256-ctr-v1"
_SPACE = 1 << 256  # SHA-256 outputs read as big-endian integers


def commit(secret: bytes) -> str:
    """The commitment printed on the notice: hex SHA-256 of the secret."""
    return hashlib.sha256(secret).hexdigest()


def canonical_entries(entries: list[dict[str, Any]]) -> bytes:
    """UTF-8 JSON of the list sorted by (uscc, agency_id), keys sorted, no spaces."""
    for entry in entries:
        for key, value in entry.items():
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                raise InvalidInput(field=f"entries.{key}", detail="values must be strings or integers")
    ordered = sorted(entries, key=lambda e: (e["uscc"], e["agency_id"]))
    text = json.dumps(ordered, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def list_digest(entries: list[dict[str, Any]]) -> str:
    """Hex SHA-256 of the frozen eligible list (published at SignupClosed)."""
    return hashlib.sha256(canonical_entries(entries)).hexdigest()


def derive_seed(secret: bytes, list_hash: str, procurement_id: str) -> bytes:
    """seed = SHA-256(secret ‖ list_hash as 32 raw bytes ‖ UTF-8 procurement id)."""
    raw = bytes.fromhex(list_hash)
    if len(raw) != 32:
        raise InvalidInput(field="list_hash", detail="must be 64 hex digits")
    return hashlib.sha256(secret + raw + str(procurement_id).encode("utf-8")).digest()


class Randomness:
    """One counter stream over the seed; every draw is recorded in `transcript`."""

    def __init__(self, seed: bytes) -> None:
        if len(seed) != 32:
            raise InvalidInput(field="seed", detail="must be 32 bytes")
        self.seed = seed
        self.counter = 0
        self.transcript: list[dict[str, Any]] = []

    def _below(self, n: int) -> int:
        # Rejection sampling: drop the top sliver of the 2^256 space that would
        # make `x % n` favour small indices.
        limit = _SPACE // n * n
        while True:
            block = self.counter.to_bytes(8, "big")
            self.counter += 1
            x = int.from_bytes(hashlib.sha256(self.seed + block).digest(), "big")
            if x < limit:
                return x % n

    def _record(self, op: str, pool: Any, k: int, result: list[Any], start: int) -> None:
        self.transcript.append(
            {"op": op, "pool": pool, "k": k, "result": result,
             "counter_from": start, "counter_to": self.counter}
        )

    def draw(self, pool: list[str], k: int = 1) -> list[str]:
        """k distinct items, uniformly, without replacement; the pool is sorted first."""
        _check_k(k)
        ordered = sorted(pool)
        if len(set(ordered)) != len(ordered):
            raise InvalidInput(field="pool", detail="duplicate items")
        start, remaining, out = self.counter, list(ordered), []
        while len(out) < k and remaining:
            out.append(remaining.pop(self._below(len(remaining))))
        self._record("draw", ordered, k, out, start)
        return out

    def choice_index(self, n: int) -> int:
        """A uniform index in range(n)."""
        if not isinstance(n, int) or n < 1:
            raise InvalidInput(field="n", detail="must be a positive integer")
        start = self.counter
        index = self._below(n)
        self._record("choice_index", n, 1, [index], start)
        return index

    def weighted_draw(self, pool: dict[str, int], k: int) -> list[str]:
        """k distinct keys without replacement; each key holds `weight` tickets."""
        _check_k(k)
        for key, weight in pool.items():
            if not isinstance(weight, int) or isinstance(weight, bool) or weight < 1:
                raise InvalidInput(field=f"pool.{key}", detail="tickets must be positive integers")
        ordered = dict(sorted(pool.items()))
        start, remaining, out = self.counter, dict(ordered), []
        while len(out) < k and remaining:
            ticket = self._below(sum(remaining.values()))
            for key, weight in remaining.items():  # keys stay in sorted order
                if ticket < weight:
                    break
                ticket -= weight
            out.append(key)
            del remaining[key]
        self._record("weighted_draw", ordered, k, out, start)
        return out


def _check_k(k: int) -> None:
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise InvalidInput(field="k", detail="must be a non-negative integer")
