"""The outbox, the recipients' mail preferences, notes waiting for the digest, bounces."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker import limits
from tracker.db import LabelledEnum, db, enum_type, utcnow
from tracker.i18n import _l


class MessageStatus(LabelledEnum):
    QUEUED = "queued"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a sender until ``claimed_until``
    SENT = "sent"
    FAILED = "failed"  # refused by the server, or out of attempts; the office may resend
    SKIPPED = "skipped"  # nothing left to say at delivery (recipient gone, nothing visible)

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.QUEUED: _l("Queued"),
            cls.SENDING: _l("Sending"),
            cls.SENT: _l("Sent"),
            cls.FAILED: _l("Failed"),
            cls.SKIPPED: _l("Skipped"),
        }


class OutboxMessage(db.Model):
    """One mail to one recipient: what to say (kind and parameters), not yet how.

    The text is rendered at delivery, in the recipient's language and with what they may
    see then. ``dedupe_key`` makes a message that must exist once (a week's digest, a
    follow-up reminder of a day) idempotent; ``about`` names the record it concerns
    ("meeting:12") for the pages that list what was sent about it.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    address: Mapped[str] = mapped_column(String(limits.EMAIL))
    name: Mapped[str] = mapped_column(String(limits.NAME), default="")
    locale: Mapped[str] = mapped_column(String(8))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    about: Mapped[str | None] = mapped_column(String(60), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    status: Mapped[MessageStatus] = mapped_column(
        enum_type(MessageStatus), default=MessageStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(String(500), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")  # as sent, for the queue page
    message_id: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class Delivery(LabelledEnum):
    """How a user wants one kind of notification."""

    IMMEDIATELY = "immediately"
    DIGEST = "digest"
    OFF = "off"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.IMMEDIATELY: _l("Immediately"),
            cls.DIGEST: _l("In the weekly digest"),
            cls.OFF: _l("Off"),
        }


class MailPreference(db.Model):
    """A user's choice for one topic; a topic without a row has its default."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(enum_type(Delivery))


class DigestNote(db.Model):
    """A notification its recipient wants in the weekly digest, kept until the digest goes."""

    __tablename__ = "digest_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MailBounce(db.Model):
    """An address the mail server refused permanently (5xx), for the office to correct."""

    __tablename__ = "mail_bounces"

    address: Mapped[str] = mapped_column(String(limits.EMAIL), primary_key=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    count: Mapped[int] = mapped_column(default=1)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)
