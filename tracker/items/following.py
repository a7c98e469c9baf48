"""Following items: who hears of an item's changes besides the people it names.

The active managers of the reporting and the responsible network follow an item by default;
anyone who may see it can follow it, and anyone can stop following it (a choice kept per
person and item). Only who may see the item follows it: a confidential item drops those
who may not, whatever they chose. Services flush; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import select

from tracker.auth.models import User
from tracker.auth.services import managers_of
from tracker.db import db
from tracker.exceptions import PermissionDenied
from tracker.i18n import _
from tracker.items.models import Item, ItemFollow
from tracker.items.permissions import can_view


def _choices(item: Item) -> dict[int, bool]:
    rows = db.session.execute(
        select(ItemFollow.user_id, ItemFollow.following).where(ItemFollow.item_id == item.id)
    )
    return dict(rows.all())


def _by_default(item: Item) -> list[User]:
    networks = {item.reporting_network_id, item.responsible_network_id} - {None}
    return [user for network in sorted(networks) for user in managers_of(network)]


def followers(item: Item) -> list[User]:
    """Everyone who follows the item now, by name."""
    choices = _choices(item)
    chosen = [u for u, on in choices.items() if on]
    people = {u.id: u for u in _by_default(item) if choices.get(u.id, True)}
    if chosen:
        extra = db.session.scalars(select(User).where(User.id.in_(chosen), User.active))
        people.update({u.id: u for u in extra})
    found = [u for u in people.values() if u.active and can_view(u, item)]
    return sorted(found, key=lambda u: u.name)


def is_following(user: User, item: Item) -> bool:
    return any(u.id == user.id for u in followers(item))


def set_following(item: Item, user: User, following: bool) -> None:
    """Follow the item, or stop following it."""
    if not can_view(user, item):
        raise PermissionDenied(_("You may not see this item."))
    row = db.session.get(ItemFollow, (item.id, user.id))
    if row is None:
        db.session.add(ItemFollow(item_id=item.id, user_id=user.id, following=following))
    else:
        row.following = following
    db.session.flush()
