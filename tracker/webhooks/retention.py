"""Keeping the delivery logs short: finished deliveries older than ``WEBHOOKS_KEEP_DAYS`` go.

A job of the sender's loop (``tracker.mail.jobs``); it looks at most once an hour in each
process, and deleting what another sender deleted already is harmless.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from tracker.db import unit_of_work, utcnow
from tracker.webhooks import services

EVERY = timedelta(hours=1)
_last_run: list[datetime] = []


def run_job() -> int:
    """Delete the old finished deliveries if an hour has passed since the last look."""
    now = utcnow()
    if _last_run and now - _last_run[-1] < EVERY:
        return 0
    _last_run[:] = [now]
    with unit_of_work():
        return services.prune(now - timedelta(days=current_app.config["WEBHOOKS_KEEP_DAYS"]))
