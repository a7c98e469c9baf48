"""If-Match on the API's changes: a record with a version is changed only as it was read.

Without ``If-Match`` the answer is 428, with an older ETag 412 (with the current one), and
nothing is changed. The ETag of a record is its version in quotes.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import request

from tracker.db import db
from tracker.errors import problem
from tracker.exceptions import ConflictError
from tracker.i18n import _


def etag(record) -> str:
    return f'"{record.version}"'


def refused_version(record, *, needed: str, changed: str):
    """The problem that stops a change of ``record`` (428, 412), or None to go on."""
    if not request.if_match:
        return problem(428, _("Version needed"), needed)
    if not request.if_match.contains(str(record.version)):
        return problem(412, _("Changed meanwhile"), changed, headers={"ETag": etag(record)})
    return None


def read_version() -> int:
    """The version If-Match names, for the service to check after its permission check;
    0, which no record has, when the header names none."""
    for tag in request.if_match.as_set():
        if tag.isdigit() and len(tag) < 10:
            return int(tag)
    return 0


def as_read(record, change: Callable[[int], object], *, needed: str = "", changed: str = ""):
    """Run ``change(version read)`` through its service, which checks the permission first
    and then the version: its conflict is answered 428 without If-Match, else 412. Returns
    that problem, or None when the change was made."""
    try:
        change(read_version())
    except ConflictError:
        db.session.rollback()
        if not request.if_match:
            needed = needed or _("Send If-Match with the ETag it was read with.")
            return problem(428, _("Version needed"), needed)
        changed = changed or _("It was changed since it was read. Read it again and decide.")
        db.session.refresh(record)
        return problem(412, _("Changed meanwhile"), changed, headers={"ETag": etag(record)})
    return None


def refused_change(record):
    """As ``refused_version``, in the words for any record (an agenda entry, a task)."""
    return refused_version(
        record,
        needed=_("Send If-Match with the ETag it was read with."),
        changed=_("It was changed since it was read. Read it again and decide."),
    )


# The header as the OpenAPI document names it, for ``@bp.doc(parameters=[IF_MATCH])``.
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string", "maxLength": 200},
    "description": 'The ETag the record was read with, e.g. "3": without it 428, an older one 412',
}
