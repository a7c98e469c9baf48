"""Member networks of the initiative."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker import limits
from tracker.db import db, utcnow


class Network(db.Model):
    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, info=limits.typed())
    short_name: Mapped[str] = mapped_column(String(40), unique=True, info=limits.typed())
    description: Mapped[str] = mapped_column(
        Text, default="", info=limits.typed(limits.NETWORK_DESCRIPTION)
    )
    website: Mapped[str] = mapped_column(String(300), default="", info=limits.typed())
    # Other names people write for the network, one a line ("Energie-Netzwerk"): the import
    # matches them like the name and the short name.
    aliases: Mapped[str] = mapped_column(Text, default="", server_default="")
    roll_call_position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.short_name

    @property
    def alias_list(self) -> list[str]:
        """The aliases, one per line, without blanks."""
        return [line.strip() for line in (self.aliases or "").splitlines() if line.strip()]
