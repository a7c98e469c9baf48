"""The agenda mail's attendance links: "we attend" / "we cannot", for one network.

A link is signed with a salt of its own and names its meeting, network, answer, the
manager it was sent to and a nonce: it says one thing about one meeting and is taken once.
Its digest is stored with the reply, so a second use (a reload, a forwarded mail) is told
that the answer is already recorded. It works without a login (the link is the authority)
until the meeting ends, as long as its recipient is an active manager of the network.
Opening it only asks; the answer is a POST: mail systems' link scanners open links.

An answer sets the network's attendance as the live page's box does. "We cannot" defers the
network's undiscussed item entries ahead of time (as closing defers an absent network's);
"we attend" takes that back. When the meeting closes, a deferral is kept only for networks
still absent and entries not discussed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm.util import identity_key

from tracker import events
from tracker.auth.models import User
from tracker.db import db, utcnow
from tracker.i18n import _
from tracker.meetings.models import (
    AgendaEntry,
    Attendance,
    AttendanceReply,
    EntryKind,
    Meeting,
)
from tracker.meetings.services import attendance_of, touch, touch_entries
from tracker.networks.models import Network

_SALT = "meeting-attendance-reply"
TOKEN_MAX = 400  # longer is no token of ours


class LinkRefused(Exception):
    """The link cannot be used: ``status`` 404 (not a link of ours) or 410 (no longer)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class Answer:
    """What a valid link says."""

    meeting: Meeting
    network: Network
    present: bool
    recipient: User
    digest: str


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def meeting_end(meeting: Meeting) -> datetime:
    return meeting.starts_at + timedelta(minutes=meeting.duration_minutes)


def token(meeting: Meeting, network: Network, present: bool, recipient: User) -> str:
    """A new single-use token for one answer of ``recipient``'s network."""
    values = {"m": meeting.id, "n": network.id, "p": int(present), "u": recipient.id}
    return _serializer().dumps({**values, "x": secrets.token_urlsafe(9)})


def links(meeting: Meeting, network: Network, recipient: User) -> dict[str, str]:
    """The absolute addresses of both answers (needs a request context)."""
    return {
        answer: url_for(
            "meetings.attendance_reply",
            token=token(meeting, network, present, recipient),
            _external=True,
        )
        for answer, present in (("present", True), ("absent", False))
    }


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _payload(value: str) -> dict:
    try:
        data = _serializer().loads(value) if len(value) <= TOKEN_MAX else None
    except (BadSignature, ValueError, TypeError):
        data = None
    keys = ("m", "n", "p", "u")
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in keys):
        raise LinkRefused(_("This link is not valid. Please use the link from the mail."), 404)
    return data


def read(value: str) -> Answer:
    """The answer a link gives, or ``LinkRefused`` (tampered, expired, recipient gone)."""
    data = _payload(value)
    meeting = db.session.get(Meeting, data["m"])
    network = db.session.get(Network, data["n"])
    recipient = db.session.get(User, data["u"])
    if meeting is None or network is None:
        raise LinkRefused(_("This link is not valid. Please use the link from the mail."), 404)
    if not meeting.is_open or utcnow() >= meeting_end(meeting):
        raise LinkRefused(_("This meeting is over: its attendance links have expired."), 410)
    if (
        recipient is None
        or not recipient.active
        or not recipient.is_manager  # made an observer since: no longer answers for it
        or recipient.network_id != network.id
    ):
        raise LinkRefused(_("This link is no longer valid."), 410)
    return Answer(meeting, network, bool(data["p"]), recipient, digest(value))


def reply_for(value: str) -> AttendanceReply | None:
    """The reply already recorded with this link, if any."""
    return db.session.scalar(
        select(AttendanceReply).where(AttendanceReply.token_digest == digest(value))
    )


def record(answer: Answer, *, user: User | None) -> AttendanceReply:
    """Store the answer, set the network's attendance, defer or restore its entries."""
    meeting, network = answer.meeting, answer.network
    reply = AttendanceReply(
        meeting_id=meeting.id,
        network_id=network.id,
        present=answer.present,
        replied_by_id=user.id if user is not None else None,
        token_digest=answer.digest,
    )
    db.session.add(reply)
    row = db.session.get(Attendance, (meeting.id, network.id))
    if row is None:
        row = Attendance(meeting=meeting, network=network)
        db.session.add(row)
    row.present = answer.present
    db.session.flush()
    _defer(meeting, network.id, deferred=not answer.present)
    return reply


def _defer(meeting: Meeting, network_id: int, *, deferred: bool) -> None:
    """Mark the network's undiscussed item entries deferred (or not), without new versions.

    An UPDATE, as agenda.py's reasons: nobody's open outcome form turns stale over it.
    """
    ids = list(
        db.session.scalars(
            select(AgendaEntry.id).where(
                AgendaEntry.meeting_id == meeting.id,
                AgendaEntry.network_id == network_id,
                AgendaEntry.kind == EntryKind.ITEM,
                AgendaEntry.removed.is_(False),
                AgendaEntry.discussed.is_(False),
                AgendaEntry.deferred.is_not(deferred),
            )
        )
    )
    if not ids:
        touch(meeting)
        return
    _set_deferred(ids, deferred)
    touch_entries(meeting.id, ids)


def _set_deferred(ids: list[int], deferred: bool) -> None:
    db.session.execute(
        update(AgendaEntry)
        .where(AgendaEntry.id.in_(ids))
        .values(deferred=deferred, updated_at=AgendaEntry.updated_at)
        .execution_options(synchronize_session=False)
    )
    for entry_id in ids:
        entry = db.session.identity_map.get(identity_key(AgendaEntry, entry_id))
        if entry is not None:
            db.session.expire(entry, ["deferred"])


def replies_of(meeting: Meeting) -> list[tuple[AttendanceReply, str | None]]:
    """The meeting's replies, newest first, with the name of who answered when logged in."""
    return list(
        db.session.execute(
            select(AttendanceReply, User.name)
            .outerjoin(User, User.id == AttendanceReply.replied_by_id)
            .where(AttendanceReply.meeting_id == meeting.id)
            .order_by(AttendanceReply.replied_at.desc(), AttendanceReply.id.desc())
        ).tuples()
    )


def _settle_deferrals(meeting: Meeting, **_values) -> None:
    """On closing: an entry deferred ahead of time stays so only if its network was absent.

    Closing has deferred the absent networks' undiscussed entries itself; a deferral by an
    earlier "we cannot" is taken back where the network came after all or the entry was
    discussed, so the carry-over counter counts it.
    """
    absent = {p.network.id for p in attendance_of(meeting) if not p.present}
    ids = [
        entry.id
        for entry in meeting.entries
        if entry.deferred and (entry.discussed or entry.network_id not in absent)
    ]
    if ids:
        _set_deferred(ids, False)


def init_app(app) -> None:
    """Keep deferrals made ahead of time right when a meeting closes."""
    events.meeting_closed.connect(_settle_deferrals)
