"""Passkeys: register on the account page, sign in with one, or use one after the password.

static/js/passkeys.js calls these with JSON (and the CSRF token in a header). A challenge
lives in the session for one use and two minutes.
"""

from __future__ import annotations

import time

from flask import current_app, flash, jsonify, redirect, request, session, url_for
from flask_login import current_user, login_required
from webauthn import base64url_to_bytes
from webauthn.helpers import bytes_to_base64url

from tracker.auth import attempts, factor_views, factors, passkeys
from tracker.auth.models import User
from tracker.auth.views import bp, open_login
from tracker.db import db, unit_of_work
from tracker.exceptions import ValidationFailed
from tracker.i18n import _
from tracker.routing import safe_next

CHALLENGE = "webauthn_challenge"


def _options(options_json: str, challenge: bytes, purpose: str):
    session[CHALLENGE] = {
        "value": bytes_to_base64url(challenge),
        "purpose": purpose,
        "until": time.time() + passkeys.TIMEOUT_MS / 1000,
    }
    return current_app.response_class(options_json, mimetype="application/json")


def _take_challenge(purpose: str) -> bytes | None:
    data = session.pop(CHALLENGE, None)
    if not isinstance(data, dict) or data.get("purpose") != purpose:
        return None
    if not isinstance(data.get("until"), (int, float)) or data["until"] < time.time():
        return None
    try:
        return base64url_to_bytes(data["value"])
    except (KeyError, TypeError, ValueError):
        return None


def _error(message: str, status: int):
    return jsonify(error={"status": status, "message": message}), status


def _body() -> dict:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@bp.post("/account/passkeys/options")
@login_required
def passkey_register_options():
    """Options for creating a passkey of the current user."""
    return _options(*passkeys.registration_options(current_user), "register")


@bp.post("/account/passkeys")
@login_required
def passkey_register():
    """Store the passkey the browser created."""
    body, challenge = _body(), _take_challenge("register")
    if challenge is None:
        return _error(_("The request expired. Please try again."), 400)
    try:
        with unit_of_work():
            name = str(body.get("name") or "")
            passkeys.register(current_user, name, body.get("credential"), challenge)
    except ValidationFailed as exc:
        return _error(exc.message, 400)
    flash(_("The passkey was added."), "success")
    if factors.recovery_codes_left(current_user) == 0:
        flash(
            _(
                "Please create recovery codes now: without them, a lost passkey can only be"
                " reset by the coordination office."
            ),
            "warning",
        )
    return jsonify(redirect=url_for("auth.account"))


@bp.post("/account/passkeys/<int:passkey_id>/remove")
@login_required
def passkey_remove(passkey_id: int):
    """Remove one of the user's passkeys."""
    try:
        with unit_of_work():
            passkeys.remove(current_user, passkey_id)
    except ValidationFailed as exc:
        flash(exc.message, "danger")
    else:
        flash(_("The passkey was removed."), "info")
    return redirect(url_for("auth.account"))


@bp.post("/login/passkey/options")
def passkey_login_options():
    """Options for signing in with any passkey of this site."""
    return _options(*passkeys.authentication_options(), "login")


def _sign_in(user: User | None, purpose: str, target: str):
    """Check the browser's answer for ``user`` (None: whoever owns it) and log the owner in."""
    body, address = _body(), request.remote_addr or ""
    challenge = _take_challenge(purpose)
    if challenge is None:
        return _error(_("The request expired. Please try again."), 400)
    credential = body.get("credential")
    passkey = passkeys.find(credential)
    owner = db.session.get(User, passkey.user_id) if passkey is not None else None
    if user is not None and owner is not None and owner.id != user.id:
        owner = None  # another account's passkey is no factor of this one
    account = owner or user
    if attempts.factor_locked(account.email if account else None, address):
        attempts.audit_refusal("factor_refused", account.email if account else "", account)
        return _error(_("Too many failed attempts. Please wait a while."), 429)
    count = passkeys.verify(passkey, credential, challenge, alone=user is None) if owner else None
    if count is None or not owner.active:
        attempts.note_failed_factor(account, address, "passkey")
        return _error(_("The passkey was not accepted."), 401)
    with unit_of_work():
        passkeys.record_use(db.session.get(type(passkey), passkey.id), count)
        open_login(owner, method="passkey" if user is None else "password and passkey")
    return jsonify(redirect=target)


@bp.post("/login/passkey")
def passkey_login():
    """Log in with a passkey alone (it verifies the user on the device)."""
    target = safe_next(str(_body().get("next") or "")) or url_for("dashboard.index")
    return _sign_in(None, "login", target)


@bp.post("/login/factor/passkey/options")
def passkey_factor_options():
    """Options for using one of the pending user's passkeys as the second factor."""
    user = factor_views.pending_user(setup=False)
    if user is None:
        return _error(_("Please log in again."), 401)
    return _options(*passkeys.authentication_options(user), "factor")


@bp.post("/login/factor/passkey")
def passkey_factor():
    """Use a passkey as the second factor after the password."""
    user = factor_views.pending_user(setup=False)
    if user is None:
        return _error(_("Please log in again."), 401)
    return _sign_in(user, "factor", factor_views.pending_target())
