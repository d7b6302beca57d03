"""Flags (监管预警): what a detector found, recorded as facts with their evidence.

domain.md §9.1: "A flag is a signal, not a finding": it stores the code, the
rule (detector) version, the parameters, the input events and the values, and
is frozen once a regulator's case decides it. One ``Flag`` per finding: its id
derives from (code, subject key, period), so the event store itself refuses to
record the same finding twice. A detector that finds it again changes it only
when the figures moved materially (``Updated``); one that no longer finds it
clears it (``Cleared``); finding it again later reopens it (``Reopened``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, derived_id, require_aware, require_text
from domain.supervision.errors import FlagDecided, InvalidFinding

# ``agency_ids``: the agencies of a finding about a group (identical quotes, a ring), sorted and comma-joined.
SUBJECTS = ("agency_id", "agency_ids", "owner_id", "department_id", "procurement_id", "service_item", "region")
LABELS = ("confirmed", "dismissed")  # a case's decision, kept for tuning the detectors (issue 5)
MATERIAL_CHANGE = 0.05  # a headline figure moving by more than 5% is news; default (configurable), ours


class Severity(Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class FlagStatus(Enum):
    OPEN = "open"  # 预警中
    CLEARED = "cleared"  # 已解除: the condition no longer holds
    CLOSED = "closed"  # 已结案: a case confirmed or dismissed it; frozen (§9.1)


S = FlagStatus


@dataclass(frozen=True)
class Finding:
    """One detector result: who it concerns, how serious, the numbers and the events behind it.

    ``key`` identifies the finding within its code (the flag id derives from it);
    ``scope`` is the unit the detector evaluated (a market, a procurement, an agency),
    so that a re-evaluation of that unit knows which of its flags to clear.
    Evidence items are ``{"position": notification id, "aggregate_id", "version", "event"}``.
    """

    key: str
    scope: str
    subjects: dict[str, str]
    severity: Severity
    figures: dict[str, Any]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    period: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "scope": self.scope, "subjects": dict(self.subjects),
                "severity": self.severity.value, "figures": dict(self.figures),
                "evidence": [dict(e) for e in self.evidence], "period": self.period}  # fmt: skip


def _checked(finding: Finding) -> Finding:
    if not finding.key or not finding.scope:
        raise InvalidFinding(field="key", detail="a finding needs a key and a scope")
    if not isinstance(finding.severity, Severity):
        raise InvalidFinding(field="severity", detail=finding.severity)
    unknown = set(finding.subjects) - set(SUBJECTS)
    if unknown or not finding.subjects:
        raise InvalidFinding(field="subjects", detail=",".join(sorted(unknown)) or "none")
    if any("position" not in e for e in finding.evidence):
        raise InvalidFinding(field="evidence", detail="every item needs its event position")
    return finding


def _positions(evidence: list[dict[str, Any]]) -> list[int]:
    return sorted(int(e["position"]) for e in evidence)


def materially_changed(
    current: dict[str, Any], new: Finding, headline: tuple[str, ...] = (), tolerance: float = MATERIAL_CHANGE
) -> bool:
    """Whether ``new`` says something ``current`` (severity, figures, evidence) does not.

    New or withdrawn evidence and a change of severity always count; headline
    figures count when they move by more than ``tolerance`` (relative).
    """
    if current["severity"] != new.severity.value or _positions(current["evidence"]) != _positions(new.evidence):
        return True
    for name in headline:
        old, fresh = current["figures"].get(name), new.figures.get(name)
        if (old is None) != (fresh is None):
            return True
        if old is not None and abs(fresh - old) > tolerance * max(abs(old), 1e-9):
            return True
    return False


class Flag(MarketAggregate):
    Status = FlagStatus
    TRANSITIONS = {"update": (S.OPEN,), "clear": (S.OPEN,), "reopen": (S.CLEARED,), "label": (S.OPEN, S.CLEARED)}

    @staticmethod
    def create_id(code: str, key: str, period: str = "") -> UUID:
        return derived_id("flag", code, key, period)

    @classmethod
    def raise_flag(
        cls, code: str, detector_version: str, parameters: dict[str, Any], finding: Finding, *, by: Actor,
        now: datetime,
    ) -> Flag:  # fmt: skip
        f = _checked(finding)
        return cls(
            code=require_text(code, "code"), key=f.key, period=f.period, scope=f.scope,
            detector_version=require_text(detector_version, "detector_version"), parameters=dict(parameters),
            severity=f.severity.value, subjects=dict(f.subjects), figures=dict(f.figures),
            evidence=[dict(e) for e in f.evidence], actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    class Raised(MarketAggregate.Created):
        code: str
        key: str
        period: str
        scope: str
        detector_version: str
        parameters: dict[str, Any]
        severity: str
        subjects: dict[str, str]
        figures: dict[str, Any]
        evidence: list[dict[str, Any]]
        actor: dict[str, Any]
        at: datetime

    @event(Raised)
    def __init__(
        self, code: str, key: str, period: str, scope: str, detector_version: str, parameters: dict[str, Any],
        severity: str, subjects: dict[str, str], figures: dict[str, Any], evidence: list[dict[str, Any]],
        actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self.code, self.key, self.period, self.scope = code, key, period, scope
        self.subjects = subjects
        self._found(detector_version, parameters, severity, figures, evidence)
        self.status_code = S.OPEN.value
        self.label: str | None = None
        self.case_id: str | None = None

    def _found(self, version: str, parameters: dict[str, Any], severity: str, figures: dict[str, Any],
               evidence: list[dict[str, Any]]) -> None:  # fmt: skip
        self.detector_version = version
        self.parameters = parameters
        self.severity = severity
        self.figures = figures
        self.evidence = evidence

    def as_found(self) -> dict[str, Any]:
        return {"severity": self.severity, "figures": self.figures, "evidence": self.evidence}

    def observe(
        self, detector_version: str, parameters: dict[str, Any], finding: Finding, *, headline: tuple[str, ...] = (),
        by: Actor, now: datetime,
    ) -> str:  # fmt: skip
        """The detector found this again: ``reopened``, ``updated`` or ``unchanged`` (recording nothing)."""
        f = _checked(finding)
        data = {"detector_version": detector_version, "parameters": dict(parameters), "severity": f.severity.value,
                "figures": dict(f.figures), "evidence": [dict(e) for e in f.evidence],
                "actor": by.as_event(), "at": require_aware(now)}  # fmt: skip
        if self.status is S.CLOSED:
            return "unchanged"  # decided by a case: frozen (§9.1)
        if self.status is S.CLEARED:
            self._guard("reopen")
            self._reopened(**data)
            return "reopened"
        if not materially_changed(self.as_found(), f, headline):
            return "unchanged"
        self._guard("update")
        self._updated(**data)
        return "updated"

    @event("Updated")
    def _updated(self, detector_version: str, parameters: dict[str, Any], severity: str, figures: dict[str, Any],
                 evidence: list[dict[str, Any]], actor: dict[str, Any], at: datetime) -> None:  # fmt: skip
        self._found(detector_version, parameters, severity, figures, evidence)

    @event("Reopened")
    def _reopened(self, detector_version: str, parameters: dict[str, Any], severity: str, figures: dict[str, Any],
                  evidence: list[dict[str, Any]], actor: dict[str, Any], at: datetime) -> None:  # fmt: skip
        self._found(detector_version, parameters, severity, figures, evidence)
        self.status_code = S.OPEN.value

    def clear(self, reason: str, figures: dict[str, Any], *, by: Actor, now: datetime) -> bool:
        """The condition no longer holds; False (recording nothing) unless the flag is open."""
        if self.status is not S.OPEN:
            return False
        self._cleared(reason=require_text(reason, "reason"), figures=dict(figures or {}), actor=by.as_event(),
                      at=require_aware(now))  # fmt: skip
        return True

    @event("Cleared")
    def _cleared(self, reason: str, figures: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.status_code = S.CLEARED.value

    def label_by_case(self, label: str, case_id: UUID, reasons: list[str], *, by: Actor, now: datetime) -> None:
        """A case decided the flag: the label tunes the detectors, and the flag freezes (§9.1)."""
        if self.status is S.CLOSED:
            raise FlagDecided(field="flag_id", detail=str(self.id))
        self._guard("label")
        if label not in LABELS:
            raise InvalidFinding(field="label", detail=label)
        self._labelled(label=label, case_id=str(case_id), reasons=list(reasons), actor=by.as_event(),
                       at=require_aware(now))  # fmt: skip

    @event("Labelled")
    def _labelled(self, label: str, case_id: str, reasons: list[str], actor: dict[str, Any], at: datetime) -> None:
        self.label = label
        self.case_id = case_id
        self.status_code = S.CLOSED.value
