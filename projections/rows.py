"""One batch's working set of a projection's rows: each row read once, all writes flushed at once.

Handlers read and change rows as dicts through ``Rows``; nothing reaches the
database until ``flush``, which writes every change of the batch with one
``executemany`` per table and kind (delete, insert, update). A statement per
event costs a round trip each, which is what made per-event projections crawl
at 1–2k events/s (architecture §4); a batch of 500 events then costs a handful
of statements instead of a thousand or more.

Rows are keyed by their table's primary key: a scalar for one column, a tuple
for several. ``find`` answers "all rows where these columns equal these
values", merging what the database holds with what this batch already changed.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, delete, insert, select, tuple_, update

Key = Any  # the primary-key value, or a tuple of them
REWRITE_FROM = 20  # changed rows from which a flush rewrites them instead of updating each
COPY_FROM = 50  # new rows from which PostgreSQL gets them by COPY rather than INSERT … VALUES


class Rows:
    """``complete=True`` when the batch's tables hold nothing this object has not seen.

    A rebuild starts from empty tables and keeps one ``Rows`` across its batches, so
    every row is in memory and no read ever goes to the database: a miss is an absence.
    """

    def __init__(self, conn: Connection | None, *, complete: bool = False) -> None:
        self.conn = conn
        self.complete = complete
        self.position = 0  # notification id of the event being applied (feeds page by it)
        self._rows: dict[str, dict[Key, dict[str, Any] | None]] = defaultdict(dict)  # None: absent
        self._in_db: dict[str, set[Key]] = defaultdict(set)  # keys the database holds now
        self._changed: dict[str, set[Key]] = defaultdict(set)
        self._queries: set[tuple[str, tuple[tuple[str, Any], ...]]] = set()  # finds answered in full
        self._index: dict[str, dict[str, dict[Any, set[Key]]]] = defaultdict(dict)  # table → column → value → keys
        self._tables: dict[str, Table] = {}
        self._pending: dict[str, list[tuple[str, list[Any]]]] = defaultdict(list)  # preloads not yet run

    # --- reading ------------------------------------------------------------------

    def get(self, table: Table, key: Key) -> dict[str, Any] | None:
        """The row with this primary key, or None."""
        rows = self._rows[self._known(table)]
        if self._pending:
            self._run_pending(table)
        if key not in rows:
            if not self.complete and not self._answered(table, key):
                self._load(table, _pk_clause(table, [key]))
            rows.setdefault(key, None)
        return rows[key]

    def find(self, table: Table, **equal: Any) -> list[dict[str, Any]]:
        """Every row whose columns equal ``equal``, as this batch has left them."""
        query = (self._known(table), tuple(sorted(equal.items())))
        if self._pending:
            self._run_pending(table)
        if query not in self._queries:
            if not self.complete:
                self._load(table, and_(*(table.c[c] == v for c, v in equal.items())))
            self._queries.add(query)
        column, value = query[1][0]
        rows = self._rows[table.name]
        candidates = self._indexed(table, column).get(value, ())
        return [rows[k] for k in sorted(candidates, key=repr) if rows[k] is not None and _matches(rows[k], equal)]

    def preload(self, table: Table, column: str, values: Iterable[Any]) -> None:
        """``find(table, column=v)`` for many values at once: one SELECT … IN.

        The query runs when a handler first touches the table: a batch whose events
        never reach it (a few sign-ups, say, for a read model that preloads its
        results and contracts too) then costs no query for it.
        """
        if self.complete:
            return  # nothing to fetch: every row is here
        wanted = [v for v in set(values) if (table.name, ((column, v),)) not in self._queries]
        if wanted:
            self._pending[self._known(table)].append((column, wanted))

    def _run_pending(self, table: Table) -> None:
        for column, wanted in self._pending.pop(table.name, ()):
            wanted = [v for v in wanted if (table.name, ((column, v),)) not in self._queries]
            if not wanted:
                continue
            self._load(table, table.c[column].in_(wanted))
            self._queries.update((table.name, ((column, v),)) for v in wanted)
            if [column] == _pk_columns(table):
                for v in wanted:
                    self._rows[table.name].setdefault(v, None)

    def preload_keys(self, table: Table, keys: Iterable[Key]) -> None:
        """``get(table, key)`` for many keys at once: one SELECT … IN per 500 keys."""
        rows = self._rows[self._known(table)]
        if self._pending:
            self._run_pending(table)
        wanted = [k for k in set(keys) if k not in rows]
        for i in range(0, len(wanted), 500):
            self._load(table, _pk_clause(table, wanted[i : i + 500]))
        for key in wanted:
            rows.setdefault(key, None)

    # --- writing ------------------------------------------------------------------

    def insert(self, table: Table, **values: Any) -> dict[str, Any]:
        key = _key(table, values)
        if self._pending:
            self._run_pending(table)
        current = self.get(table, key) if key in self._rows[self._known(table)] else None
        if current is not None:
            raise KeyError(f"{table.name}: a row {key!r} exists already")
        row = {name: values.get(name) for name in _column_names(table)}
        self._rows[table.name][key] = row
        self._changed[table.name].add(key)
        for column, index in self._index[table.name].items():
            index.setdefault(row[column], set()).add(key)
        return row

    def update(self, table: Table, key: Key, **values: Any) -> dict[str, Any] | None:
        """Change the row's columns; a missing row is left missing (returns None)."""
        row = self.get(table, key)
        if row is not None:
            for column, index in self._index[table.name].items():
                if column in values and values[column] != row[column]:
                    index[row[column]].discard(key)
                    index.setdefault(values[column], set()).add(key)
            row.update(values)
            self._changed[table.name].add(key)
        return row

    def delete(self, table: Table, key: Key) -> None:
        if self.get(table, key) is not None:
            self._rows[table.name][key] = None
            self._changed[table.name].add(key)

    def flush(self) -> None:
        """Write the batch's changes: deletes, then inserts, then updates, per table."""
        for name, keys in self._changed.items():
            table, rows, in_db = self._tables[name], self._rows[name], self._in_db[name]
            gone = [k for k in keys if rows[k] is None and k in in_db]
            added = [rows[k] for k in keys if rows[k] is not None and k not in in_db]
            changed = [rows[k] for k in keys if rows[k] is not None and k in in_db]
            pk = _pk_columns(table)
            by_key = and_(*(table.c[c] == bindparam(f"pk_{c}") for c in pk))
            if gone:
                keys_of = [{f"pk_{c}": v for c, v in zip(pk, _tuple(k), strict=True)} for k in gone]
                self.conn.execute(delete(table).where(by_key), keys_of)
            if added:
                self._insert(table, added)
            columns = [c for c in _column_names(table) if c not in pk]  # primary keys never change
            if changed and columns:
                if len(changed) >= REWRITE_FROM:
                    # Many changed rows: delete them and insert them again, two statements
                    # whatever their number, instead of one UPDATE per row (executemany
                    # sends each row's UPDATE on its own on both drivers).
                    keys = [_key(table, r) for r in changed]
                    for at in range(0, len(keys), 1000):  # well inside SQLite's bound on parameters
                        self.conn.execute(delete(table).where(_pk_clause(table, keys[at : at + 1000])))
                    self._insert(table, changed)
                else:
                    stmt = update(table).where(by_key).values({c: bindparam(c) for c in columns})
                    params = [{**{f"pk_{c}": r[c] for c in pk}, **{c: r[c] for c in columns}} for r in changed]
                    self.conn.execute(stmt, params)
            in_db.difference_update(gone)
            in_db.update(_key(table, r) for r in added)
        self._changed.clear()
        self._pending.clear()  # preloads of tables no handler touched: never needed

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if len(rows) >= COPY_FROM and self.conn.dialect.name == "postgresql":
            copy_rows(self.conn, table, rows)
        else:
            self.conn.execute(insert(table), rows)

    # --- helpers ------------------------------------------------------------------

    def _known(self, table: Table) -> str:
        self._tables.setdefault(table.name, table)
        return table.name

    def size(self) -> int:
        """Rows held in memory (a rebuild gives up its complete cache beyond a bound)."""
        return sum(len(rows) for rows in self._rows.values())

    def _load(self, table: Table, where: Any) -> None:
        rows, indexes = self._rows[self._known(table)], self._index[table.name]
        if self.complete:
            return  # everything the table holds is already here
        for record in self.conn.execute(select(table).where(where)):
            row = dict(record._mapping)
            key = _key(table, row)
            self._in_db[table.name].add(key)
            if key not in rows:  # what this batch changed wins over what is stored
                rows[key] = row
                for column, index in indexes.items():
                    index.setdefault(row[column], set()).add(key)

    def _indexed(self, table: Table, column: str) -> dict[Any, set[Key]]:
        """Keys of the cached rows by their value in ``column`` (built on first use)."""
        indexes = self._index[table.name]
        if column not in indexes:
            index: dict[Any, set[Key]] = {}
            for key, row in self._rows[table.name].items():
                if row is not None:
                    index.setdefault(row[column], set()).add(key)
            indexes[column] = index
        return indexes[column]

    def _answered(self, table: Table, key: Key) -> bool:
        """Whether a complete ``find`` on one of the key's columns already said it is absent."""
        return any((table.name, ((c, v),)) in self._queries
                   for c, v in zip(_pk_columns(table), _tuple(key), strict=True))  # fmt: skip


