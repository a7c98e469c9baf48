"""Items (Anliegen), their topics, reference counters and activity timeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import limits
from tracker.auth.models import User
from tracker.companies.models import Company, Contact
from tracker.db import LabelledEnum, db, enum_type, utcnow
from tracker.i18n import _l
from tracker.networks.models import Network
from tracker.topics.models import Topic

if TYPE_CHECKING:
    from tracker.meetings.models import Meeting


class ItemKind(LabelledEnum):
    NEED = "need"
    REQUEST = "request"
    WISH = "wish"

    @classmethod
    def labels(cls) -> dict:
        return {cls.NEED: _l("Need"), cls.REQUEST: _l("Request"), cls.WISH: _l("Wish")}


class ItemStatus(LabelledEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    DONE = "done"
    DECLINED = "declined"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.NEW: _l("New"),
            cls.ASSIGNED: _l("Awaiting acceptance"),
            cls.IN_PROGRESS: _l("In progress"),
            cls.WAITING: _l("Waiting"),
            cls.DONE: _l("Done"),
            cls.DECLINED: _l("Declined"),
        }

    @classmethod
    def open_statuses(cls) -> tuple[ItemStatus, ...]:
        return (cls.NEW, cls.ASSIGNED, cls.IN_PROGRESS, cls.WAITING)

    @property
    def is_open(self) -> bool:
        return self in self.open_statuses()


class Priority(LabelledEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.LOW: _l("Low"),
            cls.NORMAL: _l("Normal"),
            cls.HIGH: _l("High"),
            cls.URGENT: _l("Urgent"),
        }


class ItemSource(LabelledEnum):
    MEETING = "meeting"
    PHONE = "phone"
    MAIL = "mail"
    EVENT = "event"
    VISIT = "visit"
    OTHER = "other"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.MEETING: _l("Meeting"),
            cls.PHONE: _l("Phone"),
            cls.MAIL: _l("E-mail"),
            cls.EVENT: _l("Event"),
            cls.VISIT: _l("Company visit"),
            cls.OTHER: _l("Other"),
        }


item_topics = Table(
    "item_topics",
    db.metadata,
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id"), primary_key=True, index=True),
)


class ReferenceCounter(db.Model):
    """The last reference number handed out per year; numbers are never reused."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)


class Item(db.Model):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[ItemKind] = mapped_column(enum_type(ItemKind), index=True)
    title: Mapped[str] = mapped_column(String(300), info=limits.typed())
    description: Mapped[str] = mapped_column(
        Text, default="", info=limits.typed(limits.DESCRIPTION)
    )
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    priority: Mapped[Priority] = mapped_column(enum_type(Priority), default=Priority.NORMAL)
    reporting_network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"), index=True)
    responsible_network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id"))
    # The network that handed the item off; it gets the item back when the hand-off is returned.
    handoff_from_network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[ItemSource] = mapped_column(enum_type(ItemSource), default=ItemSource.MEETING)
    source_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    follow_up_date: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[ItemStatus] = mapped_column(enum_type(ItemStatus), default=ItemStatus.NEW)
    resolution_note: Mapped[str] = mapped_column(Text, default="", info=limits.typed(limits.NOTE))
    confidential: Mapped[bool] = mapped_column(default=False)
    for_next_meeting: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    accepted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The imported row this item came from: ``import_key`` names the row (the file's running
    # number, else company, title and date), ``import_digest`` fingerprints all its cells, so
    # that a re-import skips unchanged rows and updates corrected ones. ``import_version`` is
    # the item's version right after the import: a higher version was changed in the app.
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    import_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    import_file: Mapped[str | None] = mapped_column(String(200))
    import_row: Mapped[int | None]
    import_version: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    # "unnested": below an outer join (AgendaEntry.item, Task.item) a LEFT JOIN, not a nested
    # "LEFT JOIN (items JOIN companies)" that SQLite answers by materialising every item.
    company: Mapped[Company] = relationship(lazy="joined", innerjoin="unnested")
    contact: Mapped[Contact | None] = relationship()
    reporting_network: Mapped[Network] = relationship(
        foreign_keys=[reporting_network_id], lazy="joined", innerjoin="unnested"
    )
    responsible_network: Mapped[Network | None] = relationship(
        foreign_keys=[responsible_network_id], lazy="joined"
    )
    handoff_from_network: Mapped[Network | None] = relationship(
        foreign_keys=[handoff_from_network_id]
    )
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    source_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[source_meeting_id])
    topics: Mapped[list[Topic]] = relationship(
        secondary=item_topics, order_by="Topic.name", lazy="selectin"
    )
    activities: Mapped[list[Activity]] = relationship(
        back_populates="item", order_by="Activity.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_items_status_follow_up", "status", "follow_up_date"),
        # The overview's counts of open items by network and status read only this index.
        Index(
            "ix_items_status_responsible",
            "status",
            "responsible_network_id",
            "follow_up_date",
            "created_at",
        ),
        Index("ix_items_closed_at", "closed_at"),
        # The overview's open items per age bucket: a range per status, read from the index.
        Index("ix_items_status_created", "status", "created_at"),
        # Covering indexes: the register's count and page of ids, and the start page's lists,
        # read only the index (the visibility rule's columns are in it).
        Index(
            "ix_items_status_visible",
            "status",
            "confidential",
            "reporting_network_id",
            "responsible_network_id",
        ),
        Index(
            "ix_items_responsible_status",
            "responsible_network_id",
            "status",
            "follow_up_date",
            "confidential",
            "reporting_network_id",
        ),
        Index("ix_items_assignee_status", "assignee_id", "status", "follow_up_date"),
    )

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def is_overdue(self, today: date) -> bool:
        """Open and its follow-up date lies before ``today``."""
        return self.is_open and self.follow_up_date is not None and self.follow_up_date < today

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class SavedView(db.Model):
    """A named filter of the register list, private or shared with everyone."""

    __tablename__ = "saved_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    owner: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}


