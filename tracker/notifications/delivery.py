"""Telling one user of one event as they chose: a mail now, a note for the digest, nothing."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from tracker import clock
from tracker.auth.models import User
from tracker.db import db
from tracker.items.models import Item
from tracker.items.permissions import can_view
from tracker.mail import outbox, preferences
from tracker.mail.models import Delivery, DigestNote, OutboxMessage

_STATE = "tracker.notifications"


def notify(
    user: User | None,
    topic: str,
    *,
    item: Item | None = None,
    about: str | None = None,
    dedupe_key: str | None = None,
    **params,
) -> None:
    """Tell ``user`` of an event of ``topic`` (in the caller's unit of work), as they chose.

    Nothing for a deactivated user, nor about an ``item`` they may not see. ``dedupe_key``
    makes the notice one of its kind: a second one with the same key is dropped, whether it
    would be a mail or a note for the digest.
    """
    if user is None or not user.active:
        return
    if item is not None:
        if not can_view(user, item):
            return
        params["item"] = item.id
        about = about or f"item:{item.id}"
    delivery = preferences.delivery_for(user, topic)
    if delivery is Delivery.IMMEDIATELY:
        outbox.enqueue(topic, user=user, about=about, dedupe_key=dedupe_key, **params)
    elif delivery is Delivery.DIGEST and wants_digest(user):
        if dedupe_key is not None:
            if noted(user, topic, dedupe_key):
                return
            params["key"] = dedupe_key
        db.session.add(DigestNote(user_id=user.id, topic=topic, params=params))


def wants_digest(user: User) -> bool:
    return preferences.delivery_for(user, preferences.DIGEST) is not Delivery.OFF


def noted(user: User, topic: str, key: str) -> bool:
    """Whether a note with ``key`` waits for the digest, or this week's digest took it."""
    waiting = db.session.scalars(
        select(DigestNote.params).where(DigestNote.user_id == user.id, DigestNote.topic == topic)
    )
    if any(params.get("key") == key for params in waiting):
        return True
    # Keys name their day (a follow-up's): such a note is only ever written on that day, so
    # only this week's digest can have taken it.
    taken = db.session.scalar(
        select(OutboxMessage.params).where(
            OutboxMessage.dedupe_key == digest_key(user.id, clock.today())
        )
    )
    return any(note["params"].get("key") == key for note in (taken or {}).get("notes", []))


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def digest_key(user_id: int, day: date) -> str:
    """The dedupe key of a user's digest of ``day``'s ISO week: ``digest:7:2026-W09``."""
    year, week, _weekday = day.isocalendar()
    return f"digest:{user_id}:{year}-W{week:02d}"


def job_state() -> dict:
    """What this sender's jobs have done already (per app): they run between every batch."""
    return current_app.extensions.setdefault(_STATE, {})
