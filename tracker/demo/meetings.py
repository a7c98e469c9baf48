"""Demo meetings: a weekly series, held meetings with outcomes and tasks, the next agenda."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tracker.auth.models import User, UserRole
from tracker.db import db
from tracker.demo.bulk import insert_rows, sync_sequences
from tracker.demo.clock import MEETING_MINUTES, MEETING_START, MEETING_WEEKDAY, Clock
from tracker.items.models import Activity, ActivityKind, Item, ItemStatus
from tracker.meetings.agenda_rules import PRECEDENCE, reason_for
from tracker.meetings.models import (
    AgendaEntry,
    Attendance,
    EntryKind,
    EntryReason,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Task,
    series_networks,
)
from tracker.networks.models import Network

SERIES_NAME = "Wöchentliche Netzwerkmanager-Runde"
STANDING_START = ["Begrüßung, Protokoll der letzten Runde", "Veranstaltungen der Netzwerke"]
STANDING_END = ["Verschiedenes"]
NEXT_AGENDA = 100  # entries on the next meeting's agenda
NOTES = [
    "Kurz vorgestellt; Rückfragen beim Unternehmen offen.",
    "Zwei Netzwerke haben passende Kontakte; Abstimmung im Anschluss.",
    "Thema passt zur geplanten Veranstaltungsreihe im Frühjahr.",
    "Unternehmen wird zur nächsten Runde eingeladen.",
]
DECISIONS = [
    "Zuständiges Netzwerk übernimmt und meldet sich beim Unternehmen.",
    "Kontakt zur Hochschule wird vermittelt.",
    "Anliegen wird in der nächsten Runde erneut aufgerufen.",
    "Förderberatung wird über die Koordinierungsstelle angefragt.",
]
TASKS = [
    "Kontakt herstellen",
    "Förderprogramme zusammenstellen",
    "Termin vereinbaren",
    "Rückmeldung an das Unternehmen",
    "Veranstaltungshinweis verschicken",
]


@dataclass
class Ids:
    series: int
    meeting: int
    entry: int
    task: int
    activity: int


def _next(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def seed_meetings(rng: random.Random, clock: Clock, count: int) -> dict[str, int]:
    """Insert one weekly series with ``count`` held meetings and the next, prepared one."""
    if count <= 0:
        return {"meetings": 0, "agenda_entries": 0, "tasks": 0}
    ids = Ids(
        _next(MeetingSeries), _next(Meeting), _next(AgendaEntry), _next(Task), _next(Activity)
    )
    networks = db.session.scalars(select(Network.id).order_by(Network.roll_call_position)).all()
    managers = db.session.scalars(select(User.id).where(User.role == UserRole.MANAGER)).all()
    items = db.session.execute(
        select(
            Item.id,
            Item.responsible_network_id,
            Item.created_at,
            Item.status,
            Item.version,
            Item.follow_up_date,
            Item.for_next_meeting,
        ).order_by(Item.created_at)
    ).all()
    insert_rows(
        MeetingSeries.__table__,
        [
            {
                "id": ids.series,
                "name": SERIES_NAME,
                "weekday": MEETING_WEEKDAY,
                "start_time": MEETING_START,
                "duration_minutes": MEETING_MINUTES,
                "timezone": str(clock.zone),
                "video_link": "https://video.example.org/ccit-runde",
                "standing_topics_start": "\n".join(STANDING_START),
                "standing_topics_end": "\n".join(STANDING_END),
                "active": True,
                "created_at": clock.limit - timedelta(days=7 * count + 30),
                "version": 1,
            }
        ],
    )
    insert_rows(
        series_networks,
        [{"series_id": ids.series, "network_id": n, "position": i} for i, n in enumerate(networks)],
    )
    rows, history = _Rows(), _History()
    days = _meeting_days(clock, count)
    history.since = clock.at(days[0], MEETING_START) - timedelta(days=7)
    for day in days:
        _held_meeting(rng, clock, ids, rows, history, day, networks, managers, items)
    next_day = days[-1] + timedelta(days=7)
    _next_meeting(clock, ids, rows, history, next_day, items)
    for table, table_rows in rows.tables():
        insert_rows(table, table_rows)
    sync_sequences(
        [
            MeetingSeries.__table__,
            Meeting.__table__,
            AgendaEntry.__table__,
            Task.__table__,
            Activity.__table__,
        ]
    )
    return {
        "meetings": len(rows.meetings),
        "agenda_entries": len(rows.entries),
        "tasks": len(rows.tasks),
    }


class _Rows:
    def __init__(self):
        self.meetings, self.entries, self.tasks, self.attendance, self.activities = (
            [],
            [],
            [],
            [],
            [],
        )

    def tables(self):
        return [
            (Meeting.__table__, self.meetings),
            (AgendaEntry.__table__, self.entries),
            (Task.__table__, self.tasks),
            (Attendance.__table__, self.attendance),
            (Activity.__table__, self.activities),
        ]


def _meeting_days(clock: Clock, count: int) -> list:
    last = clock.today - timedelta(days=1)
    last -= timedelta(days=(last.weekday() - MEETING_WEEKDAY) % 7)
    return [last - timedelta(days=7 * n) for n in reversed(range(count))]


def _meeting_row(clock: Clock, ids: Ids, day, status: MeetingStatus, revision: int) -> dict:
    start = clock.at(day, MEETING_START)
    held = status is MeetingStatus.CLOSED
    return {
        "id": ids.meeting,
        "series_id": ids.series,
        "starts_at": start,
        "duration_minutes": MEETING_MINUTES,
        "status": status,
        "video_link": "https://video.example.org/ccit-runde",
        "notes": "",
        "agenda_prepared_at": start - timedelta(days=1),
        "started_at": start if held else None,
        "closed_at": start + timedelta(minutes=MEETING_MINUTES + 5) if held else None,
        "revision": revision,
        "version": 1,
    }


@dataclass
class _History:
    """What the agenda rules need to know of the meetings seeded so far."""

    since: datetime = datetime.min.replace(tzinfo=UTC)  # "new" begins: the last close
    carried: dict = field(default_factory=dict)  # item id -> its next carry-over count
    discussed_on: dict = field(default_factory=dict)  # item id -> date last discussed

    def agenda(self, items, day, limit: int | None = None) -> list[tuple]:
        """The items that qualify for a meeting on ``day``, as (item, reason), best first."""
        found = []
        for item in items:
            carried = item.id in self.carried
            reason = reason_for(item, since=self.since, day=day, carried=carried)
            if reason is not None:
                found.append((item, reason))
        found.sort(key=lambda pair: (PRECEDENCE.index(pair[1]), -pair[0].id))
        return found[:limit]


def _held_meeting(rng, clock, ids, rows, history, day, networks, managers, items) -> None:
    cancelled = rng.random() < 0.03
    status = MeetingStatus.CANCELLED if cancelled else MeetingStatus.CLOSED
    rows.meetings.append(_meeting_row(clock, ids, day, status, revision=2))
    if not cancelled:
        start = clock.at(day, MEETING_START)
        absent = {n for n in networks if rng.random() >= 0.9}
        rows.attendance.extend(
            {"meeting_id": ids.meeting, "network_id": n, "present": n not in absent}
            for n in networks
        )
        by_id = {i.id: i for i in items[-4000:] if i.created_at < start}
        carried = [by_id[i] for i in history.carried if i in by_id]
        others = [i for i in by_id.values() if i.id not in history.carried]
        chosen = carried + rng.sample(others, min(len(others), rng.randint(12, 30)))
        agenda = [(i, _past_reason(i, history, day)) for i in chosen]
        _entries(rng, ids, rows, history, agenda, start, clock, managers, absent)
        history.since = start + timedelta(minutes=MEETING_MINUTES + 5)
    ids.meeting += 1


def _past_reason(item, history: _History, day) -> EntryReason:
    """The reason by today's state of the item; a follow-up for an older one no rule names."""
    reason = reason_for(item, since=history.since, day=day, carried=item.id in history.carried)
    return reason or EntryReason.FOLLOW_UP


