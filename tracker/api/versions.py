"""If-Match on the API's changes: a record with a version is changed only as it was read.

Without ``If-Match`` the answer is 428, with an older ETag 412 (with the current one), and
nothing is changed. The ETag of a record is its version in quotes.
"""

from __future__ import annotations

from flask import request

from tracker.errors import problem
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
