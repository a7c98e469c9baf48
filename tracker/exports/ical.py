"""iCalendar: one meeting as an invitation, a series as a feed with its recurrence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from tracker import clock
from tracker.exports.data import MeetingDocument, MeetingTime, SeriesData

PRODID = "-//Bedarfsregister//Sitzungen//DE"
DOMAIN = "bedarfsregister"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _calendar(name: str, zone: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone)
    return calendar


def _finish(calendar: Calendar, first: date, years: int) -> bytes:
    """Add the VTIMEZONE definitions the events refer to, for the years they span."""
    calendar.add_missing_timezones(
        first_date=date(first.year, 1, 1), last_date=date(first.year + years, 1, 1)
    )
    for timezone in calendar.walk("VTIMEZONE"):
        zone = clock.zone(str(timezone["TZID"]))
        for observance in timezone.subcomponents:
            _start_before_the_change(observance, zone)
    return calendar.to_ical()


STEP = timedelta(minutes=15)


def _offset(moment: datetime, zone) -> timedelta:
    return moment.astimezone(zone).utcoffset()


def _start_before_the_change(observance, zone) -> None:
    """RFC 5545: an observance starts at the local time before the change, in its
    TZOFFSETFROM (German summer time at 02:00, winter time at 03:00); icalendar writes
    03:00 for both. The change's moment is taken from the time zone database."""
    start, before = observance.DTSTART, observance["TZOFFSETFROM"].td
    after = observance["TZOFFSETTO"].td
    if before == after:
        return
    moment = (start - timedelta(days=1)).replace(tzinfo=UTC)
    for _ in range(int(timedelta(days=2) / STEP)):
        moment += STEP
        if _offset(moment, zone) == after and _offset(moment - STEP, zone) == before:
            observance.DTSTART = (moment + before).replace(tzinfo=None)
            return


def _event(uid: str, summary: str, start: datetime, end: datetime, link: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    if link:
        event.add("location", link)
        event.add("url", link)
    return event


def agenda_text(doc: MeetingDocument) -> str:
    """The TOP list as plain text, for an event's description."""
    lines = [f"{doc.labels.document}:"]
    for section in doc.sections:
        if section.heading:
            lines += ["", f"{section.heading}:"]
        lines += [f"{point.label} {point.title}" for point in section.points]
    if not doc.sections:
        lines.append(doc.labels.empty)
    if doc.video_link:
        lines += ["", f"{doc.labels.video}: {doc.video_link}"]
    return "\n".join(lines)


def meeting_invitation(doc: MeetingDocument) -> bytes:
    """One meeting as a VEVENT in its series' time zone, with the agenda as description."""
    calendar = _calendar(doc.title, doc.timezone)
    event = _event(
        f"meeting-{doc.meeting_id}@{DOMAIN}", doc.title, doc.starts_at, doc.ends_at, doc.video_link
    )
    event.add("description", agenda_text(doc))
    event.add("sequence", doc.revision)
    event.add("status", "CANCELLED" if doc.cancelled else "CONFIRMED")
    calendar.add_component(event)
    return _finish(calendar, doc.starts_at.date(), 2)


def regular_slot(series: SeriesData, start: datetime) -> datetime:
    """The series' regular start nearest to ``start``: the occurrence a meeting stands for."""
    zone = clock.zone(series.timezone)
    day = start.astimezone(zone).date()
    offset = (series.weekday - day.weekday() + 3) % 7 - 3  # within three days either way
    return datetime.combine(day + timedelta(days=offset), series.start_time, tzinfo=zone)


Paired = list[tuple[MeetingTime, datetime | None]]


def _occurrences(series: SeriesData, meetings: list[MeetingTime]) -> Paired:
    """Pair each meeting with the regular occurrence it replaces, or None for an extra one."""
    taken: set[datetime] = set()
    paired: Paired = []
    for meeting in sorted(meetings, key=lambda m: m.starts_at):
        slot = regular_slot(series, meeting.starts_at)
        paired.append((meeting, None if slot in taken else slot))
        taken.add(slot)
    return paired


def _recurring(series: SeriesData, paired: Paired) -> Event:
    slots = [slot for _meeting, slot in paired if slot is not None]
    start = min(slots) if slots else regular_slot(series, series.next_start)
    length = timedelta(minutes=series.duration_minutes)
    event = _event(
        f"series-{series.id}@{DOMAIN}", series.name, start, start + length, series.video_link
    )
    rule = {"freq": "weekly", "byday": WEEKDAYS[series.weekday]}
    if not series.active:
        rule["until"] = max(slots or [start]).astimezone(UTC)
    event.add("rrule", rule)
    cancelled = [slot for meeting, slot in paired if slot is not None and meeting.cancelled]
    if cancelled:
        event.add("exdate", cancelled)
    return event


def _moved(series: SeriesData, paired: Paired) -> list[Event]:
    """Overrides for meetings moved off their slot or lengthened, and events for extra ones."""
    length = timedelta(minutes=series.duration_minutes)
    events = []
    for meeting, slot in paired:
        regular = slot is not None and (meeting.starts_at, meeting.ends_at) == (slot, slot + length)
        if meeting.cancelled or regular:
            continue
        uid = f"series-{series.id}@{DOMAIN}" if slot else f"meeting-{meeting.id}@{DOMAIN}"
        event = _event(uid, series.name, meeting.starts_at, meeting.ends_at, series.video_link)
        if slot is not None:
            event.add("recurrence-id", slot)
        events.append(event)
    return events


def series_feed(series: SeriesData, meetings: list[MeetingTime]) -> bytes:
    """A series as one weekly VEVENT with cancellations excluded and moved meetings overridden."""
    calendar = _calendar(series.name, series.timezone)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    paired = _occurrences(series, meetings)
    main = _recurring(series, paired)
    calendar.add_component(main)
    for event in _moved(series, paired):
        calendar.add_component(event)
    return _finish(calendar, main.DTSTART.date(), 10)
