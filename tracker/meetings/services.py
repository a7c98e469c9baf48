"""Meetings of a series: scheduling ahead, roll call, attendance, moving, cancelling, starting.

Editing a series itself (its settings, roll call and feed address) is in ``series.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from tracker import clock
from tracker.auth.models import User
from tracker.db import db, utcnow
from tracker.exceptions import InvalidTransition, PermissionDenied
from tracker.i18n import _
from tracker.meetings.models import (
    AgendaEntry,
    Attendance,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    series_networks,
)
from tracker.meetings.permissions import can_manage_series, require_open, require_run
from tracker.networks.models import Network
from tracker.versioning import check_version, flush_or_conflict


def local_start(series: MeetingSeries, day: date) -> datetime:
    """The series' start time on ``day`` in its time zone, as UTC."""
    return clock.at_utc(day, series.start_time, clock.zone(series.timezone))


def local_date(meeting: Meeting) -> date:
    """The meeting's date in its series' time zone."""
    return clock.local_day(meeting.starts_at, clock.zone(meeting.series.timezone))


def next_occurrence(series: MeetingSeries, after: datetime) -> datetime:
    """The first start of the series strictly after ``after``."""
    day = clock.local_day(after, clock.zone(series.timezone))
    day += timedelta(days=(series.weekday - day.weekday()) % 7)
    while local_start(series, day) <= after:
        day += timedelta(days=7)
    return local_start(series, day)