class ActivityKind(LabelledEnum):
    CREATED = "created"
    COMMENT = "comment"
    CHANGE = "change"
    STATUS = "status"
    HANDOFF = "handoff"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    DISCUSSED = "discussed"
    RELATED = "related"  # new_value: "<relation kind>:<other item's reference>"
    UNRELATED = "unrelated"
    MERGED = "merged"  # new_value: the other item's reference; field: "into" or "from"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.RELATED: _l("linked the item"),
            cls.UNRELATED: _l("removed a link"),
            cls.MERGED: _l("merged"),
            cls.CREATED: _l("created the item"),
            cls.COMMENT: _l("commented"),
            cls.CHANGE: _l("changed"),
            cls.STATUS: _l("changed the status"),
            cls.HANDOFF: _l("handed the item off"),
            cls.ACCEPTED: _l("accepted the hand-off"),
            cls.RETURNED: _l("returned the hand-off"),
            cls.DISCUSSED: _l("recorded the meeting's outcome"),
        }


class Activity(db.Model):
    """One entry of an item's timeline: a comment or one recorded change."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[ActivityKind] = mapped_column(enum_type(ActivityKind))
    field: Mapped[str | None] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="", info=limits.typed(limits.ACTIVITY))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    item_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[Item] = relationship(back_populates="activities")
    actor: Mapped[User | None] = relationship(lazy="joined")
    meeting: Mapped[Meeting | None] = relationship(lazy="joined")


class ItemFollow(db.Model):
    """A person's own choice about following an item: ``following`` on, or off where their
    network's managers follow it by default (tracker/items/following.py)."""

    __tablename__ = "item_follows"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    following: Mapped[bool] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RelationKind(LabelledEnum):
    """How one item (the source) stands to another (the target)."""

    RELATED = "related"
    DUPLICATE = "duplicate"  # the source is a duplicate of the target
    FOLLOWS = "follows"  # the source follows from the target

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.RELATED: _l("related to"),
            cls.DUPLICATE: _l("duplicate of"),
            cls.FOLLOWS: _l("follows from"),
        }

    @property
    def reverse_label(self):
        """How the target names the relation."""
        return {
            RelationKind.RELATED: _l("related to"),
            RelationKind.DUPLICATE: _l("has the duplicate"),
            RelationKind.FOLLOWS: _l("led to"),
        }[self]


class ItemRelation(db.Model):
    """A link between two items, shown on both."""

    __tablename__ = "item_relations"
    __table_args__ = (UniqueConstraint("source_id", "target_id", name="uq_item_relations_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RelationKind] = mapped_column(enum_type(RelationKind))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    source: Mapped[Item] = relationship(foreign_keys=[source_id])
    target: Mapped[Item] = relationship(foreign_keys=[target_id])
