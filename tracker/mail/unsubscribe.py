"""Signed one-click unsubscribe links (RFC 8058): one user, one topic, no login needed."""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from tracker.auth.models import User
from tracker.db import db

_SALT = "mail-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def token(user: User, topic: str) -> str:
    return _serializer().dumps([user.id, topic])


def link(user: User, topic: str) -> str:
    """The absolute address of the unsubscribe page for ``topic`` (needs a request context)."""
    return url_for("mail.unsubscribe_page", token=token(user, topic), _external=True)


def resolve(value: str) -> tuple[User, str] | None:
    """The user and topic of a valid token, or None (tampered, unknown user, unknown topic)."""
    from tracker.mail.preferences import TOPICS

    try:
        user_id, topic = _serializer().loads(value)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or topic not in TOPICS:
        return None
    user = db.session.get(User, user_id)
    return (user, topic) if user is not None else None
