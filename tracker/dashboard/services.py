"""Read-only queries of the start page."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.auth.models import User
from tracker.db import db
from tracker.items.models import Item, ItemStatus
from tracker.items.permissions import visible_clause

OPEN = ItemStatus.open_statuses()


def _items(*conditions, order=None, limit: int = 20) -> list[Item]:
    stmt = select(Item).where(*conditions).order_by(order if order is not None else Item.id.desc())
    return list(db.session.scalars(stmt.limit(limit)))


def start_page(user: User, today: date) -> dict[str, list[Item]]:
    """The lists of the user's start page."""
    visible = visible_clause(user)
    pages = {
        "my_items": _items(
            Item.assignee_id == user.id, Item.status.in_(OPEN), order=Item.follow_up_date.asc()
        ),
        "awaiting": [],
        "overdue": [],
        "network_open": [],
    }
    if user.network_id:
        mine = Item.responsible_network_id == user.network_id
        pages["awaiting"] = _items(mine, Item.status == ItemStatus.ASSIGNED)
        pages["overdue"] = _items(
            mine,
            Item.status.in_(OPEN),
            Item.follow_up_date < today,
            order=Item.follow_up_date.asc(),
        )
        pages["network_open"] = _items(mine, Item.status.in_(OPEN), visible, limit=10)
    else:
        pages["overdue"] = _items(
            Item.status.in_(OPEN),
            Item.follow_up_date < today,
            visible,
            order=Item.follow_up_date.asc(),
        )
        pages["awaiting"] = _items(Item.status == ItemStatus.ASSIGNED, visible)
    pages["recent"] = _items(visible, limit=10)
    return pages
