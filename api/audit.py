"""The regulator's audit helpers live in ``market/audit.py`` (the console shows the same audit);
re-exported here for the API's routes."""

from market.audit import SEALED, WITHHELD, Sealing, diff, event_view, jsonsafe, redact, state_view, version_at

__all__ = ["SEALED", "WITHHELD", "Sealing", "diff", "event_view", "jsonsafe", "redact", "state_view", "version_at"]
