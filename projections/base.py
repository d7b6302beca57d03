"""A projection: a read model's tables and the event handlers that fill them.

Handlers are methods marked with ``@handles(EventClass, ...)``; ``handle``
dispatches an event to them by its class. A handler reads and writes rows only
through the batch's ``Rows`` (projections/rows.py), which are flushed in the
transaction that also advances the projection's tracked position
(``tracking.apply``). A handler must be a pure function of the events: no wall
clock, no random ids, no reads of other projections' tables, so that a rebuild
reproduces the live tables row for row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from sqlalchemy import Connection, Table

from projections.rows import Rows

Handler = Callable[[Any, Any, Rows], None]


def handles(*event_classes: type) -> Callable[[Handler], Handler]:
    """Mark a method as the handler of these event classes."""

    def mark(method: Handler) -> Handler:
        method.__handles__ = (*getattr(method, "__handles__", ()), *event_classes)  # type: ignore[attr-defined]
        return method

    return mark


def is_event(event: Any, *event_classes: type) -> bool:
    """``isinstance`` for events, aware of the library's redefined event classes.

    ``Procurement.SignedUp`` is a subclass the library made of ``Tendering.SignedUp``;
    the stored event is a ``Tendering.SignedUp``, which ``isinstance`` would not
    count as a ``Procurement.SignedUp``. A redefinition keeps the class name.
    """
    kind = type(event)
    for c in event_classes:  # the name first: it is cheap and rules most classes out
        if kind is c or (c.__name__ == kind.__name__ and (issubclass(kind, c) or issubclass(c, kind))):
            return True
    return False


class Projection:
    """Base of every read model. Subclasses set ``name``, ``version`` and ``tables``.

    Bump ``version`` whenever the handlers would now write different rows for the
    same events: the runner then rebuilds the projection before following on.
    ``preload`` names (table, column) pairs whose rows a batch needs for the
    events' originators, fetched with one query per pair instead of one per event.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[Table, ...]] = ()
    preload: ClassVar[tuple[tuple[Table, str], ...]] = ()
    _handlers: ClassVar[dict[type, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type, str] = {}
        # Walk the MRO from the base down, so that a subclass's handler wins
        # over a mixin's handler for the same event class.
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                for event_class in getattr(value, "__handles__", ()):
                    handlers[event_class] = attr
        cls._handlers = handlers

    def __init__(self) -> None:
        self._resolved: dict[type, Callable[[Any, Rows], None] | None] = {}

    def handler_for(self, event_class: type) -> Callable[[Any, Rows], None] | None:
        if event_class not in self._resolved:
            name = next((self._handlers[k] for k in event_class.__mro__ if k in self._handlers), None)
            if name is None:
                # A handler written for a redefined event class handles the original
                # (see ``is_event``).
                name = next(
                    (attr for k, attr in self._handlers.items()
                     if issubclass(k, event_class) and k.__name__ == event_class.__name__),
                    None,
                )  # fmt: skip
            self._resolved[event_class] = getattr(self, name) if name else None
        return self._resolved[event_class]

    def handles(self, event_class: type) -> bool:
        return self.handler_for(event_class) is not None

    def handle(self, event: Any, rows: Rows) -> None:
        """Apply one domain event; events this read model ignores are no-ops."""
        handler = self.handler_for(type(event))
        if handler is not None:
            handler(event, rows)

    def prepare(self, rows: Rows, events: Sequence[Any]) -> None:
        """Fetch, in one query per ``preload`` pair, the rows these events will touch."""
        originators = {str(e.originator_id) for e in events}
        for table, column in self.preload:
            rows.preload(table, column, originators)

    def drop_tables(self, conn: Connection) -> None:
        for table in reversed(self.tables):
            table.drop(conn, checkfirst=True)

    def create_tables(self, conn: Connection) -> None:
        for table in self.tables:
            table.create(conn, checkfirst=True)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} v{self.version}>"
