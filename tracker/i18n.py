"""The one import point for translation functions and the locale selection."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import (
    force_locale,
    format_date,
    format_datetime,
    get_locale,
    lazy_gettext,
    ngettext,
)
from flask_babel import gettext as _
from flask_login import current_user

_l = lazy_gettext

__all__ = [
    "_",
    "_l",
    "ngettext",
    "get_locale",
    "force_locale",
    "select_locale",
    "format_date",
    "format_datetime",
]


def select_locale() -> str:
    """Pick the user's chosen language, else the session's, else the browser's, else German."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):  # a program asks in the language it names
        best = request.accept_languages.best_match(languages)
        return best or current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    best = request.accept_languages.best_match(languages)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app) -> None:
    """Settle the request's language at its start: a text translated after the commit (a
    flash message, a redirect's page) then reads no expired user, which would open a new,
    write-locking transaction only to learn the language."""
    app.before_request(_settle_locale)


def _settle_locale() -> None:
    get_locale()  # Flask-Babel keeps it for the rest of the request


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where it is shown."""
    return message
