"""The public result record (选取结果公示数据) and its verification.

`conduct` freezes the list, derives the seed, runs the method and returns the
record published with the 中选公告; `verify` recomputes every step from that
record alone. tools/verify_draw.py is an independent copy of `verify` with no
project imports, for the public.
"""

from __future__ import annotations

from typing import Any

from domain.draw import ALGORITHM, Randomness, commit, derive_seed, list_digest
from domain.errors import DomainError, InvalidInput
from domain.selection.base import Bid, Params, bids_from_entries, freeze_entries
from domain.selection.credit_merit import owner_pick
from domain.selection.registry import method
from domain.selection.rules import RuleSet

REQUIRED = ("algorithm", "method", "procurement_id", "rule_set", "params", "commitment",
            "secret", "entries", "list_hash", "seed", "outcome")


def conduct(code: str, *, procurement_id: str, secret: bytes, bids: list[Bid],
            params: Params) -> dict[str, Any]:
    """Run a selection from its public inputs; return the publishable record."""
    chosen = method(code)
    if not isinstance(params, chosen.params_type):
        raise InvalidInput(field="params", detail=f"{code} needs {chosen.params_type.__name__}")
    entries = freeze_entries(bids)
    scores = {b.agency_id: {c: str(v) for c, v in sorted(b.scores.items())}
              for b in bids if b.scores is not None}
    list_hash = list_digest(entries)
    seed = derive_seed(secret, list_hash, procurement_id)
    result = chosen.select(bids_from_entries(entries, scores), params, Randomness(seed))
    return {
        "algorithm": ALGORITHM, "method": code, "procurement_id": str(procurement_id),
        "rule_set": params.rule_set.to_dict(), "params": params.to_dict(),
        "commitment": commit(secret), "secret": secret.hex(), "entries": entries,
        "list_hash": list_hash, "scores": scores, "seed": seed.hex(),
        "outcome": result.to_dict(),
    }


def verify(result: dict[str, Any]) -> tuple[bool, list[str]]:
    """(genuine?, reasons it is not) for a published result record."""
    missing = [k for k in REQUIRED if k not in result]
    if missing:
        return False, [f"缺少字段 missing field(s): {', '.join(missing)}"]
    reasons: list[str] = []
    if result["algorithm"] != ALGORITHM:
        return False, [f"不支持的算法 unsupported algorithm: {result['algorithm']}"]
    try:
        secret = bytes.fromhex(result["secret"])
    except (TypeError, ValueError):
        return False, ["密钥不是十六进制 secret is not hex"]
    if commit(secret) != result["commitment"]:
        reasons.append("承诺值与密钥不符 commitment != SHA-256(secret)")
    try:
        list_hash = list_digest(result["entries"])
    except (DomainError, KeyError, TypeError) as exc:
        return False, reasons + [f"名单格式错误 malformed entries: {exc}"]
    if list_hash != result["list_hash"]:
        reasons.append("名单哈希不符 list hash does not match the entries")
    seed = derive_seed(secret, list_hash, result["procurement_id"])
    if seed.hex() != result["seed"]:
        reasons.append("种子不符 seed != SHA-256(secret ‖ list_hash ‖ procurement_id)")
    try:
        expected = _rerun(result, seed)
    except (DomainError, KeyError, TypeError, ValueError) as exc:
        return False, reasons + [f"无法重算 cannot re-run: {exc}"]
    reasons += _differences(expected, result["outcome"])
    return not reasons, reasons


def _rerun(result: dict[str, Any], seed: bytes) -> dict[str, Any]:
    chosen = method(result["method"])
    params = chosen.params_type.from_dict(result["params"], RuleSet.from_dict(result["rule_set"]))
    bids = bids_from_entries(result["entries"], result.get("scores"))
    outcome = chosen.select(bids, params, Randomness(seed))
    pick = (result["outcome"].get("figures") or {}).get("owner_pick")
    if outcome.status == "shortlisted" and pick is not None:
        outcome = owner_pick(outcome, pick["agency_id"], pick["reason"])
    return outcome.to_dict()


def _differences(expected: dict[str, Any], published: dict[str, Any]) -> list[str]:
    out = []
    for key in ("method", "status", "winner", "failure_reason", "transcript"):
        if expected.get(key) != published.get(key):
            out.append(f"结果不符 {key}: published {published.get(key)!r}, "
                       f"recomputed {expected.get(key)!r}")
    figures, shown = expected.get("figures", {}), published.get("figures") or {}
    for key in sorted(set(figures) | set(shown)):
        if figures.get(key) != shown.get(key):
            out.append(f"结果不符 figures.{key}: published {shown.get(key)!r}, "
                       f"recomputed {figures.get(key)!r}")
    return out
