"""Sessions: one server-side record per login, an absolute lifetime and an idle timeout.

The cookie carries the login's key (``KEY``) next to Flask-Login's user token; the user
loader accepts it only while the login's row exists, so logout ends the session on the
server and a copy of the cookie taken before is refused.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, jsonify, redirect, request, session, url_for
from flask_login import current_user, logout_user

from tracker.auth import services
from tracker.i18n import _
from tracker.routing import is_fetch

REFRESH_SECONDS = 60  # "last seen" is written at most once a minute
KEY = "login_key"


def start(key: str, now: float | None = None) -> None:
    """Mark the beginning of a fresh session of the login ``key`` (called at login)."""
    now = now or time.time()
    session.permanent = True
    session[KEY] = key
    session["login_at"] = now
    session["seen_at"] = now


def expired(now: float) -> bool:
    """Whether the current session passed its absolute lifetime or was idle too long."""
    started, seen = session.get("login_at"), session.get("seen_at")
    if started is None or seen is None:
        return True
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    return now - started > lifetime or now - seen > idle


def load_user(token: str):
    """Flask-Login's user loader: the user, while this session's login is not ended."""
    return services.load_user(token, session.get(KEY))


def end() -> None:
    """End this session's login on the server (the caller commits)."""
    services.close_session(session.get(KEY))


def _enforce():
    if request.path.startswith("/api/"):  # a token per request, no session (tracker.api.auth)
        return None
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    now = time.time()
    if expired(now):
        # Its row may stay: a copy of this cookie carries the same expired times.
        logout_user()
        session.clear()
        if is_fetch() or request.path.startswith("/api/"):
            return jsonify(error={"status": 401, "message": _("Your session has ended.")}), 401
        flash(_("Your session has ended. Please log in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if now - session.get("seen_at", 0) > REFRESH_SECONDS:
        session["seen_at"] = now
    return None


def init_app(app: Flask) -> None:
    app.before_request(_enforce)
