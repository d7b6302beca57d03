"""The rule book: which selection rules and durations are in force in the region."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.base import Actor
from domain.rulebook import RuleBook


class RuleCommands:
    def rule_book(self) -> RuleBook:
        book_id = RuleBook.create_id(self.region)
        if self.exists(book_id):
            return self.repository.get(book_id)
        return RuleBook.open(self.region, by=Actor.system(), now=self.clock.now())

    def rules_in_force(self) -> tuple[dict[str, Any], dict[str, int]]:
        return self.rule_book().in_force(self.clock.now())

    def adopt_rule_set(
        self, version: str, *, effective_from: datetime, rules: dict[str, Any] | None = None,
        timetable: dict[str, int] | None = None, reason: str, by: Actor, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """管理机构 adopts a new version of the selection rules and durations."""

        def decide():
            book = self.rule_book()
            book.adopt(version, effective_from=effective_from, rules=rules or {}, timetable=timetable or {},
                       reason=reason, by=by, now=self.clock.now())  # fmt: skip
            return [book], {"region": book.region, "version": version}

        return self._execute("adopt_rule_set", [version, effective_from, rules, timetable, reason, by], decide, idempotency_key)
