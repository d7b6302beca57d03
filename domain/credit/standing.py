"""An agency's credit standing at a moment: score, grade, sanctions in force, and why.

Pure functions over the records of a credit file (plain dicts, the same in the
aggregate and in the read model) and the scoring block of the catalogue.

The score is the annual composite of domain.md §8 [31], out of 100:

* **regulator part** (70): 70 plus the points of every violation that counts now
  (the points are deducted in full; the part never goes below 0);
* **government part** (10): 10 plus the points of government credit data that count
  now (V08, the 信用中国 blacklist [19]);
* **social part** (20): 20 × the mean overall rating (0–100) of the owner and
  approving-department evaluations that count now (Xiamen [25], 一事一评 [30]);
  20 when there is none: no rating is no evidence against an agency.

A violation counts from its record until ``window_days`` later or until it is repaired
(信用修复); an evaluation counts for ``evaluation_window_days``. The score is the
composite rounded half up; grades are the §8 bands (A ≥ 90, B 75–89, C 60–74, D < 60).
Every number is explained by the records behind it, each naming its source event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

GRADES = ("A", "B", "C", "D")
BARRING = ("suspension", "expulsion")  # sanctions that refuse sign-up; a warning does not


def counts_until(record: dict[str, Any], scoring: dict[str, Any]) -> datetime | None:
    """When a record stops counting by itself (None: never by itself)."""
    if record["kind"] == "violation":
        return record["at"] + timedelta(days=record["window_days"])
    if record["kind"] == "evaluation":
        return record["at"] + timedelta(days=scoring["evaluation_window_days"])
    return record.get("ends_at")


def ended_at(record: dict[str, Any], scoring: dict[str, Any]) -> datetime | None:
    """When a record stopped (or will stop) counting: its own end, or its repair if earlier."""
    ends = counts_until(record, scoring)
    repaired = record.get("repaired_at")
    if repaired is not None and (ends is None or repaired < ends):
        return repaired
    return ends


def counts(record: dict[str, Any], scoring: dict[str, Any], at: datetime) -> bool:
    ends = ended_at(record, scoring)
    return record["at"] <= at and (ends is None or at < ends)


def on_record(record: dict[str, Any], scoring: dict[str, Any], at: datetime) -> bool:
    """Still on the agency's record: a violation until it expires (24 months, §8) or is repaired,
    though it counts for the score only within its window; any other record while it counts."""
    if record["kind"] != "violation":
        return counts(record, scoring, at)
    expires = record["at"] + timedelta(days=record["expires_days"])
    return record["at"] <= at < expires and (record.get("repaired_at") is None or at < record["repaired_at"])


def grade_of(score: int, scoring: dict[str, Any]) -> str:
    for grade, name in (("A", "grade_a"), ("B", "grade_b"), ("C", "grade_c")):
        if score >= scoring[name]:
            return grade
    return "D"


def _decimal(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


@dataclass(frozen=True)
class Standing:
    """信用状况 at ``at``: what sign-up and 信用择优 read, and what the regulator is shown."""

    at: datetime
    score: int
    exact: Decimal
    grade: str
    parts: dict[str, str]
    counted: list[dict[str, Any]] = field(default_factory=list)  # each record behind the score
    sanctions: list[dict[str, Any]] = field(default_factory=list)  # sanctions in force (warnings included)
    on_record: list[dict[str, Any]] = field(default_factory=list)  # violations past their window, not yet expired

    def refusals(self, item_code: str, method: str, scoring: dict[str, Any]) -> list[str]:
        """Why this agency may not sign up for a request of ``item_code`` by ``method`` (§6)."""
        reasons = []
        for s in self.sanctions:
            if s["sanction"] == "expulsion":
                reasons.append("credit_expelled")
            elif s["sanction"] == "suspension" and (not s["service_items"] or item_code in s["service_items"]):
                reasons.append("credit_suspended")
        if method == "credit_merit" and self.grade == "D" and scoring["grade_d_excluded_from_credit_merit"]:
            reasons.append("credit_grade_d")
        return sorted(set(reasons))

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at, "score": self.score, "exact": _decimal(self.exact), "grade": self.grade,
                "parts": dict(self.parts), "counted": list(self.counted), "sanctions": list(self.sanctions),
                "on_record": list(self.on_record)}  # fmt: skip


def explained(record: dict[str, Any], scoring: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A record as the explanation shows it: what it is, its source event, when it counts."""
    shown = {k: v for k, v in record.items() if k not in ("repaired_at", "repair_reason")}
    shown["counts_until"] = counts_until(record, scoring)
    if record.get("repaired_at") is not None:
        shown["repaired_at"], shown["repair_reason"] = record["repaired_at"], record.get("repair_reason")
    return {**shown, **extra}


