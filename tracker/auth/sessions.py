"""Session limits: an absolute lifetime and an idle timeout, both configurable."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, jsonify, redirect, request, session, url_for
from flask_login import current_user, logout_user

from tracker.i18n import _

REFRESH_SECONDS = 60  # "last seen" is written at most once a minute


def start(now: float | None = None) -> None:
    """Mark the beginning of a fresh session (called at login)."""
    now = now or time.time()
    session.permanent = True
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


def _enforce():
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    now = time.time()
    if expired(now):
        logout_user()
        session.clear()
        if request.headers.get("X-Requested-With") == "fetch" or request.path.startswith("/api/"):
            return jsonify(error={"status": 401, "message": _("Your session has ended.")}), 401
        flash(_("Your session has ended. Please log in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if now - session.get("seen_at", 0) > REFRESH_SECONDS:
        session["seen_at"] = now
    return None


def init_app(app: Flask) -> None:
    app.before_request(_enforce)
