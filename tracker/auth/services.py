"""Users: creating, editing, passwords, login and the per-user session token."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.audit import services as audit
from tracker.auth.models import User, UserRole, new_session_token
from tracker.auth.passwords import check_password_rules
from tracker.db import db, utcnow
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.networks.models import Network
from tracker.versioning import check_version, flush_or_conflict

# Checked against every password so that an unknown e-mail costs the same time as a wrong one.
_DUMMY_HASH: dict[str, str] = {}


def hash_password(password: str) -> str:
    """Hash with the configured key-derivation function (pbkdf2:sha256, 600,000 rounds)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = find_user_by_email(email)
    if user is None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        dummy = _DUMMY_HASH.setdefault(method, generate_password_hash("x", method=method))
        check_password_hash(dummy, password or "")
        audit.record("login_failed", subject=normalise_email(email), reason="unknown account")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        reason = "wrong password" if user.active else "deactivated"
        audit.record("login_failed", actor=user, subject=user.email, reason=reason)
        return None
    user.last_login_at = utcnow()
    audit.record("login", actor=user, subject=user.email)
    return user


def _check_role_network(role: UserRole, network: Network | None) -> None:
    if role is UserRole.MANAGER and network is None:
        raise ValidationFailed(_("A network manager needs a network."), field="network")


def create_user(
    *,
    actor: User | None,
    email: str,
    name: str,
    password: str,
    role: UserRole,
    network: Network | None = None,
    locale: str | None = None,
) -> User:
    """Create a user. ``actor`` None means the command line, which may create the first admin."""
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(_("Only the coordination office manages users."))
    email = normalise_email(email)
    if "@" not in email:
        raise ValidationFailed(_("Please give a valid e-mail address."), field="email")
    if find_user_by_email(email):
        raise ValidationFailed(_("A user with this e-mail address exists already."), field="email")
    if not (name or "").strip():
        raise ValidationFailed(_("A name is required."), field="name")
    check_password_rules(password, email, name)
    _check_role_network(role, network)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        network=network,
        locale=locale,
    )
    db.session.add(user)
    audit.record("user_created", actor=actor, subject=email, role=role)
    db.session.flush()
    return user


def update_user(user: User, *, actor: User, expected_version: int | None, **changes: Any) -> None:
    """Change a user's name, e-mail, role, network or active flag (admins)."""
    if not actor.is_admin:
        raise PermissionDenied(_("Only the coordination office manages users."))
    check_version(user, expected_version)
    if user.id == actor.id and (
        changes.get("active") is False or changes.get("role", UserRole.ADMIN) is not UserRole.ADMIN
    ):
        raise ValidationFailed(_("You cannot remove your own admin access."), field="role")
    if "email" in changes:
        email = normalise_email(changes["email"])
        other = find_user_by_email(email)
        if other is not None and other.id != user.id:
            raise ValidationFailed(
                _("A user with this e-mail address exists already."), field="email"
            )
        user.email = email
    for field in ("name", "role", "network", "active"):
        if field in changes and getattr(user, field) != changes[field]:
            if field in ("role", "active"):
                audit.record(
                    f"user_{field}_changed",
                    actor=actor,
                    subject=user.email,
                    old=getattr(user, field),
                    new=changes[field],
                )
            setattr(user, field, changes[field])
    _check_role_network(user.role, user.network)
    if changes.get("active") is False:
        user.session_token = new_session_token()
    flush_or_conflict(user, expected_version)


def set_password(user: User, password: str, *, current_password: str | None = None) -> None:
    """Set a new password; ends every other session of the user."""
    if current_password is not None and not check_password_hash(
        user.password_hash, current_password
    ):
        raise ValidationFailed(_("The current password is not correct."), field="current_password")
    check_password_rules(password, user.email, user.name)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    audit.record("password_changed", actor=user, subject=user.email)
    db.session.flush()


def end_all_sessions(user: User) -> None:
    """Log the user out everywhere by changing the token the sessions carry."""
    user.session_token = new_session_token()
    audit.record("logout_everywhere", actor=user, subject=user.email)
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    """Remember the user's language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationFailed(_("Unknown language."), field="locale")
    user.locale = locale
    db.session.flush()


def load_user(token: str) -> User | None:
    """Flask-Login's user loader: by session token, active users only."""
    return db.session.scalar(select(User).where(User.session_token == token, User.active))


def managers_of(network_id: int | None) -> list[User]:
    """Active managers of a network, by name."""
    if network_id is None:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.network_id == network_id, User.role == UserRole.MANAGER, User.active)
            .order_by(User.name)
        )
    )
