"""The mails about one's own account: the password reset link."""

from __future__ import annotations

from flask import url_for

from tracker import events
from tracker.auth import passwords
from tracker.auth.models import User
from tracker.db import db
from tracker.i18n import _, _l
from tracker.mail import compose, kinds, outbox


def _on_reset_requested(user: User, **_values) -> None:
    outbox.enqueue("password_reset", user=user, about=f"user:{user.id}")


def build_password_reset(message) -> compose.Mail | None:
    """The link is made at delivery: valid for an hour from then, and never stored."""
    user = db.session.get(User, message.user_id)
    link = url_for("auth.reset_password", token=passwords.reset_token(user), _external=True)
    subject = _("Set a new password for the needs register")
    return compose.render("password_reset", subject, user=user, link=link)


def init_app(app) -> None:
    kinds.register("password_reset", build_password_reset, label=_l("Password reset"))
    events.password_reset_requested.connect(_on_reset_requested)
