"""Collusion screens (串通投标, domain.md §9.4): identical quotes, cover bidding, bid suppression,
last-minute sign-ups, shared contacts, and rotation rings.

Each procurement past its selection is judged on its own bids (``BIDDING``);
groups of agencies that keep meeting are judged as rings (``RING``). Bids,
sign-ups, contacts and co-bidding counts come from projections/bidding_patterns.py.
A screen is a signal, not a finding (§9.1): every flag names the agencies, the
procurement, its owner and market, the figures it turned on, and the events
(sign-ups, withdrawals, selections, profile changes) behind it.

What a look-alike is, and why each screen leaves it alone:
* two quotes equal to the 最高限价 or 最低限价 are pinned by the notice, not agreed:
  identical quotes at the band's edge are ignored;
* a wide gap between the lowest bid and the rest is ordinary in some markets: RD and
  CV are judged against the procurement's own market's fences (item × region ×
  window), and a market with fewer than ``min_market_requests`` screened
  procurements or no spread (IQR = 0) is not judged at all (§9.1);
* agencies that often meet in a small market meet *and* share the wins; a ring is
  told apart by its turn-taking: the winner changes more often than chance allows
  (a runs test on the sequence of winners), on top of co-bidding and an even share;
* one late sign-up alone is no cluster.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.supervision import Finding, Severity
from market.oversight.detectors import finding, subjects
from projections import bidding_patterns as bp
from projections.database import yuan

BIDDING = "bidding"  # one procurement's sign-ups and bids
RING = "ring"  # a group of agencies that keep signing up together
SCOPES = (BIDDING, RING)


@dataclass(frozen=True)
class BiddingInputs:
    row: dict[str, Any]  # the procurement's bidding_patterns row
    signups: list[dict[str, Any]]  # in the order they came
    market: Callable[[], list[dict[str, Any]]]  # RD and CV of its market's screened procurements in the window


@dataclass(frozen=True)
class RingInputs:
    ring_id: str
    members: list[str]
    pairs: dict[tuple[str, str], int]  # co-bids of each pair of members in the window
    bids: dict[str, int]  # each member's bids in the window
    procurements: list[dict[str, Any]]  # those whose frozen lists held every member, in selection order


def ring_id(members: list[str]) -> str:
    return "ring|" + hashlib.sha256(",".join(sorted(members)).encode()).hexdigest()[:16]


def bidding_summary(inputs: BiddingInputs) -> dict[str, Any]:
    r = inputs.row
    return {"valid_bids": r["valid_bids"], "rd": r["rd"], "cv": r["cv"], "signups": len(inputs.signups)}


def ring_summary(inputs: RingInputs) -> dict[str, Any]:
    return {"members": inputs.members, "together": len(inputs.procurements)}


# --- helpers ----------------------------------------------------------------------------


def _listed(inputs: BiddingInputs) -> list[dict[str, Any]]:
    """The sign-ups on the frozen list (not withdrawn, not struck out by an upheld objection)."""
    return [s for s in inputs.signups if not s["withdrawn"] and not s["excluded"]]


def _subjects(row: dict[str, Any], agencies: list[str], winner: bool = True) -> dict[str, str]:
    return subjects(procurement_id=row["procurement_id"], owner_id=row["owner_id"], service_item=row["service_item"],
                    region=row["region"], agency_id=row["winner_id"] if winner else None,
                    agency_ids=",".join(sorted(set(agencies))) or None)  # fmt: skip


def _signup_evidence(inputs: BiddingInputs, agencies: set[str], selection: bool = True) -> list[dict[str, Any]]:
    found = [bp.evidence_of(s, "signup") for s in inputs.signups if s["agency_id"] in agencies]
    return found + ([bp.evidence_of(inputs.row, "selection")] if selection else [])


def _screened(row: dict[str, Any]) -> bool:
    return row["method"] in bp.SCREENED_METHODS and row["valid_bids"] is not None


# --- per procurement --------------------------------------------------------------------


class IdenticalQuotes:
    """Two or more agencies bid the same price (R028 [41]); a price at the band's edge is pinned, not agreed."""

    code, version, scope, headline, parameters = "COLLUSION_IDENTICAL", "1", BIDDING, (), ()

    def evaluate(self, inputs: BiddingInputs, params: Mapping[str, Any]) -> list[Finding]:
        row = inputs.row
        if not _screened(row):
            return []
        by_price: dict[int, list[str]] = {}
        for s in _listed(inputs):
            if s["valid"] and s["price_fen"] is not None:
                by_price.setdefault(s["price_fen"], []).append(s["agency_id"])
        edges = {row["ceiling_fen"], row["floor_fen"]} - {None}
        groups = [(price, sorted(agencies)) for price, agencies in sorted(by_price.items())
                  if len(agencies) > 1 and price not in edges]  # fmt: skip
        if not groups:
            return []
        agencies = [a for _, group in groups for a in group]
        figures = {"groups": [{"price": yuan(price), "agencies": group} for price, group in groups],
                   "valid_bids": row["valid_bids"]}  # fmt: skip
        pid = row["procurement_id"]
        return [finding(pid, pid, Severity.HIGH, _subjects(row, agencies), figures,
                        _signup_evidence(inputs, set(agencies)))]  # fmt: skip


