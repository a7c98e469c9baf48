"""What the office chose in an import's dry run, remembered for the next import."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
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


class ImportRun(db.Model):
    """A web import as every app process sees it: how far it is, and what it made.

    The process that runs it keeps the whole result in memory (tracker/imports/jobs.py);
    another process, where the progress page's next request may land, reads this row.
    """

    __tablename__ = "import_runs"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200), default="")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    problems: Mapped[int] = mapped_column(default=0)
    finished: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str] = mapped_column(Text, default="")
    # JSON: {"created": [ids], "updated": [ids], "problems": [[row, column, message]]}
    result: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
