"""Forgotten passwords: a mailed, time-limited, single-use link (routes on the auth blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from tracker import events
from tracker.audit import services as audit
from tracker.auth import attempts, passwords, services
from tracker.auth.forms import ForgotPasswordForm, ResetPasswordForm
from tracker.auth.views import bp
from tracker.db import unit_of_work
from tracker.exceptions import ValidationFailed
from tracker.forms_support import apply_error
from tracker.i18n import _


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """Send a reset link to the address, if it belongs to an active user."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form), 400 if form.is_submitted() else 200
    email, address = form.email.data, request.remote_addr or ""
    user = services.find_user_by_email(email)
    account = user if user is not None and user.active else None
    if attempts.resets_used_up(address):
        attempts.audit_refusal("password_reset_refused", email, account)
        return render_template("auth/forgot.html", form=form, locked=True), 429
    # The same answer either way: nothing tells who has an account. The mail is a row of
    # the outbox (tracker/mail), rendered and sent by the sender, not in this request.
    attempts.note_reset_request(email, address, account)
    if account is not None:
        with unit_of_work():
            events.password_reset_requested.send(account)
    flash(
        _(
            "If the address belongs to an account, a link to set a new password is on its "
            "way. It is valid for one hour."
        ),
        "info",
    )
    return redirect(url_for("auth.login"))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password with a valid reset link."""
    user = passwords.user_for_reset_token(token)
    if user is None:
        flash(
            _("This link is invalid, expired or already used. Please ask for a new one."), "danger"
        )
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            password = services.check_new_password(
                form.password.data, email=user.email, name=user.name
            )
        except ValidationFailed as exc:
            apply_error(form, exc)
        else:
            with unit_of_work():
                services.set_password(user, password)
                attempts.lift(user)  # the owner is back in: the lock on failed logins ends
                audit.record("password_reset", actor=user, subject=user.email)
            flash(_("Your password was set. Please log in."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/reset.html", form=form), status