class CoverBidding:
    """Cover bids: RD > 1 beyond its market's upper fence, or CV at or below the lower fence (Imhof [43], [41])."""

    code, version, scope, headline = "COLLUSION_COVER", "1", BIDDING, ()
    parameters = ("cover_rd", "cover_min_bids", "fence_iqr", "min_market_requests", "market_window_months")

    def evaluate(self, inputs: BiddingInputs, params: Mapping[str, Any]) -> list[Finding]:
        row = inputs.row
        if not _screened(row) or row["valid_bids"] < params["cover_min_bids"] or row["cv"] is None:
            return []
        market = [m for m in inputs.market() if m["valid_bids"] >= params["cover_min_bids"]]
        if len(market) < params["min_market_requests"]:
            return []  # §9.1: too small a market for fences
        k, fired, figures = params["fence_iqr"], [], {"market_procurements": len(market)}
        rds = [m["rd"] for m in market if m["rd"] is not None]
        if row["rd"] is not None and len(rds) >= params["min_market_requests"]:
            q = bp.fractions(rds)
            iqr = q["q3"] - q["q1"]
            upper = q["q3"] + k * iqr
            figures.update(rd_q1=round(q["q1"], 4), rd_q3=round(q["q3"], 4), rd_upper_fence=round(upper, 4))
            if iqr > 0 and row["rd"] > params["cover_rd"] and row["rd"] > upper:
                fired.append("relative_distance")
        q = bp.fractions([m["cv"] for m in market])
        iqr = q["q3"] - q["q1"]
        lower = q["q1"] - k * iqr
        figures.update(cv_q1=round(q["q1"], 6), cv_q3=round(q["q3"], 6), cv_lower_fence=round(lower, 6))
        if iqr > 0 and row["cv"] <= lower:
            fired.append("low_variance")
        if not fired:
            return []
        valid = sorted((s["price_fen"], s["agency_id"]) for s in _listed(inputs) if s["valid"])
        figures.update(screens=fired, rd=row["rd"], cv=row["cv"], valid_bids=row["valid_bids"],
                       bids=[{"agency_id": a, "price": yuan(p)} for p, a in valid])  # fmt: skip
        agencies = [a for _, a in valid]
        pid = row["procurement_id"]
        severity = Severity.HIGH if len(fired) == 2 else Severity.MEDIUM
        return [finding(pid, pid, severity, _subjects(row, agencies), figures,
                        _signup_evidence(inputs, set(agencies)))]  # fmt: skip


class BidSuppression:
    """The winner's is the only valid bid while others signed up and withdrew or bid out of band (R035 [41])."""

    code, version, scope, headline, parameters = "COLLUSION_SUPPRESSION", "1", BIDDING, (), ()

    def evaluate(self, inputs: BiddingInputs, params: Mapping[str, Any]) -> list[Finding]:
        row = inputs.row
        if row["status"] != "selected" or row["method"] not in bp.SCREENED_METHODS:
            return []
        listed = _listed(inputs)
        valid = [s["agency_id"] for s in listed if s["valid"]]
        invalid = sorted(s["agency_id"] for s in listed if not s["valid"])
        withdrawn = [s for s in inputs.signups if s["withdrawn"]]
        if valid != [row["winner_id"]] or not (invalid or withdrawn):
            return []
        gone = sorted(s["agency_id"] for s in withdrawn)
        figures = {"valid_bids": 1, "invalid": invalid, "withdrawn": gone, "signups": len(inputs.signups)}
        evidence = _signup_evidence(inputs, {row["winner_id"], *invalid, *gone})
        evidence += [bp.evidence_of(s, "withdrawn") for s in withdrawn if s["withdrawn_position"] is not None]
        pid = row["procurement_id"]
        return [finding(pid, pid, Severity.MEDIUM, _subjects(row, [row["winner_id"], *invalid, *gone]), figures,
                        evidence)]  # fmt: skip


