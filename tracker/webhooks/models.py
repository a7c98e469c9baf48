"""Webhook endpoints registered by the office, and the deliveries queued for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import LabelledEnum, db, enum_type, utcnow
from tracker.i18n import _l

URL_MAX = 500
DESCRIPTION_MAX = 200


class DeliveryStatus(LabelledEnum):
    QUEUED = "queued"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a worker until ``claimed_until``
    DELIVERED = "delivered"  # the endpoint answered 2xx
    FAILED = "failed"  # out of attempts, or the address was refused
    SKIPPED = "skipped"  # the endpoint was disabled before the attempt

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.QUEUED: _l("Queued"),
            cls.SENDING: _l("Sending"),
            cls.DELIVERED: _l("Delivered"),
            cls.FAILED: _l("Failed"),
            cls.SKIPPED: _l("Skipped"),
        }


class WebhookEndpoint(db.Model):
    """A URL that receives the events it subscribed to, signed with its secret."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_MAX))
    description: Mapped[str] = mapped_column(String(DESCRIPTION_MAX), default="")
    events: Mapped[list] = mapped_column(JSON, default=list)  # event types, e.g. "item.created"
    # The signing key must be readable to sign with it; it is shown once, then never again.
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class WebhookDelivery(db.Model):
    """One event for one endpoint: the payload as it was when the event happened."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    event_type: Mapped[str] = mapped_column(String(40))
    message_id: Mapped[str] = mapped_column(String(60), unique=True)  # the webhook-id header
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_type(DeliveryStatus), default=DeliveryStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(String(500), default="")
    response_status: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column()

    endpoint: Mapped[WebhookEndpoint] = relationship()
