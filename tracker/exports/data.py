"""The plain data the exporters take: a meeting document and a series' calendar.

Built by ``tracker.meetings.documents`` with every label already translated; nothing here
touches the database, so the exporters stay pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

DocumentKind = Literal["agenda", "minutes"]


@dataclass(frozen=True)
class TaskLine:
    title: str
    owner: str
    due: date | None
    due_text: str
    done: bool


@dataclass(frozen=True)
class Point:
    """One TOP: an agenda entry with everything an export shows about it."""

    number: int
    label: str
    title: str
    company: str = ""
    details: tuple[str, ...] = ()
    carried_over: int = 0
    carried_over_text: str = ""
    last_discussed_on: date | None = None
    last_discussed_text: str = ""
    stale: bool = False
    hidden: bool = False
    standing: bool = False
    discussed: bool = False
    note: str = ""
    decision: str = ""
    tasks: tuple[TaskLine, ...] = ()
    note_label: str = ""
    decision_label: str = ""

    @property
    def facts(self) -> list[str]:
        """Kind, status, reason and history, in the order every export prints them."""
        texts = (*self.details, self.carried_over_text, self.last_discussed_text)
        return [text for text in texts if text]


@dataclass(frozen=True)
class Section:
    """Consecutive TOPs under one heading: a responsible network, or none for topics."""

    heading: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Labels:
    document: str
    draft: str
    cancelled: str
    date: str
    time: str
    video: str
    present: str
    absent: str
    company: str
    outcome: str
    decision: str
    task: str
    owner: str
    due: str
    discussed: str
    not_discussed: str
    stale: str
    done: str
    empty: str
    page: tuple[str, str, str]


@dataclass(frozen=True)
class MeetingDocument:
    kind: DocumentKind
    meeting_id: int
    revision: int
    locale: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    date_text: str
    time_text: str
    video_link: str
    draft: bool
    cancelled: bool
    labels: Labels
    sections: tuple[Section, ...] = ()
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()

    @property
    def is_minutes(self) -> bool:
        return self.kind == "minutes"

    @property
    def points(self) -> list[Point]:
        return [point for section in self.sections for point in section.points]

    @property
    def filename_stem(self) -> str:
        return f"{self.labels.document}-{self.starts_at:%Y-%m-%d}"


@dataclass(frozen=True)
class SeriesData:
    """A meeting series: its weekly rule and where the call takes place."""

    id: int
    name: str
    weekday: int
    start_time: time
    duration_minutes: int
    timezone: str
    video_link: str
    active: bool
    next_start: datetime


@dataclass(frozen=True)
class MeetingTime:
    """When one meeting of a series takes place, in the series' time zone."""

    id: int
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
