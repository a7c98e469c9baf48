"""Links between items: related to, duplicate of, follows from; shown on both items.

Who may edit an item links it to another item they may see; the link and its removal are
on both items' timelines. What a viewer is shown of a link depends on the other item: one
they may not see is left out (tracker/items/permissions.py). Services flush; the caller
commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from tracker.auth.models import User
from tracker.db import db
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.items import permissions, timeline
from tracker.items.models import ActivityKind, Item, ItemRelation, RelationKind


@dataclass(frozen=True)
class Link:
    """A relation as one of its items shows it: how it stands, and the other item."""

    relation: ItemRelation
    label: str
    other: Item


def links(item: Item, viewer: User) -> list[Link]:
    """The item's relations the viewer may see, the other item named as seen from this one."""
    rows = db.session.scalars(
        select(ItemRelation)
        .where(or_(ItemRelation.source_id == item.id, ItemRelation.target_id == item.id))
        .order_by(ItemRelation.id)
    )
    found = []
    for row in rows:
        outgoing = row.source_id == item.id
        other = row.target if outgoing else row.source
        if permissions.can_view(viewer, other):
            label = row.kind.label if outgoing else row.kind.reverse_label
            found.append(Link(row, str(label), other))
    return found


def _record(item, actor, kind: ActivityKind, relation: RelationKind, other, *, reverse=False):
    """On the timeline: "duplicate:2026-0042", or "-duplicate:..." as the target sees it."""
    value = f"{'-' if reverse else ''}{relation.value}:{other.reference}"
    timeline.record(item, actor, kind, field="relation", new=value)


def described(value: str | None, viewer: User) -> tuple[str, Item | None]:
    """A timeline value of a link as ``viewer`` reads it: the label, and the other item if
    they may see it (None: it is named as a confidential item)."""
    reverse = (value or "").startswith("-")
    kind, _sep, reference = (value or "").lstrip("-").partition(":")
    try:
        relation = RelationKind(kind)
    except ValueError:
        return "", None
    other = db.session.scalar(select(Item).where(Item.reference == reference[:20]))
    label = relation.reverse_label if reverse else relation.label
    return str(label), other if other is not None and permissions.can_view(viewer, other) else None


def link(item: Item, other: Item | None, kind: RelationKind, *, actor: User) -> ItemRelation:
    """Link ``item`` (the source) to ``other``: related to, duplicate of, follows from it."""
    if not permissions.can_edit(actor, item):
        raise PermissionDenied(_("You may not edit this item."))
    if other is None or not permissions.can_view(actor, other):
        raise ValidationFailed(_("There is no item with this number."), field="reference")
    if other.id == item.id:
        raise ValidationFailed(_("An item cannot be linked to itself."), field="reference")
    pair = (ItemRelation.source_id.in_((item.id, other.id)),
            ItemRelation.target_id.in_((item.id, other.id)))  # fmt: skip
    if db.session.scalar(select(ItemRelation.id).where(*pair)) is not None:
        raise ValidationFailed(_("These items are linked already."), field="reference")
    relation = ItemRelation(source_id=item.id, target_id=other.id, kind=kind,
                            created_by_id=actor.id)  # fmt: skip
    db.session.add(relation)
    _record(item, actor, ActivityKind.RELATED, kind, other)
    _record(other, actor, ActivityKind.RELATED, kind, item, reverse=True)
    db.session.flush()
    return relation


def unlink(item: Item, relation: ItemRelation, *, actor: User) -> None:
    """Remove a link of ``item``; who may edit either of its items may."""
    if item.id not in (relation.source_id, relation.target_id):
        raise ValidationFailed(_("This link is not one of this item's."))
    if not permissions.can_edit(actor, item):
        raise PermissionDenied(_("You may not edit this item."))
    source, target = relation.source, relation.target
    _record(source, actor, ActivityKind.UNRELATED, relation.kind, target)
    _record(target, actor, ActivityKind.UNRELATED, relation.kind, source, reverse=True)
    db.session.delete(relation)
    db.session.flush()
