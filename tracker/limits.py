"""How long each kind of typed text may be: the one table forms, services and renderer use.

Forms check these with ``Length`` (the form comes back with the input and an error).
The model attributes check them again when they are set, so that the API, the import and
the CLI are bounded too: ``init_app`` registers one listener per attribute that removes
control characters (tracker.characters) and refuses text above its limit. Rows stored
before the limits existed are read as they are; the Markdown renderer and the search cap
the text they work on, so an old oversized row cannot make a page slow.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import String, event

from tracker.characters import clean_input
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


def _text_limits() -> list[tuple]:
    """``(model attribute, limit)`` for the typed text columns without a length of their own."""
    from tracker.companies.models import Company
    from tracker.items.models import Activity, Item
    from tracker.meetings.models import AgendaEntry, Meeting, MeetingSeries
    from tracker.networks.models import Network

    return [
        (Item.description, DESCRIPTION),
        (Item.resolution_note, NOTE),
        (Activity.body, ACTIVITY),
        (Company.notes, COMPANY_NOTES),
        (Network.description, NETWORK_DESCRIPTION),
        (AgendaEntry.note, ENTRY_NOTE),
        (AgendaEntry.decision, ENTRY_NOTE),
        (Meeting.notes, MEETING_NOTES),
        (MeetingSeries.standing_topics_start, STANDING_TOPICS),
        (MeetingSeries.standing_topics_end, STANDING_TOPICS),
    ]


def _string_columns() -> list:
    """Typed text columns whose own length is their limit (``String(300)`` and the like)."""
    from tracker.auth.models import User
    from tracker.companies.models import Company, Contact
    from tracker.items.models import Item
    from tracker.meetings.models import AgendaEntry, MeetingSeries, Task
    from tracker.networks.models import Network
    from tracker.topics.models import Topic

    return [
        Item.title,
        Company.name,
        Company.city,
        Company.website,
        Contact.name,
        Contact.function,
        Contact.email,
        Contact.phone,
        Network.name,
        Network.short_name,
        Network.website,
        Topic.name,
        AgendaEntry.title,
        Task.title,
        MeetingSeries.name,
        MeetingSeries.video_link,
        User.name,
    ]


def column_limits() -> dict[tuple[type, str], int]:
    """``{(model, attribute name): limit}`` for every typed text column."""
    pairs = list(_text_limits())
    for attribute in _string_columns():
        column_type = attribute.property.columns[0].type
        if not isinstance(column_type, String) or not column_type.length:
            raise TypeError(f"{attribute} has no length of its own")
        pairs.append((attribute, column_type.length))
    # Attributes compare as SQL expressions: key them by class and name.
    return {(attribute.class_, attribute.key): limit for attribute, limit in pairs}


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
