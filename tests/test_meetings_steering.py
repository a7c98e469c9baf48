"""Who steers the live meeting: the office or the person it hands the meeting to."""

from datetime import UTC, datetime

import pytest

from tracker.db import db
from tracker.meetings import agenda, services, steering
from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus

FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def world(make_network, make_user, make_series, make_item):
    """A running meeting with items of two networks; the office, two managers, an observer."""
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna = make_user("manager", alpha, name="Anna Alpha")
    bert = make_user("manager", beta, name="Bert Beta")
    series = make_series()
    meeting = services.upcoming(series)
    for network in (alpha, alpha, beta):
        make_item(actor=anna, title=f"Anliegen {network.short_name}", responsible_network=network)
    agenda.prepare_agenda(meeting, actor=anna)
    services.start_meeting(meeting, actor=anna)
    db.session.commit()
    entries = [e for e in sorted(meeting.entries, key=lambda e: e.position) if e.item_id]
    return dict(
        meeting=meeting,
        entries=entries,
        alpha=alpha,
        beta=beta,
        anna=anna,
        bert=bert,
        office=make_user("admin", name="Koordinierungsstelle"),
        observer=make_user("observer"),
    )


def _close(client, meeting):
    return client.post(f"/meetings/{meeting.id}/close")


def _set_current(client, meeting, entry):
    return client.post(f"/meetings/{meeting.id}/current", data={"entry": entry.id}, headers=FETCH)


def _move(client, entry):
    return client.post(f"/meetings/entries/{entry.id}/move/down")


def _hand_over(client, meeting, person):
    return client.post(f"/meetings/{meeting.id}/moderator", data={"moderator": person.id})


def _attendance(client, meeting, network):
    data = {"network": network.id}
    return client.post(f"/meetings/{meeting.id}/attendance", data=data, headers=FETCH)


@pytest.mark.parametrize("role", ["anna", "observer"])
def test_only_the_moderator_closes_reorders_and_sets_the_current_entry(client, login, world, role):
    login(world[role])
    meeting, entry = world["meeting"], world["entries"][0]
    assert _close(client, meeting).status_code == 403
    assert _move(client, entry).status_code == 403
    assert _set_current(client, meeting, entry).status_code == 403
    db.session.refresh(meeting)
    assert meeting.is_open and meeting.current_entry_id is None


def test_office_sets_current_entry_and_closes(client, login, world):
    login(world["office"])
    meeting, entry = world["meeting"], world["entries"][1]
    assert _set_current(client, meeting, entry).status_code == 200
    db.session.refresh(meeting)
    assert meeting.current_entry_id == entry.id
    assert _move(client, entry).status_code == 302
    assert _close(client, meeting).status_code == 302
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.CLOSED


def test_manager_handed_the_meeting_steers_it(client, login, world):
    meeting, entry = world["meeting"], world["entries"][0]
    login(world["office"])
    response = _hand_over(client, meeting, world["anna"])
    assert response.status_code == 302
    client.post("/logout")
    login(world["anna"])
    assert _set_current(client, meeting, entry).status_code == 200
    assert 'id="live-close"' in client.get(f"/meetings/{meeting.id}/live").text
    client.post("/logout")
    login(world["bert"])
    assert _set_current(client, meeting, entry).status_code == 403
    assert 'id="live-close"' not in client.get(f"/meetings/{meeting.id}/live").text


@pytest.mark.parametrize("role", ["anna", "observer"])
def test_only_the_office_hands_a_meeting_over(client, login, world, role):
    login(world[role])
    meeting = world["meeting"]
    response = _hand_over(client, meeting, world["anna"])
    assert response.status_code == 403
    assert db.session.get(Meeting, meeting.id).moderator_id is None


def test_observer_cannot_be_handed_a_meeting(world):
    from tracker.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed):
        steering.hand_over(world["meeting"], world["observer"], actor=world["office"])


def test_manager_sets_own_network_attendance_not_others(client, login, world):
    login(world["anna"])
    meeting = world["meeting"]
    assert _attendance(client, meeting, world["alpha"]).status_code == 200
    assert _attendance(client, meeting, world["beta"]).status_code == 403
    present = {p.network.id: p.present for p in services.attendance_of(meeting)}
    assert present == {world["alpha"].id: False, world["beta"].id: True}


def test_moderator_sets_anyones_attendance(client, login, world):
    login(world["office"])
    assert _attendance(client, world["meeting"], world["beta"]).status_code == 200


def test_manager_page_disables_other_networks_attendance(client, login, world):
    login(world["anna"])
    page = client.get(f"/meetings/{world['meeting'].id}/live").text
    own = page.split(f'id="present-{world["alpha"].id}"')[1].split(">")[0]
    other = page.split(f'id="present-{world["beta"].id}"')[1].split(">")[0]
    assert "disabled" not in own and "disabled" in other
    assert 'id="live-close"' not in page and 'id="live-step"' not in page


def test_moving_to_a_new_network_starts_its_time_box(world, time_machine):
    time_machine.move_to(datetime(2026, 12, 3, 10, 5, tzinfo=UTC), tick=False)
    meeting, office = world["meeting"], world["office"]
    first, second, third = world["entries"]
    assert first.network_id == second.network_id != third.network_id
    steering.set_current(meeting, first, actor=office)
    started = meeting.current_network_since
    time_machine.shift(60)
    steering.set_current(meeting, second, actor=office)
    assert meeting.current_network_since == started  # the same network: its time runs on
    time_machine.shift(60)
    steering.set_current(meeting, third, actor=office)
    assert meeting.current_network_since > started


def test_poll_tells_pages_the_current_entry_and_opens_it(client, login, world):
    login(world["anna"])
    meeting, entry = world["meeting"], world["entries"][2]
    first = client.get(f"/meetings/{meeting.id}/live/fragment", headers=FETCH).text
    assert 'class="entry-outcome"' not in first
    revision = first.split('data-revision="')[1].split('"')[0]
    layout = first.split('data-layout="')[1].split('"')[0]
    attendance = first.split('data-attendance="')[1].split('"')[0]
    steering.set_current(meeting, entry, actor=world["office"])
    db.session.commit()
    query = {"since": revision, "layout": layout, "attendance": attendance}
    answer = client.get(f"/meetings/{meeting.id}/live/fragment", query_string=query, headers=FETCH)
    assert answer.text.startswith("\n") and 'id="live-changes"' in answer.text
    assert f'data-current="{entry.id}"' in answer.text
    assert 'class="entry-outcome"' in answer.text and answer.headers["X-Server-Now"].isdigit()
    assert db.session.get(AgendaEntry, entry.id).version == entry.version


def test_office_sets_the_time_box_of_a_series(client, login, world):
    login(world["office"])
    series = world["meeting"].series
    data = {
        "name": series.name,
        "weekday": "3",
        "start_time": "10:00",
        "duration_minutes": "90",
        "timebox_minutes": "5",
        "timezone": "Europe/Berlin",
        "version": series.version,
    }
    assert client.post(f"/meetings/series/{series.id}", data=data).status_code == 302
    db.session.refresh(series)
    assert series.timebox_minutes == 5
    page = client.get(f"/meetings/{world['meeting'].id}/live").text
    assert 'data-timebox-minutes="5"' in page
