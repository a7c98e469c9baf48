"""Saved views and calendar feeds: the queries and rules behind the pages."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, noload

from tracker.audit import services as audit
from tracker.auth.models import User
from tracker.db import db
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.items.models import Item, ItemStatus, SavedView
from tracker.items.permissions import visible_clause
from tracker.meetings.models import Task
from tracker.reports.feeds import FeedEntry

# The register filter's parameters: a saved view keeps these and nothing else.
FILTER_KEYS = (
    *("q", "status", "kind", "responsible", "reporting", "assignee", "topic", "priority"),
    *("company", "overdue", "sort", "direction"),
)
VIEW_NAME_MAX = 120


def clean_query(query: str) -> str:
    """Keep the filter's parameters only, once each, non-empty: nothing else is stored."""
    values: dict[str, str] = {}
    for key, value in parse_qsl(query or "", keep_blank_values=False):
        if key in FILTER_KEYS and key not in values and value.strip():
            values[key] = value.strip()[:200]
    return urlencode([(key, values[key]) for key in FILTER_KEYS if key in values])


def visible_views(user: User) -> list[SavedView]:
    """The user's own views, then everyone's shared ones, each by name."""
    views = db.session.scalars(
        select(SavedView)
        .options(joinedload(SavedView.owner))
        .where(or_(SavedView.owner_id == user.id, SavedView.shared))
    )
    # Sorted here: SQLite's lower() leaves umlauts alone.
    return sorted(views, key=lambda v: (v.owner_id != user.id, v.name.casefold(), v.id))


def find_view(view_id: int, user: User) -> SavedView | None:
    """The view if ``user`` may open it (their own or a shared one), else None."""
    view = db.session.get(SavedView, view_id)
    if view is None or (view.owner_id != user.id and not view.shared):
        return None
    return view


def save_view(*, owner: User, name: str, query: str, shared: bool) -> SavedView:
    """Save the filter under ``name``; saving again under an own view's name replaces it."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("Please give the view a name."), field="name")
    if len(name) > VIEW_NAME_MAX:
        raise ValidationFailed(_("At most %(num)d characters.", num=VIEW_NAME_MAX), field="name")
    if shared and owner.is_observer:
        raise PermissionDenied(_("Observers cannot share views."))
    own = db.session.scalars(select(SavedView).where(SavedView.owner_id == owner.id))
    view = next((v for v in own if v.name.casefold() == name.casefold()), None)
    view = view or SavedView(owner=owner)
    view.name, view.query, view.shared = name, clean_query(query), shared
    db.session.add(view)
    db.session.flush()
    return view


def delete_view(view: SavedView, *, actor: User) -> None:
    """Delete a saved view; only its owner may."""
    if view.owner_id != actor.id:
        raise PermissionDenied(_("You can delete only your own views."))
    db.session.delete(view)
    db.session.flush()


def renew_calendar_token(user: User) -> str:
    """Give the user a new secret feed address; the old one stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    audit.record("calendar_feed_renewed", actor=user, subject=user.email)
    db.session.flush()
    return user.calendar_token


def revoke_calendar_token(user: User) -> None:
    """Switch the user's calendar feed off."""
    user.calendar_token = None
    audit.record("calendar_feed_revoked", actor=user, subject=user.email)
    db.session.flush()


def calendar_owner(token: str) -> User | None:
    """The active user whose feed address holds ``token``, else None."""
    if not token:
        return None
    return db.session.scalar(select(User).where(User.calendar_token == token, User.active))


def calendar_entries(user: User, url_for_item: Callable[[int], str], tasks_url: str) -> list:
    """Follow-ups of the user's open items and the user's open tasks with a due date."""
    items = db.session.scalars(
        select(Item)
        .options(noload(Item.topics))
        .where(
            Item.assignee_id == user.id,
            Item.status.in_(ItemStatus.open_statuses()),
            Item.follow_up_date.is_not(None),
            visible_clause(user),
        )
        .order_by(Item.follow_up_date, Item.id)
    ).all()
    tasks = db.session.scalars(
        select(Task)
        .where(Task.owner_id == user.id, Task.done_at.is_(None), Task.due_date.is_not(None))
        .order_by(Task.due_date, Task.id)
    ).all()
    return [_item_entry(item, url_for_item) for item in items] + [
        _task_entry(task, url_for_item, tasks_url) for task in tasks
    ]


def _item_entry(item: Item, url_for_item: Callable[[int], str]) -> FeedEntry:
    return FeedEntry(
        uid=f"item-{item.id}-follow-up",
        day=item.follow_up_date,
        summary=_("Follow-up: %(ref)s %(title)s", ref=item.reference, title=item.title),
        description=f"{item.company.name} · {item.status.label}",
        url=url_for_item(item.id),
    )


def _task_entry(task: Task, url_for_item: Callable[[int], str], tasks_url: str) -> FeedEntry:
    return FeedEntry(
        uid=f"task-{task.id}",
        day=task.due_date,
        summary=_("Task: %(title)s", title=task.title),
        description="",
        url=url_for_item(task.item_id) if task.item_id else tasks_url,
    )
