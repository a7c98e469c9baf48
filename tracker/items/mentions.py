"""Mentions in comments: ``@Name`` names a person who may see the item.

Only the item's possible readers can be mentioned: the suggestions offer no one else, and a
name of anyone else after an ``@`` stays plain text. Names have spaces, so a mention is the
longest known name written right after the ``@``, in any case.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from tracker.auth.models import User
from tracker.db import db
from tracker.items.models import Item
from tracker.items.permissions import can_view

SUGGESTIONS = 8
QUERY_LENGTH = 100
_AT = re.compile(r"(?:^|(?<=[\s(\[\"'„“]))@")


def candidates(item: Item) -> list[User]:
    """The active people who may see the item, by name."""
    people = db.session.scalars(select(User).where(User.active).order_by(User.name))
    return [user for user in people if can_view(user, item)]


def suggest(item: Item, text: str, *, viewer: User) -> list[User]:
    """The people to offer for ``@text``: names starting with it, then names containing it."""
    text = " ".join(text.split())[:QUERY_LENGTH].casefold()
    people = [u for u in candidates(item) if u.id != viewer.id]
    starting = [u for u in people if u.name.casefold().startswith(text)]
    containing = [u for u in people if text in u.name.casefold() and u not in starting]
    return (starting + containing)[:SUGGESTIONS]


def mentioned(text: str, item: Item) -> list[User]:
    """The people ``text`` mentions, once each, in the order of their first mention."""
    positions = [m.end() for m in _AT.finditer(text or "")]
    if not positions:
        return []
    people = sorted(candidates(item), key=lambda u: -len(u.name))  # longest name first
    found: list[User] = []
    for start in positions:
        for user in people:
            end = start + len(user.name)
            written = text[start:end]  # compared as written: casefold() turns "ß" into "ss"
            if written.casefold() == user.name.casefold() and (
                end == len(text) or not text[end].isalnum()
            ):
                if user not in found:
                    found.append(user)
                break
    return found
