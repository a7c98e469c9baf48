"""How long each kind of typed text may be: the one table forms, services and renderer use.

Forms check these with ``Length`` (the form comes back with the input and an error).
The models mark their typed text columns with ``info=typed(...)`` and check them again when
they are set, so that the API, the import and the CLI are bounded too: ``init_app``
registers one listener per marked attribute that removes
control characters (tracker.characters) and refuses text above its limit. Rows stored
before the limits existed are read as they are; the Markdown renderer and the search cap
the text they work on, so an old oversized row cannot make a page slow.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import String, event

from tracker.characters import clean_input
from tracker.db import db
from tracker.exceptions import ValidationFailed
from tracker.i18n import _

TITLE = 300
NAME = 200
SHORT_NAME = 40
TOPIC = 100
CITY = 100
WEBSITE = 300
VIDEO_LINK = 500
EMAIL = 254
PHONE = 60
FUNCTION = 200
DESCRIPTION = 20_000
COMMENT = 10_000
NOTE = 10_000  # resolution note, reasons for returning or declining, hand-off notes
COMPANY_NOTES = 10_000
NETWORK_DESCRIPTION = 5_000
ENTRY_NOTE = 10_000  # an agenda entry's note, and its decision
MEETING_NOTES = 20_000
STANDING_TOPICS = 5_000
# An activity holds a comment, a reason or a meeting's outcome (note, decision and tasks).
ACTIVITY = 2 * ENTRY_NOTE + 5_000
# Longest Markdown that is rendered; longer (old) text is cut there.
MARKDOWN = max(DESCRIPTION, MEETING_NOTES, ACTIVITY)
SEARCH = 200  # what is typed into the search box or the register's text filter

# The key in a column's ``info`` that marks it as typed text (see ``typed``).
TYPED = "typed_text_limit"


def typed(limit: int | None = None) -> dict:
    """``info=`` of a typed text column: bounded by ``limit``, else by its own ``String`` length."""
    return {TYPED: limit}


def column_limits() -> dict[tuple[type, str], int]:
    """``{(model, attribute name): limit}`` for every typed text column of the mapped models."""
    found = {}
    for mapper in db.Model.registry.mappers:
        for attribute in mapper.column_attrs:
            column = attribute.columns[0]
            if TYPED in column.info:
                found[mapper.class_, attribute.key] = column.info[TYPED] or _own_length(column)
    return found


def _own_length(column) -> int:
    if not isinstance(column.type, String) or not column.type.length:
        raise TypeError(f"{column} has no length of its own")
    return column.type.length


def check_length(value: str | None, limit: int, field: str) -> None:
    """Refuse ``value`` if it is longer than ``limit``, naming the field."""
    if value is not None and len(value) > limit:
        raise ValidationFailed(
            _(
                "This text is too long: %(length)d characters, at most %(limit)d are allowed.",
                length=len(value),
                limit=limit,
            ),
            field=field,
        )


def _listener(limit: int, field: str):
    def clean_and_check(_target, value, _old, _initiator):
        value = clean_input(value)
        check_length(value, limit, field)
        return value

    return clean_and_check


_registered: set = set()


def init_app(app: Flask) -> None:
    """Clean and bound every typed text column whenever it is set (once per process)."""
    for (model, name), limit in column_limits().items():
        if (model, name) in _registered:
            continue
        event.listen(getattr(model, name), "set", _listener(limit, name), retval=True)
        _registered.add((model, name))
