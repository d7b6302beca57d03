"""The detector framework: versioned, pure judges over figures read from the read models.

domain.md §9.1: a flag stores its code, rule version, parameters, input events
and values. A detector therefore is a small object with a ``code``, a
``version`` (bump it whenever it would judge the same inputs differently), the
names of the ``parameters`` it reads from the supervision thresholds, and a
pure ``evaluate(inputs, params) -> list[Finding]``. It judges one *scope* at a
time (a market, an owner's item, a procurement, an agency); the scans feed it
that scope's inputs and reconcile its findings with the flags on record.
``headline`` names the figures whose material change updates a standing flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

from domain.supervision import Finding, Severity

# The units a detector judges, one at a time.
MARKET = "market"  # service item × region (× the rolling window)
OWNER_ITEM = "owner_item"  # one owner's spend on one item
PROCUREMENT = "procurement"
AGENCY = "agency"
SCOPES = (MARKET, OWNER_ITEM, PROCUREMENT, AGENCY)


class Detector(Protocol):
    code: ClassVar[str]
    version: ClassVar[str]
    scope: ClassVar[str]
    parameters: ClassVar[tuple[str, ...]]
    headline: ClassVar[tuple[str, ...]]

    def evaluate(self, inputs: Any, params: Mapping[str, Any]) -> list[Finding]: ...


def used(detector: Detector, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters a detector's flags record: the ones it read, as they were."""
    return {name: params[name] for name in detector.parameters}


def market_scope(service_item: str, region: str) -> str:
    return f"{service_item}|{region}"


def owner_item_scope(owner_id: str, service_item: str) -> str:
    return f"{owner_id}|{service_item}"


def subjects(**values: Any) -> dict[str, str]:
    """The flag's subjects: those that apply (None is left out)."""
    return {name: str(value) for name, value in values.items() if value is not None}


def finding(
    key: str, scope: str, severity: Severity, subject: dict[str, str], figures: dict[str, Any],
    evidence: list[dict[str, Any]],
) -> Finding:  # fmt: skip
    return Finding(key=key, scope=scope, subjects=subject, severity=severity, figures=figures,
                   evidence=sorted(evidence, key=lambda e: e["position"]))  # fmt: skip


__all__ = [
    "AGENCY", "MARKET", "OWNER_ITEM", "PROCUREMENT", "SCOPES", "Detector", "Finding", "Severity", "finding",
    "market_scope", "owner_item_scope", "subjects", "used",
]
