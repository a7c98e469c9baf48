"""A user's follow-up dates and tasks as an iCalendar feed: data in, bytes out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//Bedarfsregister//Wiedervorlagen//DE"
DOMAIN = "bedarfsregister"


@dataclass(frozen=True)
class FeedEntry:
    """One all-day date of the feed."""

    uid: str
    day: date
    summary: str
    description: str
    url: str


def _event(entry: FeedEntry, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{entry.uid}@{DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.day)
    if entry.day < date.max:  # without DTEND an all-day event lasts its day (RFC 5545 3.6.1)
        event.add("dtend", entry.day + timedelta(days=1))
    event.add("summary", entry.summary)
    event.add("transp", "TRANSPARENT")
    if entry.description:
        event.add("description", f"{entry.description}\n{entry.url}")
    else:
        event.add("description", entry.url)
    event.add("url", entry.url)
    return event


def calendar_feed(name: str, entries: list[FeedEntry]) -> bytes:
    """All entries as all-day VEVENTs that calendar apps subscribe to and refresh hourly."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for entry in entries:
        calendar.add_component(_event(entry, stamp))
    return calendar.to_ical()
