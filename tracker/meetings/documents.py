"""A meeting's agenda or minutes as plain data, translated and filtered for one viewer.

The exporters only see the dataclasses of ``tracker.exports.data``: every label is translated
here, in the locale active when the document is built, and confidential items the viewer
may not see are reduced to a placeholder before any exporter gets them.
"""

from __future__ import annotations

from collections.abc import Callable
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
    Variant,
)
from tracker.i18n import _, format_date, get_locale, ngettext
from tracker.items.models import Item
from tracker.meetings.models import (
    AgendaEntry,
    EntryKind,
    EntryReason,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Task,
)
from tracker.meetings.permissions import document_shows
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


def _attendance(meeting: Meeting) -> tuple[tuple[str, ...], tuple[str, ...], set[int]]:
    """The networks present and absent (short names), and the absent ones' ids."""
    attendance = attendance_of(meeting)
    present = tuple(p.network.short_name for p in attendance if p.present)
    absent = [p.network for p in attendance if not p.present]
    return present, tuple(n.short_name for n in absent), {n.id for n in absent}


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


Shows = Callable[[Item], bool]


def _content(entry: AgendaEntry, shows: Shows) -> dict:
    item = entry.item
    if item is None:
        if entry.kind is EntryKind.STANDING:
            return {"title": entry.title, "standing": True}
        return {"title": entry.title, "details": _reason(entry)}
    if not shows(item):
        return {"title": _("Confidential item"), "details": _reason(entry), "hidden": True}
    return {
        "title": f"{item.reference} {item.title}",
        "company": item.company.name,
        "details": (item.kind.label, entry.item_status.label, *_reason(entry)),
    }


def entry_title(entry: AgendaEntry, shows: Shows) -> str:
    """The title an export gives the entry: a placeholder for an item it does not show."""
    return _content(entry, shows)["title"]


def point_label(number: int) -> str:
    return _("Item %(number)d", number=number)


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


def _point(number: int, entry: AgendaEntry, shows: Shows, kind: DocumentKind) -> Point:
    content = _content(entry, shows)
    minutes = {"discussed": entry.discussed} if kind == "minutes" else {}
    if kind == "minutes" and not content.get("hidden"):
        minutes.update(_outcome(entry))
    return Point(number=number, label=point_label(number), **content, **_history(entry), **minutes)


def _group_heading(entry: AgendaEntry) -> str | None:
    """The heading an entry is listed under; None for standing and free topics."""
    if entry.kind is not EntryKind.ITEM:
        return None
    return entry.network.name if entry.network else _("Not yet assigned")


def in_minutes_body(entry: AgendaEntry) -> bool:
    """Discussed entries, and standing topics for which something was recorded."""
    if entry.kind is EntryKind.STANDING:
        return bool(entry.note.strip() or entry.decision.strip() or entry.tasks)
    return entry.discussed


def _sections(numbered: list[tuple[int, AgendaEntry]], shows: Shows, kind: DocumentKind):
    sections: list[tuple[str | None, list[Point]]] = []
    for number, entry in numbered:
        heading = _group_heading(entry)
        if not sections or sections[-1][0] != heading or heading is None:
            sections.append((heading, []))
        sections[-1][1].append(_point(number, entry, shows, kind))
    return tuple(Section(heading or "", tuple(points)) for heading, points in sections)


def _copy_texts(variant: Variant) -> dict:
    if variant == "distribution":
        text = _("Distribution copy: confidential items are not shown.")
    else:
        text = _("Internal copy: do not forward.")
    return {"variant": variant, "copy_text": text, "internal_stem": _("internal")}


def _span(meeting: Meeting) -> tuple[datetime, datetime]:
    return meeting.starts_at, meeting.starts_at + timedelta(minutes=meeting.duration_minutes)


def _when(meeting: Meeting) -> tuple[datetime, datetime, str, str]:
    zone = clock.zone(meeting.series.timezone)
    start, end = (t.astimezone(zone) for t in _span(meeting))
    day = format_date(start.date(), LONG_DATE.get(str(get_locale()), "full"))
    hours = _("%(start)s–%(end)s", start=f"{start:%H:%M}", end=f"{end:%H:%M}")
    return start, end, day, hours


def build_document(
    meeting: Meeting, *, viewer: User, kind: DocumentKind, variant: Variant = "internal"
) -> MeetingDocument:
    """Collect a meeting's agenda or minutes as plain data for ``viewer``.

    ``variant`` "distribution" is the copy to send on: no confidential item for anyone;
    "internal" shows ``viewer`` what they may see.
    """
    if kind not in ("agenda", "minutes"):
        raise ValueError(f"unknown document kind {kind!r}")
    shows = document_shows(viewer, variant)
    start, end, day, hours = _when(meeting)
    numbered = list(enumerate(_load_entries(meeting), start=1))
    present, absent, minutes = (), (), None
    if kind == "minutes":
        from tracker.meetings.minutes import summarize

        present, absent, absent_ids = _attendance(meeting)
        minutes = summarize(meeting, numbered, shows, absent_ids)
        numbered = [(number, entry) for number, entry in numbered if in_minutes_body(entry)]
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
        sections=_sections(numbered, shows, kind),
        present=present,
        absent=absent,
        minutes=minutes,
        **_copy_texts(variant),
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