class LastMinuteSignups:
    """≥ 2 agencies sign up in the final 30 min, each within 120 s of the one before (§9.4)."""

    code, version, scope, headline = "COLLUSION_LAST_MINUTE", "1", BIDDING, ()
    parameters = ("last_minute_minutes", "last_minute_gap_seconds")

    def evaluate(self, inputs: BiddingInputs, params: Mapping[str, Any]) -> list[Finding]:
        row, closes = inputs.row, inputs.row["signup_closes_at"]
        if closes is None:
            return []
        window, gap = params["last_minute_minutes"] * 60, params["last_minute_gap_seconds"]
        late = sorted((s for s in _listed(inputs) if 0 <= (closes - s["signed_up_at"]).total_seconds() <= window),
                      key=lambda s: (s["signed_up_at"], s["agency_id"]))  # fmt: skip
        clusters: list[list[dict[str, Any]]] = []
        for s in late:
            if clusters and (s["signed_up_at"] - clusters[-1][-1]["signed_up_at"]).total_seconds() <= gap:
                clusters[-1].append(s)
            else:
                clusters.append([s])
        clusters = [c for c in clusters if len(c) > 1]
        if not clusters:
            return []
        figures = {"clusters": [[{"agency_id": s["agency_id"],
                                  "seconds_before_close": int((closes - s["signed_up_at"]).total_seconds())}
                                 for s in c] for c in clusters]}  # fmt: skip
        agencies = {s["agency_id"] for c in clusters for s in c}
        pid = row["procurement_id"]
        return [finding(pid, pid, Severity.MEDIUM, _subjects(row, sorted(agencies), winner=False), figures,
                        _signup_evidence(inputs, agencies, selection=False))]  # fmt: skip


class SharedContacts:
    """Bidders in one procurement share a phone, e-mail or address, or submitted from one network address [42][40]."""

    code, version, scope, headline, parameters = "COLLUSION_SHARED_CONTACT", "1", BIDDING, (), ()

    def evaluate(self, inputs: BiddingInputs, params: Mapping[str, Any]) -> list[Finding]:
        listed = _listed(inputs)
        holders: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for s in listed:
            for kind, item in sorted((s["contacts"] or {}).items()):
                holders.setdefault((kind, item["value"]), []).append({"agency_id": s["agency_id"], **item})
            if s["submitted_from"]:  # an old sign-up recorded none: nothing to compare
                holders.setdefault(("submitted_from", s["submitted_from"]), []).append(
                    {"agency_id": s["agency_id"], "position": None})  # fmt: skip
        shared = [(kind, items) for (kind, _), items in sorted(holders.items())
                  if len({i["agency_id"] for i in items}) > 1]  # fmt: skip
        if not shared:
            return []
        agencies = {i["agency_id"] for _, items in shared for i in items}
        evidence = _signup_evidence(inputs, agencies, selection=False)
        evidence += [{"position": i["position"], "aggregate_id": i["agency_id"], "version": i["version"],
                      "event": i["event"]}
                     for _, items in shared for i in items if i["position"] is not None]  # fmt: skip
        unique = {e["position"]: e for e in evidence}
        figures = {"shared": [{"kind": kind, "agencies": sorted({i["agency_id"] for i in items})}
                              for kind, items in shared]}  # fmt: skip
        row = inputs.row
        pid = row["procurement_id"]
        return [finding(pid, pid, Severity.HIGH, _subjects(row, sorted(agencies), winner=False), figures,
                        list(unique.values()))]  # fmt: skip


# --- rings ------------------------------------------------------------------------------


