"""Personal API tokens: stored as a digest, shown once, with a scope and an expiry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import limits
from tracker.auth.models import User
from tracker.db import LabelledEnum, db, enum_type, utcnow
from tracker.i18n import _l


class TokenScope(LabelledEnum):
    READ = "read"
    WRITE = "write"

    @classmethod
    def labels(cls) -> dict:
        return {cls.READ: _l("Read"), cls.WRITE: _l("Read and write")}


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), info=limits.typed())
    prefix: Mapped[str] = mapped_column(String(12))  # the token's start, to recognise it
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the token
    scope: Mapped[TokenScope] = mapped_column(enum_type(TokenScope), default=TokenScope.READ)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship(lazy="joined")

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now and self.user.active
