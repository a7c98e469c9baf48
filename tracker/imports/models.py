"""What the office chose in an import's dry run, remembered for the next import."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import db, utcnow
from tracker.networks.models import Network
from tracker.topics.models import Topic


class ValueMapping(db.Model):
    """A cell value the register did not know, and the network or topic it stands for."""

    __tablename__ = "import_value_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "network" or "topic"
    value_key: Mapped[str] = mapped_column(String(200))  # the value folded (mapping.normalise)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    network: Mapped[Network | None] = relationship()
    topic: Mapped[Topic | None] = relationship()

    __table_args__ = (UniqueConstraint("kind", "value_key"),)
