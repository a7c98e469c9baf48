"""Full-text search over items, activity and companies (DESIGN.md 5), permissions applied.

A page of results costs a fixed number of queries, however common the word: counts
capped at ``COUNT_CAP``, the ids of one page ranked with a LIMIT, then the records and
the highlighting of that page's rows only.
"""

from __future__ import annotations

from types import ModuleType

from markupsafe import escape
from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.companies.models import Company
from tracker.db import db
from tracker.items.models import Activity, Item
from tracker.items.permissions import can_view
from tracker.search import fts5, tsearch
from tracker.search.markup import highlighted
from tracker.search.query import QueryError, parse
from tracker.search.results import ACTIVITIES, ITEMS, KINDS, Hit, Page, Results
from tracker.search.texts import highlights

COUNT_CAP = 1000
# Hits ranked per query at most: the newest ones, enough for every page up to COUNT_CAP.
RANK_WINDOW = 5000


def _backend() -> ModuleType:
    return tsearch if db.session.get_bind().dialect.name == "postgresql" else fts5


def item_match(text: str) -> ColumnElement[bool]:
    """SQL condition for the register's text filter: items whose words match ``text``.

    The same query as the search's (tracker.search.query); what cannot be searched
    matches nothing.
    """
    try:
        query = parse(text)
    except QueryError:
        return false()
    backend = _backend()
    return backend.item_match(backend.expression(query))


def query_problem(text: str) -> str | None:
    """Why ``text`` cannot be searched (the search page's message), or None; blank is fine."""
    if not (text or "").strip():
        return None
    try:
        parse(text)
    except QueryError as exc:
        return str(exc.message)
    return None


def search(user: User, text: str, *, kind: str = "", page: int = 1, per_page: int = 25) -> Results:
    """Search ``text``; return counts per kind and one ranked, highlighted page of ``kind``.

    Without a valid ``kind`` the first kind with hits is shown. Empty text shows the
    form only; text that cannot be searched comes back with the reason in ``error``.
    """
    kind = kind if kind in KINDS else ""
    try:
        query = parse(text)
    except QueryError as exc:
        error = exc.message if text.strip() else ""
        return Results(text, kind or ITEMS, dict.fromkeys(KINDS, 0), error=error)
    backend = _backend()
    expr = backend.expression(query)
    counts = {k: backend.count(k, expr, user, COUNT_CAP) for k in KINDS}
    if kind not in KINDS:
        kind = next((k for k in KINDS if counts[k]), ITEMS)
    result_page = Page([], 1, per_page, counts[kind], COUNT_CAP)
    result_page.page = max(1, min(page, result_page.pages))
    ids = backend.ranked_ids(
        kind,
        expr,
        user,
        limit=per_page,
        offset=(result_page.page - 1) * per_page,
        window=RANK_WINDOW,
    )
    result_page.items = _hits(kind, ids, highlights(kind, query, ids), user)
    return Results(text, kind, counts, result_page)


def _records(kind: str, ids: list[int]) -> dict[int, object]:
    if kind == ITEMS:
        stmt = select(Item).where(Item.id.in_(ids))
    elif kind == ACTIVITIES:
        stmt = select(Activity).options(selectinload(Activity.item)).where(Activity.id.in_(ids))
    else:
        stmt = select(Company).where(Company.id.in_(ids))
    return {record.id: record for record in db.session.scalars(stmt).unique()}


def _visible(record: object, user: User) -> bool:
    if isinstance(record, Item):
        return can_view(user, record)
    if isinstance(record, Activity):
        return can_view(user, record.item)
    return True


def _hits(kind: str, ids: list[int], marks: dict, user: User) -> list[Hit]:
    records = _records(kind, ids) if ids else {}
    hits = []
    for record_id in ids:
        record = records.get(record_id)
        # The queries filter already; this check keeps the rule of permissions.py final.
        if record is None or not _visible(record, user):
            continue
        title, snippet = marks.get(record_id, ("", ""))
        title_html = escape(record.item.title) if kind == ACTIVITIES else highlighted(title)
        hits.append(Hit(record, title_html, highlighted(snippet, plain=True)))
    return hits
