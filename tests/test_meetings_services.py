"""Meeting series scheduling: the next meeting always exists; moving and cancelling."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tracker.db import db
from tracker.exceptions import InvalidTransition, PermissionDenied, ValidationFailed
from tracker.meetings import services
from tracker.meetings.models import Meeting, MeetingStatus

BERLIN = ZoneInfo("Europe/Berlin")


def test_new_series_has_its_next_meeting(make_series):
    series = make_series(weekday=3, start_time=time(10, 0))
    meetings = db.session.scalars(select(Meeting).where(Meeting.series_id == series.id)).all()
    assert len(meetings) == 1
    local = meetings[0].starts_at.astimezone(BERLIN)
    assert local.weekday() == 3 and local.time() == time(10, 0)
    assert meetings[0].starts_at > datetime.now(UTC)


def test_next_occurrence_respects_summer_time(make_series):
    series = make_series(weekday=3, start_time=time(10, 0))
    summer = services.next_occurrence(series, datetime(2026, 7, 1, tzinfo=UTC))
    winter = services.next_occurrence(series, datetime(2026, 12, 1, tzinfo=UTC))
    assert (summer.hour, winter.hour) == (8, 9)  # 10:00 in Berlin


def test_cancel_creates_the_following_meeting(make_series, make_user):
    series = make_series()
    first = services.upcoming(series)
    services.cancel_meeting(first, actor=make_user("admin"), expected_version=first.version)
    db.session.commit()
    following = services.upcoming(series)
    assert first.status is MeetingStatus.CANCELLED
    # A week later in Berlin wall time: across a change of summer time that is 7 days ± 1 h.
    local = (first.starts_at.astimezone(BERLIN), following.starts_at.astimezone(BERLIN))
    assert local[1].date() - local[0].date() == timedelta(days=7)
    assert local[1].time() == local[0].time() == time(10, 0)


def test_manager_cannot_cancel(make_series, make_user):
    meeting = services.upcoming(make_series())
    with pytest.raises(PermissionDenied):
        services.cancel_meeting(meeting, actor=make_user("manager"), expected_version=None)


def test_move_planned_meeting(make_series, make_user):
    meeting = services.upcoming(make_series())
    target = meeting.starts_at + timedelta(days=1, hours=2)
    services.move_meeting(
        meeting, actor=make_user("admin"), starts_at=target, expected_version=meeting.version
    )
    assert meeting.starts_at == target


def test_closed_meeting_cannot_be_moved(make_meeting, make_user):
    meeting = make_meeting(status=MeetingStatus.CLOSED)
    with pytest.raises(InvalidTransition):
        services.move_meeting(
            meeting, actor=make_user("admin"), starts_at=meeting.starts_at, expected_version=None
        )


def test_series_rejects_bad_video_link(make_series):
    with pytest.raises(ValidationFailed):
        make_series(video_link="javascript:alert(1)")


def test_roll_call_order_is_kept(make_series, make_network):
    b, a = make_network("B"), make_network("A")
    series = make_series()
    services.set_roll_call(series, [b, a])
    assert [n.short_name for n in services.roll_call(series)] == ["B", "A"]


def test_default_follow_up_is_next_meeting_plus_14_days(make_series, make_item):
    series = make_series()
    meeting_day = services.local_date(services.upcoming(series))
    assert make_item().follow_up_date == meeting_day + timedelta(days=14)
