"""A meeting's agenda or minutes as plain data, translated and filtered for one viewer.

The exporters only see the dataclasses of ``tracker.exports.data``: every label is translated
here, in the locale active when the document is built, and confidential items the viewer
may not see are reduced to a placeholder before any exporter gets them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker import clock
from tracker.auth.models import User
from tracker.db import db
from tracker.exports.data import (
    DocumentKind,
    Labels,
    MeetingDocument,
    MeetingTime,
    Point,
    Section,
    SeriesData,
    TaskLine,
)
from tracker.i18n import _, format_date, get_locale, ngettext
from tracker.items.models import Item
from tracker.items.permissions import can_view
from tracker.meetings.models import (
    AgendaEntry,
    EntryKind,
    EntryReason,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Task,
)
from tracker.meetings.services import attendance_of, next_occurrence

CANCELLED = MeetingStatus.CANCELLED
SHORT_DATE = {"de": "dd.MM.yyyy", "en": "d MMM yyyy"}
LONG_DATE = {"de": "EEEE, dd.MM.yyyy", "en": "EEEE, d MMMM yyyy"}


def short_date(value: date | None) -> str:
    """Format a date the way the current locale writes it in minutes (26.11.2026)."""
    if value is None:
        return ""
    return format_date(value, SHORT_DATE.get(str(get_locale()), "medium"))


def _page_parts() -> tuple[str, str, str]:
    """Split "Page 1 of 3" around its numbers, for the PDF footer's counters."""
    text = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    before, rest = text.split("\x00", 1)
    middle, after = rest.split("\x01", 1)
    return before, middle, after


def _labels(kind: DocumentKind) -> Labels:
    return Labels(
        document=_("Agenda") if kind == "agenda" else _("Minutes"),
        draft=_("Draft"),
        cancelled=_("Cancelled"),
        date=_("Date"),
        time=_("Time"),
        video=_("Video conference"),
        present=_("Present"),
        absent=_("Absent"),
        company=_("Company"),
        outcome=_("Outcome"),
        decision=_("Decision"),
        task=_("Task"),
        owner=_("Responsible person"),
        due=_("Due date"),
        discussed=_("Discussed"),
        not_discussed=_("Not discussed"),
        stale=_("decide or close"),
        done=_("done"),
        empty=_("No topics on the agenda yet."),
        page=_page_parts(),
    )


def _load_entries(meeting: Meeting) -> list[AgendaEntry]:
    """The visible entries with their items, companies, groups, tasks and owners."""
    item = joinedload(AgendaEntry.item)
    return list(
        db.session.scalars(
            select(AgendaEntry)
            .where(AgendaEntry.meeting_id == meeting.id, AgendaEntry.removed.is_(False))
            .order_by(AgendaEntry.position, AgendaEntry.id)
            .options(
                item.lazyload("*"),
                item.joinedload(Item.company),
                joinedload(AgendaEntry.network),
                selectinload(AgendaEntry.tasks).joinedload(Task.owner),
            )
        ).unique()
    )


def _attendance(meeting: Meeting) -> tuple[tuple[str, ...], tuple[str, ...]]:
    attendance = attendance_of(meeting)
    present = tuple(p.network.short_name for p in attendance if p.present)
    return present, tuple(p.network.short_name for p in attendance if not p.present)


def _history(entry: AgendaEntry) -> dict:
    count, last = entry.carry_over_count, entry.last_discussed_on
    carried = ngettext("carried over %(num)d time", "carried over %(num)d times", count)
    discussed = _("last discussed on %(date)s", date=short_date(last)) if last else ""
    return {
        "carried_over": count,
        "carried_over_text": carried if count else "",
        "last_discussed_on": last,
        "last_discussed_text": discussed,
        "stale": entry.is_stale,
    }


def _reason(entry: AgendaEntry) -> tuple[str, ...]:
    """The reason, unless it is a carry-over that the counter already tells."""
    counted = entry.reason is EntryReason.CARRY_OVER and entry.carry_over_count
    return () if counted else (entry.reason.label,)


def _content(entry: AgendaEntry, viewer: User) -> dict:
    item = entry.item
    if item is None:
        if entry.kind is EntryKind.STANDING:
            return {"title": entry.title, "standing": True}
        return {"title": entry.title, "details": _reason(entry)}
    if not can_view(viewer, item):
        return {"title": _("Confidential item"), "details": _reason(entry), "hidden": True}
    return {
        "title": f"{item.reference} {item.title}",
        "company": item.company.name,
        "details": (item.kind.label, entry.item_status.label, *_reason(entry)),
    }


