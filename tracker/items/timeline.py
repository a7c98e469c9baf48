"""Recording an item's changes in its timeline, and showing them in words."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.auth.models import User
from tracker.db import db
from tracker.i18n import _l, format_date
from tracker.items.models import (
    Activity,
    ActivityKind,
    Item,
    ItemKind,
    ItemSource,
    ItemStatus,
    Priority,
)

FIELD_LABELS = {
    "title": _l("Title"),
    "kind": _l("Kind"),
    "description": _l("Description"),
    "company": _l("Company"),
    "contact": _l("Contact"),
    "topics": _l("Topics"),
    "priority": _l("Priority"),
    "responsible_network": _l("Responsible network"),
    "assignee": _l("Assignee"),
    "source": _l("Source"),
    "follow_up_date": _l("Follow-up date"),
    "status": _l("Status"),
    "resolution_note": _l("Resolution note"),
    "confidential": _l("Confidential"),
    "for_next_meeting": _l("For the next meeting"),
}

_ENUMS = {"kind": ItemKind, "status": ItemStatus, "priority": Priority, "source": ItemSource}


def stored_value(value: Any) -> str | None:
    """Turn a field value into the text kept in the timeline."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def display_value(field: str | None, value: str | None) -> str:
    """Show a stored timeline value in the user's language."""
    if value is None or value == "":
        return "–"
    if field in _ENUMS:
        try:
            return _ENUMS[field](value).label
        except ValueError:
            return value
    if field == "follow_up_date":
        return format_date(date.fromisoformat(value))
    if field in ("confidential", "for_next_meeting"):
        return str(_l("yes") if value == "1" else _l("no"))
    return value


def record(
    item: Item,
    actor: User | None,
    kind: ActivityKind,
    *,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    body: str = "",
    item_version: int | None = None,
    meeting_id: int | None = None,
) -> Activity:
    """Append one entry to the item's timeline."""
    activity = Activity(
        item=item,
        actor=actor,
        kind=kind,
        field=field,
        old_value=stored_value(old),
        new_value=stored_value(new),
        body=body,
        meeting_id=meeting_id,
        item_version=item_version if item_version is not None else (item.version or 0) + 1,
    )
    db.session.add(activity)
    return activity


def record_changes(item: Item, actor: User | None, changes: dict[str, tuple[Any, Any]]) -> None:
    """Record one entry per changed field: ``{field: (old, new)}``."""
    for field, (old, new) in changes.items():
        kind = ActivityKind.STATUS if field == "status" else ActivityKind.CHANGE
        record(item, actor, kind, field=field, old=old, new=new)
