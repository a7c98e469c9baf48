"""HTML and JSON error handlers: a clear message, never a stack trace."""

from __future__ import annotations

import uuid

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from tracker.db import db
from tracker.exceptions import NotFound, ServiceError, TemporarilyUnavailable
from tracker.i18n import _
from tracker.routing import is_fetch


def wants_json() -> bool:
    """API paths and clients that prefer JSON get JSON errors."""
    if request.path.startswith("/api/") or is_fetch():
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _answer(status: int, title: str, message: str, error_id: str | None = None):
    if wants_json():
        body = {"error": {"status": status, "title": title, "message": message}}
        if error_id:
            body["error"]["id"] = error_id
        return jsonify(body), status
    return render_template(
        "errors/error.html", status=status, title=title, message=message, error_id=error_id
    ), status


def _texts() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please check the input.")),
        403: (_("Not allowed"), _("You may not open this page or do this.")),
        404: (_("Not found"), _("This page does not exist, or you may not see it.")),
        405: (_("Not possible"), _("This page cannot be used like this.")),
        409: (_("Conflict"), _("Someone else changed this meanwhile. Please reload and check.")),
        413: (_("Too large"), _("The upload is too large.")),
        429: (_("Too many attempts"), _("Please wait a minute and try again.")),
    }


def handle_http(exc: HTTPException):
    code = exc.code or 500
    title, message = _texts().get(code, (exc.name, exc.description or ""))
    return _answer(code, title, message)


def handle_service(exc: ServiceError):
    db.session.rollback()
    if isinstance(exc, NotFound):  # a hidden record looks exactly like a missing one
        return _answer(404, *_texts()[404])
    return _answer(exc.status_code, _("Not possible"), exc.message)


def handle_unavailable(exc: TemporarilyUnavailable):
    db.session.rollback()
    body, status = _answer(503, _("Please try again shortly"), str(exc.message))
    return body, status, {"Retry-After": str(exc.retry_after)}


def handle_csrf(exc: CSRFError):
    return _answer(
        400,
        _("The form has expired"),
        _(
            "Your session or the form's security token has expired. Go back and send the form "
            "again; what you typed is kept. If you were logged out, log in first: the form "
            "offers your input again."
        ),
    )


def handle_unexpected(exc: Exception):
    db.session.rollback()
    error_id = uuid.uuid4().hex[:12]
    from flask import current_app

    current_app.logger.exception(
        "unhandled error %s on %s %s", error_id, request.method, request.path
    )
    original = getattr(exc, "original_exception", exc)
    if isinstance(original, HTTPException) and not isinstance(original, InternalServerError):
        return handle_http(original)
    return _answer(
        500, _("Internal error"), _("Something went wrong on our side. Please try again."), error_id
    )


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(ServiceError, handle_service)
    app.register_error_handler(TemporarilyUnavailable, handle_unavailable)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
