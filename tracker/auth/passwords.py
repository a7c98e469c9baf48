"""Password rules and reset tokens."""

from __future__ import annotations

import hashlib
from functools import cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from tracker.auth.models import User
from tracker.db import db
from tracker.exceptions import ValidationFailed
from tracker.i18n import _

RESET_SALT = "password-reset"


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords (from zxcvbn's frequency lists)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # 13 MB: loaded when a password is set

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password_rules(password: str, *personal: str) -> None:
    """At least the configured length, not a common password, not the user's e-mail or name."""
    password = password or ""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise ValidationFailed(
            _("The password needs at least %(n)d characters.", n=minimum), field="password"
        )
    lowered = password.lower()
    if lowered in common_passwords() or lowered in {p.lower() for p in personal if p}:
        raise ValidationFailed(
            _("This password is too common. Please choose another one."), field="password"
        )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    # Changes with every new password: a used token is worthless afterwards.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    """A time-limited, single-use token for setting a new password."""
    return _serializer().dumps({"user": user.id, "fp": _fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The user the token was made for, if it is unexpired and unused."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except BadSignature:
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        return None
    return user
