"""Editing a meeting series: its settings, its roll call by network names, its feed address."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select

from tracker import clock
from tracker.audit import services as audit
from tracker.auth.models import User
from tracker.db import db, utcnow
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.meetings.models import Meeting, MeetingSeries, MeetingStatus
from tracker.meetings.permissions import can_manage_series
from tracker.meetings.services import ensure_next_meeting, next_occurrence, set_roll_call
from tracker.networks.models import Network
from tracker.versioning import check_version, flush_or_conflict

SERIES_FIELDS = (
    "name",
    "weekday",
    "start_time",
    "duration_minutes",
    "timebox_minutes",
    "timezone",
    "video_link",
    "standing_topics_start",
    "standing_topics_end",
    "active",
)


def _check_series_values(values: dict[str, Any]) -> None:
    if not (values.get("name") or "").strip():
        raise ValidationFailed(_("A name is required."), field="name")
    try:
        clock.zone(values.get("timezone"))
    except (KeyError, ValueError) as exc:
        raise ValidationFailed(_("Unknown time zone."), field="timezone") from exc
    if not 0 <= int(values.get("weekday", 3)) <= 6:
        raise ValidationFailed(_("Unknown weekday."), field="weekday")
    link = (values.get("video_link") or "").strip()
    if link and not link.startswith(("https://", "http://")):
        raise ValidationFailed(
            _("Please give a web address starting with http or https."), field="video_link"
        )


def save_series(
    *,
    actor: User,
    series: MeetingSeries | None = None,
    expected_version: int | None = None,
    roll_call: list[str] | None = None,
    **values: Any,
) -> MeetingSeries:
    """Create or change a meeting series (admins); its next meeting is created.

    ``roll_call`` names the networks (short names) in the order they report.
    """
    if not can_manage_series(actor):
        raise PermissionDenied(_("Only the coordination office manages meeting series."))
    _check_series_values(values)
    order = networks_named(roll_call) if roll_call is not None else None
    clash = db.session.scalar(
        select(MeetingSeries.id).where(
            MeetingSeries.name == values["name"].strip(),
            MeetingSeries.id != (series.id if series else 0),
        )
    )
    if clash:
        raise ValidationFailed(_("Another series has this name."), field="name")
    if series is None:
        series = MeetingSeries()
        db.session.add(series)
    else:
        check_version(series, expected_version)
    for field in SERIES_FIELDS:
        if field in values:
            setattr(series, field, values[field])
    series.name = series.name.strip()
    flush_or_conflict(series, expected_version)
    if order is not None:
        set_roll_call(series, order)
    _reschedule_planned(series)
    ensure_next_meeting(series)
    return series


def networks_named(names: list[str]) -> list[Network]:
    """The networks with these short names, in this order; unknown names are refused."""
    names = [name.strip() for name in names if name.strip()]
    found = {n.short_name: n for n in db.session.scalars(select(Network))}
    unknown = [name for name in names if name not in found]
    if unknown:
        raise ValidationFailed(
            _("Unknown networks: %(names)s", names=", ".join(unknown)), field="roll_call"
        )
    return [found[name] for name in names]


def _reschedule_planned(series: MeetingSeries) -> None:
    """Planned meetings without a prepared agenda follow a changed weekday or time."""
    for meeting in db.session.scalars(
        select(Meeting).where(
            Meeting.series_id == series.id,
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.agenda_prepared_at.is_(None),
            Meeting.starts_at > utcnow(),
        )
    ):
        meeting.starts_at = next_occurrence(series, utcnow())
        meeting.duration_minutes = series.duration_minutes


def renew_feed_token(series: MeetingSeries, *, actor: User) -> str:
    """Give the series' calendar feed a new secret address; the old one stops at once.

    The feed holds the meetings' times, states and the video link, nothing of any item.
    """
    if not can_manage_series(actor):
        raise PermissionDenied(_("Only the coordination office manages meeting series."))
    renewed = series.feed_token is not None
    series.feed_token = secrets.token_urlsafe(32)
    audit.record(
        "series_feed_renewed" if renewed else "series_feed_created",
        actor=actor,
        subject=f"series:{series.id}",
    )
    db.session.flush()
    return series.feed_token


def series_for_feed(token: str) -> MeetingSeries | None:
    """The series whose feed address holds ``token``."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(MeetingSeries).where(MeetingSeries.feed_token == token))
