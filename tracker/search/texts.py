"""The texts the index holds for each kind of record, read from their own tables.

The index keeps stems only; titles and snippets are made from these texts, and
PostgreSQL's index is filled from them (tracker.search.tsearch). The migrations' SQLite
triggers compute the same texts in SQL.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, func, literal, select

from tracker.companies.models import Company
from tracker.db import db
from tracker.items.models import Activity, Item
from tracker.search.query import Query
from tracker.search.results import ACTIVITIES, COMPANIES, ITEMS
from tracker.search.snippets import WINDOW, mark, snippet

# Activities with text of their own: comments and reasons (body) and the new value of a
# text field. Status, assignee and date changes carry no words worth finding.
TEXT_FIELDS = ("title", "description", "resolution_note")
KEYS = {ITEMS: Item.id, ACTIVITIES: Activity.id, COMPANIES: Company.id}


def activity_text() -> ColumnElement[str]:
    """An activity's words: its body, and the new value of a text field."""
    new_text = case((Activity.field.in_(TEXT_FIELDS), func.coalesce(Activity.new_value, "")))
    return func.trim(Activity.body + " " + func.coalesce(new_text, ""))


def shown(kind: str) -> tuple[ColumnElement[str], ColumnElement[str]]:
    """The title and the text a hit of ``kind`` is shown with."""
    if kind == ITEMS:
        return Item.title, Item.description
    if kind == COMPANIES:
        return Company.name, func.trim(Company.city + " " + Company.notes)
    return literal(""), activity_text()


def highlights(kind: str, query: Query, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Map each id to its title and a snippet of its text, hits between the sentinels.

    Only the beginning of each text is read (tracker.search.snippets): the time does not
    grow with the size of a row.
    """
    if not ids:
        return {}
    title, text = shown(kind)
    rows = db.session.execute(
        select(KEYS[kind], func.substr(title, 1, WINDOW), func.substr(text, 1, WINDOW)).where(
            KEYS[kind].in_(ids)
        )
    )
    terms = query.terms
    return {row[0]: (mark(row[1], terms), snippet(row[2], terms)) for row in rows}