def _entries(rng, ids, rows, history, agenda, start, clock, managers, absent=None) -> None:
    """Standing topics around the items; a held meeting (``absent`` given) with outcomes."""
    held = absent is not None
    position = 0
    for title in STANDING_START:
        position += 10
        rows.entries.append(
            _entry(
                ids, position, EntryKind.STANDING, EntryReason.STANDING, title=title, discussed=held
            )
        )
    carried = {}
    for item, reason in sorted(agenda, key=lambda p: (p[0].responsible_network_id or 0, p[0].id)):
        position += 10
        deferred = held and item.responsible_network_id in absent
        discussed = held and not deferred and rng.random() < 0.85
        count = history.carried.get(item.id, 0)
        rows.entries.append(
            _entry(
                ids,
                position,
                EntryKind.ITEM,
                reason,
                item_id=item.id,
                network_id=item.responsible_network_id,
                discussed=discussed,
                deferred=deferred,
                note=rng.choice(NOTES) if discussed else "",
                decision=rng.choice(DECISIONS) if discussed and rng.random() < 0.6 else "",
                carry_over_count=count,
                last_discussed_on=history.discussed_on.get(item.id),
            )
        )
        if discussed:
            _discussed(rng, ids, rows, item, start, clock, managers)
            history.discussed_on[item.id] = clock.local_date(start)
        elif held and item.status in ItemStatus.open_statuses():
            carried[item.id] = count + (0 if deferred else 1)  # as closing counts
    for title in STANDING_END:
        position += 10
        rows.entries.append(
            _entry(
                ids, position, EntryKind.STANDING, EntryReason.STANDING, title=title, discussed=held
            )
        )
    if held:
        history.carried = carried


