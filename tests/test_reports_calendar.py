"""The secret calendar feed of a user's follow-up dates and tasks."""

from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.db import db, utcnow
from tracker.items.models import ItemStatus
from tracker.meetings.models import Task


@pytest.fixture
def anna(make_network, make_user):
    return make_user("manager", make_network("Alpha"), name="Anna Alpha", locale="en")


def feed_path(client) -> str:
    client.post("/reports/calendar")
    page = client.get("/reports/calendar").get_data(as_text=True)
    start = page.index("http://localhost/reports/calendar/")
    return page[start : page.index('"', start)].removeprefix("http://localhost")


def test_unknown_or_missing_tokens_answer_404(client, anna):
    assert anna.calendar_token is None
    assert client.get("/reports/calendar/.ics").status_code == 404
    assert client.get("/reports/calendar/None.ics").status_code == 404
    assert client.get("/reports/calendar/wrong-token.ics").status_code == 404


def test_feed_lists_follow_ups_and_open_tasks(client, login, anna, make_item, make_user):
    network = anna.network
    mine = make_item(actor=anna, title="Förderlotse", responsible_network=network)
    mine.follow_up_date = date(2026, 12, 3)
    done = make_item(actor=anna, title="Erledigt", responsible_network=network)
    done.status, done.closed_at = ItemStatus.DONE, utcnow()
    make_item(actor=make_user("manager", network), title="Nicht meins", responsible_network=network)
    db.session.add_all(
        [
            Task(title="Protokoll verschicken", owner=anna, due_date=date(2026, 12, 1)),
            Task(title="Schon erledigt", owner=anna, due_date=date(2026, 12, 2), done_at=utcnow()),
        ]
    )
    db.session.commit()
    login(anna)
    path = feed_path(client)
    client.post("/logout")
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.get_data()).walk("VEVENT")
    summaries = {str(e["SUMMARY"]): e for e in events}
    assert len(events) == 2
    follow_up = summaries[f"Follow-up: {mine.reference} Förderlotse"]
    assert follow_up["DTSTART"].dt == date(2026, 12, 3)
    assert str(follow_up["URL"]) == f"http://localhost/items/{mine.id}"
    assert summaries["Task: Protokoll verschicken"]["DTSTART"].dt == date(2026, 12, 1)


def test_renewing_makes_the_old_address_404(client, login, anna):
    login(anna)
    old = feed_path(client)
    new = feed_path(client)
    assert old != new
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200
    events = db.session.scalars(select(AuditEvent.event)).all()
    assert events.count("calendar_feed_renewed") == 2


def test_revoking_makes_the_address_404(client, login, anna):
    login(anna)
    path = feed_path(client)
    response = client.post("/reports/calendar/revoke")
    assert response.status_code == 302
    assert client.get(path).status_code == 404
    assert "/reports/calendar/" not in client.get("/reports/calendar").get_data(as_text=True)


def test_feed_of_a_deactivated_user_is_gone(client, login, anna):
    login(anna)
    path = feed_path(client)
    anna.active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_feed_hides_items_the_user_may_no_longer_see(client, login, anna, make_item, make_network):
    other = make_network("Gamma")
    secret = make_item(title="Vertrauliche Sache", confidential=True, responsible_network=other)
    secret.assignee_id = anna.id  # a stale assignment after a hand-off
    db.session.commit()
    login(anna)
    body = client.get(feed_path(client)).get_data(as_text=True)
    assert "Vertrauliche Sache" not in body
