"""Rows of work that leave the app: claimed for a lease, retried with backoff, then failed.

The mail outbox (``tracker.mail.sender``) and the webhook deliveries (``tracker.webhooks``)
share this machinery. A model of such work has the columns ``status``, ``attempts``,
``next_attempt_at``, ``claimed_until`` and ``last_error``; its status enum has the members
``QUEUED``, ``SENDING`` and ``FAILED``. The settings are read from the app's config under a
prefix: ``<PREFIX>_BATCH`` (rows per claim), ``_CLAIM_SECONDS`` (how long a claim holds),
``_MAX_ATTEMPTS``, ``_RETRY_SECONDS`` (the first retry's delay, doubling up to
``_RETRY_MAX_SECONDS``).

Claiming is a short unit of work: due rows are marked ``sending`` until the lease runs out
(on PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so two workers never take the same row; on
SQLite the write lock orders them). A worker that dies leaves its rows to the next one once
the lease is over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select, update

from tracker.db import db, unit_of_work, utcnow


@dataclass(frozen=True)
class WorkQueue:
    """One table of due work and the config prefix of its settings."""

    model: type
    statuses: type
    prefix: str

    def setting(self, name: str):
        return current_app.config[f"{self.prefix}_{name}"]

    def due(self, now: datetime):
        """The condition of rows due at ``now``: queued and due, or claimed by a lapsed lease."""
        model, statuses = self.model, self.statuses
        return or_(
            and_(model.status == statuses.QUEUED, model.next_attempt_at <= now),
            and_(model.status == statuses.SENDING, model.claimed_until < now),
        )

    def due_query(self, limit: int, dialect: str):
        """The ids of due rows, oldest first; on PostgreSQL skipping rows others have locked."""
        model = self.model
        query = (
            select(model.id)
            .where(self.due(utcnow()))
            .order_by(model.next_attempt_at, model.id)
            .limit(limit)
        )
        return query.with_for_update(skip_locked=True) if dialect == "postgresql" else query

    def claim(self, limit: int | None = None) -> list[int]:
        """Mark up to ``limit`` due rows as this worker's for a lease; return their ids.

        The update checks again that each row is due, so a row another worker claimed in
        between is not taken twice even where rows cannot be locked.
        """
        now = utcnow()
        with unit_of_work() as session:
            dialect = session.get_bind().dialect.name
            ids = list(session.scalars(self.due_query(limit or self.setting("BATCH"), dialect)))
            if not ids:
                return []
            claimed = session.scalars(
                update(self.model)
                .where(self.model.id.in_(ids), self.due(now))
                .values(
                    status=self.statuses.SENDING,
                    claimed_until=now + timedelta(seconds=self.setting("CLAIM_SECONDS")),
                )
                .returning(self.model.id)
            )
            return sorted(claimed)

    def retry_later(self, row, error: str) -> bool:
        """Count a failed attempt of ``row`` (in the caller's unit of work); True if it is
        queued again, False if it is out of attempts and now failed."""
        row.attempts += 1
        row.last_error = error[:500]
        row.claimed_until = None
        if row.attempts >= self.setting("MAX_ATTEMPTS"):
            row.status = self.statuses.FAILED
            return False
        delay = min(
            self.setting("RETRY_SECONDS") * 2 ** (row.attempts - 1),
            self.setting("RETRY_MAX_SECONDS"),
        )
        row.status = self.statuses.QUEUED
        row.next_attempt_at = utcnow() + timedelta(seconds=delay)
        return True

    def release(self, ids: list[int], error: str) -> None:
        """Give claimed rows back to the queue as they were (the far side was unreachable)."""
        with unit_of_work() as session:
            session.execute(
                update(self.model)
                .where(self.model.id.in_(ids), self.model.status == self.statuses.SENDING)
                .values(status=self.statuses.QUEUED, claimed_until=None, last_error=error[:500])
            )

    def requeue(self, condition) -> int:
        """Queue the rows matching ``condition`` once more, with a fresh count of attempts."""
        result = db.session.execute(
            update(self.model)
            .where(condition)
            .values(
                status=self.statuses.QUEUED,
                attempts=0,
                next_attempt_at=utcnow(),
                claimed_until=None,
            )
        )
        return result.rowcount


# Other kinds of due work the sender's loop (``flask mail deliver``) delivers after each
# batch of mail: a feature registers its ``deliver_due`` in its ``init_app``. Each returns
# a report with ``ids`` (the rows it claimed) and ``handled``.
_DELIVERERS: dict[str, Callable[[], Any]] = {}


def register(name: str, deliver: Callable[[], Any]) -> None:
    """Have the sender's loop deliver this kind of work too."""
    _DELIVERERS[name] = deliver


def deliverers() -> dict[str, Callable[[], Any]]:
    return dict(_DELIVERERS)