def _pk_columns(table: Table) -> list[str]:
    """The primary key's column names (cached: SQLAlchemy's column collections are slow to walk)."""
    names = _PK_COLUMNS.get(table)
    if names is None:
        names = _PK_COLUMNS[table] = [c.name for c in table.primary_key.columns]
    return names


def _column_names(table: Table) -> list[str]:
    names = _COLUMNS.get(table)
    if names is None:
        names = _COLUMNS[table] = [c.name for c in table.c]
    return names


# Tables are defined once, at import, and never altered in place.
_PK_COLUMNS: dict[Table, list[str]] = {}
_COLUMNS: dict[Table, list[str]] = {}


def _key(table: Table, values: dict[str, Any]) -> Key:
    pk = _pk_columns(table)
    return values[pk[0]] if len(pk) == 1 else tuple(values[c] for c in pk)


def _tuple(key: Key) -> tuple[Any, ...]:
    return key if isinstance(key, tuple) else (key,)


def _pk_clause(table: Table, keys: list[Key]) -> Any:
    pk = [table.c[c] for c in _pk_columns(table)]
    if len(pk) == 1:
        return pk[0].in_(keys)
    return tuple_(*pk).in_([_tuple(k) for k in keys])


def _matches(row: dict[str, Any], equal: dict[str, Any]) -> bool:
    return all(row[c] == v for c, v in equal.items())


