"""A create form sent twice (the answer was lost, the user pressed again) makes one record."""

import re

import pytest
from sqlalchemy import func, select

from tracker.db import db
from tracker.items.models import Item
from tracker.meetings import services as meetings

FETCH = {"X-Requested-With": "fetch"}


def _items() -> int:
    return db.session.scalar(select(func.count(Item.id)))


def _key(page: str) -> str:
    return re.search(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"', page)[1]


@pytest.fixture
def manager(login, make_user, make_network):
    user = make_user("manager", make_network("Alpha"))
    login(user)
    return user


def test_item_form_sent_twice_creates_one_item_and_shows_it(client, manager):
    key = _key(client.get("/items/new").text)
    data = {"title": "Partner für KI-Pilot", "company_name": "Sensorik GmbH", "kind": "request",
            "priority": "normal", "source": "phone", "submission_key": key}
    first = client.post("/items/new", data=data)
    second = client.post("/items/new", data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _items() == 1
    assert "schon gesendet" in client.get(second.headers["Location"]).text


def test_each_shown_form_has_its_own_key(client, manager):
    assert _key(client.get("/items/new").text) != _key(client.get("/items/new").text)


def test_quick_add_sent_twice_answers_with_the_same_item(client, manager, make_series):
    meeting = meetings.upcoming(make_series())
    db.session.commit()
    key = _key(client.get(f"/meetings/{meeting.id}/live").text)
    data = {"title": "Wasserstofflabor", "company_name": "Gaswerk AG", "kind": "need",
            "submission_key": key}
    first = client.post(f"/meetings/{meeting.id}/quick-add", headers=FETCH, data=data)
    second = client.post(f"/meetings/{meeting.id}/quick-add", headers=FETCH, data=data)
    assert first.status_code == second.status_code == 200
    assert first.json["reference"] == second.json["reference"]
    assert _items() == 1
    assert first.json["next_key"] != key  # the page's next quick-add is a new form


def test_someone_elses_key_creates_nothing(client, login, manager, make_user):
    key = _key(client.get("/items/new").text)
    data = {"title": "Erstes", "company_name": "A GmbH", "kind": "request", "priority": "normal",
            "source": "phone", "submission_key": key}
    client.post("/items/new", data=data)
    client.post("/logout")
    login(make_user("manager", manager.network))
    client.post("/items/new", data={**data, "title": "Zweites"})
    assert _items() == 1