def _outcome(entry: AgendaEntry) -> dict:
    """What the TOP produced. An undiscussed TOP's note and decision were prepared, not made."""
    tasks = tuple(
        TaskLine(t.title, t.owner.name, t.due_date, short_date(t.due_date), t.done_at is not None)
        for t in entry.tasks
    )
    held = entry.discussed or entry.kind is EntryKind.STANDING
    return {
        "note": entry.note,
        "decision": entry.decision,
        "tasks": tasks,
        "note_label": _("Outcome") if held else _("Note"),
        "decision_label": _("Decision") if held else _("Proposed decision"),
    }


def _point(number: int, entry: AgendaEntry, viewer: User, kind: DocumentKind) -> Point:
    content = _content(entry, viewer)
    minutes = {"discussed": entry.discussed} if kind == "minutes" else {}
    if kind == "minutes" and not content.get("hidden"):
        minutes.update(_outcome(entry))
    label = _("Item %(number)d", number=number)
    return Point(number=number, label=label, **content, **_history(entry), **minutes)


def _group_heading(entry: AgendaEntry) -> str | None:
    """The heading an entry is listed under; None for standing and free topics."""
    if entry.kind is not EntryKind.ITEM:
        return None
    return entry.network.name if entry.network else _("Not yet assigned")


def _sections(entries: list[AgendaEntry], viewer: User, kind: DocumentKind) -> tuple:
    sections: list[tuple[str | None, list[Point]]] = []
    for number, entry in enumerate(entries, start=1):
        heading = _group_heading(entry)
        if not sections or sections[-1][0] != heading or heading is None:
            sections.append((heading, []))
        sections[-1][1].append(_point(number, entry, viewer, kind))
    return tuple(Section(heading or "", tuple(points)) for heading, points in sections)


def _span(meeting: Meeting) -> tuple[datetime, datetime]:
    return meeting.starts_at, meeting.starts_at + timedelta(minutes=meeting.duration_minutes)


def _when(meeting: Meeting) -> tuple[datetime, datetime, str, str]:
    zone = clock.zone(meeting.series.timezone)
    start, end = (t.astimezone(zone) for t in _span(meeting))
    day = format_date(start.date(), LONG_DATE.get(str(get_locale()), "full"))
    hours = _("%(start)s–%(end)s", start=f"{start:%H:%M}", end=f"{end:%H:%M}")
    return start, end, day, hours


def build_document(meeting: Meeting, *, viewer: User, kind: DocumentKind) -> MeetingDocument:
    """Collect a meeting's agenda or minutes as plain data for ``viewer``."""
    if kind not in ("agenda", "minutes"):
        raise ValueError(f"unknown document kind {kind!r}")
    start, end, day, hours = _when(meeting)
    present, absent = _attendance(meeting) if kind == "minutes" else ((), ())
    return MeetingDocument(
        kind=kind,
        meeting_id=meeting.id,
        revision=meeting.revision,
        locale=str(get_locale()),
        title=meeting.series.name,
        starts_at=start,
        ends_at=end,
        timezone=meeting.series.timezone,
        date_text=day,
        time_text=hours,
        video_link=meeting.video_link or meeting.series.video_link,
        draft=kind == "minutes" and meeting.status is not MeetingStatus.CLOSED,
        cancelled=meeting.status is CANCELLED,
        labels=_labels(kind),
        sections=_sections(_load_entries(meeting), viewer, kind),
        present=present,
        absent=absent,
    )


def build_series_calendar(series: MeetingSeries) -> tuple[SeriesData, list[MeetingTime]]:
    """Collect a series and the local times of its meetings for the calendar feed."""
    zone = clock.zone(series.timezone)
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.series_id == series.id).order_by(Meeting.starts_at)
    )
    times = [
        MeetingTime(m.id, *(t.astimezone(zone) for t in _span(m)), m.status is CANCELLED)
        for m in meetings
    ]
    next_start = next_occurrence(series, series.created_at).astimezone(zone)
    fields = ("id", "name", "weekday", "start_time", "duration_minutes", "timezone")
    values = {name: getattr(series, name) for name in fields}
    return SeriesData(
        **values, video_link=series.video_link, active=series.active, next_start=next_start
    ), times
