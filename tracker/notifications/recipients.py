"""Who an event concerns: the people behind an item, a network's managers, a hand-off's author."""

from __future__ import annotations

from sqlalchemy import select

from tracker.auth.models import User
from tracker.auth.services import managers_of
from tracker.db import db
from tracker.items.models import Activity, ActivityKind, Item


def unique(users, *, without: User | None = None) -> list[User]:
    """The users once each, in order, without None and without ``without`` (the actor)."""
    seen = {without.id} if without is not None else set()
    found = []
    for user in users:
        if user is not None and user.id not in seen:
            seen.add(user.id)
            found.append(user)
    return found


def network_managers(network_id: int | None, *, without: User | None = None) -> list[User]:
    """The active managers of a network."""
    return unique(managers_of(network_id), without=without)


def handoff_author(item: Item) -> User | None:
    """Who made the item's latest hand-off: the one whose hand-off an answer answers.

    That is the person who offered it (a manager of the handing network, or the office on
    its behalf), not every manager of that network: "my hand-off was accepted" is theirs.
    """
    return db.session.scalar(
        select(User)
        .join(Activity, Activity.actor_id == User.id)
        .where(Activity.item_id == item.id, Activity.kind == ActivityKind.HANDOFF)
        .order_by(Activity.id.desc())
        .limit(1)
    )


def item_people(item: Item) -> list[User]:
    """Whose item it is: its assignee, and who registered it (the reporter)."""
    return unique((item.assignee, item.created_by))


def follow_up_people(item: Item) -> list[User]:
    """Who is reminded of the item's follow-up: the assignee; without one (or a deactivated
    one) the managers of the responsible network; without that, of the reporting network."""
    if item.assignee is not None and item.assignee.active:
        return [item.assignee]
    if item.responsible_network_id is not None:
        return network_managers(item.responsible_network_id)
    return network_managers(item.reporting_network_id)


def latest_comment_id(item: Item, actor: User | None) -> int | None:
    """The comment the actor has just added to the item's timeline."""
    return db.session.scalar(
        select(Activity.id)
        .where(
            Activity.item_id == item.id,
            Activity.kind == ActivityKind.COMMENT,
            Activity.actor_id == (actor.id if actor is not None else None),
        )
        .order_by(Activity.id.desc())
        .limit(1)
    )
