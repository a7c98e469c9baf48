"""Named domain events: services send them, other features listen.

A service sends an event once its change is made (in the same transaction, before the
commit), with the changed record as sender and plain values as keywords. Listeners are
connected in an ``init_app`` (see ``tracker.register_listeners``), never on import, and may
add to the transaction (e.g. stamp agenda entries) or queue work for after the commit
(``tracker.db.after_commit``: mail, webhooks), so that a rolled-back change sends nothing.

    events.item_handed_off.connect(my_listener)   # my_listener(item, *, actor, network, ...)
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from blinker import Namespace

_events = Namespace()

# Items: sender is the Item; every event has ``actor`` (a User, or None for the system).
item_created = _events.signal("item-created")
item_changed = _events.signal("item-changed")  # changes: {field: (old, new)}
item_handed_off = _events.signal("item-handed-off")  # network, previous, note
item_accepted = _events.signal("item-accepted")  # note
item_returned = _events.signal("item-returned")  # note (the reason)
item_status_changed = _events.signal("item-status-changed")  # action, old, new, note
item_commented = _events.signal("item-commented")  # body
item_discussed = _events.signal("item-discussed")  # meeting, decision (on closing a meeting)

# Meetings: sender is the AgendaEntry, the Task or the Meeting.
entry_discussed = _events.signal("entry-discussed")  # meeting
outcome_recorded = _events.signal("outcome-recorded")  # changes: {field: (old, new)}
task_assigned = _events.signal("task-assigned")  # owner, entry
meeting_closed = _events.signal("meeting-closed")  # following (the next Meeting or None)

# People: sender is the User or the Contact.
user_changed = _events.signal("user-changed")  # changes: {field: (old, new)}
password_reset_requested = _events.signal("password-reset-requested")  # sender: the User
contact_changed = _events.signal("contact-changed")  # erased: bool

# Every event that says an existing item changed (its timeline has a new entry).
ITEM_CHANGES = (
    item_changed,
    item_handed_off,
    item_accepted,
    item_returned,
    item_status_changed,
    item_commented,
    item_discussed,
)


# A bulk change (an import of a register) sends its events as every change does; the
# listeners that tell people about changes (mail notifications) stay quiet for it, since a
# thousand historic items are news to nobody.
_bulk = contextvars.ContextVar("events_bulk", default=False)


@contextmanager
def in_bulk() -> Iterator[None]:
    """Mark the events sent inside the block as those of one bulk change."""
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


def is_bulk() -> bool:
    """Whether the event being sent belongs to a bulk change (see ``in_bulk``)."""
    return _bulk.get()
