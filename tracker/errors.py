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


PROBLEM_JSON = "application/problem+json"


def is_api() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, title: str, detail: str = "", *, errors=None, headers=None, **extra):
    """An error of the API as ``application/problem+json`` (RFC 9457)."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    response.headers.update(headers or {})
    return response


def field_errors(messages) -> list[dict]:
    """webargs' nested messages as a flat list: ``[{"field": "title", "message": "..."}]``."""
    found = []

    def walk(value, path):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, [*path, str(key)])
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            found.extend({"field": ".".join(path), "message": text} for text in value)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, [*path, str(index)])
        else:
            found.append({"field": ".".join(path), "message": str(value)})

    walk(messages, [])
    return found


def _answer(status: int, title: str, message: str, error_id: str | None = None):
    if is_api():
        return problem(status, title, message, **({"id": error_id} if error_id else {}))
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
    data = getattr(exc, "data", None) or {}  # webargs: the fields that failed, and why
    if is_api() and data.get("messages"):
        # webargs nests the messages under the request part ("json", "query")
        messages = data["messages"]
        errors = field_errors(next(iter(messages.values())) if len(messages) == 1 else messages)
        return problem(422, _("Invalid input"), _("Please check the marked fields."), errors=errors)
    return _answer(code, title, message)


def handle_service(exc: ServiceError):
    db.session.rollback()
    if isinstance(exc, NotFound):  # a hidden record looks exactly like a missing one
        return _answer(404, *_texts()[404])
    if is_api():
        field = getattr(exc, "field", None)
        errors = [{"field": field, "message": exc.message}] if field else None
        return problem(exc.status_code, _("Not possible"), exc.message, errors=errors)
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
