"""What the weekly digest says, worked out at delivery as its recipient may see it then.

Sections: overdue follow-ups and follow-ups due this week of the recipient's items (assigned
to them, or of their network: responsible for it, or reporting it while no network is
responsible), hand-offs waiting for their network, their open tasks; then the notices they
chose to get in the digest, and the next meeting. Each section lists at most
``SECTION_LIMIT`` rows and counts the rest, with a link to the full list. A notice a section
already lists (an offer still waiting, a follow-up, an open task) is not said twice. With
nothing in any section and no notice, the digest is skipped: the next meeting alone is no
news.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from tracker import clock
from tracker.auth.models import User
from tracker.db import db
from tracker.i18n import _, _l, format_date
from tracker.items.models import Item, ItemStatus
from tracker.items.permissions import can_view, visible_clause
from tracker.mail import compose, kinds
from tracker.meetings.models import Meeting, MeetingSeries, MeetingStatus, Task
from tracker.notifications.mails import CONTEXTS

SECTION_LIMIT = 20


@dataclass
class Section:
    rows: list
    total: int
    link: str

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    @property
    def ids(self) -> set[int]:
        return {row.id for row in self.rows}


@dataclass
class Note:
    topic: str
    context: dict


@dataclass
class Notes:
    rows: list[Note] = field(default_factory=list)
    more: int = 0


def _section(stmt, order, link: str) -> Section:
    rows = list(db.session.scalars(stmt.order_by(*order).limit(SECTION_LIMIT)).unique())
    total = len(rows)
    if total == SECTION_LIMIT:
        total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    return Section(rows, total, link)


def _my_items(user: User):
    """Open items the user may see that are theirs or their network's."""
    mine = [Item.assignee_id == user.id]
    if user.network_id is not None:
        mine.append(Item.responsible_network_id == user.network_id)
        mine.append(
            and_(
                Item.responsible_network_id.is_(None),
                Item.reporting_network_id == user.network_id,
            )
        )
    return select(Item).where(
        Item.status.in_(ItemStatus.open_statuses()), visible_clause(user), or_(*mine)
    )


def _register_link(user: User, **filters) -> str:
    mine = {"responsible": user.network_id} if user.network_id else {"assignee": user.id}
    return url_for("items.index", _external=True, **mine, **filters)


def overdue(user: User, today: date) -> Section:
    stmt = _my_items(user).where(Item.follow_up_date < today)
    return _section(stmt, (Item.follow_up_date, Item.id), _register_link(user, overdue=1))


def due_this_week(user: User, today: date) -> Section:
    sunday = today + timedelta(days=6 - today.weekday())
    stmt = _my_items(user).where(Item.follow_up_date.between(today, sunday))
    link = _register_link(user, sort="follow_up", direction="asc")
    return _section(stmt, (Item.follow_up_date, Item.id), link)


def waiting_handoffs(user: User) -> Section:
    link = _register_link(user, status=ItemStatus.ASSIGNED.value)
    if not user.is_manager or user.network_id is None:
        return Section([], 0, link)
    stmt = select(Item).where(
        Item.status == ItemStatus.ASSIGNED,
        Item.responsible_network_id == user.network_id,
        visible_clause(user),
    )
    return _section(stmt, (Item.updated_at, Item.id), link)


def open_tasks(user: User) -> Section:
    stmt = (
        select(Task)
        .where(Task.owner_id == user.id, Task.done_at.is_(None))
        .options(joinedload(Task.item), joinedload(Task.meeting))
    )
    order = (Task.due_date.is_(None), Task.due_date, Task.id)
    return _section(stmt, order, url_for("meetings.my_tasks", _external=True))


def next_meeting(today: date) -> Meeting | None:
    """The next meeting that is planned or running, from today on."""
    return db.session.scalar(
        select(Meeting)
        .join(Meeting.series)
        .where(
            MeetingSeries.active,
            Meeting.status.in_(MeetingStatus.open_statuses()),
            Meeting.starts_at >= clock.at_utc(today),
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def _said_in(topic: str, context: dict, sections: dict) -> bool:
    """Whether a section already lists what the notice is about."""
    item = context.get("item")
    if topic == "handoff_offered":
        return item.id in sections["handoffs"].ids
    if topic == "follow_up_due":
        return item.id in sections["overdue"].ids | sections["due"].ids
    if topic == "task_assigned":
        return context["task"].id in sections["tasks"].ids
    return False


def notes(user: User, params: dict, sections: dict) -> Notes:
    """The notices the digest took, that still have something to say, at most a section's."""
    found = Notes(more=params.get("notes_left_out", 0))
    for note in params.get("notes", []):
        topic = note["topic"]
        context = CONTEXTS[topic](user, note["params"]) if topic in CONTEXTS else None
        if context is None or _said_in(topic, context, sections):
            continue
        if len(found.rows) < SECTION_LIMIT:
            found.rows.append(Note(topic, context))
        else:
            found.more += 1
    return found


def build(message) -> compose.Mail | None:
    """The week's digest, or None (skipped) when there is nothing to say."""
    user = db.session.get(User, message.user_id)
    if user is None or not user.active:
        return None
    today = clock.today()
    sections = {
        "overdue": overdue(user, today),
        "due": due_this_week(user, today),
        "handoffs": waiting_handoffs(user),
        "tasks": open_tasks(user),
    }
    taken = notes(user, message.params, sections)
    if not taken.rows and not taken.more and not any(s.total for s in sections.values()):
        return None
    week = date.fromisoformat(message.params["week"])
    subject = _("Your weekly digest for the week of %(date)s", date=format_date(week))
    return compose.render(
        "digest",
        subject,
        user=user,
        today=today,
        notes=taken,
        meeting=next_meeting(today),
        can_see=lambda item: can_view(user, item),
        **sections,
    )


def register_kind() -> None:
    kinds.register("digest", build, label=_l("Weekly digest"), topic="digest")
