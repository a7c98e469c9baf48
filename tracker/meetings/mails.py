"""Who gets which meeting mail, and when: the agenda, the minutes, the tasks.

Participants of a meeting are the active users of the networks that take part in it (the
series' roll call, see ``services.attendance_of``: managers and observers alike) and the
coordination office (every active admin). The office sends them the agenda from the
meeting page, as often as it likes (each sending a new iCalendar SEQUENCE). Closing a
meeting queues the minutes (the distribution copy) for the participants and for the
series' informed recipients (people without a login), and every owner of an open task of
the meeting a mail with their tasks. The agenda goes in the copy the office chooses
(internal: each recipient sees what they may see; or the distribution copy); the minutes
on closing always as the distribution copy, which shows no confidential item to anyone.
Everything is queued in the change's unit of work and built per recipient at delivery
(tracker/meetings/mail_content.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select

from tracker import events
from tracker.auth.models import User, UserRole
from tracker.db import db
from tracker.exceptions import InvalidTransition, PermissionDenied, ValidationFailed
from tracker.exports.data import VARIANTS
from tracker.i18n import _
from tracker.mail import outbox
from tracker.mail.models import MessageStatus, OutboxMessage
from tracker.meetings.attendance_replies import replies_of
from tracker.meetings.models import InformedRecipient, Meeting, MeetingSeries, Task
from tracker.meetings.permissions import can_manage_series, require_open
from tracker.meetings.services import attendance_of, touch


def about(meeting: Meeting) -> str:
    return f"meeting:{meeting.id}"


def participants(meeting: Meeting) -> list[User]:
    """The active users of the meeting's networks and the coordination office, by name."""
    networks = [presence.network.id for presence in attendance_of(meeting)]
    return list(
        db.session.scalars(
            select(User)
            .where(User.active, or_(User.role == UserRole.ADMIN, User.network_id.in_(networks)))
            .order_by(User.name, User.id)
        )
    )


def answering_network_id(meeting: Meeting, user: User) -> int | None:
    """The network a participant answers for with the attendance links: a manager's own."""
    return _answering(user, {presence.network.id for presence in attendance_of(meeting)})


def _answering(user: User, taking_part: set[int]) -> int | None:
    return user.network_id if user.is_manager and user.network_id in taking_part else None


def agenda_recipients(meeting: Meeting) -> list[tuple[User, int | None]]:
    """The participants, each with the network they answer for (attendance links), if any."""
    taking_part = {presence.network.id for presence in attendance_of(meeting)}
    return [(user, _answering(user, taking_part)) for user in participants(meeting)]


def check_variant(variant: str) -> str:
    """The copy a sending uses: distribution (no confidential item) or internal."""
    if variant not in VARIANTS:
        raise ValidationFailed(_("Choose the distribution copy or the internal copy."))
    return variant


def send_agenda(meeting: Meeting, *, actor: User, variant: str = "internal") -> int:
    """Queue the agenda for every participant (the coordination office); return how many.

    ``variant`` "internal": each recipient's copy shows what they may see; "distribution":
    no confidential item for anyone. The meeting's revision is raised, so that this
    sending's invitation has a higher SEQUENCE than any before it.
    """
    if not can_manage_series(actor):
        raise PermissionDenied(_("Only the coordination office sends the agenda."))
    check_variant(variant)
    require_open(meeting)
    touch(meeting)
    sequence = meeting.revision
    queued = [
        outbox.enqueue(
            "agenda",
            user=user,
            about=about(meeting),
            meeting=meeting.id,
            sequence=sequence,
            variant=variant,
        )
        for user in participants(meeting)
    ]
    return sum(message is not None for message in queued)


def informed_recipients(series: MeetingSeries) -> list[InformedRecipient]:
    return list(
        db.session.scalars(
            select(InformedRecipient)
            .where(InformedRecipient.series_id == series.id)
            .order_by(func.lower(InformedRecipient.name), InformedRecipient.email)
        )
    )


def add_informed(
    series: MeetingSeries, *, actor: User, email: str, name: str = "", locale: str = "de"
) -> InformedRecipient:
    """Put someone without a login on the series' distribution list for the minutes."""
    if not can_manage_series(actor):
        raise PermissionDenied(_("Only the coordination office manages the distribution list."))
    email = (email or "").strip().lower()
    taken = db.session.scalar(
        select(InformedRecipient.id).where(
            InformedRecipient.series_id == series.id, InformedRecipient.email == email
        )
    )
    if taken is not None:
        raise ValidationFailed(_("This address is on the list already."), field="email")
    recipient = InformedRecipient(
        series_id=series.id, email=email, name=" ".join((name or "").split()), locale=locale
    )
    db.session.add(recipient)
    db.session.flush()
    return recipient


