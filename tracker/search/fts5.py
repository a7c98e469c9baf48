"""The search on SQLite: FTS5 tables whose rowid is the id of the item, activity or company.

The tables hold the stems of the texts (tracker.search.stemmer), which the migration's
triggers compute with the function ``search_terms`` that every connection of the app
has (tracker.search.index). Ranking uses the tables' stored ``rank`` (bm25 with the title
weighted highest); hits are marked by tracker.search.texts in the records' own text.
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Select,
    TableClause,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)

from tracker.auth.models import User
from tracker.companies.permissions import hidden_company_ids
from tracker.db import db
from tracker.items.models import Item
from tracker.search.hidden import hidden_item_ids
from tracker.search.query import Query, fts5_expression
from tracker.search.results import ACTIVITIES, COMPANIES, ITEMS

TABLES: dict[str, TableClause] = {
    ITEMS: table("search_items", column("rowid"), column("rank"), column("title")),
    ACTIVITIES: table("search_activities", column("rowid"), column("rank"), column("item_id")),
    COMPANIES: table("search_companies", column("rowid"), column("rank"), column("title")),
}
# From this many hits on, the register's text filter scans the items instead of the hits.
COMMON_HITS = 10_000


def expression(query: Query) -> str:
    """The query in FTS5's syntax."""
    return fts5_expression(query)


def _match(kind: str, expr: str) -> ColumnElement[bool]:
    return literal_column(TABLES[kind].name).op("MATCH")(expr)


def _matching(kind: str, expr: str, user: User) -> Select:
    search = TABLES[kind]
    stmt = select(search.c.rowid.label("id")).where(_match(kind, expr))
    if kind == ITEMS:
        stmt = stmt.where(search.c.rowid.not_in(hidden_item_ids(user)))
    elif kind == ACTIVITIES:
        stmt = stmt.where(search.c.item_id.not_in(hidden_item_ids(user)))
    else:
        stmt = stmt.where(search.c.rowid.not_in(hidden_company_ids(user)))
    return stmt


def item_match(expr: str) -> ColumnElement[bool]:
    """SQL condition: the item's text, reference or company name match ``expr``.

    SQLite would look up every hit in the items table; for a common word, scanning the
    items (and testing each against the hits) is much faster, and "+ 0" makes it do that.
    """
    search = TABLES[ITEMS]
    hits = select(search.c.rowid).where(_match(ITEMS, expr))
    common = db.session.scalar(
        select(func.count()).select_from(hits.limit(COMMON_HITS + 1).subquery())
    )
    return (Item.id + 0 if common > COMMON_HITS else Item.id).in_(hits)


def count(kind: str, expr: str, user: User, cap: int) -> int:
    """Count the visible hits, up to ``cap + 1``."""
    hits = _matching(kind, expr, user).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(hits))


def ranked_ids(
    kind: str, expr: str, user: User, *, limit: int, offset: int, window: int
) -> list[int]:
    """Ids of the best hits among the newest ``window`` ones, best first.

    bm25 costs a little for every row it ranks; limiting the ranking to the newest hits
    keeps a word found in tens of thousands of rows fast, and rare words are ranked whole.
    """
    search = TABLES[kind]
    newest = (
        _matching(kind, expr, user)
        .add_columns(search.c.rank)
        .order_by(search.c.rowid.desc())
        .limit(window)
        .subquery()
    )
    stmt = (
        select(newest.c.id).order_by(newest.c.rank, newest.c.id.desc()).limit(limit).offset(offset)
    )
    return list(db.session.scalars(stmt))


def optimize() -> None:
    """Merge the index segments: afterwards no erased text lingers in old segments."""
    for name in ("search_items", "search_activities", "search_companies"):
        db.session.execute(text(f"INSERT INTO {name}({name}) VALUES ('optimize')"))  # noqa: S608
