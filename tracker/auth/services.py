"""Users: creating, editing, passwords, login and the per-user session token."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import events
from tracker.audit import services as audit
from tracker.auth.models import User, UserRole, UserSession, new_session_token
from tracker.auth.passwords import check_password_rules
from tracker.db import db, utcnow
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.versioning import check_version, flush_or_conflict

if TYPE_CHECKING:  # annotations only: at run time the networks package uses users, not back
    from tracker.networks.models import Network

# Checked against every password so that an unknown e-mail costs the same time as a wrong one.
_DUMMY_HASH: dict[str, str] = {}


def hash_password(password: str) -> str:
    """Hash with the configured key-derivation function (pbkdf2:sha256, 600,000 rounds)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def _dummy_hash() -> str:
    """A hash made once per method: checking it costs what checking a real one costs."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASH:  # not setdefault(): that would hash on every call
        _DUMMY_HASH[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return _DUMMY_HASH[method]


@dataclass(frozen=True)
class LoginCheck:
    """The outcome of checking credentials: the account the address names, and any failure."""

    account: User | None
    failure: str | None = None  # "unknown account", "wrong password", "deactivated"


def check_login(email: str, password: str) -> LoginCheck:
    """Check credentials with one password hash whatever the account; write nothing."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return LoginCheck(None, "unknown account")
    if not check_password_hash(user.password_hash, password or ""):
        return LoginCheck(user, "wrong password")
    if not user.active:
        return LoginCheck(user, "deactivated")
    return LoginCheck(user)


def record_login(user: User, **details: Any) -> None:
    """Note a successful login (time and audit entry, with how the user logged in)."""
    user.last_login_at = utcnow()
    audit.record("login", actor=user, subject=user.email, **details)


def _check_role_network(role: UserRole, network: Network | None) -> None:
    if role is UserRole.MANAGER and network is None:
        raise ValidationFailed(_("A network manager needs a network."), field="network")


def create_user(
    *,
    actor: User | None,
    email: str,
    name: str,
    password: str | CheckedPassword,
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
    if not isinstance(password, CheckedPassword):
        password = check_new_password(password, email=email, name=name)
    _check_role_network(role, network)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=password.hash,
        role=role,
        network=network,
        locale=locale,
    )
    db.session.add(user)
    audit.record("user_created", actor=actor, subject=email, role=role)
    db.session.flush()
    events.user_changed.send(user, actor=actor, changes={"created": (False, True)})
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
    diff = {}
    if "email" in changes:
        email = normalise_email(changes["email"])
        other = find_user_by_email(email)
        if other is not None and other.id != user.id:
            raise ValidationFailed(
                _("A user with this e-mail address exists already."), field="email"
            )
        if email != user.email:
            diff["email"] = (user.email, email)
        user.email = email
    for field in ("name", "role", "network", "active"):
        if field in changes and getattr(user, field) != changes[field]:
            diff[field] = (getattr(user, field), changes[field])
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
        end_sessions(user)
    flush_or_conflict(user, expected_version)
    if diff:
        events.user_changed.send(user, actor=actor, changes=diff)


@dataclass(frozen=True)
class CheckedPassword:
    """A new password that keeps the rules, hashed.

    Hashing is slow on purpose: views make this before their unit of work, so that the write
    lock is not held while it runs. Services also take the plain password (CLI, tests).
    """

    hash: str


def check_new_password(password: str, *, email: str, name: str) -> CheckedPassword:
    """Check a new password against the rules (length, common, personal) and hash it."""
    check_password_rules(password, email, name)
    return CheckedPassword(hash_password(password))


def check_password_change(user: User, password: str, *, current_password: str) -> CheckedPassword:
    """The user's own change: the current password must be right, the new one keep the rules."""
    if not check_password_hash(user.password_hash, current_password or ""):
        raise ValidationFailed(_("The current password is not correct."), field="current_password")
    return check_new_password(password, email=user.email, name=user.name)


def set_password(
    user: User, password: str | CheckedPassword, *, keep_session: str | None = None
) -> None:
    """Set a new password; ends every session of the user but the one ``keep_session`` keys."""
    if not isinstance(password, CheckedPassword):
        password = check_new_password(password, email=user.email, name=user.name)
    user.password_hash = password.hash
    end_sessions(user, keep=keep_session)
    audit.record("password_changed", actor=user, subject=user.email)
    db.session.flush()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open_session(user: User) -> str:
    """Register a new login of the user; return the key its session cookie carries."""
    oldest = utcnow() - current_app.permanent_session_lifetime
    db.session.execute(delete(UserSession).where(UserSession.created_at < oldest))
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, key_digest=_digest(key)))
    db.session.flush()
    return key


def close_session(key: str | None) -> None:
    """End the login this key belongs to: copies of its cookie stop working."""
    if isinstance(key, str):
        db.session.execute(delete(UserSession).where(UserSession.key_digest == _digest(key)))


def end_sessions(user: User, *, keep: str | None = None) -> None:
    """End every login of the user, except the one ``keep`` keys (if given)."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if isinstance(keep, str):
        stmt = stmt.where(UserSession.key_digest != _digest(keep))
    db.session.execute(stmt)
    user.session_token = new_session_token()


def end_all_sessions(user: User) -> None:
    """Log the user out everywhere."""
    end_sessions(user)
    audit.record("logout_everywhere", actor=user, subject=user.email)
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    """Remember the user's language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationFailed(_("Unknown language."), field="locale")
    user.locale = locale
    db.session.flush()


def load_user(token: str, session_key: str | None) -> User | None:
    """The active user of this session token whose login ``session_key`` still is."""
    if not isinstance(session_key, str):
        return None
    return db.session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.session_token == token,
            User.active,
            UserSession.key_digest == _digest(session_key),
        )
    )


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
