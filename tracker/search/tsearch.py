"""The search on PostgreSQL: tsvectors of stems with GIN indexes, ranked by ts_rank_cd.

The migrations keep these outside the models: a ``search_vector`` column on items (title
weight A, description B, reference and company name C) and on companies (name A, city and
notes B); activities with text get a row in the narrow ``search_activities`` table, which
a common word's many hits are read from quickly.

The vectors hold the stems of tracker.search.stemmer (PyStemmer, as on SQLite), with the
``simple`` configuration, which only splits at the spaces. PostgreSQL cannot run the
stemmer itself: its triggers empty the vector of every row whose text changed (so an old
text is never found), and ``refresh`` fills the empty ones before each commit that
changed indexed records (tracker.search.index). Rows are locked while refreshed and
skipped when another transaction holds them, so that concurrent writers do not wait on
each other; whoever commits a row refreshes it.
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)

from tracker.auth.models import User
from tracker.companies.models import Company
from tracker.companies.permissions import hidden_company_ids
from tracker.db import db
from tracker.items.models import Item
from tracker.items.permissions import visible_clause
from tracker.search.hidden import hidden_item_ids
from tracker.search.query import Query, tsquery_expression
from tracker.search.results import ACTIVITIES, COMPANIES, ITEMS
from tracker.search.stemmer import terms

CONFIG = literal_column("'simple'::regconfig")
BATCH = 500  # rows refreshed per statement
SEARCH_ACTIVITIES = table(
    "search_activities", column("activity_id"), column("item_id"), column("vector")
)
VECTORS = {
    ITEMS: literal_column("items.search_vector"),
    ACTIVITIES: SEARCH_ACTIVITIES.c.vector,
    COMPANIES: literal_column("companies.search_vector"),
}
KEYS = {ITEMS: Item.id, ACTIVITIES: SEARCH_ACTIVITIES.c.activity_id, COMPANIES: Company.id}


def expression(query: Query) -> str:
    """The query in to_tsquery's syntax."""
    return tsquery_expression(query)


def _tsquery(expr: str):
    return func.to_tsquery(CONFIG, literal(expr))


def _match(kind: str, expr: str) -> ColumnElement[bool]:
    return VECTORS[kind].op("@@")(_tsquery(expr))


def _matching(kind: str, expr: str, user: User) -> Select:
    stmt = select(KEYS[kind].label("id")).where(_match(kind, expr))
    if kind == ITEMS:
        stmt = stmt.where(visible_clause(user))
    elif kind == ACTIVITIES:
        stmt = stmt.where(SEARCH_ACTIVITIES.c.item_id.not_in(hidden_item_ids(user)))
    else:
        stmt = stmt.where(Company.id.not_in(hidden_company_ids(user)))
    return stmt


def item_match(expr: str) -> ColumnElement[bool]:
    """SQL condition: the item's text, reference or company name match ``expr``."""
    return _match(ITEMS, expr)


def count(kind: str, expr: str, user: User, cap: int) -> int:
    """Count the visible hits, up to ``cap + 1``."""
    hits = _matching(kind, expr, user).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(hits))


def ranked_ids(
    kind: str, expr: str, user: User, *, limit: int, offset: int, window: int
) -> list[int]:
    """Ids of the best hits among the newest ``window`` ones, best first.

    ts_rank_cd reads every ranked row's vector; limiting the ranking to the newest hits
    keeps a word found in tens of thousands of rows fast, and rare words are ranked whole.
    """
    newest = (
        _matching(kind, expr, user)
        .add_columns(VECTORS[kind].label("vector"))
        .order_by(KEYS[kind].desc())
        .limit(window)
        .subquery()
    )
    rank = func.ts_rank_cd(newest.c.vector, _tsquery(expr))
    stmt = select(newest.c.id).order_by(rank.desc(), newest.c.id.desc()).limit(limit).offset(offset)
    return list(db.session.scalars(stmt))


# The rows whose vector a trigger emptied, with their texts; locked, skipping locked ones.
_STALE = {
    ITEMS: """SELECT items.id, items.title, items.description,
            replace(items.reference, '-', ' ') || ' ' || coalesce(companies.name, '')
        FROM items LEFT JOIN companies ON companies.id = items.company_id
        WHERE items.search_vector IS NULL
        ORDER BY items.id LIMIT :batch FOR UPDATE OF items SKIP LOCKED""",
    # The text of tracker.search.texts.activity_text.
    ACTIVITIES: """SELECT activities.id, trim(activities.body || ' ' || CASE
            WHEN activities.field IN ('title', 'description', 'resolution_note')
            THEN coalesce(activities.new_value, '') ELSE '' END)
        FROM search_activities JOIN activities ON activities.id = search_activities.activity_id
        WHERE search_activities.vector IS NULL
        ORDER BY activities.id LIMIT :batch FOR UPDATE OF search_activities SKIP LOCKED""",
    COMPANIES: """SELECT id, name, city || ' ' || notes FROM companies
        WHERE search_vector IS NULL ORDER BY id LIMIT :batch FOR UPDATE SKIP LOCKED""",
}
_FILL = {
    ITEMS: """UPDATE items SET search_vector =
            setweight(to_tsvector('simple'::regconfig, :a), 'A')
            || setweight(to_tsvector('simple'::regconfig, :b), 'B')
            || setweight(to_tsvector('simple'::regconfig, :c), 'C')
        WHERE id = :id""",
    ACTIVITIES: """UPDATE search_activities SET vector = to_tsvector('simple'::regconfig, :a)
        WHERE activity_id = :id""",
    COMPANIES: """UPDATE companies SET search_vector =
            setweight(to_tsvector('simple'::regconfig, :a), 'A')
            || setweight(to_tsvector('simple'::regconfig, :b), 'B')
        WHERE id = :id""",
}


def refresh(connection: Connection) -> int:
    """Fill the emptied vectors with the stems of their rows' texts; return how many."""
    filled = 0
    for kind in (ITEMS, ACTIVITIES, COMPANIES):
        while True:
            rows = connection.execute(text(_STALE[kind]), {"batch": BATCH}).all()
            if rows:
                connection.execute(text(_FILL[kind]), [_stems(row) for row in rows])
                filled += len(rows)
            if len(rows) < BATCH:
                break
    return filled


def _stems(row) -> dict:
    """``{"id": ..., "a": stems of the first text, "b": ..., "c": ...}``."""
    return {
        "id": row[0],
        **{name: terms(value) for name, value in zip("abc", row[1:], strict=False)},
    }


def empty_all(connection: Connection) -> None:
    """Empty every vector, so that ``refresh`` computes them all again."""
    connection.execute(text("UPDATE items SET search_vector = NULL"))
    connection.execute(text("UPDATE search_activities SET vector = NULL"))
    connection.execute(text("UPDATE companies SET search_vector = NULL"))
