"""Login, logout, language and the user's own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth import services, sessions
from tracker.auth.forms import LanguageForm, LoginForm, PasswordChangeForm
from tracker.db import db
from tracker.exceptions import ValidationFailed
from tracker.extensions import limiter
from tracker.forms_support import apply_error
from tracker.i18n import _

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _login_email_key() -> str:
    return "login:" + services.normalise_email(request.form.get("email", ""))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_email_key, deduct_when=_failed)
def login():
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a fresh session on login: no fixation
            login_user(user)
            sessions.start()
            db.session.commit()
            return redirect(safe_next(form.next.data) or url_for("dashboard.index"))
        flash(_("E-mail or password is not correct."), "danger")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Log out in this browser."""
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    """Remember the chosen language: for the user if logged in, else in the session."""
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            services.set_locale(current_user, form.locale.data)
            db.session.commit()
        session["locale"] = form.locale.data
    return redirect(safe_next(form.next.data) or url_for("dashboard.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Show the user's account and change the password."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.set_password(
                current_user, form.password.data, current_password=form.current_password.data
            )
        except ValidationFailed as exc:
            apply_error(form, exc)
            return render_template("auth/account.html", form=form), 400
        db.session.commit()
        login_user(current_user._get_current_object())  # new token: keep this session only
        flash(_("Your password was changed. Other sessions were logged out."), "success")
        return redirect(url_for("auth.account"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/account.html", form=form), status


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of the user, this one included."""
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out on all devices."), "info")
    return redirect(url_for("auth.login"))


from tracker.auth import reset_views  # noqa: E402,F401  (routes on the same blueprint)
