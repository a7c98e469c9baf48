"""Meeting series, meetings, their agenda entries, attendance and tasks."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import limits
from tracker.auth.models import User
from tracker.db import LabelledEnum, db, enum_type, utcnow
from tracker.i18n import _l
from tracker.items.models import Item, ItemStatus
from tracker.networks.models import Network


class MeetingStatus(LabelledEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PLANNED: _l("Planned"),
            cls.IN_PROGRESS: _l("Running"),
            cls.CLOSED: _l("Closed"),
            cls.CANCELLED: _l("Cancelled"),
        }

    @classmethod
    def open_statuses(cls) -> tuple[MeetingStatus, ...]:
        """A meeting is open until it is closed or cancelled: its agenda may change."""
        return (cls.PLANNED, cls.IN_PROGRESS)


class EntryKind(LabelledEnum):
    STANDING = "standing"
    ITEM = "item"
    FREE = "free"

    @classmethod
    def labels(cls) -> dict:
        return {cls.STANDING: _l("Standing topic"), cls.ITEM: _l("Item"), cls.FREE: _l("Topic")}


class EntryReason(LabelledEnum):
    """Why an entry is on the agenda: the rules of DESIGN.md 4, in their order.

    ``LAPSED``: the item qualified when it was put on the agenda, and no rule applies any
    more (a hand-off accepted, a follow-up moved on); a refresh keeps the entry.
    """

    STANDING = "standing"
    NEW = "new"
    FOLLOW_UP = "follow_up"
    CARRY_OVER = "carry_over"
    FLAGGED = "flagged"
    HANDOFF = "handoff"
    MANUAL = "manual"
    LAPSED = "lapsed"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.STANDING: _l("standing topic"),
            cls.NEW: _l("new since the last meeting"),
            cls.FOLLOW_UP: _l("follow-up due"),
            cls.CARRY_OVER: _l("carried over"),
            cls.FLAGGED: _l("flagged for this meeting"),
            cls.HANDOFF: _l("hand-off awaiting acceptance"),
            cls.MANUAL: _l("added by hand"),
            cls.LAPSED: _l("reason no longer applies"),
        }


series_networks = Table(
    "series_networks",
    db.metadata,
    Column("series_id", ForeignKey("meeting_series.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("networks.id"), primary_key=True),
    Column("position", db.Integer, nullable=False, default=0),
)


class MeetingSeries(db.Model):
    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, info=limits.typed())
    weekday: Mapped[int] = mapped_column(default=3)  # Monday = 0, Thursday = 3
    start_time: Mapped[time] = mapped_column(default=time(10, 0))
    duration_minutes: Mapped[int] = mapped_column(default=90)
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/Berlin")
    video_link: Mapped[str] = mapped_column(String(500), default="", info=limits.typed())
    standing_topics_start: Mapped[str] = mapped_column(
        Text, default="", info=limits.typed(limits.STANDING_TOPICS)
    )
    standing_topics_end: Mapped[str] = mapped_column(
        Text, default="", info=limits.typed(limits.STANDING_TOPICS)
    )
    active: Mapped[bool] = mapped_column(default=True)
    # Minutes each network has in the roll call of the live meeting.
    timebox_minutes: Mapped[int] = mapped_column(default=3, server_default="3")
    # The secret part of the feed's address for calendar apps (no login); None: no address.
    feed_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    @property
    def topics_at_start(self) -> list[str]:
        return self._lines(self.standing_topics_start)

    @property
    def topics_at_end(self) -> list[str]:
        return self._lines(self.standing_topics_end)

    def __str__(self) -> str:
        return self.name


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("meeting_series.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int] = mapped_column(default=90)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus), default=MeetingStatus.PLANNED
    )
    video_link: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="", info=limits.typed(limits.MEETING_NOTES))
    agenda_prepared_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Bumped by every change of the agenda, entries, attendance or tasks: the live page polls it.
    revision: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=1)
    # Who steers the live meeting besides the coordination office (handed over by the office).
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The entry being discussed (no foreign key: entries and meetings would refer to each
    # other), and since when the roll call is at its network (the time box counts from it).
    current_entry_id: Mapped[int | None]
    current_network_since: Mapped[datetime | None]

    series: Mapped[MeetingSeries] = relationship(lazy="joined", innerjoin=True)
    entries: Mapped[list[AgendaEntry]] = relationship(
        back_populates="meeting", order_by="AgendaEntry.position", cascade="all, delete-orphan"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status in MeetingStatus.open_statuses()

    @property
    def is_closed(self) -> bool:
        """Held and closed: its minutes are frozen (a cancelled meeting is neither)."""
        return self.status is MeetingStatus.CLOSED

    def __str__(self) -> str:
        return f"{self.series.name} {self.starts_at:%Y-%m-%d}"


class AgendaEntry(db.Model):
    __tablename__ = "agenda_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[EntryKind] = mapped_column(enum_type(EntryKind))
    reason: Mapped[EntryReason] = mapped_column(enum_type(EntryReason))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id"))
    title: Mapped[str] = mapped_column(String(300), default="", info=limits.typed())
    carry_over_count: Mapped[int] = mapped_column(default=0)
    last_discussed_on: Mapped[date | None]
    removed: Mapped[bool] = mapped_column(default=False)
    deferred: Mapped[bool] = mapped_column(default=False)
    discussed: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="", info=limits.typed(limits.ENTRY_NOTE))
    decision: Mapped[str] = mapped_column(Text, default="", info=limits.typed(limits.ENTRY_NOTE))
    # The item's status when the meeting was closed: the minutes show it, not today's.
    status_at_close: Mapped[ItemStatus | None] = mapped_column(enum_type(ItemStatus))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # The meeting's revision at which this entry last changed: a live page that has seen a
    # later revision already shows it (tracker/meetings/live.py sets it).
    changed_revision: Mapped[int] = mapped_column(default=0, server_default="0")

    meeting: Mapped[Meeting] = relationship(back_populates="entries")
    item: Mapped[Item | None] = relationship(lazy="joined")
    network: Mapped[Network | None] = relationship(lazy="joined")
    updated_by: Mapped[User | None] = relationship()
    tasks: Mapped[list[Task]] = relationship(
        back_populates="entry", order_by="Task.id", lazy="selectin"
    )
    notes: Mapped[list[EntryNote]] = relationship(
        back_populates="entry",
        order_by="(EntryNote.created_at, EntryNote.id)",
        lazy="selectin",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_agenda_entries_meeting_position", "meeting_id", "position"),
        UniqueConstraint("meeting_id", "item_id", name="uq_agenda_entries_meeting_item"),
    )

    STALE_AFTER = 3

    @property
    def is_stale(self) -> bool:
        return self.carry_over_count >= self.STALE_AFTER

    @property
    def heading(self) -> str:
        return f"{self.item.reference} {self.item.title}" if self.item else self.title

    @property
    def item_status(self) -> ItemStatus | None:
        """The item's status as the agenda or minutes show it: frozen when the meeting closed."""
        if self.item is None:
            return None
        return self.status_at_close or self.item.status