def changes_p_value(sequence: list[str]) -> float:
    """P(at least this many changes of winner) if winners were drawn independently with the observed shares.

    Exact, by dynamic programming over (last winner, changes so far): the runs
    test on winners [42] for any number of agencies.
    """
    n = len(sequence)
    if n < 2:
        return 1.0
    shares = {a: c / n for a, c in Counter(sequence).items()}
    observed = sum(1 for x, y in zip(sequence, sequence[1:]) if x != y)
    dist: dict[tuple[str, int], float] = {(a, 0): p for a, p in shares.items()}
    for _ in range(n - 1):
        step: dict[tuple[str, int], float] = {}
        for (last, changes), p in dist.items():
            for a, q in shares.items():
                key = (a, changes + (a != last))
                step[key] = step.get(key, 0.0) + p * q
        dist = step
    return round(sum(p for (_, changes), p in dist.items() if changes >= observed), 6)


class RotationRing:
    """A group that co-bids pairwise ≥ 5 times with J ≥ 0.6, every member wins, the shares are even
    (entropy ≥ 0.9·log|G|) and the win changes hands more often than chance (runs test) [42]."""

    code, version, scope, headline = "COLLUSION_ROTATION", "1", RING, ()
    parameters = ("cobid_min", "cobid_jaccard", "rotation_entropy", "rotation_runs_p", "market_window_months")

    def evaluate(self, inputs: RingInputs, params: Mapping[str, Any]) -> list[Finding]:
        members = inputs.members
        jaccard = {}
        for (a, b), co in inputs.pairs.items():
            union = inputs.bids.get(a, 0) + inputs.bids.get(b, 0) - co
            jaccard[f"{a},{b}"] = round(co / union, 4) if union else 0.0
        pairs_needed = len(members) * (len(members) - 1) // 2
        if len(inputs.pairs) < pairs_needed or min(inputs.pairs.values()) < params["cobid_min"]:
            return []
        if min(jaccard.values()) < params["cobid_jaccard"]:
            return []
        won = [p for p in inputs.procurements if p["winner_id"] in members]
        sequence = [p["winner_id"] for p in won]
        if len(sequence) < params["cobid_min"] or set(sequence) != set(members):
            return []
        wins = Counter(sequence)
        entropy = -sum(c / len(sequence) * math.log(c / len(sequence)) for c in wins.values())
        if entropy < params["rotation_entropy"] * math.log(len(members)):
            return []
        p_value = changes_p_value(sequence)
        if p_value > params["rotation_runs_p"]:
            return []
        items = sorted({(p["service_item"], p["region"]) for p in won})
        figures = {"members": members, "together": len(inputs.procurements), "won_by_members": len(won),
                   "wins": dict(sorted(wins.items())), "entropy": round(entropy, 4),
                   "max_entropy": round(math.log(len(members)), 4),
                   "changes": sum(1 for x, y in zip(sequence, sequence[1:]) if x != y), "runs_p": p_value,
                   "co_bids": {f"{a},{b}": n for (a, b), n in sorted(inputs.pairs.items())},
                   "jaccard": dict(sorted(jaccard.items())), "winners": sequence,
                   "procurements": [p["procurement_id"] for p in won],
                   "markets": [{"service_item": i, "region": r} for i, r in items]}  # fmt: skip
        one = items[0] if len(items) == 1 else (None, None)
        subject = subjects(agency_ids=",".join(members), service_item=one[0], region=one[1])
        evidence = [bp.evidence_of(p, "selection") for p in won]
        return [finding(inputs.ring_id, inputs.ring_id, Severity.HIGH, subject, figures, evidence)]


def maximal_cliques(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Every maximal clique (≥ 2 agencies) of the co-bidding graph (Bron–Kerbosch with a pivot)."""
    neighbours: dict[str, set[str]] = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    found: list[list[str]] = []

    def expand(r: set[str], p: set[str], x: set[str]) -> None:
        if not p and not x:
            if len(r) > 1:
                found.append(sorted(r))
            return
        pivot = max(p | x, key=lambda v: (len(neighbours[v] & p), v))
        for v in sorted(p - neighbours[pivot]):
            expand(r | {v}, p & neighbours[v], x & neighbours[v])
            p = p - {v}
            x = x | {v}

    expand(set(), set(neighbours), set())
    return sorted(found)


DETECTORS = (IdenticalQuotes(), CoverBidding(), BidSuppression(), LastMinuteSignups(), SharedContacts(),
             RotationRing())  # fmt: skip
