"""Listeners of the domain events: who hears of what (the preferences say how).

- An item offered to a network (a hand-off, or an item registered for another network):
  the active managers of that network, not the one who offered it; not when a manager
  handed it to their own network, which accepts it at once.
- A hand-off accepted or returned (with the reason): the person who made the hand-off
  (``recipients.handoff_author``), unless they answered it themselves.
- Made assignee: the new assignee, unless they chose themselves.
- A comment: the people it mentions (``@Name``, tracker/items/mentions.py), the item's
  assignee and the person who registered it, never the commenter.
- A task: its owner, unless they gave it to themselves.
- Any of these changes, a change of fields or of the status: the item's followers
  (tracker/items/following.py), unless a notice of their own above says it already.

Each listener runs in the unit of work of the change, so a change that is rolled back
tells no one; a bulk change (``events.in_bulk``: an import of a register) tells no one.
"""

from __future__ import annotations

import functools

from tracker import events
from tracker.auth.models import User
from tracker.db import db
from tracker.items import following, mentions
from tracker.items.models import Item, ItemStatus
from tracker.notifications import recipients
from tracker.notifications.delivery import notify


def _quiet_in_bulk(listener):
    @functools.wraps(listener)
    def listen(sender, **values):
        if not events.is_bulk():
            listener(sender, **values)

    return listen


def _id(user: User | None) -> int | None:
    return user.id if user is not None else None


def _offer(item: Item, actor: User | None, note: str = "") -> list[User]:
    if item.status is not ItemStatus.ASSIGNED or item.responsible_network_id is None:
        return []
    managers = recipients.network_managers(item.responsible_network_id, without=actor)
    for user in managers:
        notify(
            user,
            "handoff_offered",
            item=item,
            actor=_id(actor),
            network=item.responsible_network_id,
            note=note,
        )
    return managers


def _assigned(item: Item, actor: User | None, assignee: User | None) -> list[User]:
    if assignee is not None and assignee.id != _id(actor):
        notify(assignee, "assigned", item=item, actor=_id(actor))
        return [assignee]
    return []


def _tell_followers(item: Item, actor: User | None, what: str, told: list[User], **params):
    """The item's followers hear of the change, unless a notice of their own says it."""
    skip = {user.id for user in told}
    for user in recipients.unique(following.followers(item), without=actor):
        if user.id not in skip:
            notify(user, "followed", item=item, actor=_id(actor), what=what, **params)


@_quiet_in_bulk
def on_item_created(item: Item, *, actor: User | None = None, **_values) -> None:
    offered = {user.id for user in _offer(item, actor)}
    if item.assignee is not None and item.assignee.id not in offered:
        _assigned(item, actor, item.assignee)


@_quiet_in_bulk
def on_item_handed_off(item: Item, *, actor: User | None = None, note: str = "", **_values) -> None:
    told = _offer(item, actor, note)
    _tell_followers(item, actor, "handed_off", told, network=item.responsible_network_id)


def _answered(item: Item, actor: User | None, answer: str, note: str) -> list[User]:
    author = recipients.handoff_author(item)
    if author is None or author.id == _id(actor):
        return []
    notify(
        author,
        "handoff_answered",
        item=item,
        actor=_id(actor),
        answer=answer,
        network=item.responsible_network_id,
        note=note,
    )
    return [author]


@_quiet_in_bulk
def on_item_accepted(item: Item, *, actor: User | None = None, note: str = "", **_values) -> None:
    _tell_followers(item, actor, "accepted", _answered(item, actor, "accepted", note))


@_quiet_in_bulk
def on_item_returned(item: Item, *, actor: User | None = None, note: str = "", **_values) -> None:
    _tell_followers(item, actor, "returned", _answered(item, actor, "returned", note))


@_quiet_in_bulk
def on_item_changed(item: Item, *, actor: User | None = None, changes=None, **_values) -> None:
    changes = changes or {}
    told = []
    if "assignee" in changes:
        told = _assigned(item, actor, changes["assignee"][1])
    elif "assignee_id" in changes and changes["assignee_id"][1] is not None:
        told = _assigned(item, actor, db.session.get(User, changes["assignee_id"][1]))
    fields = sorted(field.removesuffix("_id") for field in changes)
    _tell_followers(item, actor, "changed", told, fields=fields)


@_quiet_in_bulk
def on_item_status_changed(item: Item, *, actor: User | None = None, **_values) -> None:
    _tell_followers(item, actor, "status", [], status=item.status.value)


@_quiet_in_bulk
def on_item_commented(item: Item, *, actor: User | None = None, body: str = "", **_values) -> None:
    comment = recipients.latest_comment_id(item, actor)
    named = recipients.unique(mentions.mentioned(body, item), without=actor)
    for user in named:
        notify(user, "mentioned", item=item, actor=_id(actor), comment=comment)
    people = recipients.unique(recipients.item_people(item), without=actor)
    for user in [u for u in people if u not in named]:  # a mention says it already
        notify(user, "commented", item=item, actor=_id(actor), comment=comment)
    _tell_followers(item, actor, "commented", named + people, comment=comment)


@_quiet_in_bulk
def on_task_assigned(task, *, actor: User | None = None, owner: User | None = None, **_values):
    """The task is the owner's whatever its item: the builder names the item only if they
    may see it."""
    owner = owner or task.owner
    if owner is not None and owner.id != _id(actor):
        notify(owner, "task_assigned", about=f"task:{task.id}", task=task.id, actor=_id(actor))


_CONNECTIONS = (
    (events.item_created, on_item_created),
    (events.item_handed_off, on_item_handed_off),
    (events.item_accepted, on_item_accepted),
    (events.item_returned, on_item_returned),
    (events.item_changed, on_item_changed),
    (events.item_status_changed, on_item_status_changed),
    (events.item_commented, on_item_commented),
    (events.task_assigned, on_task_assigned),
)


def connect() -> None:
    """Connect the listeners (again on each app: blinker keeps one connection each)."""
    for signal, listener in _CONNECTIONS:
        signal.connect(listener)
