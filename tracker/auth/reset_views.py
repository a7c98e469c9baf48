"""Forgotten passwords: a mailed, time-limited, single-use link (routes on the auth blueprint)."""

from __future__ import annotations

import smtplib

from flask import current_app, flash, redirect, render_template, url_for

from tracker.audit import services as audit
from tracker.auth import passwords, services
from tracker.auth.forms import ForgotPasswordForm, ResetPasswordForm
from tracker.auth.views import _login_limit, bp
from tracker.db import db
from tracker.exceptions import ValidationFailed
from tracker.extensions import limiter
from tracker.forms_support import apply_error
from tracker.i18n import _, force_locale
from tracker.mail import send_mail


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    """Send a reset link to the address, if it belongs to an active user."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.active:
            _send_reset_mail(user)
            audit.record("password_reset_requested", actor=user, subject=user.email)
            db.session.commit()
        # The same answer either way: the form does not reveal who has an account.
        flash(
            _(
                "If the address belongs to an account, a link to set a new password is on its "
                "way. It is valid for one hour."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 400 if form.is_submitted() else 200


def _send_reset_mail(user) -> None:
    link = url_for("auth.reset_password", token=passwords.reset_token(user), _external=True)
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Set a new password for the needs register")
        body = render_template("auth/reset_mail.txt", user=user, link=link)
    try:
        send_mail(user.email, subject, body)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("password reset mail could not be sent")


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
            services.set_password(user, form.password.data)
        except ValidationFailed as exc:
            apply_error(form, exc)
        else:
            audit.record("password_reset", actor=user, subject=user.email)
            db.session.commit()
            flash(_("Your password was set. Please log in."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/reset.html", form=form), status
