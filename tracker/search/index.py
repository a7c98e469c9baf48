"""Keeping the index's stems up to date, and rebuilding it (``flask search reindex``).

SQLite: the migration's triggers call ``search_terms(text)``, the stemmer of
tracker.search.stemmer, which every connection of the app gets here. A connection
without it (the sqlite3 shell) cannot change items, activities or companies.

PostgreSQL: the triggers empty the vectors of changed rows, and the stems are filled in
before the commit of every writing transaction (tracker.search.tsearch.refresh), however
it wrote: through the ORM, a statement or COPY. With no emptied vector that costs three
look-ups in small partial indexes.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tracker.caching import reads_only
from tracker.db import unit_of_work
from tracker.search import fts5, tsearch
from tracker.search.stemmer import terms


def init_app(app: Flask, engine: Engine) -> None:
    """Give SQLite connections the stemmer, keep PostgreSQL's vectors filled; the command."""
    app.cli.add_command(search_cli)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _add_function)
    elif engine.dialect.name == "postgresql" and not event.contains(
        Session, "before_commit", _refresh_before_commit
    ):
        event.listen(Session, "before_commit", _refresh_before_commit)


def _add_function(dbapi_connection, _record) -> None:
    dbapi_connection.create_function("search_terms", 1, terms, deterministic=True)


def _refresh_before_commit(session: Session) -> None:
    if reads_only() or session.get_bind().dialect.name != "postgresql":
        return  # a request's reading transaction changed nothing
    session.flush()  # the triggers run at the flush, which follows this event otherwise
    tsearch.refresh(session.connection())


def rebuild(connection: Connection) -> int:
    """Compute the stems of every item, activity and company again; return the rows."""
    if connection.dialect.name == "postgresql":
        tsearch.empty_all(connection)
        return tsearch.refresh(connection)
    for statement in SQLITE_REBUILD:
        connection.execute(text(statement))
    return connection.execute(text("SELECT count(*) FROM search_items")).scalar() + sum(
        connection.execute(text(f"SELECT count(*) FROM {name}")).scalar()  # noqa: S608
        for name in ("search_activities", "search_companies")
    )


SQLITE_REBUILD = [
    "DELETE FROM search_items",
    "DELETE FROM search_activities",
    "DELETE FROM search_companies",
    """INSERT INTO search_items (rowid, title, body, meta)
        SELECT items.id, search_terms(items.title), search_terms(items.description),
            search_terms(items.reference || ' ' || coalesce(companies.name, ''))
        FROM items LEFT JOIN companies ON companies.id = items.company_id""",
    """INSERT INTO search_activities (rowid, item_id, body)
        SELECT id, item_id, search_terms(body || ' ' || CASE
            WHEN field IN ('title', 'description', 'resolution_note')
            THEN coalesce(new_value, '') ELSE '' END)
        FROM activities
        WHERE body <> '' OR field IN ('title', 'description', 'resolution_note')""",
    """INSERT INTO search_companies (rowid, title, body)
        SELECT id, search_terms(name), search_terms(city || ' ' || notes) FROM companies""",
]


search_cli = AppGroup("search", help="The full-text search index.")


@search_cli.command("reindex")
def reindex() -> None:
    """Compute the index's stems of all items, activities and companies again."""
    with unit_of_work() as session:
        rows = rebuild(session.connection())
        if session.get_bind().dialect.name == "sqlite":
            fts5.optimize()
    click.echo(f"Search index rebuilt: {rows} rows.")
