"""Which notifications a user gets, and how: immediately, in the weekly digest, or not.

A topic without a stored choice has its default. The weekly digest itself is a topic
(immediately = on, off = off).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from tracker.auth.models import User
from tracker.db import db
from tracker.i18n import _l
from tracker.mail.models import Delivery, MailPreference

DIGEST = "digest"


@dataclass(frozen=True)
class Topic:
    name: str
    label: object
    default: Delivery
    choices: tuple[Delivery, ...] = (Delivery.IMMEDIATELY, Delivery.DIGEST, Delivery.OFF)


TOPICS: dict[str, Topic] = {
    topic.name: topic
    for topic in (
        Topic("handoff_offered", _l("An item is offered to my network"), Delivery.IMMEDIATELY),
        Topic(
            "handoff_answered",
            _l("My hand-off was accepted or returned"),
            Delivery.IMMEDIATELY,
        ),
        Topic("assigned", _l("I was made assignee of an item"), Delivery.IMMEDIATELY),
        Topic("commented", _l("A comment on an item of mine"), Delivery.DIGEST),
        Topic("mentioned", _l("Someone mentioned me in a comment"), Delivery.IMMEDIATELY),
        Topic("followed", _l("Changes of items I follow"), Delivery.DIGEST),
        Topic("task_assigned", _l("A task was assigned to me"), Delivery.IMMEDIATELY),
        Topic("follow_up_due", _l("The follow-up of my item is due"), Delivery.DIGEST),
        Topic(
            DIGEST,
            _l("The weekly digest"),
            Delivery.IMMEDIATELY,
            choices=(Delivery.IMMEDIATELY, Delivery.OFF),
        ),
    )
}


def topic(name: str) -> Topic:
    try:
        return TOPICS[name]
    except KeyError:
        raise LookupError(f"no mail topic {name!r}") from None


def choices_of(user: User) -> dict[str, Delivery]:
    """Every topic's delivery for the user (stored choice or default)."""
    stored = dict(
        db.session.execute(
            select(MailPreference.topic, MailPreference.delivery).where(
                MailPreference.user_id == user.id
            )
        ).all()
    )
    return {name: stored.get(name, t.default) for name, t in TOPICS.items()}


def delivery_for(user: User, name: str) -> Delivery:
    """How ``user`` wants notifications of topic ``name``; OFF for deactivated users."""
    if not user.active:
        return Delivery.OFF
    stored = db.session.get(MailPreference, (user.id, name))
    return stored.delivery if stored is not None else topic(name).default


def set_delivery(user: User, name: str, delivery: Delivery) -> None:
    """Store the user's choice for one topic (in the caller's unit of work)."""
    chosen = topic(name)
    if delivery not in chosen.choices:
        raise ValueError(f"{delivery} is no choice for {name}")
    stored = db.session.get(MailPreference, (user.id, name))
    if stored is None:
        db.session.add(MailPreference(user_id=user.id, topic=name, delivery=delivery))
    else:
        stored.delivery = delivery
