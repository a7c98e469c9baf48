"""The confidential items a user may not see, as a subquery both search backends filter by."""

from __future__ import annotations

from sqlalchemy import Select, false, func, not_, select

from tracker.auth.models import User
from tracker.items.models import Item
from tracker.items.permissions import visible_clause


def hidden_item_ids(user: User) -> Select:
    """Ids of the items whose content ``user`` may not see.

    Confidential items are few, and a partial index of the migration lists them with
    their networks, so this costs little however many hits a word has; filtering the hits
    by it spares looking up the item of every hit.
    """
    return select(Item.id).where(
        Item.confidential.is_(True), not_(func.coalesce(visible_clause(user), false()))
    )
