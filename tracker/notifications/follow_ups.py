"""The daily reminder of follow-ups due today, a job of the mail sender.

Due once a day from the digest's time of day (``DIGEST_TIME``, the initiative's zone): the
open items whose follow-up date is today, to the people of ``recipients.follow_up_people``.
A reminder is one per item, day and person (its dedupe key), also as a note for the digest
and when several senders run the job; each sender remembers the day it has done.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import select

from tracker import clock
from tracker.db import unit_of_work, utcnow
from tracker.items.models import Item, ItemStatus
from tracker.notifications import recipients
from tracker.notifications.delivery import job_state, notify

BATCH = 200


def reminder_time() -> time:
    """The local time of day from which reminders (and the weekly digest) go."""
    return time.fromisoformat(current_app.config["DIGEST_TIME"])


def due_day(now: datetime | None = None) -> date | None:
    """Today in the initiative's zone, once its reminder time has come; else None."""
    local = (now or utcnow()).astimezone(clock.app_zone())
    return local.date() if local.time() >= reminder_time() else None


def run_job() -> None:
    """Remind of today's follow-ups, if this sender has not yet done so today."""
    day = due_day()
    state = job_state()
    if day is None or state.get("follow_ups") == day:
        return
    remind(day)
    state["follow_ups"] = day


def remind(day: date) -> None:
    """Queue the reminders of the open items due on ``day``, a batch per unit of work."""
    after = 0
    while True:
        with unit_of_work() as session:
            batch = list(
                session.scalars(
                    select(Item)
                    .where(
                        Item.status.in_(ItemStatus.open_statuses()),
                        Item.follow_up_date == day,
                        Item.id > after,
                    )
                    .order_by(Item.id)
                    .limit(BATCH)
                )
            )
            for item in batch:
                _remind(item, day)
        if len(batch) < BATCH:
            return
        after = batch[-1].id


def _remind(item: Item, day: date) -> None:
    for user in recipients.follow_up_people(item):
        notify(
            user,
            "follow_up_due",
            item=item,
            dedupe_key=f"follow_up:{item.id}:{day.isoformat()}:{user.id}",
            day=day.isoformat(),
        )
