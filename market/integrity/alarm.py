"""A failed chain verification becomes a critical supervision flag (监管预警), and a critical log line.

The flag is the supervision ``Flag`` aggregate (domain/supervision/flags.py), recorded through
``Market.record_finding`` like the oversight scans' flags: one flag for the event store, whose
evidence is the first tampered position. A later run that finds the
same position records nothing; a different position updates the flag; a clean run after a
restore clears it. The log line goes out first, so that an alert fires even when the store
is too damaged to record the flag.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from domain.supervision.flags import Finding as FlagFinding
from domain.supervision.flags import Flag, Severity
from market.integrity.verify import Finding

if TYPE_CHECKING:
    from market.app import Market

log = logging.getLogger("market.integrity")

FLAG_CODE = "integrity.event_chain"  # 事件链被篡改 the stored history fails verification
FLAG_KEY = "event-store"
DETECTOR_VERSION = "chain-v1"


def _flag_finding(market: Market, finding: Finding) -> FlagFinding:
    return FlagFinding(
        key=FLAG_KEY, scope="event-store", subjects={"region": market.region}, severity=Severity.CRITICAL,
        figures={"position": finding.position, "kind": finding.kind, "detail": finding.detail},
        evidence=[{"position": finding.position, "kind": finding.kind}],
    )  # fmt: skip


def raise_alarm(market: Market, finding: Finding) -> str:
    """Log and flag a verification failure; returns what happened to the flag."""
    log.critical("event chain verification FAILED at position %s: %s (%s)", finding.position, finding.kind,
                 finding.detail)  # fmt: skip
    try:
        return market.record_finding(FLAG_CODE, DETECTOR_VERSION, {}, _flag_finding(market, finding))["action"]
    except Exception:  # a store broken enough to fail verification may refuse writes too
        log.critical("could not record the integrity flag", exc_info=True)
        return "unrecorded"


def all_clear(market: Market) -> bool:
    """A clean verification clears an open integrity flag (after a restore from backup)."""
    flag_id = Flag.create_id(FLAG_CODE, FLAG_KEY)
    if not market.exists(flag_id):
        return False
    if market.clear_flag(flag_id, "事件链核验通过 the chain verifies again")["action"] != "cleared":
        return False
    log.warning("event chain verifies again: integrity flag cleared")
    return True
