"""The item lifecycle (DESIGN.md 3): every transition, checked in one place and recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from tracker import clock, events, limits
from tracker.auth.models import User
from tracker.db import utcnow
from tracker.exceptions import InvalidTransition, PermissionDenied, ValidationFailed
from tracker.i18n import _, _l
from tracker.items import permissions, timeline
from tracker.items.models import ActivityKind, Item, ItemStatus
from tracker.items.services import default_follow_up
from tracker.networks.models import Network
from tracker.versioning import check_version, flush_or_conflict

S = ItemStatus
WORKING = (S.NEW, S.IN_PROGRESS, S.WAITING)


@dataclass(frozen=True)
class Action:
    name: str
    label: object
    sources: tuple[ItemStatus, ...]
    allowed: Callable[[User, Item], bool]
    needs_note: bool = False
    needs_follow_up: bool = False
    style: str = "secondary"


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action("accept", _l("Accept"), (S.ASSIGNED,), permissions.can_accept, style="success"),
        Action("return", _l("Return"), (S.ASSIGNED,), permissions.can_accept, needs_note=True),
        Action(
            "wait",
            _l("Wait for reply"),
            (S.IN_PROGRESS,),
            permissions.can_edit,
            needs_follow_up=True,
        ),
        Action("resume", _l("Resume"), (S.WAITING,), permissions.can_edit, style="primary"),
        Action(
            "complete",
            _l("Mark done"),
            WORKING,
            permissions.can_edit,
            needs_note=True,
            style="success",
        ),
        Action(
            "decline", _l("Decline"), WORKING, permissions.can_edit, needs_note=True, style="danger"
        ),
        Action("reopen", _l("Reopen"), (S.DONE, S.DECLINED), permissions.can_edit, style="warning"),
    )
}


def available_actions(item: Item, user: User) -> list[Action]:
    """Return the actions ``user`` may take on ``item`` now, for the buttons on its page."""
    return [a for a in ACTIONS.values() if item.status in a.sources and a.allowed(user, item)]


def can_hand_off(item: Item, user: User) -> bool:
    """An open item can be offered to another network by those who may edit it."""
    return item.is_open and permissions.can_edit(user, item)


def _check(item: Item, action: Action, actor: User) -> None:
    if not action.allowed(actor, item):
        raise PermissionDenied(_("You may not do this with this item."))
    if item.status not in action.sources:
        raise InvalidTransition(
            _("This is not possible while the item is “%(status)s”.", status=item.status.label)
        )


def _set_status(item: Item, actor: User, status: ItemStatus) -> dict:
    changes = {"status": (item.status, status)}
    item.status = status
    item.updated_by = actor
    if status.is_open:
        item.closed_at = None
    else:
        item.closed_at = utcnow()
    return changes


def perform(
    item: Item,
    action_name: str,
    *,
    actor: User,
    expected_version: int | None,
    note: str = "",
    follow_up_date: date | None = None,
) -> None:
    """Carry out one lifecycle action (accept, return, wait, resume, complete, decline, reopen)."""
    before = item.status
    apply(
        item,
        action_name,
        actor=actor,
        expected_version=expected_version,
        note=note,
        follow_up_date=follow_up_date,
    )
    flush_or_conflict(item, expected_version)
    _announce(action_name, item, actor, (note or "").strip(), before)


def apply(
    item: Item,
    action_name: str,
    *,
    actor: User,
    expected_version: int | None = None,
    note: str = "",
    follow_up_date: date | None = None,
) -> None:
    """Check and make the changes of one action, recorded, without flushing or announcing.

    ``perform`` is what the pages use. An import that creates items in their final state
    applies the steps to the new, unsaved item, which is announced once, as created.
    """
    action = ACTIONS.get(action_name)
    if action is None:
        raise InvalidTransition(_("Unknown action."))
    _check(item, action, actor)
    check_version(item, expected_version)
    note = (note or "").strip()
    limits.check_length(note, limits.NOTE, "note")
    if action.needs_note and not note:
        raise ValidationFailed(_("Please give a reason or a note."), field="note")
    if action.needs_follow_up and follow_up_date is None:
        raise ValidationFailed(_("Waiting needs a follow-up date."), field="follow_up_date")
    _HANDLERS[action.name](item, actor, note, follow_up_date)


def _announce(action: str, item: Item, actor: User, note: str, before: ItemStatus) -> None:
    if action == "accept":
        events.item_accepted.send(item, actor=actor, note=note)
    elif action == "return":
        events.item_returned.send(item, actor=actor, note=note)
    else:
        events.item_status_changed.send(
            item, actor=actor, action=action, old=before, new=item.status, note=note
        )


def _accept(item: Item, actor: User, note: str, _date: date | None) -> None:
    changes = _set_status(item, actor, S.IN_PROGRESS)
    item.accepted_at = utcnow()
    item.handoff_from_network = None
    if item.assignee is None and actor.is_manager:
        changes["assignee"] = (None, actor)
        item.assignee = actor
    timeline.record(
        item,
        actor,
        ActivityKind.ACCEPTED,
        field="responsible_network",
        new=item.responsible_network,
        body=note,
    )
    timeline.record_changes(item, actor, changes)


def _return(item: Item, actor: User, note: str, _date: date | None) -> None:
    previous = item.handoff_from_network
    changes = _set_status(item, actor, S.IN_PROGRESS if previous else S.NEW)
    changes["responsible_network"] = (item.responsible_network, previous)
    item.responsible_network = previous
    item.handoff_from_network = None
    if item.assignee is not None:
        changes["assignee"] = (item.assignee, None)
        item.assignee = None
    timeline.record(item, actor, ActivityKind.RETURNED, body=note)
    timeline.record_changes(item, actor, changes)


def _wait(item: Item, actor: User, note: str, follow_up: date | None) -> None:
    changes = _set_status(item, actor, S.WAITING)
    if follow_up != item.follow_up_date:
        changes["follow_up_date"] = (item.follow_up_date, follow_up)
        item.follow_up_date = follow_up
    timeline.record_changes(item, actor, changes)
    _comment(item, actor, note)


def _resume(item: Item, actor: User, note: str, _date: date | None) -> None:
    timeline.record_changes(item, actor, _set_status(item, actor, S.IN_PROGRESS))
    _comment(item, actor, note)


def _close(status: ItemStatus):
    def handler(item: Item, actor: User, note: str, _date: date | None) -> None:
        changes = _set_status(item, actor, status)
        changes["resolution_note"] = (item.resolution_note, note)
        item.resolution_note = note
        timeline.record_changes(item, actor, changes)

    return handler


def _reopen(item: Item, actor: User, note: str, _date: date | None) -> None:
    target = S.IN_PROGRESS if item.responsible_network_id else S.NEW
    changes = _set_status(item, actor, target)
    if item.follow_up_date is None or item.follow_up_date < clock.today():
        changes["follow_up_date"] = (item.follow_up_date, default_follow_up())
        item.follow_up_date = default_follow_up()
    timeline.record_changes(item, actor, changes)
    _comment(item, actor, note)


def _comment(item: Item, actor: User, note: str) -> None:
    if note:
        timeline.record(item, actor, ActivityKind.COMMENT, body=note)


_HANDLERS = {
    "accept": _accept,
    "return": _return,
    "wait": _wait,
    "resume": _resume,
    "complete": _close(S.DONE),
    "decline": _close(S.DECLINED),
    "reopen": _reopen,
}


def hand_off(
    item: Item,
    network: Network,
    *,
    actor: User,
    expected_version: int | None,
    note: str = "",
) -> None:
    """Offer the item to ``network``; a manager offering it to their own network accepts it."""
    if not can_hand_off(item, actor):
        raise PermissionDenied(_("You may not hand off this item."))
    check_version(item, expected_version)
    limits.check_length(note, limits.NOTE, "note")
    if network.id == item.responsible_network_id and item.status is not S.ASSIGNED:
        raise ValidationFailed(_("This network is already responsible."), field="network")
    previous = item.responsible_network
    if item.status is not S.ASSIGNED:
        item.handoff_from_network = previous
    changes = {"responsible_network": (previous, network)}
    item.responsible_network = network
    if item.assignee is not None:
        changes["assignee"] = (item.assignee, None)
        item.assignee = None
    timeline.record(
        item,
        actor,
        ActivityKind.HANDOFF,
        field="responsible_network",
        old=previous,
        new=network,
        body=note.strip(),
    )
    if actor.is_manager and actor.network_id == network.id:
        changes.update(_set_status(item, actor, S.IN_PROGRESS))
        item.accepted_at = utcnow()
        item.handoff_from_network = None
        changes["assignee"] = (changes.get("assignee", (None,))[0], actor)
        item.assignee = actor
    elif item.status is not S.ASSIGNED:
        changes.update(_set_status(item, actor, S.ASSIGNED))
    timeline.record_changes(item, actor, changes)
    flush_or_conflict(item, expected_version)
    events.item_handed_off.send(
        item, actor=actor, network=network, previous=previous, note=note.strip()
    )
