"""Listeners of the domain events that queue webhooks for them.

Each runs in the unit of work of the change (the deliveries are rows of its transaction),
so a change that is rolled back sends nothing. A bulk change (``events.in_bulk``: an import
of a register) sends no webhooks, as it sends no notifications: a thousand historic items
are no news. A status change that closes an item (done, declined) is ``item.closed``; the
other status changes (waiting, resumed, reopened) are ``item.changed``.
"""

from __future__ import annotations

import functools

from tracker import events
from tracker.items.models import ItemStatus
from tracker.webhooks import payloads, services

CLOSED = (ItemStatus.DONE, ItemStatus.DECLINED)


def _quiet_in_bulk(listener):
    @functools.wraps(listener)
    def listen(sender, **values):
        if not events.is_bulk():
            listener(sender, **values)

    return listen


def _actor(values: dict) -> dict | None:
    actor = values.get("actor")
    return None if actor is None else {"id": actor.id, "name": actor.name}


def _item_event(event_type: str, item, values: dict, **extra) -> None:
    endpoints = services.subscribers(event_type)
    if not endpoints:  # no payload to build
        return
    data = {"item": payloads.item(item), "actor": _actor(values)}
    if not item.confidential:  # a note or a change would tell what the item is about
        data.update(extra)
    services.enqueue(event_type, data, endpoints)


def _simple(event_type: str, *, with_note: bool = False):
    @_quiet_in_bulk
    def listen(item, **values):
        extra = {"note": values.get("note", "")} if with_note else {}
        _item_event(event_type, item, values, **extra)

    listen.__name__ = f"on_{event_type.replace('.', '_')}"
    return listen


@_quiet_in_bulk
def on_item_changed(item, **values) -> None:
    _item_event("item.changed", item, values, changes=payloads.changes(values.get("changes")))


@_quiet_in_bulk
def on_item_status_changed(item, **values) -> None:
    old, new = values.get("old"), values.get("new")
    event_type = "item.closed" if new in CLOSED else "item.changed"
    extra = {"note": values.get("note", ""), "action": values.get("action")}
    if event_type == "item.changed":
        extra["changes"] = payloads.changes({"status": (old, new)})
    _item_event(event_type, item, values, **extra)


@_quiet_in_bulk
def on_meeting_closed(meeting, **values) -> None:
    endpoints = services.subscribers("meeting.closed")
    if endpoints:
        data = {"meeting": payloads.meeting(meeting), "actor": _actor(values)}
        services.enqueue("meeting.closed", data, endpoints)


@_quiet_in_bulk
def on_task_assigned(task, **values) -> None:
    endpoints = services.subscribers("task.assigned")
    if endpoints:
        data = {"task": payloads.task(task), "actor": _actor(values)}
        services.enqueue("task.assigned", data, endpoints)


_CONNECTIONS = (
    (events.item_created, _simple("item.created")),
    (events.item_handed_off, _simple("item.handed_off", with_note=True)),
    (events.item_accepted, _simple("item.accepted", with_note=True)),
    (events.item_returned, _simple("item.returned", with_note=True)),
    (events.item_changed, on_item_changed),
    (events.item_status_changed, on_item_status_changed),
    (events.meeting_closed, on_meeting_closed),
    (events.task_assigned, on_task_assigned),
)


def connect() -> None:
    """Connect the listeners (again on each app: blinker keeps one connection each)."""
    for signal, listener in _CONNECTIONS:
        signal.connect(listener)
