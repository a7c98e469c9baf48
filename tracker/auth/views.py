"""Login, logout, language and the user's own account."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth import attempts, services, sessions
from tracker.auth.forms import LanguageForm, LoginForm, PasswordChangeForm
from tracker.db import unit_of_work
from tracker.exceptions import ValidationFailed
from tracker.forms_support import apply_error
from tracker.i18n import _
from tracker.routing import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    email, address = form.email.data, request.remote_addr or ""
    if attempts.login_locked(email, address):
        attempts.audit_refusal("login_refused", email, services.find_user_by_email(email))
        return render_template("auth/login.html", form=form, locked=True), 429
    check = services.check_login(email, form.password.data)
    if check.failure:
        attempts.note_failed_login(email, address, check.account, check.failure)
        flash(_("E-mail or password is not correct."), "danger")
        return render_template("auth/login.html", form=form), 401
    target = safe_next(form.next.data)
    second_step = factor_views.after_password(check.account, target)
    if second_step is not None:
        return second_step  # not logged in until the second factor is checked
    open_login(check.account, method="password")
    return redirect(target or url_for("dashboard.index"))


def open_login(user, **details) -> None:
    """Log the user in with a fresh session (in the caller's unit of work, if any)."""
    with unit_of_work():  # the password and factors were checked before, without the lock
        services.record_login(user, **details)
        key = services.open_session(user)
    session.clear()  # a fresh session on login: no fixation
    login_user(user)
    refresh()  # the request's language is now the user's
    sessions.start(key)


@bp.post("/logout")
def logout():
    """Log out in this browser: the session ends on the server, too."""
    with unit_of_work():
        sessions.end()
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
            with unit_of_work():
                services.set_locale(current_user, form.locale.data)
        session["locale"] = form.locale.data
    return redirect(safe_next(form.next.data) or url_for("dashboard.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Show the user's account and change the password."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            password = services.check_password_change(
                current_user, form.password.data, current_password=form.current_password.data
            )
        except ValidationFailed as exc:
            apply_error(form, exc)
            return _account_page(form, 400)
        with unit_of_work():
            services.set_password(current_user, password, keep_session=session.get(sessions.KEY))
        login_user(current_user._get_current_object())  # new token: keep this session only
        flash(_("Your password was changed. Other sessions were logged out."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(form, 400 if form.is_submitted() else 200)


def _account_page(form: PasswordChangeForm, status: int):
    factors = factor_views.account_factors(current_user)
    return render_template("auth/account.html", form=form, **factors), status


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of the user, this one included."""
    with unit_of_work():
        services.end_all_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("You are logged out on all devices."), "info")
    return redirect(url_for("auth.login"))


from tracker.auth import factor_views, reset_views  # noqa: E402,F401  (routes on the same blueprint)
