"""Live meeting mode: outcomes per entry, attendance, tasks, quick-add, closing."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker import events
from tracker.auth.models import User
from tracker.db import db, utcnow
from tracker.exceptions import DuplicateSuspected, PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.items import services as items
from tracker.items import timeline
from tracker.items.models import ActivityKind, Item, ItemKind, ItemSource
from tracker.meetings import services
from tracker.meetings.agenda import add_item_entry
from tracker.meetings.documents import short_date
from tracker.meetings.models import (
    AgendaEntry,
    Attendance,
    Meeting,
    MeetingStatus,
    Task,
)
from tracker.meetings.permissions import (
    require_attendance,
    require_entry_visible,
    require_moderator,
    require_open,
    require_run,
)
from tracker.meetings.services import Presence, ensure_next_meeting, touch, touch_entries
from tracker.networks.models import Network
from tracker.versioning import check_version, flush_or_conflict

ENTRY_FIELDS = ("discussed", "note", "decision")


def touch_entry(entry: AgendaEntry) -> None:
    """File the entry under a new meeting revision, so that the next poll sends it."""
    touch_entries(entry.meeting_id, [entry.id])


def _touch_for(meeting: Meeting, entry: AgendaEntry | None) -> None:
    if entry is not None and entry.meeting_id == meeting.id:
        touch_entry(entry)
    else:
        touch(meeting)


def update_entry(
    entry: AgendaEntry, *, actor: User, expected_version: int | None, **changes: Any
) -> dict[str, tuple[Any, Any]]:
    """Record the outcome of an agenda entry: discussed, note, decision."""
    require_run(actor)
    require_entry_visible(entry, actor)
    require_open(entry.meeting)
    check_version(entry, expected_version)
    diff = {}
    for field in ENTRY_FIELDS:
        if field in changes and getattr(entry, field) != changes[field]:
            diff[field] = (getattr(entry, field), changes[field])
            setattr(entry, field, changes[field])
    if diff:
        entry.updated_by = actor
        flush_or_conflict(entry, expected_version)
        touch_entry(entry)
        if diff.get("discussed", (None, False))[1] is True:
            events.entry_discussed.send(entry, actor=actor, meeting=entry.meeting)
        if {"note", "decision"} & diff.keys():
            events.outcome_recorded.send(entry, actor=actor, changes=diff)
    return diff


def set_attendance(meeting: Meeting, network: Network, present: bool, *, actor: User) -> None:
    """Mark a network present or absent: the network itself, or the moderator for anyone."""
    require_attendance(actor, meeting, network.id)
    require_open(meeting)
    row = db.session.get(Attendance, (meeting.id, network.id))
    if row is None:
        row = Attendance(meeting=meeting, network=network)
        db.session.add(row)
    row.present = present
    db.session.flush()
    touch(meeting)


def add_task(
    meeting: Meeting | None,
    *,
    actor: User,
    title: str,
    owner: User | None,
    due_date: date | None,
    entry: AgendaEntry | None = None,
) -> Task:
    """Raise a task for a person, optionally tied to an agenda entry and its item."""
    require_run(actor)
    if entry is not None:
        require_entry_visible(entry, actor)
    if meeting is not None:
        require_open(meeting)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationFailed(_("A task needs a title."), field="title")
    if owner is None or not owner.active:
        raise ValidationFailed(_("A task needs an owner."), field="owner")
    task = Task(
        meeting=meeting,
        entry=entry,
        item=entry.item if entry else None,
        title=title,
        owner=owner,
        due_date=due_date,
        created_by_id=actor.id,
    )
    db.session.add(task)
    db.session.flush()
    if meeting is not None:
        _touch_for(meeting, entry)
    events.task_assigned.send(task, actor=actor, owner=owner, entry=entry)
    return task


def require_task_editor(task: Task, actor: User) -> None:
    """Only a task's owner, its author and the office change it."""
    if not (actor.is_admin or actor.id == task.owner_id or actor.id == task.created_by_id):
        raise PermissionDenied(_("Only the owner of a task may change it."))


def complete_task(task: Task, *, actor: User, done: bool = True) -> None:
    """Mark a task done (or open again)."""
    require_task_editor(task, actor)
    task.done_at = utcnow() if done else None
    db.session.flush()
    _task_changed(task)


def _task_changed(task: Task) -> None:
    """The live page of a running meeting shows the task under its entry."""
    if task.meeting is not None and task.meeting.is_open:
        _touch_for(task.meeting, task.entry)


def move_task(
    task: Task, *, actor: User, due_date: date | None, expected_version: int | None
) -> None:
    """Give a task a new due date."""
    require_task_editor(task, actor)
    check_version(task, expected_version)
    task.due_date = due_date
    flush_or_conflict(task, expected_version)
    _task_changed(task)


