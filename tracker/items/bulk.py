"""Bulk changes in the register: one change for many items, each through the usual services.

Every item is changed on its own, in a savepoint, by the service the item page uses, with
that service's permission check and the version the user saw: a refused item (no right,
a transition its status does not allow, changed meanwhile) is reported with the reason and
never keeps the others from being changed. Services flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date

from tracker.auth.models import User
from tracker.db import db
from tracker.exceptions import ServiceError, ValidationFailed
from tracker.i18n import _, _l
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.items.models import Item
from tracker.networks.models import Network
from tracker.topics.models import Topic

MAX_ITEMS = 500  # items one bulk change may touch
KINDS = {
    "status": _l("Change the status"),
    "hand_off": _l("Hand off to a network"),
    "assignee": _l("Assign to"),
    "follow_up": _l("Set the follow-up date"),
    "topic": _l("Add a topic"),
}
CHANGED, UNCHANGED, REFUSED = "changed", "unchanged", "refused"


@dataclass(frozen=True)
class BulkChange:
    """What is to be done to every chosen item."""

    kind: str
    action: str = ""  # for "status": the lifecycle action
    note: str = ""
    network: Network | None = None
    assignee: User | None = None  # for "assignee": None takes the assignment away
    follow_up_date: date | None = None
    topic: Topic | None = None


@dataclass
class Outcome:
    item: Item
    state: str  # CHANGED, UNCHANGED or REFUSED
    message: str


def check(change: BulkChange) -> None:
    """Refuse a change that is not complete, before any item is touched."""
    if change.kind not in KINDS:
        raise ValidationFailed(_("Please choose what to change."), field="change")
    if change.kind == "status" and change.action not in lifecycle.ACTIONS:
        raise ValidationFailed(_("Please choose the new status."), field="action")
    if change.kind == "hand_off" and change.network is None:
        raise ValidationFailed(_("Please choose the network."), field="network")
    if change.kind == "follow_up" and change.follow_up_date is None:
        raise ValidationFailed(_("Please give the follow-up date."), field="follow_up_date")
    if change.kind == "topic" and change.topic is None:
        raise ValidationFailed(_("Please choose the topic."), field="topic")


def apply(
    change: BulkChange, targets: list[tuple[Item, int | None]], *, actor: User
) -> list[Outcome]:
    """Make ``change`` to each ``(item, version seen)``; return what became of each."""
    check(change)
    outcomes = []
    for item, version in targets[:MAX_ITEMS]:
        try:
            with db.session.begin_nested():
                changed = _change(change, item, version, actor)
        except ServiceError as exc:
            outcomes.append(Outcome(item, REFUSED, exc.message))
        else:
            state = CHANGED if changed else UNCHANGED
            outcomes.append(Outcome(item, state, _describe(change, item) if changed else ""))
    return outcomes


def _change(change: BulkChange, item: Item, version: int | None, actor: User) -> bool:
    if change.kind == "status":
        lifecycle.perform(
            item,
            change.action,
            actor=actor,
            expected_version=version,
            note=change.note,
            follow_up_date=change.follow_up_date or item.follow_up_date,
        )
        return True
    if change.kind == "hand_off":
        lifecycle.hand_off(
            item, change.network, actor=actor, expected_version=version, note=change.note
        )
        return True
    fields = {
        "assignee": lambda: {"assignee": change.assignee},
        "follow_up": lambda: {"follow_up_date": change.follow_up_date},
        "topic": lambda: {"topics": _with_topic(item, change.topic)},
    }[change.kind]()
    return bool(items.update_item(item, actor=actor, expected_version=version, **fields))


def _with_topic(item: Item, topic: Topic) -> list[Topic]:
    return list(item.topics) if topic in item.topics else [*item.topics, topic]


def _describe(change: BulkChange, item: Item) -> str:
    if change.kind in ("status", "hand_off"):
        network = item.responsible_network.short_name if item.responsible_network else "–"
        return _("now “%(status)s”, responsible: %(network)s", status=item.status.label,
                 network=network)  # fmt: skip
    if change.kind == "assignee":
        return (
            _("assigned to %(name)s", name=item.assignee.name)
            if item.assignee
            else _("no longer assigned")
        )
    if change.kind == "follow_up":
        return _("follow-up on %(date)s", date=format_date(item.follow_up_date))
    return _("topic %(topic)s added", topic=change.topic.name)
