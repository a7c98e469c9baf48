"""Decisions and tasks across meetings: what was decided, about which company, and when.

One query serves the series' decisions page, its XLSX file, and the decisions shown on a
company's and an item's page. An agenda entry counts when it has a decision or a task.
Entries of items the viewer may not see are left out altogether: neither their decision,
nor their tasks, nor the fact that there was one (the text filter never looks into them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, and_, exists, func, or_, select

from tracker import clock
from tracker.auth.models import User
from tracker.companies.models import Company
from tracker.db import db, lower
from tracker.items.models import Item
from tracker.items.permissions import visible_clause
from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus, Task
from tracker.topics.models import Topic

EXPORT_LIMIT = 10_000  # entries in one XLSX file
WORDS_LIMIT = 8  # words of the text filter that are looked for


@dataclass
class DecisionFilter:
    """What the decisions page asks for; every part optional."""

    company: str = ""
    network_id: int | None = None
    topic_id: int | None = None
    since: date | None = None
    until: date | None = None
    text: str = ""


@dataclass
class Decision:
    """One agenda entry with its decision and tasks, and the meeting it was recorded in."""

    entry: AgendaEntry
    meeting: Meeting
    tasks: list[Task] = field(default_factory=list)

    @property
    def item(self) -> Item | None:
        return self.entry.item


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.casefold()}%"


def _text_clause(word: str):
    pattern = _like(word)
    task_titles = exists().where(
        Task.entry_id == AgendaEntry.id, lower(Task.title).like(pattern, escape="\\")
    )
    columns = (AgendaEntry.decision, AgendaEntry.title, Item.title, Item.reference, Company.name)
    return or_(*(lower(c).like(pattern, escape="\\") for c in columns), task_titles)


def _statement(viewer: User, flt: DecisionFilter) -> Select:
    has_task = exists().where(Task.entry_id == AgendaEntry.id)
    stmt = (
        select(AgendaEntry)
        .join(Meeting, Meeting.id == AgendaEntry.meeting_id)
        .outerjoin(Item, Item.id == AgendaEntry.item_id)
        .outerjoin(Company, Company.id == Item.company_id)
        .where(
            AgendaEntry.removed.is_(False),
            Meeting.status != MeetingStatus.CANCELLED,
            or_(AgendaEntry.decision != "", has_task),
            or_(AgendaEntry.item_id.is_(None), func.coalesce(visible_clause(viewer), False)),
        )
    )
    if flt.company:
        stmt = stmt.where(lower(Company.name).like(_like(flt.company), escape="\\"))
    if flt.network_id:
        n = flt.network_id
        stmt = stmt.where(
            or_(
                AgendaEntry.network_id == n,
                Item.responsible_network_id == n,
                Item.reporting_network_id == n,
            )
        )
    if flt.topic_id:
        stmt = stmt.where(Item.topics.any(Topic.id == flt.topic_id))
    if flt.since:
        stmt = stmt.where(Meeting.starts_at >= clock.at(flt.since))
    if flt.until:
        stmt = stmt.where(Meeting.starts_at < clock.at(flt.until + timedelta(days=1)))
    words = flt.text.split()[:WORDS_LIMIT]
    if words:
        stmt = stmt.where(and_(*(_text_clause(w) for w in words)))
    return stmt


def statement(
    viewer: User,
    flt: DecisionFilter | None = None,
    *,
    series_id: int | None = None,
    company_id: int | None = None,
    item_id: int | None = None,
) -> Select:
    """The entries with decisions or tasks ``viewer`` may see, newest meeting first."""
    stmt = _statement(viewer, flt or DecisionFilter())
    if series_id is not None:
        stmt = stmt.where(Meeting.series_id == series_id)
    if company_id is not None:
        stmt = stmt.where(Item.company_id == company_id)
    if item_id is not None:
        stmt = stmt.where(AgendaEntry.item_id == item_id)
    return stmt.order_by(Meeting.starts_at.desc(), AgendaEntry.position, AgendaEntry.id)


def latest(viewer: User, *, limit: int = 10, **where: int) -> list[Decision]:
    """The newest few decisions about a company (``company_id``) or an item (``item_id``)."""
    entries = db.session.scalars(statement(viewer, **where).limit(limit)).unique().all()
    return with_tasks(entries)


def with_tasks(entries: list[AgendaEntry]) -> list[Decision]:
    """The entries as decisions, with their meetings and tasks (two queries for all)."""
    ids = [e.id for e in entries]
    meetings = {m.id: m for m in _meetings({e.meeting_id for e in entries})}
    tasks: dict[int, list[Task]] = {}
    if ids:
        chosen = select(Task).where(Task.entry_id.in_(ids)).order_by(Task.id)
        for task in db.session.scalars(chosen):
            tasks.setdefault(task.entry_id, []).append(task)
    return [Decision(e, meetings[e.meeting_id], tasks.get(e.id, [])) for e in entries]


def _meetings(ids: set[int]) -> list[Meeting]:
    if not ids:
        return []
    return list(db.session.scalars(select(Meeting).where(Meeting.id.in_(ids))))