def _entry(ids: Ids, position: int, kind, reason, **values) -> dict:
    row = {
        "id": ids.entry,
        "meeting_id": ids.meeting,
        "position": position,
        "kind": kind,
        "reason": reason,
        "item_id": None,
        "network_id": None,
        "title": "",
        "carry_over_count": 0,
        "last_discussed_on": None,
        "removed": False,
        "deferred": False,
        "discussed": False,
        "note": "",
        "decision": "",
        "updated_by_id": None,
        "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
        "version": 1,
    }
    row |= values
    ids.entry += 1
    return row


def _discussed(rng, ids, rows, item, start: datetime, clock, managers) -> None:
    end = start + timedelta(minutes=MEETING_MINUTES)
    rows.activities.append(
        {
            "id": ids.activity,
            "item_id": item.id,
            "actor_id": None,
            "kind": ActivityKind.DISCUSSED,
            "field": None,
            "old_value": None,
            "new_value": None,
            "body": rng.choice(DECISIONS),
            "meeting_id": ids.meeting,
            "item_version": item.version,
            "created_at": end,
        }
    )
    ids.activity += 1
    if managers and rng.random() < 0.3:
        due = clock.local_date(end) + timedelta(days=rng.randint(7, 28))
        done = end + timedelta(days=rng.randint(1, 20))
        rows.tasks.append(
            {
                "id": ids.task,
                "meeting_id": ids.meeting,
                "entry_id": ids.entry - 1,
                "item_id": item.id,
                "title": rng.choice(TASKS),
                "owner_id": rng.choice(managers),
                "due_date": due,
                "done_at": done if done < clock.limit else None,
                "created_by_id": None,
                "created_at": end,
                "version": 1,
            }
        )
        ids.task += 1


def _next_meeting(clock: Clock, ids: Ids, rows: _Rows, history: _History, day, items) -> None:
    """The next meeting, planned, with a prepared agenda: the qualifying items most due."""
    rows.meetings.append(_meeting_row(clock, ids, day, MeetingStatus.PLANNED, revision=1))
    agenda = history.agenda(items, day, limit=NEXT_AGENDA)
    _entries(random.Random(0), ids, rows, history, agenda, clock.at(day, MEETING_START), clock, [])
    ids.meeting += 1