def quick_add(
    meeting: Meeting,
    *,
    actor: User,
    title: str,
    company_name: str,
    kind: ItemKind,
    responsible_network_id: int | None = None,
    reporting_network_id: int | None = None,
    allow_duplicate: bool = False,
) -> Item:
    """Register an item raised in the meeting and put it on the agenda at once.

    An open item of the same company with the same title is not created twice by
    accident: without ``allow_duplicate`` that raises ``DuplicateSuspected``.
    """
    from tracker.companies.services import find_company
    from tracker.items.queries import same_open_item
    from tracker.items.registration import register_item

    require_run(actor)
    require_open(meeting)
    if not (company_name or "").strip():
        raise ValidationFailed(_("A company is required."), field="company_name")
    existing = find_company(company_name, viewer=actor)
    twin = same_open_item(actor, existing, title) if existing and not allow_duplicate else None
    if twin is not None:
        raise DuplicateSuspected(
            _(
                "%(company)s has an open item with this title already: %(ref)s. "
                "Send again to add it anyway.",
                company=existing.name,
                ref=twin.reference,
            ),
            reference=twin.reference,
            item_id=twin.id,
        )
    item = register_item(
        actor=actor,
        title=title,
        kind=kind,
        company_name=company_name,
        reporting_network_id=reporting_network_id,
        responsible_network_id=responsible_network_id,
        source=ItemSource.MEETING,
    )
    item.source_meeting_id = meeting.id
    touch_entry(add_item_entry(meeting, item, actor=actor))
    return item


def close_meeting(meeting: Meeting, *, actor: User) -> Meeting | None:
    """Freeze the minutes, defer absent networks' entries, record outcomes in the items."""
    require_moderator(actor, meeting)
    require_open(meeting)
    attendance = _freeze_attendance(meeting)
    absent = {p.network.id for p in attendance if not p.present}
    for entry in meeting.entries:
        if entry.removed:
            continue
        if not entry.discussed and entry.network_id in absent:
            entry.deferred = True
        if entry.item is not None:
            entry.status_at_close = entry.item.status
        if entry.item is not None and (entry.discussed or entry.tasks):
            timeline.record(
                entry.item,
                actor,
                ActivityKind.DISCUSSED,
                body=_outcome(entry),
                item_version=entry.item.version,
                meeting_id=meeting.id,
            )
            events.item_discussed.send(
                entry.item, actor=actor, meeting=meeting, decision=entry.decision
            )
        if entry.discussed and entry.item is not None and entry.item.for_next_meeting:
            entry.item.for_next_meeting = False
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = utcnow()
    db.session.flush()
    touch(meeting)
    following = ensure_next_meeting(meeting.series)
    events.meeting_closed.send(meeting, actor=actor, following=following)
    return following


def _freeze_attendance(meeting: Meeting) -> list[Presence]:
    """Store every participant's presence, so that the minutes keep who was there."""
    attendance = services.attendance_of(meeting)
    stored = {a.network_id: a for a in meeting.attendance}
    for presence in attendance:
        if presence.network.id not in stored:
            meeting.attendance.append(Attendance(network=presence.network, present=True))
    return attendance


def _outcome(entry: AgendaEntry) -> str:
    """The entry's note, decision and tasks (owner, due date) as the item's timeline shows them."""
    parts = [
        entry.discussed and entry.note.strip(),
        entry.discussed
        and entry.decision.strip()
        and _("Decision: %(text)s", text=entry.decision.strip()),
        "\n".join(_task_line(task) for task in entry.tasks),
    ]
    return "\n\n".join(p for p in parts if p)


def _task_line(task: Task) -> str:
    if task.due_date is None:
        return _("Task: %(title)s – %(owner)s", title=task.title, owner=task.owner.name)
    return _(
        "Task: %(title)s – %(owner)s – due %(date)s",
        title=task.title,
        owner=task.owner.name,
        date=short_date(task.due_date),
    )


def open_tasks(user: User) -> list[Task]:
    """The user's open tasks from all meetings, by due date."""
    return list(
        db.session.scalars(
            select(Task)
            .where(Task.owner_id == user.id, Task.done_at.is_(None))
            .options(joinedload(Task.item), joinedload(Task.meeting))
            .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
        )
    )


def update_item_in_meeting(
    entry: AgendaEntry,
    *,
    actor: User,
    expected_version: int | None,
    action: str = "",
    note: str = "",
    follow_up_date: date | None = None,
    responsible_network: Network | None = None,
    assignee: User | None = None,
) -> None:
    """Change the entry's item in place: follow-up, hand-off, assignee, lifecycle action.

    The item's own services carry the rules; the version is checked once, up front.
    """
    from tracker.items import lifecycle

    require_run(actor)
    require_entry_visible(entry, actor)
    require_open(entry.meeting)
    item = entry.item
    if item is None:
        raise ValidationFailed(_("This entry has no item."))
    check_version(item, expected_version)
    shown_assignee_id = item.assignee_id  # the form showed this one: unchanged, it is no choice
    if responsible_network is not None and responsible_network.id != item.responsible_network_id:
        lifecycle.hand_off(item, responsible_network, actor=actor, expected_version=None)
    changes: dict[str, Any] = {}
    if follow_up_date is not None and follow_up_date != item.follow_up_date:
        changes["follow_up_date"] = follow_up_date
    if assignee is not None and assignee.id != shown_assignee_id:
        changes["assignee"] = assignee
    if changes:
        items.update_item(item, actor=actor, expected_version=None, **changes)
    if action:
        lifecycle.perform(
            item,
            action,
            actor=actor,
            expected_version=None,
            note=note,
            follow_up_date=follow_up_date or item.follow_up_date,
        )
    touch_entry(entry)
