"""The search on PostgreSQL, with the german configuration and GIN indexes.

The migration keeps these outside the models: a ``search_vector`` column on items (kept
by a trigger: title weight A, description B, reference and company name C) and on
companies (generated); activities with text get a row in the narrow ``search_activities``
table (kept by a trigger), which a common word's many hits are read from quickly.
Ranking uses ts_rank_cd, marking ts_headline with the sentinels of tracker.search.markup.
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
)

from tracker.auth.models import User
from tracker.companies.models import Company
from tracker.companies.permissions import hidden_company_ids
from tracker.db import db
from tracker.items.models import Activity, Item
from tracker.items.permissions import visible_clause
from tracker.search.hidden import hidden_item_ids
from tracker.search.markup import END, START
from tracker.search.query import Term, tsquery_expression
from tracker.search.results import ACTIVITIES, COMPANIES, ITEMS
from tracker.search.snippets import WINDOW

CONFIG = literal_column("'german'::regconfig")
SEARCH_ACTIVITIES = table(
    "search_activities", column("activity_id"), column("item_id"), column("vector")
)
VECTORS = {
    ITEMS: literal_column("items.search_vector"),
    ACTIVITIES: SEARCH_ACTIVITIES.c.vector,
    COMPANIES: literal_column("companies.search_vector"),
}
KEYS = {ITEMS: Item.id, ACTIVITIES: SEARCH_ACTIVITIES.c.activity_id, COMPANIES: Company.id}
RECORD_KEYS = {ITEMS: Item.id, ACTIVITIES: Activity.id, COMPANIES: Company.id}
MARKERS = f'StartSel="{START}", StopSel="{END}"'
TITLE_OPTIONS = f"{MARKERS}, HighlightAll=true"
SNIPPET_OPTIONS = (
    f'{MARKERS}, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "'
)
TEXT_FIELDS = ("title", "description", "resolution_note")


def expression(terms: list[Term]) -> str:
    """The query in to_tsquery's syntax."""
    return tsquery_expression(terms)


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


def _texts(kind: str) -> tuple:
    if kind == ITEMS:
        return Item.title, Item.description
    if kind == COMPANIES:
        return Company.name, Company.city + " " + Company.notes
    new_text = case((Activity.field.in_(TEXT_FIELDS), func.coalesce(Activity.new_value, "")))
    return literal(""), func.trim(Activity.body + " " + func.coalesce(new_text, ""))


def _headline(text, expr: str, options: str):
    """ts_headline over the text's first ``WINDOW`` characters: it parses all it is given."""
    return func.ts_headline(CONFIG, func.left(text, WINDOW), _tsquery(expr), literal(options))


def highlights(kind: str, terms: list[Term], ids: list[int]) -> dict[int, tuple[str, str]]:
    """Map each id to its title and a snippet of its text, hits between the sentinels."""
    if not ids:
        return {}
    expr = expression(terms)
    title, text = _texts(kind)
    rows = db.session.execute(
        select(
            RECORD_KEYS[kind],
            _headline(title, expr, TITLE_OPTIONS),
            _headline(text, expr, SNIPPET_OPTIONS),
        ).where(RECORD_KEYS[kind].in_(ids))
    )
    return {row[0]: (row[1], row[2]) for row in rows}
