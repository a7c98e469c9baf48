"""Calendar feeds: each user's secret address and the entries behind it."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import noload

from tracker.audit import services as audit
from tracker.auth.models import User
from tracker.db import db
from tracker.i18n import _
from tracker.items.models import Item, ItemStatus
from tracker.items.permissions import visible_clause
from tracker.meetings.models import Task
from tracker.reports.feeds import FeedEntry


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
