"""The minutes' summary: persons present, decisions, tasks by owner, the list "vertagt".

``documents.build_document`` adds it to the minutes, built from the same numbered entries
as the TOPs and with the same rule of what is shown (``shows``), so that the PDF, the Word
file, the Markdown text and the mail print the same summary. Per-person attendance is not
recorded; the persons present are those who recorded something during the meeting.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, union

from tracker.auth.models import User
from tracker.db import db
from tracker.exports.data import Decision, Deferred, Minutes, MinutesLabels, OwnerTask, OwnerTasks
from tracker.i18n import _
from tracker.items.models import Item
from tracker.meetings.documents import entry_title, in_minutes_body, point_label, short_date
from tracker.meetings.models import AgendaEntry, EntryKind, Meeting, Task

Numbered = list[tuple[int, AgendaEntry]]
Shows = Callable[[Item], bool]


def _labels() -> MinutesLabels:
    return MinutesLabels(
        persons=_("Persons present"),
        decisions=_("Decisions"),
        tasks=_("Tasks"),
        discussed=_("Discussed entries"),
        deferred=_("Carried over"),
        no_decisions=_("No decisions."),
        no_tasks=_("No tasks."),
        nothing_discussed=_("No entry was discussed."),
    )


def _shown(entry: AgendaEntry, shows: Shows) -> bool:
    return entry.item is None or shows(entry.item)


def _persons(meeting: Meeting) -> tuple[str, ...]:
    """Who recorded outcomes or tasks, or registered items, while the meeting ran."""
    if meeting.started_at is None:
        return ()
    since = meeting.started_at
    ids = union(
        select(AgendaEntry.updated_by_id).where(
            AgendaEntry.meeting_id == meeting.id, AgendaEntry.updated_at >= since
        ),
        select(Task.created_by_id).where(Task.meeting_id == meeting.id, Task.created_at >= since),
        select(Item.created_by_id).where(Item.source_meeting_id == meeting.id),
    )
    names = db.session.scalars(select(User.name).where(User.id.in_(ids.scalar_subquery())))
    return tuple(sorted(set(names), key=str.casefold))


def _decisions(numbered: Numbered, shows: Shows) -> tuple[Decision, ...]:
    return tuple(
        Decision(point_label(number), entry_title(entry, shows), entry.decision.strip())
        for number, entry in numbered
        if in_minutes_body(entry) and entry.decision.strip() and _shown(entry, shows)
    )


def _task_points(numbered: Numbered, shows: Shows) -> list[tuple[Task, str]]:
    """The tasks of the TOPs the minutes may show, each with its TOP's label.

    Tasks are raised on agenda entries (the live page's and the API's one way to add them).
    """
    return [
        (task, point_label(number))
        for number, entry in numbered
        if _shown(entry, shows)
        for task in entry.tasks
    ]


def _tasks(numbered: Numbered, shows: Shows) -> tuple[OwnerTasks, ...]:
    by_owner: dict[int, list[tuple[Task, str]]] = {}
    for task, label in _task_points(numbered, shows):
        by_owner.setdefault(task.owner_id, []).append((task, label))
    groups = []
    for rows in by_owner.values():
        rows.sort(key=lambda row: (row[0].due_date is None, row[0].due_date or 0, row[0].id))
        lines = tuple(
            OwnerTask(t.title, label, t.due_date, short_date(t.due_date), t.done_at is not None)
            for t, label in rows
        )
        groups.append(OwnerTasks(rows[0][0].owner.name, lines))
    return tuple(sorted(groups, key=lambda group: group.owner.casefold()))


def _deferred_reason(entry: AgendaEntry, absent_ids: set[int]) -> str:
    absent = entry.network is not None and (entry.deferred or entry.network_id in absent_ids)
    first = _("%(network)s absent", network=entry.network.short_name) if absent else ""
    parts = [first or _("not discussed")]
    if entry.is_stale:
        parts.append(_("decide or close"))
    return " · ".join(parts)


def _deferred(numbered: Numbered, shows: Shows, absent_ids: set[int]) -> tuple[Deferred, ...]:
    return tuple(
        Deferred(
            point_label(number), entry_title(entry, shows), _deferred_reason(entry, absent_ids)
        )
        for number, entry in numbered
        if entry.kind is not EntryKind.STANDING and not entry.discussed
    )


def summarize(meeting: Meeting, numbered: Numbered, shows: Shows, absent_ids: set[int]) -> Minutes:
    """The summary of the first page and the list "vertagt" of a meeting's minutes."""
    return Minutes(
        labels=_labels(),
        persons=_persons(meeting),
        decisions=_decisions(numbered, shows),
        tasks=_tasks(numbered, shows),
        deferred=_deferred(numbered, shows, absent_ids),
    )
