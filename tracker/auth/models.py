"""Users and their roles."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import limits
from tracker.db import LabelledEnum, db, enum_type, utcnow
from tracker.i18n import _l

if TYPE_CHECKING:
    from tracker.networks.models import Network


class UserRole(LabelledEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    OBSERVER = "observer"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.ADMIN: _l("Coordination office"),
            cls.MANAGER: _l("Network manager"),
            cls.OBSERVER: _l("Observer"),
        }


def new_session_token() -> str:
    """Return a fresh random token; changing it ends every session of the user."""
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), info=limits.typed())
    password_hash: Mapped[str] = mapped_column(String(400))
    role: Mapped[UserRole] = mapped_column(enum_type(UserRole), default=UserRole.MANAGER)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    # Secret part of the URL of the user's calendar feed; None means no feed.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    network: Mapped[Network | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def get_id(self) -> str:
        # Flask-Login stores this in the session; rotating it logs the user out everywhere.
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role is UserRole.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role is UserRole.MANAGER

    @property
    def is_observer(self) -> bool:
        return self.role is UserRole.OBSERVER

    def __str__(self) -> str:
        return self.name


class UserSession(db.Model):
    """One login: the cookie carries its key, the row holds the key's digest.

    Logout deletes the row, so a copy of the cookie taken before is worth nothing.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LoginAttempt(db.Model):
    """A failed login or a reset request, counted for the login limits by every worker."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_kind_address_account", "kind", "address", "account"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "login_failed" or "reset_requested"
    # A keyed digest of the typed e-mail address: never the typed text (it may be a password).
    account: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
