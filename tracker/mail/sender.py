"""Delivering the outbox: claim due messages, render each, send it, record what happened.

Claiming, leases and retries are those of ``tracker.due_work`` (the webhooks use them too):
due rows are marked ``sending`` until a lease runs out (on PostgreSQL with ``FOR UPDATE SKIP
LOCKED``, so two senders never take the same row; on SQLite the write lock orders them).
Rendering and SMTP happen outside any write. Each message's outcome is written at once:
sent; refused for good (failed, the address noted as a bounce); a passing error (retried
after a delay that doubles, failed after ``MAIL_MAX_ATTEMPTS``). When the server cannot be
reached at all, the claimed messages go back to the queue untouched: an outage costs no
attempts, and they leave as soon as it ends.
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass, field

from flask import current_app

from tracker import due_work
from tracker.auth.models import User
from tracker.db import db, unit_of_work, utcnow
from tracker.i18n import force_locale
from tracker.mail import compose, kinds, smtp, unsubscribe
from tracker.mail.models import MailBounce, MessageStatus, OutboxMessage
from tracker.mail.outbox import QUEUE

log = logging.getLogger(__name__)


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    unreachable: str = ""  # the server's error when it could not be reached
    ids: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.skipped


def due_query(limit: int, dialect: str):
    """The ids of due messages, oldest first; on PostgreSQL skipping rows others have locked."""
    return QUEUE.due_query(limit, dialect)


def claim(limit: int | None = None) -> list[int]:
    """Mark up to ``limit`` due messages as this sender's for a lease; return their ids."""
    return QUEUE.claim(limit)


def deliver_due(limit: int | None = None) -> Report:
    """Claim one batch of due messages and deliver it."""
    report = Report()
    ids = claim(limit)
    if not ids:
        return report
    report.ids = ids
    connection = None
    try:
        for position, message_id in enumerate(ids):
            message = db.session.get(OutboxMessage, message_id)
            built = _build(message)
            if isinstance(built, Exception):
                _finish(message_id, MessageStatus.FAILED, error=f"render: {built}")
                report.failed += 1
                continue
            if built is None:
                _finish(message_id, MessageStatus.SKIPPED)
                report.skipped += 1
                continue
            subject, email = built
            if connection is None:
                try:
                    connection = smtp.connect()
                except (OSError, smtplib.SMTPException) as exc:
                    report.unreachable = _describe(exc)
                    _release(ids[position:], report.unreachable)
                    return report
            report_outcome = _send(connection, message_id, subject, email)
            setattr(report, report_outcome, getattr(report, report_outcome) + 1)
            if report_outcome == "retried":  # the connection may be gone: a new one next
                connection = _close(connection)
    finally:
        _close(connection)
        db.session.rollback()  # end the reads of the last message
    return report


def _build(message: OutboxMessage):
    """(subject, EmailMessage), None for nothing to say, or the exception building raised."""
    user = db.session.get(User, message.user_id) if message.user_id else None
    if message.user_id and (user is None or not user.active):
        return None
    kind = kinds.builder(message.kind)
    config = current_app.config
    try:
        with (
            current_app.test_request_context(base_url=config["BASE_URL"]),
            force_locale(message.locale),
        ):
            mail = kind.build(message)
            if mail is None:
                return None
            link = unsubscribe.link(user, kind.topic) if user and kind.topic else None
            email = compose.message(mail, to=message.address, name=message.name, unsubscribe=link)
    except Exception as exc:  # noqa: BLE001 - a broken builder fails its message, not the sender
        log.exception("mail %s (%s) could not be built", message.id, message.kind)
        return exc
    return mail.subject, email


def _send(connection, message_id: int, subject: str, email) -> str:
    try:
        smtp.send(connection, email)
    except smtp.Permanent as exc:
        _finish(message_id, MessageStatus.FAILED, error=str(exc), subject=subject, bounce=True)
        return "failed"
    except (OSError, smtplib.SMTPException) as exc:
        return _retry(message_id, _describe(exc), subject)
    _finish(message_id, MessageStatus.SENT, subject=subject, message_id_header=email["Message-ID"])
    return "sent"


def _retry(message_id: int, error: str, subject: str) -> str:
    with unit_of_work():
        message = db.session.get(OutboxMessage, message_id)
        message.subject = subject[:300]
        again = QUEUE.retry_later(message, error)
    return "retried" if again else "failed"


def _finish(
    message_id: int,
    status: MessageStatus,
    *,
    error: str = "",
    subject: str = "",
    message_id_header: str = "",
    bounce: bool = False,
) -> None:
    with unit_of_work() as session:
        message = session.get(OutboxMessage, message_id)
        message.status, message.claimed_until = status, None
        message.attempts += 1
        if error:
            message.last_error = error[:500]
        if subject:
            message.subject = subject[:300]
        if status == MessageStatus.SENT:  # an error of an earlier attempt is over
            message.sent_at, message.message_id = utcnow(), message_id_header[:200]
            message.last_error = ""
        if bounce:
            _note_bounce(session, message.address, error)


def _note_bounce(session, address: str, reason: str) -> None:
    bounce = session.get(MailBounce, address)
    if bounce is None:
        session.add(MailBounce(address=address, reason=reason[:500]))
    else:
        bounce.count += 1
        bounce.reason, bounce.last_at = reason[:500], utcnow()


def _release(ids: list[int], error: str) -> None:
    """Give claimed messages back to the queue as they were: the server was not reachable."""
    QUEUE.release(ids, error)


def _close(connection) -> None:
    if connection is not None:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    return None


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def run(*, once: bool = False, jobs=(), stop=lambda: False) -> None:
    """Deliver until stopped: batches while there is due work, else wait and poll.

    ``jobs`` are called between batches (the digest, reminders); each decides itself
    whether it is due. After each batch of mail, the other kinds of due work registered with
    ``tracker.due_work.register`` (webhooks) deliver a batch of theirs. An unreachable mail
    server makes the sender wait longer, up to a minute.
    """
    poll = current_app.config["MAIL_POLL_SECONDS"]
    pause = poll
    while not stop():
        for job in jobs:
            try:
                job()
            except Exception:  # noqa: BLE001 - a failing job must not stop delivery
                log.exception("mail job %r failed", job)
        report = deliver_due()
        _log(report)
        busy = bool(report.ids) and not report.unreachable
        busy = _deliver_others() or busy
        if report.unreachable:
            log.warning("mail server unreachable: %s", report.unreachable)
            pause = min(pause * 2, 60)
        else:
            pause = poll
        if once and not busy:
            return
        if not busy:
            time.sleep(pause)


def _log(report: Report) -> None:
    if report.handled:
        log.info(
            "mail: %d sent, %d to retry, %d failed, %d skipped",
            report.sent,
            report.retried,
            report.failed,
            report.skipped,
        )


def _deliver_others() -> bool:
    """One batch of each other kind of due work; whether any claimed something."""
    busy = False
    for name, deliver in due_work.deliverers().items():
        try:
            busy = bool(deliver().ids) or busy
        except Exception:  # noqa: BLE001 - one kind of work must not stop the others
            log.exception("delivering %s failed", name)
    return busy