def copy_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows with PostgreSQL's COPY: a third of the time of a multi-row INSERT.

    Values go through each column type's own bind processing (JSON serialised, times
    made UTC) exactly as an INSERT would send them, so the stored rows are the same.
    The text is built a column at a time, in COPY's text format (tab-separated, ``\\N``
    for NULL, backslash escapes): a loop per column instead of a function call per
    field, which had made the formatting most of a rebuild's writing time.
    """
    dialect = conn.dialect
    columns = list(table.c)
    texts = []
    for column in columns:
        name = column.name
        values = [row.get(name) for row in rows]
        process = column.type._cached_bind_processor(dialect)
        if process is not None:
            values = [process(v) for v in values]
        texts.append(_copy_texts(values))
    data = "\n".join(["\t".join(fields) for fields in zip(*texts, strict=True)])
    names = ", ".join(dialect.identifier_preparer.quote(c.name) for c in columns)
    target = dialect.identifier_preparer.format_table(table)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.copy_expert(f"COPY {target} ({names}) FROM STDIN", io.StringIO(data))
    finally:
        cursor.close()


# COPY's text format: a backslash starts an escape, tab and newline end fields and rows.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _copy_texts(values: list[Any]) -> list[str]:
    """One column's values as COPY text fields."""
    out: list[str] = []
    append = out.append
    for value in values:
        if value is None:
            append(_NULL)
        elif type(value) is str:
            # Most text (ids, codes, times) has nothing to escape; four scans cost less than translate.
            escape = "\\" in value or "\t" in value or "\n" in value or "\r" in value
            append(value.translate(_ESCAPES) if escape else value)
        elif value is True:
            append("t")
        elif value is False:
            append("f")
        elif isinstance(value, (int, float, Decimal)):
            append(str(value))
        elif isinstance(value, datetime):
            append(value.isoformat())
        else:
            raw = getattr(value, "adapted", value)  # psycopg2 wraps bytes for bytea in Binary
            if isinstance(raw, (bytes, bytearray, memoryview)):
                append("\\\\x" + bytes(raw).hex())  # bytea's hex input, its backslash escaped
            else:
                append(str(value).translate(_ESCAPES))
    return out
