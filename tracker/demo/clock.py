"""Times of demo events, relative to an anchor date: office hours and the weekly meeting."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

MEETING_WEEKDAY = 3  # Thursday
MEETING_START = time(10, 0)
MEETING_MINUTES = 90


@dataclass(frozen=True)
class Clock:
    """Every generated time lies before ``limit``: 07:00 local time on the anchor date."""

    today: date
    zone: ZoneInfo

    @cached_property
    def limit(self) -> datetime:
        return self.at(self.today, time(7, 0))

    def at(self, day: date, clock_time: time) -> datetime:
        """Return the UTC moment of a local date and time."""
        return datetime.combine(day, clock_time, tzinfo=self.zone).astimezone(UTC)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def office_time(self, rng: random.Random, day: date) -> datetime:
        """Return a moment during office hours (08:00 to 18:00) on ``day``."""
        seconds = int(rng.random() * 10 * 3600)
        return self.at(day, time(8 + seconds // 3600, seconds // 60 % 60, seconds % 60))

    def meeting_time(self, rng: random.Random, day: date) -> datetime:
        """Return a moment during the meeting held on ``day``."""
        seconds = int(rng.random() * MEETING_MINUTES * 60)
        return self.at(day, MEETING_START) + timedelta(seconds=seconds)

    def creation(self, rng: random.Random, days_back: int, in_meeting: bool) -> datetime:
        """Return when an item raised ``days_back`` days before the anchor was created."""
        day = self.today - timedelta(days=max(days_back, 1))
        if in_meeting:
            day -= timedelta(days=(day.weekday() - MEETING_WEEKDAY) % 7)
            return self.meeting_time(rng, day)
        if day.weekday() >= 5:  # weekends: the Friday before
            day -= timedelta(days=day.weekday() - 4)
        return self.office_time(rng, day)

    def next_meeting(self, rng: random.Random, after: datetime) -> datetime | None:
        """Return a moment in the first meeting after ``after``, or None if it is not past yet."""
        day = self.local_date(after)
        day += timedelta(days=(MEETING_WEEKDAY - day.weekday()) % 7)
        if self.at(day, MEETING_START) <= after:
            day += timedelta(days=7)
        moment = self.meeting_time(rng, day)
        return moment if moment < self.limit else None

    def later(self, rng: random.Random, after: datetime, mean_days: float) -> datetime:
        """Return a moment about ``mean_days`` days after ``after`` and before the limit."""
        remaining = self.limit - after
        days = min(int(rng.expovariate(1 / mean_days)), remaining.days - 1)
        if days <= 0:
            return after + min(timedelta(minutes=rng.randint(5, 240)), remaining / 2)
        day = self.local_date(after) + timedelta(days=days)
        if day.weekday() >= 5 and days > 2:
            day -= timedelta(days=day.weekday() - 4)
        return self.office_time(rng, day)
