"""Read-only queries of the start page."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from tracker import clock
from tracker.auth.models import User
from tracker.companies.models import Company
from tracker.db import db, utcnow
from tracker.items.models import Item, ItemKind, ItemStatus, Priority, item_topics
from tracker.items.permissions import visible_clause
from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus, Task
from tracker.meetings.queries import upcoming_meetings
from tracker.meetings.services import local_date
from tracker.networks.models import Network
from tracker.topics.models import Topic

OPEN = ItemStatus.open_statuses()
TASKS_SHOWN = 8
AGENDA_SHOWN = 6


@dataclass(frozen=True, slots=True)
class Row:
    """What a start-page list shows of an item: plain values, no ORM object (building 80 of
    those with their joined company, networks, assignee and topics cost more than the SQL)."""

    id: int
    reference: str
    title: str
    kind: ItemKind
    priority: Priority
    confidential: bool
    status: ItemStatus
    follow_up_date: date | None
    company: str
    network: str | None
    assignee: str | None
    topics: tuple[str, ...] = ()

    def is_overdue(self, today: date) -> bool:
        """Open and its follow-up date lies before ``today`` (as ``Item.is_overdue``)."""
        follow_up = self.follow_up_date
        return self.status.is_open and follow_up is not None and follow_up < today


@dataclass
class Listing:
    """The first items of a list, and whether the list holds more than those."""

    items: list[Row]
    more: bool = False

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)


_RESPONSIBLE = aliased(Network)
_ROW_COLUMNS = (
    Item.id,
    Item.reference,
    Item.title,
    Item.kind,
    Item.priority,
    Item.confidential,
    Item.status,
    Item.follow_up_date,
    Company.name,
    _RESPONSIBLE.short_name,
    User.name,
)


def _items(*conditions, order=None, limit: int = 20) -> Listing:
    order = order if order is not None else Item.id.desc()
    # Pick the ids first (index-only where possible), then read the few rows' shown columns.
    ids = select(Item.id).where(*conditions).order_by(order, Item.id.desc()).limit(limit + 1)
    stmt = (
        select(*_ROW_COLUMNS)
        .join(Company, Company.id == Item.company_id)
        .outerjoin(_RESPONSIBLE, _RESPONSIBLE.id == Item.responsible_network_id)
        .outerjoin(User, User.id == Item.assignee_id)
        .where(Item.id.in_(ids))
        .order_by(order, Item.id.desc())
    )
    found = [Row(*values) for values in db.session.execute(stmt)]
    return Listing(found[:limit], more=len(found) > limit)


def _with_topics(lists: list[Listing]) -> None:
    """Give every row of ``lists`` its topic names (by name), in one statement for all."""
    ids = {row.id for listing in lists for row in listing}
    if not ids:
        return
    names: dict[int, list[str]] = {}
    stmt = (
        select(item_topics.c.item_id, Topic.name)
        .join(Topic, Topic.id == item_topics.c.topic_id)
        .where(item_topics.c.item_id.in_(ids))
        .order_by(Topic.name)
    )
    for item_id, name in db.session.execute(stmt):
        names.setdefault(item_id, []).append(name)
    for listing in lists:
        listing.items = [replace(row, topics=tuple(names.get(row.id, ()))) for row in listing]


# Sorting by an expression, not the column: PostgreSQL would otherwise walk the whole
# follow-up index hoping for early matches instead of reading the user's few open items.
BY_FOLLOW_UP = func.coalesce(Item.follow_up_date, Item.follow_up_date).asc()


def start_page(user: User, today: date) -> dict:
    """The lists of the user's start page (each with a flag for "more than shown")."""
    visible = visible_clause(user)
    open_ = Item.status.in_(OPEN)
    overdue = (open_, Item.follow_up_date < today)
    pages = {
        "my_items": _items(Item.assignee_id == user.id, open_, visible, order=BY_FOLLOW_UP),
        "network_open": Listing([]),
    }
    if user.network_id:
        mine = Item.responsible_network_id == user.network_id
        pages["awaiting"] = _items(mine, Item.status == ItemStatus.ASSIGNED, visible)
        pages["overdue"] = _items(mine, *overdue, visible, order=BY_FOLLOW_UP)
        pages["network_open"] = _items(mine, open_, visible, limit=10)
    else:
        pages["overdue"] = _items(*overdue, visible, order=BY_FOLLOW_UP)
        pages["awaiting"] = _items(Item.status == ItemStatus.ASSIGNED, visible)
    pages["recent"] = _items(visible, limit=10)
    _with_topics([listing for listing in pages.values() if isinstance(listing, Listing)])
    pages.update(my_tasks(user))
    pages["next_meeting"] = next_meeting()
    return pages


def my_tasks(user: User, limit: int = TASKS_SHOWN) -> dict:
    """The user's open tasks, soonest due first (undated last), and how many there are."""
    open_task = (Task.owner_id == user.id, Task.done_at.is_(None))
    tasks = db.session.scalars(
        select(Task)
        .where(*open_task)
        .options(joinedload(Task.item), joinedload(Task.meeting))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
        .limit(limit)
    )
    total = db.session.scalar(select(func.count(Task.id)).where(*open_task))
    return {"tasks": list(tasks.unique()), "tasks_total": total or 0}


@dataclass
class NextMeeting:
    """The next meeting and the start of its agenda (entries empty: not prepared yet)."""

    meeting: Meeting
    entries: list[AgendaEntry] = field(default_factory=list)
    total: int = 0

    @property
    def prepared(self) -> bool:
        return self.meeting.agenda_prepared_at is not None or self.total > 0


def _pick(meetings: list[Meeting]) -> Meeting | None:
    """The running meeting, else the first planned one not over; a planned meeting that was
    neither started nor closed stays until the end of its day, so that it can still be run."""
    running = [m for m in meetings if m.status == MeetingStatus.IN_PROGRESS]
    now, today = utcnow(), clock.today()
    ahead = [
        m
        for m in meetings
        if m.starts_at + timedelta(minutes=m.duration_minutes) >= now or local_date(m) >= today
    ]
    return (running or ahead or [None])[0]


def next_meeting(shown: int = AGENDA_SHOWN) -> NextMeeting | None:
    """The running meeting, else the next planned one of an active series."""
    meeting = _pick(upcoming_meetings())
    if meeting is None:
        return None
    shown_entries = (
        select(AgendaEntry)
        .where(AgendaEntry.meeting_id == meeting.id, AgendaEntry.removed.is_(False))
        .options(selectinload(AgendaEntry.item).selectinload(Item.topics))
        .order_by(AgendaEntry.position, AgendaEntry.id)
        .limit(shown)
    )
    total = db.session.scalar(
        select(func.count(AgendaEntry.id)).where(
            AgendaEntry.meeting_id == meeting.id, AgendaEntry.removed.is_(False)
        )
    )
    return NextMeeting(meeting, list(db.session.scalars(shown_entries)), total or 0)
