"""Recording security events (logins, role changes, exports of personal data, erasures)."""

from __future__ import annotations

import json
from typing import Any

from flask import has_request_context, request

from tracker.audit.models import AuditEvent
from tracker.db import db

SECRET_WORDS = ("password", "token", "secret")


def _clean(details: dict[str, Any]) -> dict[str, Any]:
    """Drop anything that looks like a secret: the log must never hold one."""
    return {k: v for k, v in details.items() if not any(w in k.lower() for w in SECRET_WORDS)}


def record(event: str, *, actor=None, subject: str = "", **details: Any) -> AuditEvent:
    """Append one security event; the caller's transaction commits it."""
    entry = AuditEvent(
        event=event,
        actor_id=getattr(actor, "id", None),
        subject=subject[:300],
        address=(request.remote_addr or "")[:64] if has_request_context() else "",
        details=json.dumps(_clean(details), ensure_ascii=False, default=str),
    )
    db.session.add(entry)
    return entry
