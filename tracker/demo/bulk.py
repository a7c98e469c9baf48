"""Writing many rows fast: executemany via a temporary table on SQLite, COPY on PostgreSQL.

A whole load is wrapped in ``tracker.demo.bulk_load.bulk_load`` (indexes built once at the
end, stems once per distinct line, search vectors filled per table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Table,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Dialect

from tracker.caching import mark_changed
from tracker.db import UTCDateTime, db

BATCH = 5000

Converters = list[tuple[str, object]]


def insert_rows(table: Table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys) in the session's transaction.

    The values are converted as ``session.execute(insert(table), rows)`` converts them, by the
    columns' bind processors, without its per-row bookkeeping, which would take most of the
    time of a large data set.
    """
    if not rows:
        return
    rows = _with_defaults(table, rows)
    mark_changed(db.session)  # written past the ORM: the commit must still raise the revision
    connection = db.session.connection()
    if connection.dialect.driver == "psycopg":
        _copy(connection, table, list(rows[0]), rows)
    elif connection.dialect.name == "sqlite":
        _staged(connection, table, list(rows[0]), rows)
    else:
        _executemany(connection, table, table, list(rows[0]), rows)


def _with_defaults(table: Table, rows: list[dict]) -> list[dict]:
    """Fill in the Python-side defaults of columns that the rows leave out, as insert() does."""
    defaults = {}
    for column in table.columns:
        default = column.default
        if column.key in rows[0] or default is None:
            continue
        if default.is_scalar:
            defaults[column.key] = lambda value=default.arg: value
        elif default.is_callable:
            defaults[column.key] = lambda function=default.arg: function(None)
    if not defaults:
        return rows
    return [row | {key: make() for key, make in defaults.items()} for row in rows]


def _converters(table: Table, keys: list[str], dialect: Dialect) -> Converters:
    converters: Converters = []
    for key in keys:
        column_type = table.c[key].type
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
        if isinstance(column_type, UTCDateTime):
            process = _last_of(_sqlite_utc if dialect.name == "sqlite" else _naive_utc)
        elif process is not None:
            process = _memoized(process)
        converters.append((key, process))
    return converters


def _naive_utc(value: datetime | None) -> datetime | None:
    """UTCDateTime's conversion: naive UTC (psycopg writes it as it is)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given; use tracker.db.utcnow()")
    return value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_utc(value: datetime | None) -> str | None:
    """UTCDateTime's conversion on SQLite: naive UTC in SQLAlchemy's storage format."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = _naive_utc(value)
    # In SQLAlchemy's format "2026-11-23 08:00:00.000000", without the "+00:00".
    return value.isoformat(" ", "microseconds")[:26]


def _last_of(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap ``process`` so that the same value object given again is not converted again.

    Rows written one after the other often share a value (the time of one change is the
    time of each of its timeline entries).
    """
    last: list = [None, None]

    def convert(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return convert


MEMO_LIMIT = 50_000  # distinct values remembered per column (enums, flags, dates)


def _memoized(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap ``process`` so that each value is converted once (enums, booleans, dates)."""
    memo: dict = {}

    def convert(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            result = process(value)
            if len(memo) < MEMO_LIMIT:
                memo[value] = result
            return result
        except TypeError:  # not hashable
            return process(value)

    return convert


def _values(rows: Iterable[dict], converters: Converters) -> Iterator[tuple]:
    keys = [key for key, _ in converters]
    convert = [(index, process) for index, (_, process) in enumerate(converters) if process]
    for row in rows:
        values = [row[key] for key in keys]
        for index, process in convert:
            values[index] = process(values[index])
        yield tuple(values)


def _executemany(
    connection: Connection,
    target: Table,
    table: Table,
    keys: list[str],
    rows: list[dict],
    after_batch: Callable[[], None] | None = None,
) -> None:
    """Insert into ``target`` the rows of ``table``, converted by the column types of ``table``."""
    compiled = insert(target).compile(dialect=connection.dialect, column_keys=keys)
    if compiled.positional:
        keys = list(compiled.positiontup)
    converters = _converters(table, keys, connection.dialect)
    for start in range(0, len(rows), BATCH):
        values: list = list(_values(rows[start : start + BATCH], converters))
        if not compiled.positional:
            values = [dict(zip(keys, row, strict=True)) for row in values]
        connection.exec_driver_sql(compiled.string, values)
        if after_batch:
            after_batch()


def _staged(connection: Connection, table: Table, keys: list[str], rows: list[dict]) -> None:
    """Insert through a temporary table, one INSERT ... SELECT per batch.

    Triggers (those of the search index) then run in one statement per batch instead of
    one per row, which is several times faster on SQLite.
    """
    columns = [Column(key, table.c[key].type) for key in keys]
    stage = Table(f"demo_stage_{table.name}", MetaData(), *columns, prefixes=["TEMPORARY"])
    stage.create(connection)

    def move() -> None:
        connection.execute(insert(table).from_select(keys, select(*stage.c)))
        connection.execute(stage.delete())

    try:
        _executemany(connection, stage, table, keys, rows, after_batch=move)
    finally:
        stage.drop(connection)


def _copy(connection: Connection, table: Table, keys: list[str], rows: list[dict]) -> None:
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, keys))
    )
    converters = _converters(table, keys, connection.dialect)
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for values in _values(rows, converters):
            copy.write_row(values)


def sync_sequences(tables: Iterable[Table]) -> None:
    """Move PostgreSQL's id sequences past ids that were given explicitly."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(table.name, "id"),
                    select(func.max(table.c.id)).scalar_subquery(),
                )
            )
        )
