"""Calendar periods of the dashboards: local days and ISO weeks turned into UTC instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker import clock


def local_start(day: date) -> datetime:
    """The moment local midnight begins ``day`` (aware; stored columns compare in UTC)."""
    return clock.at(day)


@dataclass(frozen=True)
class Period:
    """Local calendar days from ``first`` to ``last``, both included."""

    first: date
    last: date

    @classmethod
    def last_days(cls, days: int, today: date) -> Period:
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        return local_start(self.first)

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        return local_start(self.last + timedelta(days=1))

    def created_args(self) -> dict[str, str]:
        """Register-list arguments for items created in the period."""
        return {"created_from": self.first.isoformat(), "created_to": self.last.isoformat()}

    def closed_args(self) -> dict[str, str]:
        """Register-list arguments for items closed in the period."""
        return {"closed_from": self.first.isoformat(), "closed_to": self.last.isoformat()}


def weeks(today: date, count: int = 12) -> list[Period]:
    """The last ``count`` ISO weeks (Monday to Sunday), oldest first; the last holds ``today``."""
    monday = today - timedelta(days=today.weekday())
    return [
        Period(monday - timedelta(weeks=n), monday - timedelta(weeks=n) + timedelta(days=6))
        for n in range(count - 1, -1, -1)
    ]