class EntryNote(db.Model):
    """One person's note on an agenda entry: each writes their own, none replaces another's.

    The entry's ``note`` holds them merged ("Name: text", in order), as minutes and exports read it.
    """

    __tablename__ = "entry_notes"
    __table_args__ = (UniqueConstraint("entry_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_entries.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="", info=limits.typed(limits.ENTRY_NOTE))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    entry: Mapped[AgendaEntry] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class Attendance(db.Model):
    __tablename__ = "attendance"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"), primary_key=True)
    present: Mapped[bool] = mapped_column(default=True)

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    network: Mapped[Network] = relationship(lazy="joined")


class AttendanceReply(db.Model):
    """A network's answer to the agenda mail's "we attend" / "we cannot" link.

    A link is used once (``token_digest``); the latest answer sets the attendance.
    """

    __tablename__ = "attendance_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"))
    present: Mapped[bool] = mapped_column()
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    replied_at: Mapped[datetime] = mapped_column(default=utcnow)

    network: Mapped[Network] = relationship(lazy="joined")


class InformedRecipient(db.Model):
    """Someone without a login who gets a series' minutes (a steering group, a ministry)."""

    __tablename__ = "informed_recipients"
    __table_args__ = (UniqueConstraint("series_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), default="", info=limits.typed())
    email: Mapped[str] = mapped_column(String(limits.EMAIL), info=limits.typed())
    locale: Mapped[str] = mapped_column(String(8), default="de")


class Task(db.Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_entries.id", ondelete="SET NULL"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    title: Mapped[str] = mapped_column(String(300), info=limits.typed())
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_date: Mapped[date | None]
    done_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    entry: Mapped[AgendaEntry | None] = relationship(back_populates="tasks")
    meeting: Mapped[Meeting | None] = relationship()
    item: Mapped[Item | None] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.done_at is None
