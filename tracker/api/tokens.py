"""Creating, checking and revoking personal API tokens.

A token is 40 random bytes, URL-safe, starting with ``br_`` so that it can be recognised
(by secret scanners, in logs); the database keeps only its SHA-256 digest and its first
characters. It is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from tracker.api.models import ApiToken, TokenScope
from tracker.audit import services as audit
from tracker.auth.models import User
from tracker.db import db, utcnow
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _

TOKEN_START = "br_"  # noqa: S105 - a marker every token starts with, no secret
LIFETIMES = (30, 90, 365)  # days a token may be valid
LAST_USE_PRECISION = timedelta(minutes=1)  # a token's use is written at most once a minute


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: User, *, actor: User, name: str, scope: TokenScope, days: int):
    """Make a token for ``user`` (in the caller's unit of work); return (row, the token)."""
    if actor.id != user.id:
        raise PermissionDenied(_("Tokens are made by their owners."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(
            _("Please name the token, e.g. after the tool that uses it."), field="name"
        )
    if days not in LIFETIMES:
        raise ValidationFailed(_("Please choose how long the token is valid."), field="days")
    if scope is TokenScope.WRITE and user.is_observer:
        raise ValidationFailed(
            _("Observers change nothing: their tokens read only."), field="scope"
        )
    token = TOKEN_START + secrets.token_urlsafe(40)
    row = ApiToken(
        user=user,
        name=name[:100],
        prefix=token[:10],
        digest=digest(token),
        scope=scope,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "api_token_created", actor=actor, subject=user.email, token=row.prefix, scope=scope.value
    )
    return row, token


def revoke_token(row: ApiToken, *, actor: User) -> None:
    """End a token: its owner or the coordination office may."""
    if actor.id != row.user_id and not actor.is_admin:
        raise PermissionDenied(
            _("Only the token's owner or the coordination office may revoke it.")
        )
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record("api_token_revoked", actor=actor, subject=row.user.email, token=row.prefix)


def find(token: str) -> ApiToken | None:
    """The usable token row for a presented token, or None."""
    if not token.startswith(TOKEN_START) or len(token) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.digest == digest(token)))
    return row if row is not None and row.usable(utcnow()) else None


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def all_tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc()).limit(500)))
