"""What the live page's parts need to render: entries, the whole agenda, the changes of a poll.

Everything an entry needs is looked up once per answer (labels, URLs, the token, the
people), not once per entry: an agenda has a hundred of them.
"""

from __future__ import annotations

from datetime import UTC
from types import SimpleNamespace

from flask import render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from tracker import caching, clock
from tracker.auth.models import User
from tracker.db import db
from tracker.forms_support import options
from tracker.i18n import _
from tracker.items import lifecycle
from tracker.items.permissions import can_view
from tracker.meetings import notes, permissions, queries, services
from tracker.meetings.models import AgendaEntry, EntryKind, Meeting
from tracker.networks.services import active_networks


def network_options(empty: str):
    """The active networks for a select, after an empty choice labelled ``empty``."""
    return options([(None, empty)] + [(n.id, n.short_name) for n in active_networks()])


def people() -> list[User]:
    """Everyone who can be given a task: active users by name."""
    return list(db.session.scalars(select(User).where(User.active).order_by(User.name)))


def _entry_labels() -> SimpleNamespace:
    """The entry template's labels, translated once per answer instead of once per entry."""
    return SimpleNamespace(
        top=_("TOP %(n)d"),
        responsible=_("Responsible"),
        follow_up=_("Follow-up"),
        discussed=_("Discussed"),
        note=_("Note"),
        decision=_("Decision"),
        save=_("Save"),
        follow_up_date=_("Follow-up date"),
        responsible_network=_("Responsible network"),
        assignee=_("Assignee"),
        reason=_("Reason or resolution"),
        task=_("Task"),
        new_task=_("New task"),
        person=_("Responsible person"),
        due=_("Due"),
        add_task=_("Add task"),
        now=_("now"),
        discuss_now=_("Discuss now"),
        save_note=_("Save note"),
        former=_("Former user"),
        notes=_("Notes: %(n)d"),
        tasks=_("Tasks: %(n)d"),
    )


_ID_MARK = 2_147_483_647  # stands for the entry id in the URL patterns


def _entry_urls() -> SimpleNamespace:
    """The entry forms' URLs with ``{}`` for the entry id: one url_for per answer."""
    urls = {}
    for name in ("entry_outcome", "entry_item", "add_task", "entry_note", "entry_live"):
        url = url_for(f"meetings.{name}", entry_id=_ID_MARK)
        urls[name] = url.replace("{", "{{").replace("}", "}}").replace(str(_ID_MARK), "{}")
    return SimpleNamespace(**urls)


def can_run() -> bool:
    """Whether the viewer may change the meeting's entries."""
    return permissions.can_run(current_user)


def opened_ids(text: str | None) -> frozenset[int]:
    """The entries a page opened besides the current one (``open=3,7``), at most a few."""
    ids = [part for part in (text or "").split(",")[:MAX_OPENED] if part.isdigit()]
    return frozenset(int(part) for part in ids if int(part) <= _ID_MARK)


MAX_OPENED = 5


def entries_context(meeting: Meeting, opened: frozenset[int] = frozenset()) -> dict:
    """What rendering agenda entries needs, shared by all entries of one answer.

    Only the current entry and those in ``opened`` show their notes and forms.
    """
    everyone = people()
    managers: dict[int, list] = {}
    for person in everyone:
        if person.is_manager and person.network_id:
            managers.setdefault(person.network_id, []).append(person)
    user = current_user._get_current_object()  # once, not through the proxy per entry
    return dict(
        meeting=meeting,
        people=everyone,
        managers=managers,
        networks=active_networks(),
        can_run=can_run(),
        can_view=lambda item: can_view(user, item),
        actions_for=lambda item: lifecycle.available_actions(item, user),
        today=clock.today(),
        t=_entry_labels(),
        urls=SimpleNamespace(
            **vars(_entry_urls()),
            set_current=url_for("meetings.set_current", meeting_id=meeting.id),
        ),
        csrf=generate_csrf(),
        current_id=meeting.current_entry_id,
        opened=opened,
        moderator=permissions.is_moderator(user, meeting),
        viewer_id=user.id,
        own_note=lambda entry: notes.own_note(entry, user),
        timebox=timebox(meeting),
    )


