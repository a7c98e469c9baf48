"""What a webhook says: ``{"type", "timestamp", "data"}``, as a reader without rights sees it.

A webhook leaves the app, so its payload shows what an observer may see, and of a
confidential item nothing: only that there is one ("Vertrauliches Anliegen", with its id,
reference, status and link), no title, company, description, note or changes. Payloads are
built when the event happens, in the initiative's language, and stored with the delivery.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from tracker.db import utcnow
from tracker.i18n import _, force_locale

# Event type -> its label on the endpoint form.
ITEM_EVENTS = (
    "item.created",
    "item.changed",
    "item.handed_off",
    "item.accepted",
    "item.returned",
    "item.closed",
)
EVENTS = (*ITEM_EVENTS, "meeting.closed", "task.assigned")
TEST_EVENT = "webhook.test"


def envelope(event_type: str, data: dict) -> dict:
    """The JSON document of one event."""
    return {"type": event_type, "timestamp": _iso(utcnow()), "data": data}


def _iso(value) -> str | None:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _link(endpoint: str, **values) -> str:
    """An absolute link at ``BASE_URL``, the same in a request, the API or the command line."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def _network(network) -> dict | None:
    if network is None:
        return None
    return {"id": network.id, "short_name": network.short_name, "name": network.name}


def _person(user) -> dict | None:
    return None if user is None else {"id": user.id, "name": user.name}


def item(record, **extra) -> dict:
    """An item as an observer sees it; a confidential one as a placeholder."""
    base = {
        "id": record.id,
        "reference": record.reference,
        "status": record.status.value,
        "confidential": record.confidential,
        "url": _link("items.detail", item_id=record.id),
    }
    if record.confidential:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            return {**base, "title": _("Confidential item")}
    return {
        **base,
        "title": record.title,
        "kind": record.kind.value,
        "priority": record.priority.value,
        "description": record.description,
        "company": {"id": record.company.id, "name": record.company.name},
        "reporting_network": _network(record.reporting_network),
        "responsible_network": _network(record.responsible_network),
        "assignee": _person(record.assignee),
        "follow_up_date": _iso(record.follow_up_date),
        "created_at": _iso(record.created_at),
        "closed_at": _iso(record.closed_at),
        "version": record.version,
        **extra,
    }


def changes(values: dict | None) -> dict:
    """Changed fields as ``{field: [old, new]}``, records by their id or name."""
    return {name: [_plain(old), _plain(new)] for name, (old, new) in (values or {}).items()}


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):  # topics
        return [_plain(one) for one in value]
    if hasattr(value, "value"):  # an enum
        return value.value
    if hasattr(value, "id"):
        return value.id
    return str(value)


def meeting(record) -> dict:
    """A meeting: its series, times and link (its minutes stay in the app)."""
    return {
        "id": record.id,
        "series": {"id": record.series.id, "name": record.series.name},
        "starts_at": _iso(record.starts_at),
        "closed_at": _iso(record.closed_at),
        "url": _link("meetings.detail", meeting_id=record.id),
    }


def task(record) -> dict:
    """A task and its owner; of a confidential item's task, no title and no item."""
    hidden = record.item is not None and record.item.confidential
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        title = _("Confidential item") if hidden else record.title
    return {
        "id": record.id,
        "title": title,
        "owner": _person(record.owner),
        "due_date": _iso(record.due_date),
        "meeting_id": record.meeting_id,
        "item": item(record.item) if record.item is not None else None,
    }