def assess(records: list[dict[str, Any]], scoring: dict[str, Any], at: datetime) -> Standing:
    """The standing at ``at`` from a credit file's records."""
    live = [r for r in records if counts(r, scoring, at)]
    parts = {"regulator": Decimal(scoring["regulator_weight"]), "government": Decimal(scoring["government_weight"])}
    counted = []
    for r in (r for r in live if r["kind"] == "violation"):
        parts[r["part"]] += r["points"]
        counted.append(explained(r, scoring, contribution=str(r["points"])))
    for name in ("regulator", "government"):
        parts[name] = max(parts[name], Decimal(0))
    ratings = [r for r in live if r["kind"] == "evaluation"]
    social = Decimal(scoring["social_weight"])
    if ratings:
        mean = sum(Decimal(str(r["overall"])) for r in ratings) / len(ratings)
        social = social * mean / 100
        for r in ratings:
            # Each rating's share of the social part's shortfall: weight × (overall − 100) / 100 / n.
            share = Decimal(scoring["social_weight"]) * (Decimal(str(r["overall"])) - 100) / 100 / len(ratings)
            counted.append(explained(r, scoring, contribution=_decimal(share)))
    parts["social"] = social
    exact = parts["regulator"] + parts["government"] + parts["social"]
    score = int(exact.quantize(Decimal(1), ROUND_HALF_UP))
    sanctions = [explained(r, scoring) for r in live if r["kind"] == "sanction"]
    past = [explained(r, scoring, expires_at=r["at"] + timedelta(days=r["expires_days"])) for r in records
            if r["kind"] == "violation" and r not in live and on_record(r, scoring, at)]  # fmt: skip
    return Standing(at=at, score=score, exact=exact, grade=grade_of(score, scoring),
                    parts={k: _decimal(v) for k, v in parts.items()}, counted=counted, sanctions=sanctions,
                    on_record=past)  # fmt: skip


def history(records: list[dict[str, Any]], scoring: dict[str, Any], until: datetime) -> list[dict[str, Any]]:
    """Every change of the standing up to ``until``, oldest first, each with the records behind it.

    A change happens when a record is made (``recorded``), when it stops counting because its
    window or period ran out (``window_ended``, ``ended``), when a violation leaves the record
    after 24 months (``expired``) and when it is repaired (``repaired``).
    """
    moments: dict[datetime, list[dict[str, Any]]] = {}

    def add(at: datetime | None, change: str, record: dict[str, Any], **extra: Any) -> None:
        if at is not None and at <= until:
            moments.setdefault(at, []).append({"change": change, **_named(record), **extra})

    for r in records:
        add(r["at"], "recorded", r)
        ends, repaired = counts_until(r, scoring), r.get("repaired_at")
        add(repaired, "repaired", r, reason=r.get("repair_reason"))
        if ends is not None and (repaired is None or ends < repaired):
            add(ends, "window_ended" if r["kind"] == "violation" else "ended", r)
        if r["kind"] == "violation":
            expires = r["at"] + timedelta(days=r["expires_days"])
            if repaired is None or expires < repaired:
                add(expires, "expired", r)
    changes, previous = [], None
    for at in sorted(moments):
        standing = assess(records, scoring, at)
        changes.append({
            "at": at, "score": standing.score, "grade": standing.grade, "exact": _decimal(standing.exact),
            "delta": standing.score - (previous.score if previous else 100),
            "previous_grade": previous.grade if previous else None, "because": moments[at],
        })  # fmt: skip
        previous = standing
    return changes


def _named(record: dict[str, Any]) -> dict[str, Any]:
    """The part of a record that names it in a history entry."""
    keys = ("record_id", "kind", "code", "zh", "points", "window_days", "expires_days", "catalogue_version",
            "sanction", "months", "service_items", "rater", "procurement_id", "overall", "basis", "source")  # fmt: skip
    return {k: record[k] for k in keys if k in record}
