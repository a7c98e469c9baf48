"""Queueing the weekly digest: a job of the mail sender, and ``flask mail digest``.

Due from ``DIGEST_WEEKDAY`` at ``DIGEST_TIME`` in the initiative's zone until the week
ends (a sender that was down catches up). Each active user with the digest on gets one
digest a week (``delivery.digest_key``), whichever senders run the job how often: in one
unit of work per user, the notes kept for their digest move into the message and are
deleted. What the digest says is worked out at delivery (``digest_mail``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from tracker import clock
from tracker.auth.models import User
from tracker.db import unit_of_work, utcnow
from tracker.mail import outbox, preferences
from tracker.mail.models import Delivery, DigestNote, MailPreference
from tracker.notifications.delivery import digest_key, job_state, wants_digest, week_start
from tracker.notifications.follow_ups import reminder_time

NOTES_KEPT = 200  # per digest; more are counted, not listed


def slot(day: date) -> datetime:
    """When the digest of ``day``'s week is due: its weekday and time, local and aware."""
    weekday = current_app.config["DIGEST_WEEKDAY"]
    return clock.at(week_start(day) + timedelta(days=weekday), reminder_time())


def due_week(now: datetime | None = None) -> date | None:
    """The Monday of the week whose digest is due now, or None before this week's slot."""
    local = (now or utcnow()).astimezone(clock.app_zone())
    return week_start(local.date()) if local >= slot(local.date()) else None


def run_job() -> None:
    """Queue this week's digests once they are due, if this sender has not done so."""
    monday = due_week()
    state = job_state()
    if monday is None or state.get("digest") == monday:
        return
    queue_digests(monday)
    state["digest"] = monday


def queue_digests(monday: date) -> int:
    """Queue the digest of ``monday``'s week for each user who has it on; return how many."""
    users = (
        select(User.id)
        .where(User.active.is_(True), User.id.not_in(_digest_off()))
        .order_by(User.id)
    )
    with unit_of_work() as session:
        user_ids = list(session.scalars(users))
    queued = 0
    for user_id in user_ids:
        try:
            queued += _queue_one(user_id, monday)
        except IntegrityError:  # another sender queued it at the same moment (PostgreSQL)
            continue
    _drop_unwanted_notes()
    return queued


def _digest_off():
    return select(MailPreference.user_id).where(
        MailPreference.topic == preferences.DIGEST, MailPreference.delivery == Delivery.OFF
    )


def _queue_one(user_id: int, monday: date) -> bool:
    with unit_of_work() as session:
        user = session.get(User, user_id)
        if user is None or not user.active or not wants_digest(user):
            return False
        message = outbox.enqueue(
            "digest",
            user=user,
            about=f"user:{user.id}",
            dedupe_key=digest_key(user.id, monday),
            week=monday.isoformat(),
        )
        if message is None:  # this week's is queued already
            return False
        notes = list(
            session.scalars(
                select(DigestNote).where(DigestNote.user_id == user.id).order_by(DigestNote.id)
            )
        )
        message.params = {
            "week": monday.isoformat(),
            "notes": [_note(n) for n in notes[:NOTES_KEPT]],
            "notes_left_out": max(0, len(notes) - NOTES_KEPT),
        }
        if notes:
            session.execute(delete(DigestNote).where(DigestNote.id.in_([n.id for n in notes])))
        return True


def _note(note: DigestNote) -> dict:
    return {"topic": note.topic, "params": note.params, "at": note.created_at.isoformat()}


def _drop_unwanted_notes() -> None:
    """Notes of users who get no digest (deactivated, or the digest off) would only pile up."""
    unwanted = select(User.id).where(or_(User.active.is_(False), User.id.in_(_digest_off())))
    with unit_of_work() as session:
        session.execute(delete(DigestNote).where(DigestNote.user_id.in_(unwanted)))
