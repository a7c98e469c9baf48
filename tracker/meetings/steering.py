"""Who steers a live meeting and where it is: the moderator, the current entry, the time box."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from tracker.auth.models import User
from tracker.db import db, utcnow
from tracker.exceptions import NotFound, PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.meetings.models import AgendaEntry, EntryKind, Meeting
from tracker.meetings.permissions import can_hand_over, can_run, require_moderator, require_open
from tracker.meetings.services import touch, touch_entries


def hand_over(meeting: Meeting, person: User | None, *, actor: User) -> None:
    """Let ``person`` steer the meeting (None: the coordination office steers it again)."""
    if not can_hand_over(actor):
        raise PermissionDenied(_("Only the coordination office hands a meeting over."))
    require_open(meeting)
    if person is not None and not (person.active and can_run(person)):
        raise ValidationFailed(
            _("Only a network manager or the coordination office can steer a meeting."),
            field="moderator",
        )
    _write(meeting, moderator_id=person.id if person else None)
    touch(meeting)


def set_current(meeting: Meeting, entry: AgendaEntry, *, actor: User) -> None:
    """Make ``entry`` the one being discussed; a new network's first entry starts its time box."""
    require_moderator(actor, meeting)
    require_open(meeting)
    if entry.meeting_id != meeting.id or entry.removed:
        raise NotFound()
    previous_id = meeting.current_entry_id
    if previous_id == entry.id:
        return
    previous = db.session.get(AgendaEntry, previous_id) if previous_id else None
    _write(
        meeting,
        current_entry_id=entry.id,
        current_network_since=_time_box_start(meeting, previous, entry),
    )
    touch_entries(meeting.id, [i for i in (previous_id, entry.id) if i])


def _time_box_start(
    meeting: Meeting, previous: AgendaEntry | None, entry: AgendaEntry
) -> datetime | None:
    """When the roll call reached the entry's network: now, unless it was already there."""
    if entry.kind is not EntryKind.ITEM or entry.network_id is None:
        return None
    same = previous is not None and previous.kind is EntryKind.ITEM
    if same and previous.network_id == entry.network_id:
        return meeting.current_network_since or utcnow()
    return utcnow()


def _write(meeting: Meeting, **values) -> None:
    """An UPDATE of these columns only: the meeting's version (its planning forms) stays."""
    db.session.execute(update(Meeting).where(Meeting.id == meeting.id).values(**values))
    db.session.expire(meeting, list(values) + (["moderator"] if "moderator_id" in values else []))
