"""Writing many rows fast: executemany via a temporary table on SQLite, COPY on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Column, Connection, MetaData, Table, func, insert, select
from sqlalchemy.engine import Dialect

from tracker.caching import mark_changed
from tracker.db import db

BATCH = 5000
_UNSET = object()

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
    converters = []
    for key in keys:
        process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        converters.append((key, process and _remembering(process)))
    return converters


def _remembering(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap ``process`` so that the same value object given again is not converted again.

    Rows written one after the other often share a value (the time of one change is the
    time of each of its timeline entries), and converting times is the costly part.
    """
    last: list = [_UNSET, None]

    def convert(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return convert


def _values(rows: Iterable[dict], converters: Converters) -> Iterator[tuple]:
    for row in rows:
        yield tuple(
            row[key] if process is None else process(row[key]) for key, process in converters
        )


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
