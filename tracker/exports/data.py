"""The plain data the exporters take: a meeting document and a series' calendar.

Built by ``tracker.meetings.documents`` with every label already translated; nothing here
touches the database, so the exporters stay pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

DocumentKind = Literal["agenda", "minutes"]
# distribution: every confidential item is a placeholder, for every reader (the copy to send);
# internal: each reader sees what they may see (tracker/items/permissions.py).
Variant = Literal["distribution", "internal"]
VARIANTS: tuple[Variant, ...] = ("distribution", "internal")


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
class Decision:
    """A decision of the meeting for the summary: which TOP, and what was decided."""

    label: str
    title: str
    text: str


@dataclass(frozen=True)
class OwnerTask:
    """A task in the summary, listed under its owner: what, for which TOP, by when."""

    title: str
    point: str
    due: date | None
    due_text: str
    done: bool


@dataclass(frozen=True)
class OwnerTasks:
    owner: str
    tasks: tuple[OwnerTask, ...]


@dataclass(frozen=True)
class Deferred:
    """A TOP not discussed, in the compact list "vertagt": its number, title and why."""

    label: str
    title: str
    reason: str


@dataclass(frozen=True)
class MinutesLabels:
    persons: str
    decisions: str
    tasks: str
    discussed: str
    deferred: str
    no_decisions: str
    no_tasks: str
    nothing_discussed: str


@dataclass(frozen=True)
class Minutes:
    """What the minutes add to the document: the summary of the first page and "vertagt".

    Every renderer prints, in this order: the header (date, networks present and absent,
    persons), ``decisions``, ``tasks`` by owner; then the document's ``sections`` (the
    discussed TOPs, and standing topics with something recorded, in agenda order); then
    ``deferred``.
    """

    labels: MinutesLabels
    persons: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()
    tasks: tuple[OwnerTasks, ...] = ()
    deferred: tuple[Deferred, ...] = ()


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
    variant: Variant = "internal"
    # The copy's mark under the title: for the distribution list, or internal.
    copy_text: str = ""
    # The word in the file name of internal minutes ("intern"): a forwarded file says so.
    internal_stem: str = ""
    minutes: Minutes | None = None

    @property
    def is_minutes(self) -> bool:
        return self.kind == "minutes"

    @property
    def points(self) -> list[Point]:
        return [point for section in self.sections for point in section.points]

    @property
    def filename_stem(self) -> str:
        internal = self.is_minutes and self.variant == "internal"
        part = f"-{self.internal_stem}" if internal else ""
        return f"{self.labels.document}{part}-{self.starts_at:%Y-%m-%d}"


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
