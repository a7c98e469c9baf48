"""The app's time: its zone, today there, and the local days and times of meetings.

Stored times are aware UTC (``tracker.db.UTCDateTime``, ``tracker.db.utcnow``). Dates that
people read (today, follow-up dates, a meeting's day, report periods) are in a zone: the
initiative's (``BABEL_DEFAULT_TIMEZONE``) or a meeting series' own. This is the one place
that turns one into the other.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app

from tracker.db import utcnow


def app_zone() -> ZoneInfo:
    """The initiative's time zone."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def zone(name: str | None = None) -> ZoneInfo:
    """A series' zone by name, or the initiative's."""
    return ZoneInfo(name) if name else app_zone()


def today() -> date:
    """Today's date in the initiative's time zone."""
    return utcnow().astimezone(app_zone()).date()


def local_day(moment: datetime, in_zone: ZoneInfo | None = None) -> date:
    """The date of an aware moment in ``in_zone`` (default: the initiative's)."""
    return moment.astimezone(in_zone or app_zone()).date()


def at(day: date, clock_time: time = time(), in_zone: ZoneInfo | None = None) -> datetime:
    """``day`` at ``clock_time`` in ``in_zone`` (default: the initiative's), aware."""
    return datetime.combine(day, clock_time, tzinfo=in_zone or app_zone())


def at_utc(day: date, clock_time: time = time(), in_zone: ZoneInfo | None = None) -> datetime:
    """``day`` at ``clock_time`` in the zone, as UTC."""
    return at(day, clock_time, in_zone).astimezone(UTC)
