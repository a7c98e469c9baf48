"""iCalendar: a meeting invitation in Berlin time, a series feed with its recurrence."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from icalendar import Calendar

from tracker.db import db
from tracker.exports import ical
from tracker.meetings.documents import build_document, build_series_calendar
from tracker.meetings.models import AgendaEntry, EntryKind, EntryReason, MeetingStatus
from tracker.meetings.services import upcoming

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # Thursday, 10:00 in Berlin


def invitation(meeting, viewer, locale="de") -> Calendar:
    with force_locale(locale):
        doc = build_document(meeting, viewer=viewer, kind="agenda")
    return Calendar.from_ical(ical.meeting_invitation(doc))


def feed(series) -> Calendar:
    return Calendar.from_ical(ical.series_feed(*build_series_calendar(series)))


def test_invitation_starts_in_berlin_time_with_a_stable_uid(make_meeting, make_user):
    meeting = make_meeting(starts_at=START)
    calendar = invitation(meeting, make_user("admin"))
    event = calendar.events[0]
    assert calendar["METHOD"] == "PUBLISH"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert (event.start, event.end) == (
        datetime(2026, 11, 26, 10, 0, tzinfo=BERLIN),
        datetime(2026, 11, 26, 11, 30, tzinfo=BERLIN),
    )
    assert event["UID"] == f"meeting-{meeting.id}@bedarfsregister"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_invitation_describes_the_agenda_and_links_the_call(make_meeting, make_user):
    meeting = make_meeting(starts_at=START)
    db.session.add(
        AgendaEntry(
            meeting=meeting,
            position=1,
            kind=EntryKind.FREE,
            reason=EntryReason.MANUAL,
            title="Wärmepumpen – Rückfragen",
        )
    )
    db.session.commit()
    event = invitation(meeting, make_user("admin")).events[0]
    assert "TOP 1 Wärmepumpen – Rückfragen" in event["DESCRIPTION"]
    assert event["LOCATION"] == event["URL"] == meeting.video_link
    assert event["SUMMARY"] == meeting.series.name


def test_series_feed_repeats_on_the_series_weekday(make_series):
    series = make_series(weekday=1, start_time=time(14, 30))
    calendar = feed(series)
    [event] = calendar.events  # the next meeting is regular: no override
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["TU"]
    assert event.start.astimezone(BERLIN).time() == time(14, 30)
    assert event.start.weekday() == 1
    assert calendar["X-WR-CALNAME"] == series.name


def regular_start(series, weeks: int) -> datetime:
    """The series' regular start ``weeks`` after its next meeting, in Berlin wall time."""
    return upcoming(series).starts_at.astimezone(BERLIN) + timedelta(weeks=weeks)


def test_series_feed_excludes_a_cancelled_meeting(make_series, make_meeting):
    series = make_series(weekday=3)
    start = regular_start(series, 2)
    make_meeting(series=series, starts_at=start, status=MeetingStatus.CANCELLED)
    event = feed(series).events[0]
    assert event["RRULE"]["BYDAY"] == ["TH"]
    assert [d.dt for d in event["EXDATE"].dts] == [start]
    assert event["EXDATE"].params["TZID"] == "Europe/Berlin"


def test_series_feed_overrides_a_moved_meeting(make_series, make_meeting):
    series = make_series(weekday=3)
    slot = regular_start(series, 3)
    moved = make_meeting(series=series, starts_at=slot + timedelta(days=1, hours=2))
    events = feed(series).events
    override = next(e for e in events if "RECURRENCE-ID" in e)
    assert override["UID"] == events[0]["UID"] == f"series-{series.id}@bedarfsregister"
    assert override["RECURRENCE-ID"].dt == slot
    assert override.start == moved.starts_at


def test_regular_slot_is_the_nearest_occurrence(make_series):
    data, _meetings = build_series_calendar(make_series(weekday=3, start_time=time(10, 0)))
    sunday = datetime(2026, 11, 29, 15, 0, tzinfo=BERLIN)
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
    assert ical.regular_slot(data, sunday) == datetime(2026, 11, 26, 10, 0, tzinfo=BERLIN)
    assert ical.regular_slot(data, monday) == datetime(2026, 12, 3, 10, 0, tzinfo=BERLIN)


def test_time_zone_changes_start_at_the_local_time_before_them(make_meeting, make_user):
    """RFC 5545 3.6.5: summer time begins at 02:00 CET, winter time at 03:00 CEST."""
    calendar = invitation(make_meeting(starts_at=START), make_user("admin"))
    starts = {
        (sub.name, sub.DTSTART.year): sub.DTSTART.strftime("%m-%d %H:%M")
        for zone in calendar.walk("VTIMEZONE")
        for sub in zone.subcomponents
        if sub["TZOFFSETFROM"].td != sub["TZOFFSETTO"].td
    }
    assert starts == {("DAYLIGHT", 2026): "03-29 02:00", ("STANDARD", 2026): "10-25 03:00"}


def test_series_feed_has_a_secret_address_the_office_renews(app, client, login, make_meeting,
                                                             make_user):  # fmt: skip
    import re

    meeting = make_meeting(starts_at=START)
    page = f"/meetings/series/{meeting.series_id}/subscription"
    login(make_user("manager"))
    assert "noch keine Abo-Adresse" in client.get(page).get_data(as_text=True)
    assert client.post(page).status_code == 403
    client.post("/logout")
    login(make_user("admin"))
    client.post(page)
    shown = client.get(page).get_data(as_text=True)
    first = re.search(r'id="feed-url" type="text" value="http://localhost(/[^"]+)"', shown)[1]
    anonymous = app.test_client()
    calendar = Calendar.from_ical(anonymous.get(first).data)
    assert calendar.events[0]["UID"] == f"series-{meeting.series_id}@bedarfsregister"
    assert client.post(page, follow_redirects=True).status_code == 200  # renewed
    assert anonymous.get(first).status_code == 404
    renewed = f"/meetings/series/feed/{meeting.series.feed_token}.ics"
    assert renewed != first and anonymous.get(renewed).status_code == 200
