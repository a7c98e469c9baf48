"""Read-only queries of the meeting pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.db import db
from tracker.items.models import Item
from tracker.meetings.models import AgendaEntry, Meeting, MeetingSeries, MeetingStatus

OPEN_STATES = MeetingStatus.open_statuses()


def upcoming_meetings() -> list[Meeting]:
    """Planned and running meetings of active series, soonest first."""
    return list(
        db.session.scalars(
            select(Meeting)
            .join(Meeting.series)
            .where(MeetingSeries.active, Meeting.status.in_(OPEN_STATES))
            .order_by(Meeting.starts_at)
        )
    )


def archive():
    """Statement for held and cancelled meetings, newest first."""
    return (
        select(Meeting)
        .where(Meeting.status.in_((MeetingStatus.CLOSED, MeetingStatus.CANCELLED)))
        .order_by(Meeting.starts_at.desc())
    )


def all_series() -> list[MeetingSeries]:
    return list(db.session.scalars(select(MeetingSeries).order_by(MeetingSeries.name)))


def agenda_entries(meeting: Meeting) -> list[AgendaEntry]:
    """The meeting's entries with their items, networks and tasks, in agenda order."""
    return list(
        db.session.scalars(
            select(AgendaEntry)
            .where(AgendaEntry.meeting_id == meeting.id)
            .options(selectinload(AgendaEntry.item).selectinload(Item.topics))
            .order_by(AgendaEntry.position, AgendaEntry.id)
        )
    )
