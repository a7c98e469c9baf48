"""Who may see and change an item: the rules of DESIGN.md section 7, in one place."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from tracker.auth.models import User
from tracker.items.models import Item


def _own_network_ids(user: User, item: Item) -> bool:
    return user.network_id is not None and user.network_id in (
        item.reporting_network_id,
        item.responsible_network_id,
    )


def can_view(user: User, item: Item) -> bool:
    """Everyone sees open cooperation; confidential items only their networks and admins."""
    if not user.is_authenticated:
        return False
    if not item.confidential or user.is_admin:
        return True
    return user.is_manager and _own_network_ids(user, item)


def can_edit(user: User, item: Item) -> bool:
    """Admins, and managers of the reporting or responsible network."""
    if not user.is_authenticated or user.is_observer:
        return False
    return user.is_admin or _own_network_ids(user, item)


def can_comment(user: User, item: Item) -> bool:
    """Managers and admins comment on every item they can see."""
    return user.is_authenticated and not user.is_observer and can_view(user, item)


def can_accept(user: User, item: Item) -> bool:
    """Admins, and managers of the network the item is offered to."""
    if not user.is_authenticated or user.is_observer:
        return False
    return user.is_admin or (
        user.network_id is not None and user.network_id == item.responsible_network_id
    )


def can_create(user: User) -> bool:
    """Managers with a network, and admins."""
    return user.is_authenticated and (user.is_admin or (user.is_manager and user.network_id))


def visible_clause(user: User) -> ColumnElement[bool]:
    """SQL condition for the items whose content ``user`` may see."""
    if not user.is_authenticated:
        return false()
    if user.is_admin:
        return true()
    if user.is_manager and user.network_id is not None:
        return or_(
            Item.confidential.is_(False),
            Item.reporting_network_id == user.network_id,
            Item.responsible_network_id == user.network_id,
        )
    return Item.confidential.is_(False)
