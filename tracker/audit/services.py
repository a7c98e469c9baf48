"""Recording security events (logins, role changes, exports of personal data, erasures)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import has_request_context, request
from sqlalchemy.orm import Session

from tracker.audit.models import AuditEvent
from tracker.db import db, write_intent

SECRET_WORDS = ("password", "token", "secret")


def _clean(details: dict[str, Any]) -> dict[str, Any]:
    """Drop anything that looks like a secret: the log must never hold one."""
    return {k: v for k, v in details.items() if not any(w in k.lower() for w in SECRET_WORDS)}


def entry(event: str, actor, subject: str, details: dict[str, Any]) -> AuditEvent:
    """A new, unsaved audit event (the caller adds it to a session)."""
    return AuditEvent(
        event=event,
        actor_id=actor if isinstance(actor, int) else getattr(actor, "id", None),  # user or id
        subject=subject[:300],
        address=(request.remote_addr or "")[:64] if has_request_context() else "",
        details=json.dumps(_clean(details), ensure_ascii=False, default=str),
    )


def record(event: str, *, actor=None, subject: str = "", **details: Any) -> AuditEvent:
    """Append one security event; the caller's transaction commits it."""
    event_row = entry(event, actor, subject, details)
    db.session.add(event_row)
    return event_row


@contextmanager
def separate_unit_of_work() -> Iterator[Session]:
    """A transaction of its own on its own connection, committed at the end of the block.

    What is written here stays whatever happens to the request's transaction (a failed
    login rolls that one back). The caller must not hold SQLite's write lock meanwhile: it
    is not inside ``tracker.db.unit_of_work``.
    """
    token = write_intent.set(True)
    try:
        with Session(db.engine) as session, session.begin():
            yield session
    finally:
        write_intent.reset(token)


def record_apart(event: str, *, actor=None, subject: str = "", **details: Any) -> None:
    """Append one security event and commit it at once, apart from the caller's transaction."""
    row = entry(event, actor, subject, details)  # reads the actor before the block begins
    with separate_unit_of_work() as session:
        session.add(row)
