"""Creating, editing and commenting on items. Services flush; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from tracker import clock, events, limits, providers
from tracker.auth.models import User
from tracker.companies.models import Company, Contact
from tracker.db import db, utcnow
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.items import permissions, timeline
from tracker.items.models import (
    ActivityKind,
    Item,
    ItemKind,
    ItemSource,
    ItemStatus,
    Priority,
    ReferenceCounter,
)
from tracker.networks.models import Network
from tracker.topics.models import Topic
from tracker.versioning import check_version, flush_or_conflict

EDITABLE_FIELDS = (
    "title",
    "kind",
    "description",
    "company",
    "contact",
    "topics",
    "priority",
    "assignee",
    "source",
    "follow_up_date",
    "confidential",
    "for_next_meeting",
)


def default_follow_up(today: date | None = None) -> date:
    """Return the follow-up date an open item gets when none is given: next meeting + 14 days."""
    today = today or clock.today()
    base = providers.provided(providers.NEXT_MEETING_DATE)(today) or today
    return base + timedelta(days=current_app.config["FOLLOW_UP_DEFAULT_DAYS"])


def next_reference(year: int, count: int = 1) -> str:
    """Hand out the next reference number of ``year`` (``2026-0042``); never reused.

    With ``count``, that many numbers are taken at once and the last is returned (see
    ``ReferenceBlock``). The counter's row stays locked until the commit.
    """
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    counter = dialect.insert(ReferenceCounter).values(year=year, last_value=count)
    value = db.session.execute(
        counter.on_conflict_do_update(
            index_elements=["year"],
            set_={"last_value": ReferenceCounter.last_value + count},
        ).returning(ReferenceCounter.last_value)
    ).scalar_one()
    return _reference(year, value)


def _reference(year: int, value: int) -> str:
    return f"{year}-{value:04d}"


class ReferenceBlock:
    """Reference numbers taken from the counter in blocks, for creating many items at once.

    ``take`` hands them out in order, ``close`` gives back those not used, so that the
    numbers stay without gaps. This works because the counter's row stays locked by the
    transaction that took the block: nobody else can have counted on meanwhile.
    """

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self.year = 0
        self._next = self._last = 0

    def take(self) -> str:
        year = clock.today().year
        if year != self.year or self._next > self._last:
            self.close()
            self.year = year
            with db.session.no_autoflush:
                self._last = int(next_reference(year, self.size).split("-")[1])
            self._next = self._last - self.size + 1
        self._next += 1
        return _reference(year, self._next - 1)

    def close(self) -> None:
        """Give back the numbers not handed out."""
        if self.year and self._next <= self._last:
            db.session.execute(
                update(ReferenceCounter)
                .where(ReferenceCounter.year == self.year)
                .where(ReferenceCounter.last_value == self._last)
                .values(last_value=self._next - 1)
            )
        self._next, self._last = 0, -1


def _initial_status(actor: User, responsible: Network | None) -> ItemStatus:
    if responsible is None:
        return ItemStatus.NEW
    if actor.is_manager and actor.network_id == responsible.id:
        return ItemStatus.IN_PROGRESS  # making one's own network responsible accepts implicitly
    return ItemStatus.ASSIGNED


def reporting_network_for(actor: User, chosen: Network | None) -> Network | None:
    """The network an item is reported by: a manager's own, else the one the actor chose."""
    if actor.network is not None and not actor.is_admin:
        return actor.network
    return chosen


def create_item(*, actor: User, **fields: Any) -> Item:
    """Register a new item, give it a reference number and record its creation.

    Takes the fields of ``build_item`` (without ``references``), flushes and announces it.
    """
    item = build_item(actor=actor, **fields)
    db.session.flush()
    events.item_created.send(item, actor=actor)
    return item


