"""Read-only queries of the meeting pages, and the keys by which a live page tells what changed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.db import db
from tracker.items.models import Item
from tracker.meetings.models import AgendaEntry, EntryKind, Meeting, MeetingSeries, MeetingStatus

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


def agenda_layout(meeting: Meeting) -> list[tuple[int, EntryKind, int | None]]:
    """The visible entries' ids, kinds and networks in agenda order (no entry loaded)."""
    return list(
        db.session.execute(
            select(AgendaEntry.id, AgendaEntry.kind, AgendaEntry.network_id)
            .where(AgendaEntry.meeting_id == meeting.id, AgendaEntry.removed.is_(False))
            .order_by(AgendaEntry.position, AgendaEntry.id)
        ).tuples()
    )


def layout_key(meeting: Meeting, layout: Iterable[tuple[int, EntryKind, int | None]]) -> str:
    """A digest of what the agenda's shape depends on: status, moderator, order, group headings.

    A live page that has this key shows every entry in its place; only their content can
    differ, and that is what ``changed_revision`` tells.
    """
    shape = ";".join(f"{id_}:{kind.value}:{network_id or ''}" for id_, kind, network_id in layout)
    return _digest(f"{meeting.status.value}|{meeting.moderator_id or ''}|{shape}")


def attendance_key(present: dict[int, bool]) -> str:
    """A digest of the attendance, so that a poll sends the attendance only when it changed."""
    return _digest(";".join(f"{n}:{int(p)}" for n, p in sorted(present.items())))


def _digest(text: str) -> str:
    return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()


def live_entries(meeting: Meeting, *, changed_after: int | None = None) -> list[AgendaEntry]:
    """The visible entries in agenda order, with what the live page shows of them.

    With ``changed_after``, only the entries changed after that revision.
    """
    query = (
        select(AgendaEntry)
        .where(AgendaEntry.meeting_id == meeting.id, AgendaEntry.removed.is_(False))
        .options(selectinload(AgendaEntry.item))
        .order_by(AgendaEntry.position, AgendaEntry.id)
    )
    if changed_after is not None:
        query = query.where(AgendaEntry.changed_revision > changed_after)
    return list(db.session.scalars(query))
