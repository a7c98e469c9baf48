"""Settings the coordination office changes in the app (not in the deployment's config).

Each setting has a default from the config; a stored value overrides it. Changes are audited.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.audit import services as audit
from tracker.db import db, utcnow

# Setting name -> the config key that gives its default.
FACTORS_FOR_MANAGERS = "factors_required_for_managers"
DEFAULTS = {FACTORS_FOR_MANAGERS: "MFA_REQUIRED_FOR_MANAGERS"}


class Setting(db.Model):
    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


def flag(name: str) -> bool:
    """The setting's value: stored by the office, else the config's default."""
    stored = db.session.get(Setting, name)
    if stored is not None:
        return stored.value == "1"
    return bool(current_app.config[DEFAULTS[name]])


def set_flag(name: str, value: bool, *, actor) -> bool:
    """Store the office's choice; returns whether it changed. The caller commits."""
    if name not in DEFAULTS:
        raise KeyError(name)
    before = flag(name)
    stored = db.session.get(Setting, name) or Setting(name=name)
    stored.value = "1" if value else "0"
    stored.updated_by_id = actor.id
    db.session.add(stored)
    if before != value:
        audit.record("setting_changed", actor=actor, subject=name, value=value)
    return before != value
