"""Agenda entries follow their items: a change made anywhere reaches open live pages.

Every change to an item is recorded on its timeline. When such a record is written, the
item's entries on open meetings are filed under a new meeting revision, so that the live
page's next poll sends them with the item's new state, whether the change was made in the
meeting, on the item page or by an import.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tracker.items.models import Activity, Item
from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus
from tracker.meetings.services import touch_entries


@event.listens_for(Session, "after_flush")
def _stamp_entries_of_changed_items(session: Session, _context) -> None:
    created = {obj for obj in session.new if isinstance(obj, Item)}  # on no agenda yet
    item_ids = {
        obj.item_id or obj.item.id
        for obj in session.new
        if isinstance(obj, Activity) and obj.item not in created
    }
    if item_ids:
        stamp_entries(session, item_ids)


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