def timebox(meeting: Meeting) -> SimpleNamespace:
    """The network called now and since when (milliseconds since 1970), for the page's clock."""
    since = meeting.current_network_since
    entry = db.session.get(AgendaEntry, meeting.current_entry_id or 0) if since else None
    network = entry.network.short_name if entry is not None and entry.network else ""
    millis = int(since.replace(tzinfo=UTC).timestamp() * 1000) if network else ""
    return SimpleNamespace(since=millis, network=network, minutes=meeting.series.timebox_minutes)


def _steps(meeting: Meeting, entries: list) -> SimpleNamespace:
    """The entries before and after the current one (for the moderator's buttons)."""
    ids = [entry.id for entry in entries]
    if meeting.current_entry_id not in ids:
        return SimpleNamespace(previous=None, next=ids[0] if ids else None)
    index = ids.index(meeting.current_entry_id)
    return SimpleNamespace(
        previous=ids[index - 1] if index else None,
        next=ids[index + 1] if index + 1 < len(ids) else None,
    )


def _groups(entries: list) -> list:
    """The networks of the item entries, in agenda (roll-call) order, each once."""
    seen: dict[int, object] = {}
    for entry in entries:
        if entry.network is not None and entry.kind is EntryKind.ITEM:
            seen.setdefault(entry.network_id, entry.network)
    return list(seen.values())


def may_attend(user: User, meeting: Meeting):
    """Which networks' attendance the viewer may set."""
    return lambda network_id: permissions.can_set_attendance(user, meeting, network_id)


def agenda_context(meeting: Meeting, opened: frozenset[int] = frozenset()) -> dict:
    """What the whole agenda fragment needs, loaded with a fixed set of queries."""
    visible = queries.live_entries(meeting)
    attendance = services.attendance_of(meeting)
    present = {p.network.id: p.present for p in attendance}
    layout = [(e.id, e.kind, e.network_id) for e in visible]
    user = current_user._get_current_object()
    return dict(
        entries_context(meeting, opened),
        entries=visible,
        groups=_groups(visible),
        steps=_steps(meeting, visible),
        hand_over=permissions.can_hand_over(user),
        moderators=[p for p in people() if permissions.can_run(p)],
        may_attend=may_attend(user, meeting),
        roll_call=[p.network for p in attendance],
        present=present,
        layout_key=queries.layout_key(meeting, layout),
        attendance_key=queries.attendance_key(present),
    )


def changes_context(
    meeting: Meeting,
    since: int,
    layout: str | None,
    attendance_seen: str | None,
    opened: frozenset[int] = frozenset(),
) -> dict | None:
    """Only what changed after revision ``since``; None when the agenda's shape changed.

    ``layout`` and ``attendance_seen`` are the keys of what the page shows. Entries added,
    removed or moved, or a new meeting status, change the layout: that needs the whole agenda.
    """
    shape = queries.agenda_layout(meeting)
    if since > meeting.revision or layout != queries.layout_key(meeting, shape):
        return None
    attendance = services.attendance_of(meeting)
    present = {p.network.id: p.present for p in attendance}
    key = queries.attendance_key(present)
    changed = queries.live_entries(meeting, changed_after=since)
    user = current_user._get_current_object()
    return dict(
        entries_context(meeting, opened)
        if changed
        else dict(meeting=meeting, can_run=can_run(), timebox=timebox(meeting)),
        may_attend=may_attend(user, meeting),
        changes=changed,
        tops={entry_id: top for top, (entry_id, *_rest) in enumerate(shape, start=1)},
        roll_call=None if attendance_seen == key else [p.network for p in attendance],
        present=present,
        layout_key=layout,
        attendance_key=key,
    )


def whole_agenda(meeting: Meeting, opened: frozenset[int] = frozenset()):
    """The whole agenda as the viewer sees it, cached until anything changes."""

    def render_agenda() -> str:
        return render_template("meetings/_live_agenda.html", **agenda_context(meeting, opened))

    # The key holds the viewer and the day (follow-ups turn overdue), as every fragment's.
    key = (meeting.id, tuple(sorted(opened)))
    return caching.fragment("live-agenda", key, render_agenda, with_forms=True)
