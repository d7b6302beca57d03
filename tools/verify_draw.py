#!/usr/bin/env python3
"""Independent verifier for a published selection result (选取结果验证).

    python verify_draw.py result.json

Re-computes commitment, frozen-list hash, seed and the whole selection from the
public record alone; prints 真实有效/GENUINE (exit 0) or 不一致/MISMATCH and why
(exit 1). One file, standard library only, no platform import, so anyone can
audit it. Algorithm sha256-ctr-v1, specified in docs/draw-algorithm.md.
"""

import hashlib
import json
import math
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ALGORITHM = "sha256-ctr-v1"
CENT = Decimal("0.01")
REQUIRED = ("algorithm", "method", "procurement_id", "rule_set", "params", "commitment",
            "secret", "entries", "list_hash", "seed", "outcome")


class Refused(Exception):
    """The platform would have refused these inputs: no outcome can come from them."""


# --- the draw ------------------------------------------------------------------------

def list_digest(entries):
    ordered = sorted(entries, key=lambda e: (e["uscc"], e["agency_id"]))
    text = json.dumps(ordered, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Stream:
    def __init__(self, seed):
        self.seed, self.counter, self.transcript = seed, 0, []

    def below(self, n):
        limit = (1 << 256) // n * n
        while True:
            block = self.counter.to_bytes(8, "big")
            self.counter += 1
            x = int.from_bytes(hashlib.sha256(self.seed + block).digest(), "big")
            if x < limit:
                return x % n

    def record(self, op, pool, k, result, start):
        self.transcript.append({"op": op, "pool": pool, "k": k, "result": result,
                                "counter_from": start, "counter_to": self.counter})

    def draw(self, pool, k):
        ordered = sorted(pool)
        start, remaining, out = self.counter, list(ordered), []
        while len(out) < k and remaining:
            out.append(remaining.pop(self.below(len(remaining))))
        self.record("draw", ordered, k, out, start)
        return out

    def weighted_draw(self, pool, k):
        ordered = dict(sorted(pool.items()))
        start, remaining, out = self.counter, dict(ordered), []
        while len(out) < k and remaining:
            ticket = self.below(sum(remaining.values()))
            for key, weight in remaining.items():
                if ticket < weight:
                    break
                ticket -= weight
            out.append(key)
            del remaining[key]
        self.record("weighted_draw", ordered, k, out, start)
        return out


# --- the methods ----------------------------------------------------------------------

def money(text):
    amount = Decimal(text)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise Refused("amount with more than two decimals: %s" % text)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def round_fraction(exact):
    return Decimal(math.floor(exact * 100 + Fraction(1, 2))).scaleb(-2)


def tie(tied, rnd):
    return tied[0] if len(tied) == 1 else rnd.draw(tied, 1)[0]


def priced(bids, params):
    valid, rejected = [], []
    for b in bids:
        if b["price"] is None:
            raise Refused("%s has no quote" % b["agency_id"])
        high = params.get("ceiling") is not None and b["price"] > money(params["ceiling"])
        low = params.get("floor") is not None and b["price"] < money(params["floor"])
        (rejected if high or low else valid).append(b)
    return valid, sorted(b["agency_id"] for b in rejected)


def run(method, bids, params, rules, rnd):
    """(status, winner, failure_reason, figures) exactly as the platform computes them."""
    rejected = None
    if method in ("lowest_price", "reasonable_price"):
        bids, rejected = priced(bids, params)
    if method == "direct" and not params["justification"].strip():
        raise Refused("direct selection without a justification")
    if method == "proposal_scoring":
        declared = {d["evaluator_id"]: d["no_conflict"] for d in params["declarations"]}
        if not params["evaluators"] or any(declared.get(e) is not True
                                           for e in params["evaluators"]):
            raise Refused("an evaluator has not declared the absence of a conflict")
    minimum = rules["minimum_bidders"][params["fund_source"]][method]
    if len(bids) < minimum:
        figures = {"valid": len(bids), "minimum": minimum}
        if rejected is not None:
            figures["rejected"] = rejected
        return "failed", None, "too_few_bidders", figures
    ids = [b["agency_id"] for b in bids]
    if method == "direct":
        if params["chosen"] not in ids:
            raise Refused("the chosen agency is not a registrant")
        return "selected", params["chosen"], None, {"justification": params["justification"].strip()}
    if method == "random":
        return "selected", rnd.draw(ids, 1)[0], None, {"pool_size": len(bids)}
    if method == "lowest_price":
        lowest = min(b["price"] for b in bids)
        winner = tie([b["agency_id"] for b in bids if b["price"] == lowest], rnd)
        ranking = [{"agency_id": b["agency_id"], "price": str(b["price"])}
                   for b in sorted(bids, key=lambda b: (b["price"], b["uscc"]))]
        return "selected", winner, None, {"lowest": str(lowest), "ranking": ranking,
                                          "rejected": rejected}
    if method == "reasonable_price":
        return reasonable(bids, rules, rnd, rejected)
    if method == "credit_merit":
        return merit(bids, params, rules, rnd)
    if method == "proposal_scoring":
        return proposal(bids, rules, rnd)
    raise Refused("unknown method %r" % method)


def reasonable(bids, rules, rnd, rejected):
    k = rnd.draw(list(rules["coefficients"]), 1)[0]
    prices = sorted(b["price"] for b in bids)
    averaged, may_win, dropped = prices, list(bids), []
    if len(bids) >= rules["trim_from"]:
        low, high = prices[0], prices[-1]
        averaged = prices[1:-1]
        inner = [b for b in bids if low < b["price"] < high]
        if inner:
            may_win = inner
            dropped = sorted(b["agency_id"] for b in bids if b["price"] in (low, high))
    exact = Fraction(Decimal(k)) * sum(map(Fraction, averaged)) / (100 * len(averaged))
    r = round_fraction(exact)
    ranked = sorted(may_win, key=lambda b: (abs(b["price"] - r), b["uscc"]))
    best = abs(ranked[0]["price"] - r)
    winner = tie([b["agency_id"] for b in ranked if abs(b["price"] - r) == best], rnd)
    return "selected", winner, None, {
        "k": k, "reference_price": str(r), "averaged": [str(p) for p in averaged],
        "dropped": dropped, "rejected": rejected,
        "ranking": [{"agency_id": b["agency_id"], "price": str(b["price"]),
                     "distance": str(abs(b["price"] - r))} for b in ranked]}


def merit(bids, params, rules, rnd):
    size_l = params.get("long_list") or rules["long_list"]
    size_s = params.get("short_list") or rules["short_list"]
    ranked = sorted(bids, key=lambda b: (-b["credit_score"], b["uscc"]))
    kept = list(ranked)
    if len(ranked) > size_l:
        cutoff = ranked[size_l - 1]["credit_score"]
        above = [b for b in ranked if b["credit_score"] > cutoff]
        at_cut = [b for b in ranked if b["credit_score"] == cutoff]
        seats = size_l - len(above)
        if len(at_cut) > seats:
            chosen = set(rnd.draw([b["agency_id"] for b in at_cut], seats))
            at_cut = [b for b in at_cut if b["agency_id"] in chosen]
        kept = above + at_cut
    pool = {b["agency_id"]: max(b["credit_score"], 1) for b in kept}
    short = [b["agency_id"] for b in kept] if len(kept) <= size_s else rnd.weighted_draw(pool, size_s)
    kept_ids = set(pool)
    return "shortlisted", None, None, {
        "ranking": [{"agency_id": b["agency_id"], "credit_score": b["credit_score"]} for b in ranked],
        "long_list": [b["agency_id"] for b in kept],
        "eliminated": [b["agency_id"] for b in ranked if b["agency_id"] not in kept_ids],
        "tickets": pool, "short_list": short}


def proposal(bids, rules, rnd):
    missing = sorted(b["agency_id"] for b in bids if b["scores"] is None)
    if missing:
        return "awaiting_scores", None, None, {"missing": missing}
    weights = rules["weights"]
    for b in bids:
        if set(b["scores"]) != set(weights) - {"price"} or any(
                not 0 <= v <= weights[c] for c, v in b["scores"].items()):
            raise Refused("scores of %s do not fit the weights" % b["agency_id"])
    b_min = min(b["price"] for b in bids)
    rows = []
    for b in bids:
        price_score = round_fraction(weights["price"] * Fraction(b_min) / Fraction(b["price"]))
        rows.append((b, price_score, price_score + sum(b["scores"].values(), Decimal(0))))
    rows.sort(key=lambda r: (-r[2], r[0]["price"], r[0]["uscc"]))
    top_total, top_price = rows[0][2], rows[0][0]["price"]
    winner = tie([b["agency_id"] for b, _, t in rows if t == top_total and b["price"] == top_price], rnd)
    return "selected", winner, None, {"weights": dict(weights), "ranking": [
        {"agency_id": b["agency_id"], "price": str(b["price"]), "price_score": str(ps),
         "total": str(t), "scores": {c: str(v) for c, v in sorted(b["scores"].items())}}
        for b, ps, t in rows]}


# --- verification ----------------------------------------------------------------------

def verify(result):
    """(genuine?, reasons) for a published result record."""
    missing = [k for k in REQUIRED if k not in result]
    if missing:
        return False, ["缺少字段 missing field(s): " + ", ".join(missing)]
    if result["algorithm"] != ALGORITHM:
        return False, ["不支持的算法 unsupported algorithm: %s" % result["algorithm"]]
    reasons = []
    try:
        secret = bytes.fromhex(result["secret"])
        if hashlib.sha256(secret).hexdigest() != result["commitment"]:
            reasons.append("承诺值与密钥不符 commitment != SHA-256(secret)")
        list_hash = list_digest(result["entries"])
        if list_hash != result["list_hash"]:
            reasons.append("名单哈希不符 list hash does not match the entries")
        seed = hashlib.sha256(secret + bytes.fromhex(list_hash)
                              + str(result["procurement_id"]).encode("utf-8")).digest()
        if seed.hex() != result["seed"]:
            reasons.append("种子不符 seed != SHA-256(secret ‖ list_hash ‖ procurement_id)")
        expected = rerun(result, seed)
    except (Refused, KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        return False, reasons + ["无法重算 cannot re-run: %r" % (exc,)]
    published = result["outcome"]
    for key in ("method", "status", "winner", "failure_reason", "transcript"):
        if expected[key] != published.get(key):
            reasons.append("结果不符 %s: published %r, recomputed %r"
                           % (key, published.get(key), expected[key]))
    figures, shown = expected["figures"], published.get("figures") or {}
    for key in sorted(set(figures) | set(shown)):
        if figures.get(key) != shown.get(key):
            reasons.append("结果不符 figures.%s: published %r, recomputed %r"
                           % (key, shown.get(key), figures.get(key)))
    return not reasons, reasons


def rerun(result, seed):
    scores = result.get("scores") or {}
    bids = [{"agency_id": e["agency_id"], "uscc": e["uscc"],
             "price": money(e["price"]) if "price" in e else None,
             "credit_score": e.get("credit_score"),
             "scores": ({c: Decimal(v) for c, v in scores[e["agency_id"]].items()}
                        if e["agency_id"] in scores else None)} for e in result["entries"]]
    if len({b["agency_id"] for b in bids}) != len(bids) or len({b["uscc"] for b in bids}) != len(bids):
        raise Refused("the same agency appears twice")
    rnd = Stream(seed)
    status, winner, reason, figures = run(result["method"], bids, result["params"],
                                          result["rule_set"], rnd)
    pick = (result["outcome"].get("figures") or {}).get("owner_pick")
    if status == "shortlisted" and pick is not None:
        if pick["agency_id"] not in figures["short_list"] or not pick["reason"].strip():
            raise Refused("the owner's pick is not on the short list or has no reason")
        status, winner = "selected", pick["agency_id"]
        figures["owner_pick"] = {"agency_id": pick["agency_id"], "reason": pick["reason"].strip()}
    return {"method": result["method"], "status": status, "winner": winner,
            "failure_reason": reason, "figures": figures, "transcript": rnd.transcript}


def main(argv):
    if len(argv) != 2:
        print("usage: python verify_draw.py result.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            result = json.load(f)
        ok, reasons = verify(result)
    except (OSError, ValueError, AttributeError) as exc:
        ok, reasons = False, ["无法读取 unreadable result file: %s" % exc]
    if ok:
        print("真实有效 / GENUINE")
        print("  method %s, procurement %s, winner %s"
              % (result["method"], result["procurement_id"], result["outcome"]["winner"]))
        print("  compare with the notice: commitment %s" % result["commitment"])
        print("  compare with the sign-up close: list hash %s" % result["list_hash"])
        return 0
    print("不一致 / MISMATCH")
    for reason in reasons:
        print("  - " + reason)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