def remove_informed(recipient: InformedRecipient, *, actor: User) -> None:
    """Take someone off the series' distribution list."""
    if not can_manage_series(actor):
        raise PermissionDenied(_("Only the coordination office manages the distribution list."))
    db.session.delete(recipient)
    db.session.flush()


def _queue_minutes(meeting: Meeting, *, variant: str, key: str, **params) -> int:
    """Queue the minutes for the participants (in ``variant``) and the distribution list
    (always the distribution copy); ``key`` tells this sending from earlier ones."""
    queued = [
        outbox.enqueue(
            "minutes",
            user=user,
            about=about(meeting),
            dedupe_key=f"minutes:{key}:u{user.id}",
            meeting=meeting.id,
            variant=variant,
            **params,
        )
        for user in participants(meeting)
    ]
    queued += [
        outbox.enqueue(
            "minutes",
            address=recipient.email,
            name=recipient.name,
            locale=recipient.locale,
            about=about(meeting),
            dedupe_key=f"minutes:{key}:i{recipient.id}",
            meeting=meeting.id,
            informed=recipient.id,
            **params,
        )
        for recipient in informed_recipients(meeting.series)
    ]
    return sum(message is not None for message in queued)


def send_minutes(meeting: Meeting, *, actor: User, variant: str = "distribution") -> int:
    """Send a closed meeting's minutes again (the coordination office); return how many.

    ``variant`` "distribution": no confidential item for anyone; "internal": each
    participant's copy shows what they may see. The distribution list always gets the
    distribution copy.
    """
    if not can_manage_series(actor):
        raise PermissionDenied(_("Only the coordination office sends the minutes."))
    check_variant(variant)
    if not meeting.is_closed:
        raise InvalidTransition(_("Only the minutes of a closed meeting can be sent."))
    touch(meeting)
    sequence = meeting.revision
    return _queue_minutes(
        meeting, variant=variant, key=f"{meeting.id}:s{sequence}", sequence=sequence
    )


def _on_meeting_closed(meeting: Meeting, **_values) -> None:
    """Queue the minutes (the distribution copy) and the tasks of a closed meeting (in the
    closing transaction)."""
    key = f"{meeting.id}"
    _queue_minutes(meeting, variant="distribution", key=key)
    for owner in task_owners(meeting):
        outbox.enqueue(
            "tasks",
            user=owner,
            about=about(meeting),
            dedupe_key=f"tasks:{key}:u{owner.id}",
            meeting=meeting.id,
        )


def task_owners(meeting: Meeting) -> list[User]:
    """The owners of the meeting's open tasks."""
    owners = select(Task.owner_id).where(Task.meeting_id == meeting.id, Task.done_at.is_(None))
    return list(db.session.scalars(select(User).where(User.id.in_(owners)).order_by(User.id)))


@dataclass
class Sending:
    """One press of "send agenda", or a meeting's minutes: when, to how many, how far."""

    kind: str
    queued_at: datetime
    count: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def sent(self) -> int:
        return self.by_status.get(MessageStatus.SENT.value, 0)

    @property
    def failed(self) -> int:
        return self.by_status.get(MessageStatus.FAILED.value, 0)


def sendings(meeting: Meeting) -> list[Sending]:
    """The meeting's agenda sendings (oldest first) and its minutes, from the outbox."""
    rows = db.session.execute(
        select(
            OutboxMessage.kind, OutboxMessage.params, OutboxMessage.status, OutboxMessage.created_at
        )
        .where(OutboxMessage.about == about(meeting), OutboxMessage.kind.in_(("agenda", "minutes")))
        .order_by(OutboxMessage.id)
    )
    found: dict[tuple, Sending] = {}
    for kind, params, status, created_at in rows:
        key = (kind, (params or {}).get("sequence"))
        sending = found.setdefault(key, Sending(kind, created_at))
        sending.count += 1
        sending.by_status[status.value] = sending.by_status.get(status.value, 0) + 1
    return list(found.values())


def panel(meeting: Meeting, viewer: User) -> dict:
    """What the meeting page shows of its mails: sendings (the office), attendance replies."""
    office = can_manage_series(viewer)
    return {
        "can_send": office and meeting.is_open,
        "can_send_minutes": office and meeting.is_closed,
        "sendings": sendings(meeting) if office else [],
        "replies": replies_of(meeting),
    }


def init_app(app) -> None:
    """Register the meeting mails and queue the minutes when a meeting closes."""
    from tracker.meetings import attendance_replies, mail_content

    mail_content.init_app(app)
    attendance_replies.init_app(app)
    events.meeting_closed.connect(_on_meeting_closed)
