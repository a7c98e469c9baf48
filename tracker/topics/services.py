"""Topics: created and renamed by admins, attached to items."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.db import db
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.topics.models import Topic
from tracker.versioning import check_version, flush_or_conflict


def active_topics() -> list[Topic]:
    """Topics that can be chosen for items, by name."""
    return list(db.session.scalars(select(Topic).where(Topic.active).order_by(Topic.name)))


def all_topics() -> list[Topic]:
    """Every topic, by name."""
    return list(db.session.scalars(select(Topic).order_by(Topic.name)))


def _check_name(name: str, topic_id: int | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("A name is required."), field="name")
    clash = db.session.scalar(
        select(Topic).where(func.lower(Topic.name) == name.lower(), Topic.id != (topic_id or 0))
    )
    if clash:
        raise ValidationFailed(_("This topic exists already."), field="name")
    return name


def save_topic(
    *,
    actor: User,
    name: str,
    active: bool = True,
    topic: Topic | None = None,
    expected_version: int | None = None,
) -> Topic:
    """Create a topic or rename/(de)activate one; admins only."""
    if not actor.is_admin:
        raise PermissionDenied(_("Only the coordination office manages topics."))
    name = _check_name(name, topic.id if topic else None)
    if topic is None:
        topic = Topic(name=name, active=active)
        db.session.add(topic)
    else:
        check_version(topic, expected_version)
        topic.name, topic.active = name, active
    flush_or_conflict(topic, expected_version)
    return topic
