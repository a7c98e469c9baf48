"""Login limits, counted in the app's own database: every worker and every host agrees.

A failed login is counted for its account (a keyed digest of the typed address) and the
client's address. Too many failures for one account from one address lock that pair only:
the owner elsewhere is not locked out, and a new password set through the reset link lifts
the lock. Too many failures from one address for any accounts lock the address. Rows older
than the longest window are deleted as new ones come.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from tracker.audit import services as audit
from tracker.auth.models import LoginAttempt, User
from tracker.auth.services import normalise_email
from tracker.db import db, utcnow

LOGIN_FAILED = "login_failed"
RESET_REQUESTED = "reset_requested"
FACTOR_FAILED = "factor_failed"
_LIMIT = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(\d*)\s*(second|minute|hour|day)s?\s*$", re.I)
_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_LIMIT_KEYS = (
    "LOGIN_RATE_LIMIT",
    "LOGIN_ADDRESS_RATE_LIMIT",
    "PASSWORD_RESET_RATE_LIMIT",
    "FACTOR_RATE_LIMIT",
    "FACTOR_ACCOUNT_RATE_LIMIT",
)


def parse_limit(text: str) -> tuple[int, timedelta]:
    """Read "5 per minute" or "10 per 5 minutes" as (count, window)."""
    match = _LIMIT.match(text or "")
    if match is None:
        raise ValueError(f"not a limit like '5 per minute': {text!r}")
    count, span, unit = match.groups()
    return int(count), timedelta(seconds=int(span or 1) * _UNITS[unit.lower()])


def account_key(email: str) -> str:
    """A digest of the normalised address, keyed with the app's secret: no typed text."""
    key = current_app.secret_key.encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:32]


def subject_for(email: str, account: User | None) -> str:
    """What the audit log names: the account's address, else the digest of the typed one."""
    return account.email if account is not None else "unknown:" + account_key(email)


def _used_up(setting: str, kind: str, address: str | None, account: str | None = None) -> bool:
    count, window = parse_limit(current_app.config[setting])
    stmt = select(func.count(LoginAttempt.id)).where(
        LoginAttempt.kind == kind,
        LoginAttempt.created_at > utcnow() - window,
    )
    if address is not None:
        stmt = stmt.where(LoginAttempt.address == address)
    if account is not None:
        stmt = stmt.where(LoginAttempt.account == account)
    return db.session.scalar(stmt) >= count


def login_locked(email: str, address: str) -> bool:
    """Whether this address used up its failed logins for this account, or for all."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    return _used_up("LOGIN_RATE_LIMIT", LOGIN_FAILED, address, account_key(email)) or _used_up(
        "LOGIN_ADDRESS_RATE_LIMIT", LOGIN_FAILED, address
    )


def factor_locked(email: str | None, address: str) -> bool:
    """Whether second-factor failures lock this account (here or from anywhere) or address."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    if _used_up("LOGIN_ADDRESS_RATE_LIMIT", FACTOR_FAILED, address):
        return True
    if email is None:
        return False
    key = account_key(email)
    return _used_up("FACTOR_RATE_LIMIT", FACTOR_FAILED, address, key) or _used_up(
        "FACTOR_ACCOUNT_RATE_LIMIT", FACTOR_FAILED, None, key
    )


def resets_used_up(address: str) -> bool:
    """Whether this address asked for reset links too often."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    return _used_up("PASSWORD_RESET_RATE_LIMIT", RESET_REQUESTED, address)


def _end_read() -> None:
    """End the request's transaction, which wrote nothing (the views read first).

    No transaction of this thread then holds SQLite's write lock while the unit of work of
    its own takes it (a test's session may have begun one before the request).
    """
    db.session.rollback()


def _note(kind: str, email: str, address: str, event: str, account: User | None, **details):
    """Count one attempt and audit it, in a unit of work of its own; forget old attempts."""
    oldest = utcnow() - max(parse_limit(current_app.config[k])[1] for k in _LIMIT_KEYS)
    rows = [
        LoginAttempt(kind=kind, account=account_key(email), address=address[:64]),
        audit.entry(event, account, subject_for(email, account), details),
    ]  # made first: reading the account later would begin another transaction
    _end_read()
    with audit.separate_unit_of_work() as session:
        session.add_all(rows)
        session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < oldest))


def note_failed_login(email: str, address: str, account: User | None, reason: str) -> None:
    """Count a failed login and audit it (committed whatever the request does next)."""
    _note(LOGIN_FAILED, email, address, "login_failed", account, reason=reason)


def note_failed_factor(account: User | None, address: str, method: str) -> None:
    """Count a wrong code, recovery code or passkey and audit it (committed at once).

    A password reset does not lift these: it proves nothing about the second factor.
    """
    email = account.email if account is not None else ""
    _note(FACTOR_FAILED, email, address, "factor_failed", account, method=method)


def note_reset_request(email: str, address: str, account: User | None) -> None:
    """Count a request for a reset link and audit it, the same work for any address."""
    _note(
        RESET_REQUESTED,
        email,
        address,
        "password_reset_requested",
        account,
        known=account is not None,
    )


def audit_refusal(event: str, email: str, account: User | None) -> None:
    """Audit a login or reset request refused by a limit (committed at once)."""
    actor, subject = getattr(account, "id", None), subject_for(email, account)
    _end_read()
    audit.record_apart(event, actor=actor, subject=subject, reason="too many attempts")


def lift(user: User) -> None:
    """Forget the failed logins of the user's account: a new password was set."""
    db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.kind == LOGIN_FAILED, LoginAttempt.account == account_key(user.email)
        )
    )
