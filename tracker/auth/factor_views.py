"""The second step of a login, the forced set-up and the account's factors (auth blueprint).

After the password the session holds only a pending-login marker (the user, their session
token, an expiry and the page to go to); the user is logged in once the factor is checked.
"""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from tracker.auth import attempts, factors
from tracker.auth.forms import CodeForm
from tracker.auth.models import User
from tracker.auth.views import bp, open_login
from tracker.db import db, unit_of_work
from tracker.exceptions import ValidationFailed
from tracker.i18n import _

PENDING = "pending_login"


def after_password(user: User, target: str | None):
    """After a right password: the redirect to the second step, or None if none is needed."""
    if factors.has_factor(user):
        setup = False
    elif factors.factor_required(user):
        setup = True
        with unit_of_work():
            factors.start_totp(user)
    else:
        return None
    session.clear()  # nothing of an earlier session carries over
    session[PENDING] = {
        "user": user.id,
        "token": user.session_token,  # a new password or a deactivation voids the marker
        "until": time.time() + current_app.config["MFA_PENDING_SECONDS"],
        "next": target or "",
        "setup": setup,
    }
    return redirect(url_for("auth.factor_setup" if setup else "auth.second_factor"))


def pending_user(*, setup: bool) -> User | None:
    """The user whose password was checked a moment ago, while the marker is valid."""
    data = session.get(PENDING)
    if not isinstance(data, dict) or bool(data.get("setup")) is not setup:
        return None
    if not isinstance(data.get("until"), (int, float)) or data["until"] < time.time():
        return None
    user = db.session.get(User, data["user"]) if isinstance(data.get("user"), int) else None
    if user is None or not user.active or user.session_token != data.get("token"):
        return None
    return user


def pending_target() -> str:
    data = session.get(PENDING)
    target = data.get("next") if isinstance(data, dict) else None
    return target if isinstance(target, str) and target else url_for("dashboard.index")


def pending_gone():
    session.pop(PENDING, None)
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    flash(_("Please log in again."), "info")
    return redirect(url_for("auth.login"))


def refused(user: User, address: str) -> bool:
    """Whether too many wrong factors lock the user here; audited if so."""
    if not attempts.factor_locked(user.email, address):
        return False
    attempts.audit_refusal("factor_refused", user.email, user)
    return True


def _factor_page(user: User, form: CodeForm, status: int = 200, **extra):
    page = render_template(
        "auth/factor.html",
        form=form,
        has_totp=factors.has_totp(user),
        has_passkeys=bool(factors.passkeys_of(user)),
        has_codes=factors.recovery_codes_left(user) > 0,
        **extra,
    )
    return page, status


@bp.route("/login/factor", methods=["GET", "POST"])
def second_factor():
    """Ask for the code of the authenticator app, a recovery code or a passkey."""
    user = pending_user(setup=False)
    if user is None:
        return pending_gone()
    form = CodeForm()
    if not form.validate_on_submit():
        return _factor_page(user, form, 400 if form.is_submitted() else 200)
    address = request.remote_addr or ""
    if refused(user, address):
        return _factor_page(user, form, 429, locked=True)
    found = factors.match(user, form.code.data)
    if found is not None:
        target = pending_target()
        with unit_of_work():
            claimed, left = factors.claim(user, found), None
            if claimed:
                left = factors.recovery_codes_left(user) if found.method == "recovery" else None
                open_login(user, method=found.method)
        if claimed:
            if left is not None:
                flash(_("Recovery code used. %(n)d codes are left.", n=left), "warning")
            return redirect(target)
    attempts.note_failed_factor(user, address, "code")
    form.code.errors.append(_("This code is not correct or was used already."))
    return _factor_page(user, form, 401)


def _setup_page(user: User, form: CodeForm, action: str, status: int = 200, **extra):
    factor = factors.totp_of(user)
    uri = factors.provisioning_uri(user, factor)
    page = render_template(
        "auth/totp_setup.html",
        form=form,
        action=action,
        secret=factor.secret,
        qr=factors.qr_svg(uri),
        **extra,
    )
    return page, status


@bp.route("/login/setup", methods=["GET", "POST"])
def factor_setup():
    """Set up the authenticator app that this user's role requires, before anything else."""
    user = pending_user(setup=True)
    if user is None or factors.totp_of(user) is None:
        return pending_gone()
    action, form = url_for("auth.factor_setup"), CodeForm()
    if not form.validate_on_submit():
        return _setup_page(user, form, action, 400 if form.is_submitted() else 200, forced=True)
    address = request.remote_addr or ""
    if refused(user, address):
        return _setup_page(user, form, action, 429, forced=True, locked=True)
    target = pending_target()
    with unit_of_work():
        codes = factors.confirm_totp(user, form.code.data)
        if codes is not None:
            open_login(user, method="totp setup")
    if codes is None:
        attempts.note_failed_factor(user, address, "totp setup")
        form.code.errors.append(_("This code is not correct. Please try the current one."))
        return _setup_page(user, form, action, 400, forced=True)
    return render_template("auth/recovery_codes.html", codes=codes, target=target)


@bp.post("/account/totp/start")
@login_required
def totp_start():
    """Begin setting up an authenticator app."""
    try:
        with unit_of_work():
            factors.start_totp(current_user)
    except ValidationFailed as exc:
        flash(exc.message, "warning")
        return redirect(url_for("auth.account"))
    return redirect(url_for("auth.totp_setup"))


@bp.route("/account/totp", methods=["GET", "POST"])
@login_required
def totp_setup():
    """Show the QR code and the secret; confirm the app with a current code."""
    factor = factors.totp_of(current_user)
    if factor is None or factor.confirmed:
        return redirect(url_for("auth.account"))
    action, form = url_for("auth.totp_setup"), CodeForm()
    if not form.validate_on_submit():
        return _setup_page(current_user, form, action, 400 if form.is_submitted() else 200)
    with unit_of_work():
        codes = factors.confirm_totp(current_user, form.code.data)
    if codes is None:
        form.code.errors.append(_("This code is not correct. Please try the current one."))
        return _setup_page(current_user, form, action, 400)
    return render_template("auth/recovery_codes.html", codes=codes, target=url_for("auth.account"))


@bp.post("/account/totp/remove")
@login_required
def totp_remove():
    """Remove the authenticator app."""
    try:
        with unit_of_work():
            factors.remove_totp(current_user)
    except ValidationFailed as exc:
        flash(exc.message, "danger")
        return redirect(url_for("auth.account"))
    flash(_("The authenticator app was removed."), "info")
    return redirect(url_for("auth.account"))


@bp.post("/account/recovery-codes")
@login_required
def recovery_codes():
    """Replace the recovery codes by ten new ones and show them once."""
    if not factors.has_factor(current_user):
        return redirect(url_for("auth.account"))
    with unit_of_work():
        codes = factors.new_recovery_codes(current_user)
    return render_template("auth/recovery_codes.html", codes=codes, target=url_for("auth.account"))


def account_factors(user: User) -> dict:
    """What the account page shows of the user's factors."""
    factor = factors.totp_of(user)
    return {
        "totp": factor if factor is not None and factor.confirmed else None,
        "passkeys": factors.passkeys_of(user),
        "codes_left": factors.recovery_codes_left(user),
        "factor_required": factors.factor_required(user),
        "may_remove": factors.may_remove_a_factor(user),
    }


from tracker.auth import passkey_views  # noqa: E402,F401  (routes on the same blueprint)
