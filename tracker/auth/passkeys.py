"""Passkeys (WebAuthn through py_webauthn): registering, signing in, removing.

The relying party is the request's host (``WEBAUTHN_RP_ID`` if set), and the browser's
origin must be the app's own (``WEBAUTHN_ORIGIN`` if set). A passkey signs in with user
verification (the device's PIN or biometrics), so it counts as two factors.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from flask import current_app, request
from sqlalchemy import select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from tracker.audit import services as audit
from tracker.auth import factors
from tracker.auth.factor_models import Passkey
from tracker.auth.models import User
from tracker.db import db, utcnow
from tracker.exceptions import ValidationFailed
from tracker.i18n import _

TIMEOUT_MS = 120_000


def rp_id() -> str:
    """The relying party's id: the configured one, else the host of the request."""
    return current_app.config["WEBAUTHN_RP_ID"] or (request.host or "").rsplit(":", 1)[0]


def expected_origin() -> str:
    return current_app.config["WEBAUTHN_ORIGIN"] or request.host_url.rstrip("/")


def user_handle(user: User) -> bytes:
    """A stable, opaque id of the user for authenticators: no e-mail, no database id."""
    key = current_app.secret_key.encode()
    return hmac.new(key, f"webauthn-user:{user.id}".encode(), hashlib.sha256).digest()[:16]


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    from webauthn import base64url_to_bytes

    return [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
        for p in factors.passkeys_of(user)
    ]


def registration_options(user: User) -> tuple[str, bytes]:
    """Options for navigator.credentials.create() as JSON, and their challenge."""
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=current_app.config["WEBAUTHN_RP_NAME"],
        user_name=user.email,
        user_id=user_handle(user),
        user_display_name=user.name,
        timeout=TIMEOUT_MS,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
    )
    return options_to_json(options), options.challenge


def register(user: User, name: str, credential: Any, challenge: bytes) -> Passkey:
    """Check the new credential against the challenge and store it as a passkey."""
    try:
        result = verify_registration_response(
            credential=_as_json(credential),
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=expected_origin(),
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise ValidationFailed(_("The passkey could not be registered."), field="name") from exc
    passkey = Passkey(
        user_id=user.id,
        name=(name or "").strip()[:100] or _("Passkey"),
        credential_id=bytes_to_base64url(result.credential_id),
        public_key=result.credential_public_key,
        sign_count=result.sign_count,
    )
    db.session.add(passkey)
    audit.record("factor_added", actor=user, subject=user.email, method="passkey")
    db.session.flush()
    return passkey


def authentication_options(user: User | None = None) -> tuple[str, bytes]:
    """Options for navigator.credentials.get(): any passkey of this site, or the user's."""
    options = generate_authentication_options(
        rp_id=rp_id(),
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(user) if user is not None else None,
        user_verification=UserVerificationRequirement.REQUIRED
        if user is None
        else UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options), options.challenge


def _as_json(credential: Any) -> str:
    if not isinstance(credential, dict):
        raise ValueError("a credential is an object")
    return json.dumps(credential)


def find(credential: Any) -> Passkey | None:
    """The stored passkey the browser's answer names."""
    raw = credential.get("rawId") if isinstance(credential, dict) else None
    if not isinstance(raw, str) or not 0 < len(raw) <= 1400:
        return None
    return db.session.scalar(select(Passkey).where(Passkey.credential_id == raw))


def verify(passkey: Passkey, credential: Any, challenge: bytes, *, alone: bool) -> int | None:
    """Check the browser's signature; the new sign count, or None. Reads only.

    ``alone`` (no password before it) requires user verification on the device.
    """
    try:
        result = verify_authentication_response(
            credential=_as_json(credential),
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=expected_origin(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=alone,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError):
        return None
    return result.new_sign_count


def record_use(passkey: Passkey, sign_count: int) -> None:
    """Note the passkey's use and its authenticator's new counter."""
    passkey.sign_count, passkey.last_used_at = sign_count, utcnow()
    db.session.flush()


def remove(user: User, passkey_id: int) -> None:
    """Remove one of the user's passkeys (not the last factor of one who needs a factor)."""
    passkey = db.session.scalar(
        select(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user.id)
    )
    if passkey is None:
        return
    factors.refuse_removing_last(user)
    db.session.delete(passkey)
    audit.record("factor_removed", actor=user, subject=user.email, method="passkey")
    db.session.flush()
