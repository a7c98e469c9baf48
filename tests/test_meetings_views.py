"""Meeting pages through the test client: agenda, live mode, conflicts, tasks."""

import pytest

from tracker.db import db
from tracker.items.models import Item
from tracker.meetings import agenda, services
from tracker.meetings.models import AgendaEntry, MeetingStatus, Task

FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def world(make_network, make_user, make_series, make_item):
    a = make_network("Alpha")
    manager = make_user("manager", a)
    series = make_series()
    meeting = services.upcoming(series)
    item = make_item(actor=manager, title="Sensorpartner gesucht")
    agenda.prepare_agenda(meeting, actor=manager)
    db.session.commit()
    entry = next(e for e in meeting.entries if e.item_id == item.id)
    return dict(
        a=a,
        manager=manager,
        series=series,
        meeting=meeting,
        item=item,
        entry=entry,
        admin=make_user("admin"),
        observer=make_user("observer"),
    )


def test_meeting_pages_render(client, login, world):
    login(world["manager"])
    meeting = world["meeting"]
    for url in [
        "/meetings/",
        f"/meetings/{meeting.id}",
        f"/meetings/{meeting.id}/live",
        "/meetings/tasks",
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get(f"/meetings/{meeting.id}").text
    assert "TOP 1" in page and "Sensorpartner gesucht" in page and "Begrüßung" in page


def test_series_pages_for_admin_only(client, login, world):
    login(world["manager"])
    assert client.get("/meetings/series/new").status_code == 403
    client.post("/logout")
    login(world["admin"])
    assert client.get(f"/meetings/series/{world['series'].id}").status_code == 200


def test_create_series_through_form(client, login, world, make_network):
    make_network("Gamma")
    login(world["admin"])
    response = client.post(
        "/meetings/series/new",
        data={
            "name": "Donnerstagsrunde",
            "weekday": 3,
            "start_time": "10:00",
            "duration_minutes": 90,
            "timezone": "Europe/Berlin",
            "roll_call": "Gamma\nAlpha",
            "standing_topics_start": "Begrüßung",
            "active": "y",
        },
    )
    assert response.status_code == 302
    series = db.session.scalar(db.select(type(world["series"])).filter_by(name="Donnerstagsrunde"))
    assert [n.short_name for n in services.roll_call(series)] == ["Gamma", "Alpha"]
    assert services.upcoming(series) is not None


def test_series_with_unknown_network_keeps_input(client, login, world):
    login(world["admin"])
    response = client.post(
        "/meetings/series/new",
        data={
            "name": "Runde X",
            "weekday": 3,
            "start_time": "10:00",
            "duration_minutes": 90,
            "timezone": "Europe/Berlin",
            "roll_call": "Gibtsnicht",
        },
    )
    assert response.status_code == 400 and "Gibtsnicht" in response.text


def test_live_fragment_answers_304_until_something_changes(client, login, world):
    login(world["manager"])
    url = f"/meetings/{world['meeting'].id}/live/fragment"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    entry = world["entry"]
    client.post(
        f"/meetings/entries/{entry.id}/outcome",
        headers=FETCH,
        data={"version": entry.version, "discussed": "y", "note": "Klärung"},
    )
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_outcome_saved_and_returned_as_fragment(client, login, world):
    login(world["manager"])
    entry = world["entry"]
    response = client.post(
        f"/meetings/entries/{entry.id}/outcome",
        headers=FETCH,
        data={"version": entry.version, "discussed": "y", "decision": "Alpha übernimmt"},
    )
    assert response.status_code == 200 and 'id="entry-' in response.text
    db.session.refresh(entry)
    assert entry.discussed and entry.decision == "Alpha übernimmt"


def test_stale_outcome_answers_409_and_keeps_input(client, login, world):
    login(world["manager"])
    entry = world["entry"]
    stale = entry.version
    entry.decision = "Fassung der anderen"
    db.session.commit()
    response = client.post(
        f"/meetings/entries/{entry.id}/outcome",
        headers=FETCH,
        data={"version": stale, "decision": "Meine Fassung"},
    )
    assert response.status_code == 409
    assert "Meine Fassung" in response.text and "Fassung der anderen" in response.text
    db.session.refresh(entry)
    assert entry.decision == "Fassung der anderen"


def test_item_changed_in_place(client, login, world):
    login(world["manager"])
    entry, item = world["entry"], world["item"]
    response = client.post(
        f"/meetings/entries/{entry.id}/item",
        headers=FETCH,
        data={
            "version": item.version,
            "responsible_network": world["a"].id,
            "follow_up_date": "2030-01-15",
        },
    )
    assert response.status_code == 200
    item = db.session.get(Item, item.id)
    assert item.responsible_network_id == world["a"].id and str(item.follow_up_date) == "2030-01-15"


def test_quick_add_creates_item_on_agenda(client, login, world):
    login(world["manager"])
    meeting = world["meeting"]
    response = client.post(
        f"/meetings/{meeting.id}/quick-add",
        headers=FETCH,
        data={"title": "Fachkräfte für Lasertechnik", "company_name": "Laser GmbH", "kind": "need"},
    )
    assert response.status_code == 200
    item = db.session.get(Item, response.json["id"])
    assert item.source_meeting_id == meeting.id
    assert db.session.scalar(db.select(AgendaEntry).filter_by(item_id=item.id)) is not None


def test_quick_add_without_company_is_a_json_error(client, login, world):
    login(world["manager"])
    response = client.post(
        f"/meetings/{world['meeting'].id}/quick-add",
        headers=FETCH,
        data={"title": "Ohne Firma", "kind": "need"},
    )
    assert response.status_code == 400 and "error" in response.json


def test_task_added_and_listed_for_owner(client, login, world):
    login(world["manager"])
    entry = world["entry"]
    client.post(
        f"/meetings/entries/{entry.id}/tasks",
        headers=FETCH,
        data={
            "title": "Kontakt herstellen",
            "owner": world["manager"].id,
            "due_date": "2030-02-01",
        },
    )
    assert "Kontakt herstellen" in client.get("/meetings/tasks").text
    task = db.session.scalar(db.select(Task))
    client.post(f"/meetings/tasks/{task.id}/done", data={"done": "1"})
    assert "Kontakt herstellen" not in client.get("/meetings/tasks").text


def test_close_freezes_and_creates_next(client, login, world):
    login(world["admin"])
    meeting = world["meeting"]
    assert client.post(f"/meetings/{meeting.id}/close").status_code == 302
    db.session.refresh(meeting)
    assert meeting.status is MeetingStatus.CLOSED
    response = client.post(f"/meetings/{meeting.id}/topics", data={"title": "Zu spät"})
    assert response.status_code == 409
    assert services.upcoming(world["series"]).id != meeting.id


def test_observer_cannot_change_meeting(client, login, world):
    login(world["observer"])
    entry = world["entry"]
    page = client.get(f"/meetings/{world['meeting'].id}/live").text
    assert "entry-outcome" not in page
    response = client.post(f"/meetings/entries/{entry.id}/outcome", data={"note": "x"})
    assert response.status_code == 403


def test_item_timeline_links_to_meeting_with_outcome(client, login, world):
    login(world["manager"])
    entry = world["entry"]
    client.post(f"/meetings/entries/{entry.id}/outcome", data={
        "version": entry.version, "discussed": "y", "decision": "Kontakt über Alpha"})
    client.post("/logout")
    login(world["admin"])  # the moderator closes
    assert client.post(f"/meetings/{world['meeting'].id}/close").status_code == 302
    page = client.get(f"/items/{world['item'].id}").text
    assert f'href="/meetings/{world["meeting"].id}"' in page and "Kontakt über Alpha" in page
