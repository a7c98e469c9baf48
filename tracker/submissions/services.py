"""Claim a form's key before its writes; a second claim gets the first one's result.

A browser that lost the answer (the worker died after the commit, the connection broke)
sends the same form again with the same key: the record is not created twice, and the
user is shown the one that was made.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from tracker.auth.models import User
from tracker.db import db, utcnow
from tracker.submissions.models import Submission

KEY = re.compile(r"^[0-9a-f]{32}$")
KEEP = timedelta(days=7)


def new_key() -> str:
    """A fresh key for a rendered create form."""
    return secrets.token_hex(16)


def earlier_result(key: str | None, user: User) -> str | None:
    """What the form with ``key`` made when ``user`` sent it before, or None."""
    if not key or not KEY.match(key):
        return None
    row = db.session.get(Submission, key)
    return row.result if row is not None and row.user_id == user.id else None


def claim(key: str | None, user: User) -> tuple[str | None, Submission | None]:
    """Take ``key`` for this request inside its write transaction.

    Returns ``(earlier, None)`` when the form was carried out before (``earlier`` is what it
    made), else ``(None, claim)``; ``claim`` is None for a form without a valid key. Two
    sends at once: the second waits for the first's commit (the key is unique), then gets
    its result.
    """
    earlier = earlier_result(key, user)
    if earlier is not None or not key or not KEY.match(key):
        return earlier, None
    row = Submission(key=key, user_id=user.id, result="")
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return earlier_result(key, user) or "", None
    return None, row


def done(claim: Submission | None, result: object) -> None:
    """Note what the claimed form made (an id), for a resend to be shown."""
    if claim is not None:
        claim.result = str(result)


def forget_old() -> int:
    """Drop keys older than a week: no browser resends a form that late."""
    result = db.session.execute(delete(Submission).where(Submission.created_at < utcnow() - KEEP))
    return result.rowcount or 0
