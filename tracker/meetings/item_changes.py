"""Agenda entries follow their items: a change made anywhere reaches open live pages.

Every event that changes an existing item (``tracker.events.ITEM_CHANGES``) files the item's
entries on open meetings under a new meeting revision, so that the live page's next poll
sends them with the item's new state, whether the change was made in the meeting, on the
item page or by an import. A new item is on no agenda yet.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import events
from tracker.db import db
from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus
from tracker.meetings.services import touch_entries


def init_app(app: Flask) -> None:
    for signal in events.ITEM_CHANGES:
        signal.connect(_item_changed)


def _item_changed(item, **_details) -> None:
    stamp_entries(db.session(), {item.id})


def stamp_entries(session: Session, item_ids: set[int]) -> None:
    """Raise the revision of each open meeting with these items and stamp their entries."""
    found = session.execute(
        select(AgendaEntry.meeting_id, AgendaEntry.id)
        .join(Meeting, Meeting.id == AgendaEntry.meeting_id)
        .where(AgendaEntry.item_id.in_(item_ids), Meeting.status.in_(MeetingStatus.open_statuses()))
        .order_by(AgendaEntry.meeting_id)
    ).all()
    by_meeting: dict[int, list[int]] = {}
    for meeting_id, entry_id in found:
        by_meeting.setdefault(meeting_id, []).append(entry_id)
    for meeting_id, entry_ids in by_meeting.items():
        touch_entries(meeting_id, entry_ids, session)
