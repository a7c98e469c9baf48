"""Who calls the API: the owner of the Bearer token, for this request only.

No session cookie is read or written and no CSRF token is asked for: the token is checked
on each request before anything else runs, and the user is set for Flask-Login as its
request loader would. A token that reads only may not change anything.
"""

from __future__ import annotations

from flask import g, request

from tracker.api import PREFIX, limits, tokens
from tracker.api.models import TokenScope
from tracker.db import unit_of_work, utcnow
from tracker.errors import problem
from tracker.i18n import _

PUBLIC = frozenset({f"{PREFIX}/openapi.json", f"{PREFIX}/docs"})
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def init_app(app) -> None:
    limits.init_app(app)
    # First of all before-request work: the session's own checks must not see API calls.
    app.before_request_funcs.setdefault(None, []).insert(0, _authenticate)


def is_api_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def _refused(detail: str, error: str | None = None, status: int = 401):
    challenge = 'Bearer realm="api"' + (f', error="{error}"' if error else "")
    return problem(status, _("Not logged in"), detail, headers={"WWW-Authenticate": challenge})


def _authenticate():
    if not is_api_request() or request.path in PUBLIC:
        return None
    scheme, _space, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return _refused(_("Send a personal API token: Authorization: Bearer <token>."))
    row = tokens.find(presented.strip())
    if row is None:
        return _refused(_("This token is not valid: unknown, expired or revoked."), "invalid_token")
    if request.method in WRITES and row.scope is not TokenScope.WRITE:
        return problem(
            403,
            _("Not allowed"),
            _("This token may only read."),
            headers={"WWW-Authenticate": 'Bearer realm="api", error="insufficient_scope"'},
        )
    wait = limits.wait_seconds(row.id, request.method in WRITES)
    if wait is not None:
        return problem(
            429,
            _("Too many requests"),
            _("This token sent too many requests. Please wait %(seconds)d seconds.", seconds=wait),
            headers={"Retry-After": str(wait)},
        )
    g._login_user = row.user  # Flask-Login's current user, for this request only
    g.api_token = row
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > tokens.LAST_USE_PRECISION:
        token_id = row.id
        with unit_of_work() as session:
            fresh = session.get(type(row), token_id)
            fresh.last_used_at = now
    return None
