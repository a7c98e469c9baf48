"""Writing messages into the outbox, inside the unit of work of the change that causes them.

    with unit_of_work():
        item = services.hand_off(...)
        outbox.enqueue("handoff_offered", user=manager, about=f"item:{item.id}", item=item.id)

Parameters are plain JSON values (ids, not records): the builder of the kind loads what it
needs at delivery, as the recipient may see it then.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from tracker.auth.models import User
from tracker.db import db
from tracker.due_work import WorkQueue
from tracker.exceptions import InvalidTransition
from tracker.i18n import _
from tracker.mail.models import MessageStatus, OutboxMessage

# The outbox's claims, leases and retries; its settings are the MAIL_* ones.
QUEUE = WorkQueue(OutboxMessage, MessageStatus, "MAIL")


def enqueue(
    kind: str,
    *,
    user: User | None = None,
    address: str | None = None,
    name: str = "",
    locale: str | None = None,
    about: str | None = None,
    dedupe_key: str | None = None,
    **params,
) -> OutboxMessage | None:
    """Add one message for ``user`` (or a bare ``address``) to the current transaction.

    Deactivated users get nothing. With a ``dedupe_key`` already in the outbox the message
    is not added again (and None is returned).
    """
    from tracker.mail import kinds

    kinds.builder(kind)  # an unknown kind fails here, in the change, not later in the sender
    if user is not None:
        if not user.active:
            return None
        address, name = user.email, name or user.name
        locale = locale or user.locale
    if not address:
        raise ValueError("a message needs a user or an address")
    session = db.session
    if dedupe_key is not None:
        session.flush()
        taken = session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if taken is not None:
            return None
    message = OutboxMessage(
        kind=kind,
        user_id=user.id if user is not None else None,
        address=address,
        name=name[:200],
        locale=locale or current_app.config["BABEL_DEFAULT_LOCALE"],
        about=about,
        dedupe_key=dedupe_key,
        params=params,
    )
    session.add(message)
    return message


def send_again(message: OutboxMessage) -> None:
    """Queue a failed, skipped or sent message once more, with a fresh count of attempts."""
    if message.status in (MessageStatus.QUEUED, MessageStatus.SENDING):
        raise InvalidTransition(_("This message is on its way already."))
    _requeue(OutboxMessage.id == message.id)


def send_failed_again() -> int:
    """Queue every failed message once more; return how many."""
    return _requeue(OutboxMessage.status == MessageStatus.FAILED)


def _requeue(condition) -> int:
    return QUEUE.requeue(condition)
