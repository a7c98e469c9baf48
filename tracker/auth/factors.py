"""Second factors: the authenticator app (TOTP), recovery codes, who must have one.

A code is accepted once: the time step of the last accepted code is stored, and claiming
a step or a recovery code is one conditional UPDATE, so two requests with the same code
cannot both pass. Recovery codes are random (50 bits) and stored as a digest keyed with
the app's secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, func, select, update

from tracker import settings
from tracker.audit import services as audit
from tracker.auth.factor_models import Passkey, RecoveryCode, TotpFactor
from tracker.auth.models import User, UserRole
from tracker.auth.services import end_sessions
from tracker.db import db, utcnow
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _

ISSUER = "Bedarfsregister"
STEP_SECONDS = 30
RECOVERY_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to mistake


@dataclass(frozen=True)
class Claim:
    """A second factor that matched: the TOTP step or the recovery code to use up."""

    method: str  # "totp" or "recovery"
    ref: int  # the time step, or the recovery code's id


def totp_of(user: User) -> TotpFactor | None:
    return db.session.scalar(select(TotpFactor).where(TotpFactor.user_id == user.id))


def passkeys_of(user: User) -> list[Passkey]:
    return list(
        db.session.scalars(select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id))
    )


def has_totp(user: User) -> bool:
    factor = totp_of(user)
    return factor is not None and factor.confirmed


def has_factor(user: User) -> bool:
    """Whether the user has a confirmed authenticator app or a passkey."""
    return has_totp(user) or bool(passkeys_of(user))


def users_with_factor() -> set[int]:
    """The ids of all users with a confirmed authenticator app or a passkey (one query each)."""
    apps = select(TotpFactor.user_id).where(TotpFactor.confirmed_at.is_not(None))
    return set(db.session.scalars(apps)) | set(db.session.scalars(select(Passkey.user_id)))


def factor_required(user: User) -> bool:
    """The coordination office always; managers when the office requires it."""
    if user.role is UserRole.ADMIN:
        return bool(current_app.config["MFA_REQUIRED_FOR_ADMINS"])
    return user.role is UserRole.MANAGER and settings.flag(settings.FACTORS_FOR_MANAGERS)


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


# --- the authenticator app ---------------------------------------------------------------


def start_totp(user: User) -> TotpFactor:
    """Give the user a new, unconfirmed secret (or the one not yet confirmed)."""
    factor = totp_of(user)
    if factor is not None and factor.confirmed:
        raise ValidationFailed(_("An authenticator app is set up already."), field="code")
    if factor is None:
        factor = TotpFactor(user_id=user.id, secret=pyotp.random_base32())
        db.session.add(factor)
        db.session.flush()
    return factor


def provisioning_uri(user: User, factor: TotpFactor) -> str:
    return pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(text: str) -> Markup:
    """The QR code of ``text`` as inline SVG, drawn here: no outside service sees the secret."""
    svg = segno.make(text, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return Markup(svg.replace("<svg ", '<svg role="img" aria-hidden="true" ', 1))  # noqa: S704


def current_step(now: float | None = None) -> int:
    return int(now if now is not None else time.time()) // STEP_SECONDS


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (this one or a neighbour, for clock drift) whose code ``code`` is."""
    totp, step = pyotp.TOTP(secret), current_step(now)
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def _clean_code(code: str | None) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())[:40]


def confirm_totp(user: User, code: str) -> list[str] | None:
    """Confirm the unconfirmed app with a current code; return new recovery codes, or None."""
    factor = totp_of(user)
    if factor is None or factor.confirmed:
        return None
    step = matching_step(factor.secret, _clean_code(code))
    if step is None:
        return None
    factor.confirmed_at, factor.last_step = utcnow(), step
    audit.record("factor_added", actor=user, subject=user.email, method="totp")
    return new_recovery_codes(user)


def remove_totp(user: User) -> None:
    """Remove the user's authenticator app (not the last factor of one who needs a factor)."""
    factor = totp_of(user)
    if factor is None:
        return
    if factor.confirmed:
        refuse_removing_last(user)
        audit.record("factor_removed", actor=user, subject=user.email, method="totp")
    db.session.delete(factor)
    db.session.flush()


def may_remove_a_factor(user: User) -> bool:
    """Whether one of the user's factors may go: not the only one of a user who needs one."""
    return not factor_required(user) or int(has_totp(user)) + len(passkeys_of(user)) > 1


def refuse_removing_last(user: User) -> None:
    """Refuse to remove the only factor left to a user who must have one."""
    if not may_remove_a_factor(user):
        raise ValidationFailed(
            _("You need a second factor: set up another one before removing this one."),
            field="code",
        )


# --- recovery codes ------------------------------------------------------------------------


def _digest(code: str) -> str:
    key = hmac.new(current_app.secret_key.encode(), b"recovery-codes", hashlib.sha256).digest()
    return hmac.new(key, _clean_code(code).encode(), hashlib.sha256).hexdigest()


def _random_code() -> str:
    text = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{text[:5]}-{text[5:]}"


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes by ten new ones; return them (shown once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_random_code() for _ in range(RECOVERY_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, digest=_digest(c)) for c in codes)
    audit.record("recovery_codes_created", actor=user, subject=user.email, count=len(codes))
    db.session.flush()
    return codes


# --- the second step of a login -------------------------------------------------------------


def match(user: User, code: str | None) -> Claim | None:
    """Find what ``code`` is for the user (a TOTP code or an unused recovery code); read only."""
    cleaned = _clean_code(code)
    if len(cleaned) == 6 and cleaned.isdigit():
        factor = totp_of(user)
        if factor is None or not factor.confirmed:
            return None
        step = matching_step(factor.secret, cleaned)
        if step is None or (factor.last_step is not None and step <= factor.last_step):
            return None  # a code already used (or an older one) is refused: no replay
        return Claim("totp", step)
    if len(cleaned) < 10:
        return None
    code_id = db.session.scalar(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.digest == _digest(cleaned),
            RecoveryCode.used_at.is_(None),
        )
    )
    return None if code_id is None else Claim("recovery", code_id)


def claim(user: User, found: Claim) -> bool:
    """Use up the matched step or recovery code; False if another request was first."""
    if found.method == "totp":
        stmt = (
            update(TotpFactor)
            .where(TotpFactor.user_id == user.id)
            .where((TotpFactor.last_step.is_(None)) | (TotpFactor.last_step < found.ref))
            .values(last_step=found.ref)
        )
    else:
        stmt = (
            update(RecoveryCode)
            .where(RecoveryCode.id == found.ref, RecoveryCode.used_at.is_(None))
            .values(used_at=utcnow())
        )
    if db.session.execute(stmt).rowcount != 1:
        return False
    if found.method == "recovery":
        audit.record(
            "recovery_code_used", actor=user, subject=user.email, left=recovery_codes_left(user)
        )
    return True


# --- the coordination office ---------------------------------------------------------------


def reset_factors(user: User, *, actor: User | None) -> None:
    """Remove every factor and recovery code of a user who lost them.

    The office does it on the user's page; ``actor`` None is the server's command line.
    """
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(_("Only the coordination office manages users."))
    for model in (TotpFactor, RecoveryCode, Passkey):
        db.session.execute(delete(model).where(model.user_id == user.id))
    end_sessions(user)
    via = {} if actor is not None else {"via": "command line"}
    audit.record("factor_reset", actor=actor, subject=user.email, **via)
    db.session.flush()
