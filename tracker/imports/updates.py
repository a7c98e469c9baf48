"""A re-imported row whose cells changed: what it would change on its item, and the change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.auth.models import User
from tracker.companies.models import Company, Contact
from tracker.imports.rows import RowValues
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.items.models import Item, ItemStatus
from tracker.items.timeline import FIELD_LABELS, display_value, stored_value

# Fields a re-import sets through ``update_item``; the status through the lifecycle.
EDITED = ("title", "kind", "description", "company", "contact", "topics", "priority", "source")
EDITED += ("follow_up_date", "confidential")
CLOSING = {ItemStatus.DONE: "complete", ItemStatus.DECLINED: "decline"}


@dataclass
class Update:
    """An imported item and the fields a corrected row changes on it."""

    values: RowValues
    item: Item
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def row(self) -> int:
        return self.values.row

    @property
    def changed_in_app(self) -> bool:
        """Someone changed the item in the app after it was imported."""
        return self.item.import_version is not None and self.item.version > self.item.import_version

    def shown(self) -> list[tuple[str, str, str]]:
        """The changes as the dry run shows them: field, old → new."""
        return [
            (str(FIELD_LABELS.get(name, name)), _text(name, old), _text(name, new))
            for name, (old, new) in self.changes.items()
        ]


def _text(name: str, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(sorted(str(v) for v in value)) or "–"
    return display_value(name, stored_value(value))


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(str(v).casefold() for v in value)
    if isinstance(value, Company | Contact):
        return value.id or str(value)
    return value


def wanted(values: RowValues, company: Company | str, description: str) -> dict[str, Any]:
    """The row's values for the fields a re-import may change."""
    wanted_values = {
        "title": values.title,
        "kind": values.kind,
        "description": description,
        "company": company,
        "contact": values.contact_name or None,
        "topics": values.topics,
        "priority": values.priority,
        "source": values.source,
        "confidential": values.confidential,
    }
    if values.follow_up_date:
        wanted_values["follow_up_date"] = values.follow_up_date
    return wanted_values


def diff(update: Update, wanted_values: dict[str, Any]) -> None:
    """Fill ``update.changes`` with the fields whose value the row changes."""
    item = update.item
    for name, new in wanted_values.items():
        old = getattr(item, name)
        if name == "contact":
            old = item.contact.name if item.contact else None
        if name == "company" and isinstance(new, str):
            old = item.company.name
        if _comparable(list(old) if name == "topics" else old) != _comparable(new):
            update.changes[name] = (list(old) if name == "topics" else old, new)
    status = update.values.expected_status
    if status in CLOSING and item.status is not status and item.is_open:
        update.changes["status"] = (item.status, status)
    note = update.values.resolution_note
    if "status" in update.changes and note and note != item.resolution_note:
        update.changes["resolution_note"] = (item.resolution_note, note)


def apply(update: Update, *, actor: User, company: Company, contact: Contact | None) -> None:
    """Change the item as the row says, through the register's services (recorded)."""
    edits = {name: new for name, (_old, new) in update.changes.items() if name in EDITED}
    if "company" in edits:
        edits["company"] = company
    if "contact" in edits or "company" in edits:
        edits["contact"] = contact
    item = update.item
    if edits:
        items.update_item(item, actor=actor, expected_version=item.version, **edits)
    if "status" in update.changes:
        note = update.values.resolution_note or item.resolution_note
        if item.status is ItemStatus.ASSIGNED:
            lifecycle.perform(item, "accept", actor=actor, expected_version=item.version)
        lifecycle.perform(
            item,
            CLOSING[update.changes["status"][1]],
            actor=actor,
            expected_version=item.version,
            note=note or "–",
        )
