"""Supervision (事中事后监管, domain.md §9): flags, regulator cases and the thresholds they use."""

from domain.supervision.cases import VIOLATIONS, Case, CaseStatus
from domain.supervision.flags import Finding, Flag, FlagStatus, Severity, materially_changed
from domain.supervision.reports import SupervisionReport
from domain.supervision.thresholds import DEFAULTS, SupervisionSettings, check_threshold

__all__ = [
    "DEFAULTS", "VIOLATIONS", "Case", "CaseStatus", "Finding", "Flag", "FlagStatus", "Severity",
    "SupervisionReport", "SupervisionSettings", "check_threshold", "materially_changed",
]