def build_item(
    *,
    actor: User,
    title: str,
    kind: ItemKind,
    company: Company,
    reporting_network: Network | None,
    description: str = "",
    contact: Contact | None = None,
    topics: Iterable[Topic] = (),
    priority: Priority = Priority.NORMAL,
    responsible_network: Network | None = None,
    assignee: User | None = None,
    source: ItemSource = ItemSource.MEETING,
    follow_up_date: date | None = None,
    confidential: bool = False,
    references: ReferenceBlock | None = None,
) -> Item:
    """Check and build a new item, numbered, its creation recorded; added, not yet flushed.

    ``create_item`` flushes it and announces it. Creating many items at once (an import),
    the caller takes the numbers from ``references``, flushes when it chooses, and sends
    ``events.item_created`` for each item after the flush.
    """
    if not permissions.can_create(actor):
        raise PermissionDenied(_("You may not create items."))
    if reporting_network is None:
        raise ValidationFailed(_("Please choose the reporting network."), field="reporting_network")
    if actor.is_manager and reporting_network.id != actor.network_id:
        raise PermissionDenied(_("Managers report items for their own network."))
    title = title.strip()
    if not title:
        raise ValidationFailed(_("A title is required."), field="title")
    now = utcnow()
    status = _initial_status(actor, responsible_network)
    item = Item(
        kind=kind,
        title=title,
        description=description,
        company=company,
        contact=contact,
        topics=list(topics),
        priority=priority,
        reporting_network=reporting_network,
        responsible_network=responsible_network,
        source=source,
        follow_up_date=follow_up_date or default_follow_up(),
        status=status,
        confidential=confidential,
        created_by=actor,
        updated_by=actor,
        created_at=now,
        updated_at=now,
        accepted_at=now if status is ItemStatus.IN_PROGRESS else None,
    )
    _check_contact(item, contact)
    _check_assignee(item, assignee)
    item.assignee = assignee or (actor if status is ItemStatus.IN_PROGRESS else None)
    # Numbered last: the counter's row stays locked until the commit, and checks that fail
    # above must not use up a number.
    with db.session.no_autoflush:
        item.reference = references.take() if references else next_reference(clock.today().year)
    db.session.add(item)
    timeline.record(item, actor, ActivityKind.CREATED, new=status, field="status", item_version=1)
    return item


def _check_contact(item: Item, contact: Contact | None) -> None:
    if contact is not None and contact.company_id not in (None, item.company.id):
        raise ValidationFailed(_("The contact does not work for this company."), field="contact")


def _check_assignee(item: Item, assignee: User | None) -> None:
    if assignee is None:
        return
    if item.responsible_network is None or assignee.network_id != item.responsible_network.id:
        raise ValidationFailed(
            _("The assignee must be a manager of the responsible network."), field="assignee"
        )
    if not assignee.is_manager or not assignee.active:
        raise ValidationFailed(_("The assignee must be an active manager."), field="assignee")


def _current(item: Item, field: str) -> Any:
    value = getattr(item, field)
    return list(value) if field == "topics" else value


def update_item(
    item: Item, *, actor: User, expected_version: int | None, **changes: Any
) -> dict[str, tuple[Any, Any]]:
    """Change editable fields, record each change, and return ``{field: (old, new)}``."""
    if not permissions.can_edit(actor, item):
        raise PermissionDenied(_("You may not edit this item."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    check_version(item, expected_version)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            raise ValidationFailed(_("A title is required."), field="title")
    if item.is_open and changes.get("follow_up_date", item.follow_up_date) is None:
        changes["follow_up_date"] = default_follow_up()
    diff = {
        field: (_current(item, field), value)
        for field, value in changes.items()
        if _comparable(_current(item, field)) != _comparable(value)
    }
    for field, (_old, new) in diff.items():
        setattr(item, field, new)
    _check_contact(item, item.contact)
    if "assignee" in diff:
        _check_assignee(item, item.assignee)
    if diff:
        item.updated_by = actor
        timeline.record_changes(item, actor, diff)
        flush_or_conflict(item, expected_version)
        events.item_changed.send(item, actor=actor, changes=diff)
    return diff


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(getattr(v, "id", v) for v in value)
    return value


def add_comment(item: Item, *, actor: User, body: str) -> None:
    """Add a comment to the item's timeline."""
    body = record_comment(item, actor=actor, body=body)
    db.session.flush()
    events.item_commented.send(item, actor=actor, body=body)


def record_comment(item: Item, *, actor: User, body: str) -> str:
    """Check a comment and put it on the timeline, without flushing; return its text."""
    if not permissions.can_comment(actor, item):
        raise PermissionDenied(_("You may not comment on this item."))
    body = body.strip()
    if not body:
        raise ValidationFailed(_("The comment is empty."), field="body")
    limits.check_length(body, limits.COMMENT, "body")
    timeline.record(item, actor, ActivityKind.COMMENT, body=body, item_version=item.version)
    return body
