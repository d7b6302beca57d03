"""Qualifications (资质) and the requirement rules that compare them.

A service item requires qualifications either "all of" or "any of" a list,
each with a minimum level (domain brief §6 per-request rule 3: required 资质 at
grade and valid through the selection time).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from domain.errors import InvalidInput, MissingField

# 甲级 is the highest grade. A certificate without grades (不分级) meets only a
# requirement without grades.
LEVEL_RANK = {"甲级": 1, "乙级": 2, "丙级": 3, "不分级": 9}


class RequirementMode(Enum):
    ALL = "all"  # 全部满足
    ANY = "any"  # 满足其一


def normalise_qualification(q: dict[str, Any]) -> dict[str, Any]:
    for key in ("category", "level", "certificate_no", "valid_until"):
        if not str(q.get(key) or "").strip():
            raise MissingField(field=f"qualifications.{key}")
    if q["level"] not in LEVEL_RANK:
        raise InvalidInput(field="qualifications.level", detail=q["level"])
    valid_until = _as_date(q["valid_until"], "qualifications.valid_until")
    return {
        "category": str(q["category"]).strip(),
        "level": q["level"],
        "certificate_no": str(q["certificate_no"]).strip(),
        "valid_until": valid_until.isoformat(),
    }


def normalise_requirement(req: dict[str, Any] | None) -> dict[str, Any]:
    req = req or {"mode": "all", "qualifications": []}
    try:
        mode = RequirementMode(req.get("mode", "all")).value
    except ValueError:
        raise InvalidInput(field="requirement.mode", detail=req.get("mode")) from None
    items = []
    for item in req.get("qualifications", []):
        if not str(item.get("category") or "").strip():
            raise MissingField(field="requirement.qualifications.category")
        level = item.get("min_level", "不分级")
        if level not in LEVEL_RANK:
            raise InvalidInput(field="requirement.qualifications.min_level", detail=level)
        items.append({"category": item["category"].strip(), "min_level": level})
    return {"mode": mode, "qualifications": items}


def meets(held: list[dict[str, Any]], requirement: dict[str, Any], at: datetime) -> bool:
    """Whether certificates held, valid at ``at``, meet the requirement."""
    wanted = requirement.get("qualifications", [])
    if not wanted:
        return True
    results = [any(_satisfies(q, w, at) for q in held) for w in wanted]
    return all(results) if requirement.get("mode", "all") == "all" else any(results)


def _satisfies(q: dict[str, Any], wanted: dict[str, Any], at: datetime) -> bool:
    return (
        q["category"] == wanted["category"]
        and LEVEL_RANK[q["level"]] <= LEVEL_RANK[wanted["min_level"]]
        and date.fromisoformat(q["valid_until"]) >= at.date()
    )


def _as_date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(field=field, detail=value) from None
