"""What belongs on a meeting's agenda, and why: the rules of DESIGN.md 4, in their order.

tracker/meetings/agenda.py builds the agenda from these candidates and keeps it edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select

from tracker import clock
from tracker.db import db
from tracker.items.models import Activity, ActivityKind, Item, ItemStatus
from tracker.meetings.models import EntryKind, EntryReason, Meeting, MeetingStatus
from tracker.meetings.services import local_date

OPEN = ItemStatus.open_statuses()


@dataclass
class Candidate:
    reason: EntryReason
    item: Item | None = None
    title: str = ""
    carry_over_count: int = 0
    last_discussed_on: object = None
    deferred: bool = False


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The series' last meeting before this one that took place (not cancelled)."""
    return db.session.scalar(
        select(Meeting)
        .where(
            Meeting.series_id == meeting.series_id,
            Meeting.starts_at < meeting.starts_at,
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )


def _new_since(meeting: Meeting, previous: Meeting | None) -> datetime:
    """Items created after the previous meeting ended count as new (its own quick-adds not)."""
    if previous is None:
        return meeting.starts_at - timedelta(days=7)
    return previous.closed_at or previous.starts_at


def _carry_overs(previous: Meeting | None) -> list[Candidate]:
    if previous is None or previous.status is not MeetingStatus.CLOSED:
        return []
    found = []
    for entry in previous.entries:
        if entry.removed or entry.discussed or entry.kind is EntryKind.STANDING:
            continue
        if entry.item is not None and not entry.item.is_open:
            continue
        count = entry.carry_over_count + (0 if entry.deferred else 1)
        found.append(
            Candidate(
                EntryReason.CARRY_OVER,
                entry.item,
                entry.title,
                count,
                entry.last_discussed_on,
                entry.deferred,
            )
        )
    return found


# The most specific reason first: a carry-over names the reason only when no other rule
# applies; its counter and "last discussed on" stay on the entry either way.
PRECEDENCE = (
    EntryReason.NEW,
    EntryReason.FOLLOW_UP,
    EntryReason.FLAGGED,
    EntryReason.HANDOFF,
    EntryReason.CARRY_OVER,
)


def reason_for(item, *, since: datetime, day: date, carried: bool) -> EntryReason | None:
    """Why ``item`` belongs on the agenda of a meeting on ``day``; None when no rule applies.

    ``item`` needs ``created_at``, ``status``, ``follow_up_date`` and ``for_next_meeting``
    (an ``Item`` or a row with those columns); ``since`` is when "new" begins, ``carried``
    whether the previous meeting left it undiscussed.
    """
    is_open = item.status in OPEN
    if item.created_at >= since:
        return EntryReason.NEW
    if is_open and item.follow_up_date is not None and item.follow_up_date <= day:
        return EntryReason.FOLLOW_UP
    if is_open and item.for_next_meeting:
        return EntryReason.FLAGGED
    if item.status == ItemStatus.ASSIGNED:
        return EntryReason.HANDOFF
    if is_open and carried:
        return EntryReason.CARRY_OVER
    return None


def _qualifying(since: datetime, day: date) -> list:
    """The SQL side of ``reason_for`` without the carry-over (rules 2, 3, 5 and 6)."""
    return [
        Item.created_at >= since,
        Item.status.in_(OPEN) & (Item.follow_up_date <= day),
        Item.status.in_(OPEN) & Item.for_next_meeting.is_(True),
        Item.status == ItemStatus.ASSIGNED,
    ]


def candidates(meeting: Meeting) -> list[Candidate]:
    """Everything that qualifies for the agenda now, each once, under its reason."""
    previous = previous_meeting(meeting)
    since, day = _new_since(meeting, previous), local_date(meeting)
    carried = _carry_overs(previous)
    carried_items = {c.item.id: c for c in carried if c.item is not None}
    pool = {
        item.id: item
        for item in db.session.scalars(select(Item).where(or_(*_qualifying(since, day))))
    }
    for item_id, candidate in carried_items.items():
        pool.setdefault(item_id, candidate.item)
    found = []
    for item in pool.values():
        history = carried_items.get(item.id)
        reason = reason_for(item, since=since, day=day, carried=history is not None)
        if reason is not None:
            found.append(_with_history(Candidate(reason, item), history))
    found.sort(key=lambda c: (PRECEDENCE.index(c.reason), c.item.id))
    return found + [c for c in carried if c.item is None]


def _with_history(candidate: Candidate, carried: Candidate | None) -> Candidate:
    """Keep the carry-over counter of an item whatever its reason now."""
    if carried is not None:
        candidate.carry_over_count = carried.carry_over_count
        candidate.last_discussed_on = carried.last_discussed_on
    return candidate


def last_discussed(item_ids: list[int]) -> dict[int, date]:
    """The date each item was last discussed in a closed meeting."""
    if not item_ids:
        return {}
    rows = db.session.execute(
        select(Activity.item_id, func.max(Meeting.starts_at))
        .join(Meeting, Meeting.id == Activity.meeting_id)
        .where(Activity.kind == ActivityKind.DISCUSSED, Activity.item_id.in_(item_ids))
        .group_by(Activity.item_id)
    ).all()
    return {item_id: clock.local_day(started) for item_id, started in rows}