def upcoming(series: MeetingSeries, now: datetime | None = None) -> Meeting | None:
    """The series' next meeting that is planned or running."""
    now = now or utcnow()
    return db.session.scalar(
        select(Meeting)
        .where(
            Meeting.series_id == series.id,
            Meeting.status.in_(MeetingStatus.open_statuses()),
            Meeting.starts_at >= now - timedelta(minutes=series.duration_minutes),
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def ensure_next_meeting(series: MeetingSeries, now: datetime | None = None) -> Meeting | None:
    """Create the series' next meeting when none is planned; the next one always exists."""
    if not series.active:
        return None
    now = now or utcnow()
    existing = upcoming(series, now)
    if existing is not None:
        return existing
    latest = db.session.scalar(
        select(Meeting.starts_at)
        .where(Meeting.series_id == series.id)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    start = next_occurrence(series, max(now, latest) if latest else now)
    meeting = Meeting(
        series=series,
        starts_at=start,
        duration_minutes=series.duration_minutes,
        video_link=series.video_link,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def set_roll_call(series: MeetingSeries, networks: list[Network]) -> None:
    """Store the order in which networks are called in the series' meetings."""
    db.session.execute(delete(series_networks).where(series_networks.c.series_id == series.id))
    if networks:
        db.session.execute(
            insert(series_networks),
            [
                {"series_id": series.id, "network_id": n.id, "position": i}
                for i, n in enumerate(networks)
            ],
        )


def roll_call(series: MeetingSeries) -> list[Network]:
    """The series' networks in roll-call order; without an order, all active networks."""
    rows = db.session.scalars(
        select(Network)
        .join(series_networks, series_networks.c.network_id == Network.id)
        .where(series_networks.c.series_id == series.id)
        .order_by(series_networks.c.position)
    ).all()
    if rows:
        return list(rows)
    return list(
        db.session.scalars(
            select(Network)
            .where(Network.active)
            .order_by(Network.roll_call_position, Network.short_name)
        )
    )


@dataclass(frozen=True)
class Presence:
    network: Network
    present: bool


def attendance_of(meeting: Meeting) -> list[Presence]:
    """Every participating network in roll-call order: present unless marked absent.

    The participants are the series' active networks (see ``roll_call``; for a closed
    meeting those that existed when it closed) and any network whose attendance was
    recorded. While the meeting runs only changed boxes are stored; closing stores them all.
    """
    called = series_networks.c
    has_roll_call = select(called.network_id).where(called.series_id == meeting.series_id).exists()
    participates = Network.active & or_(called.series_id.is_not(None), ~has_roll_call)
    if meeting.closed_at is not None:
        participates &= Network.created_at <= meeting.closed_at
    rows = db.session.execute(
        select(Network, Attendance.present)
        .outerjoin(
            series_networks,
            (called.network_id == Network.id) & (called.series_id == meeting.series_id),
        )
        .outerjoin(
            Attendance,
            (Attendance.network_id == Network.id) & (Attendance.meeting_id == meeting.id),
        )
        .where(Attendance.present.is_not(None) | participates)
        .order_by(
            called.position.is_(None),
            called.position,
            Network.roll_call_position,
            Network.short_name,
        )
    )
    return [Presence(network, present is not False) for network, present in rows]


def move_meeting(
    meeting: Meeting, *, actor: User, starts_at: datetime, expected_version: int | None
) -> None:
    """Move a planned meeting to another time."""
    if not can_manage_series(actor):
        raise PermissionDenied(_("Only the coordination office moves meetings."))
    if meeting.status is not MeetingStatus.PLANNED:
        raise InvalidTransition(_("Only planned meetings can be moved."))
    check_version(meeting, expected_version)
    meeting.starts_at = starts_at
    flush_or_conflict(meeting, expected_version)
    touch(meeting)


def cancel_meeting(meeting: Meeting, *, actor: User, expected_version: int | None) -> None:
    """Cancel a planned meeting; the series gets its next meeting."""
    if not can_manage_series(actor):
        raise PermissionDenied(_("Only the coordination office cancels meetings."))
    if meeting.status is not MeetingStatus.PLANNED:
        raise InvalidTransition(_("Only planned meetings can be cancelled."))
    check_version(meeting, expected_version)
    meeting.status = MeetingStatus.CANCELLED
    flush_or_conflict(meeting, expected_version)
    touch(meeting)
    ensure_next_meeting(meeting.series)


def start_meeting(meeting: Meeting, *, actor: User) -> None:
    """Mark the meeting as running (live mode)."""
    require_run(actor)
    require_open(meeting)
    if meeting.status is MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.IN_PROGRESS
        meeting.started_at = utcnow()
        db.session.flush()
        touch(meeting)


def touch(meeting: Meeting) -> None:
    """Record that something on the meeting changed, for the participants' live pages.

    An atomic UPDATE rather than an ORM change: the meeting's version is not involved, so
    two people editing different entries at once do not conflict over the meeting row.
    """
    db.session.execute(
        update(Meeting).where(Meeting.id == meeting.id).values(revision=Meeting.revision + 1)
    )
    db.session.expire(meeting, ["revision"])


def touch_entries(meeting_id: int, entry_ids: list[int], session: Session | None = None) -> None:
    """Raise the meeting's revision and file these entries under it, so polls send them.

    The revision is read back after the raise (which locks the meeting row), so two
    transactions never file their entries under the same revision. The entries' versions
    stay: a new task or an item change must not make someone's open outcome form stale.
    """
    session = session or db.session()
    session.execute(
        update(Meeting).where(Meeting.id == meeting_id).values(revision=Meeting.revision + 1)
    )
    revision = select(Meeting.revision).where(Meeting.id == meeting_id).scalar_subquery()
    session.execute(
        update(AgendaEntry)
        .where(AgendaEntry.id.in_(entry_ids))
        .values(changed_revision=revision, updated_at=AgendaEntry.updated_at)
        .execution_options(synchronize_session=False)
    )
    meeting = session.identity_map.get(identity_key(Meeting, meeting_id))
    if meeting is not None:
        session.expire(meeting, ["revision"])
    for entry_id in entry_ids:
        entry = session.identity_map.get(identity_key(AgendaEntry, entry_id))
        if entry is not None:
            session.expire(entry, ["changed_revision"])


def next_meeting_date(today: date) -> date | None:
    """The date of the next planned meeting of any active series, if there is one."""
    start = datetime.combine(today, time.min, tzinfo=UTC)
    meeting = db.session.scalar(
        select(Meeting)
        .join(Meeting.series)
        .where(MeetingSeries.active, Meeting.status == MeetingStatus.PLANNED)
        .where(Meeting.starts_at >= start)
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    return local_date(meeting) if meeting else None
