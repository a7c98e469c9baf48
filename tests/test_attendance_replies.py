"""The agenda mail's attendance links: valid, expired, tampered, replayed; what they change."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.meeting_mails_world import (
    MEETING_START,
    MOMENT,
    links_of,
    make_world,
    send_agenda,
)
from tracker.db import db, unit_of_work
from tracker.meetings import attendance_replies, live, services
from tracker.meetings.models import AgendaEntry, Attendance, AttendanceReply

pytestmark = pytest.mark.time_machine(MOMENT, tick=True)


@pytest.fixture
def world(make_network, make_user, make_series, make_item):
    return make_world(make_network, make_user, make_series, make_item)


CONFIRM = 'id="attendance-confirm"'


@pytest.fixture
def links(client, login, world, mail_server, deliver):
    """The attendance links mailed to Nord's manager."""
    send_agenda(client, login, world)
    deliver()
    return links_of(mail_server.to("nord@example.org")[0])


def _replies() -> int:
    return db.session.scalar(select(func.count()).select_from(AttendanceReply))


def _presence(world) -> dict[str, bool]:
    db.session.expire_all()
    return {p.network.short_name: p.present for p in services.attendance_of(world["meeting"])}


def _entries(world) -> list[AgendaEntry]:
    db.session.expire_all()
    return [e for e in world["meeting"].entries if e.network_id == world["north"].id]


def test_only_managers_of_taking_part_networks_get_links(
    world, mail_server, client, login, deliver
):
    send_agenda(client, login, world)
    deliver()
    assert "/meetings/attendance/" in mail_server.to("sued@example.org")[0].as_string()
    for address in ("amt@example.org", "obs@example.org"):
        assert "/meetings/attendance/" not in mail_server.to(address)[0].as_string()


def test_opening_a_link_asks_and_changes_nothing(client, world, links):
    page = client.get(links["absent"])
    assert page.status_code == 200 and CONFIRM in page.text and "Testnetzwerk Nord" in page.text
    assert _replies() == 0 and _presence(world)["Nord"] is True


def test_answering_cannot_records_absence_and_defers_the_entries_ahead(client, world, links):
    response = client.post(links["absent"])
    assert response.status_code == 200 and 'id="attendance-answer"' in response.text
    assert _presence(world) == {"Nord": False, "Süd": True}
    assert all(e.deferred for e in _entries(world))
    reply = db.session.scalar(select(AttendanceReply))
    assert (reply.network_id, reply.present, reply.replied_by_id) == (
        world["north"].id,
        False,
        None,
    )


def test_agenda_page_shows_the_reply_and_the_deferral(client, login, world, links):
    client.post(links["absent"])
    login(world["sued"])
    page = client.get(f"/meetings/{world['meeting'].id}").text
    replies = page.split('id="replies"')[1].split("</section>")[0]
    assert "Nord: " in replies and "cannot take part" in replies  # Sam reads English
    assert page.count('text-bg-secondary">deferred<') == 2  # both of Nord's entries


def test_answering_attend_takes_the_deferral_back(client, world, links):
    client.post(links["absent"])
    client.post(links["present"])
    assert _presence(world)["Nord"] is True
    assert not any(e.deferred for e in _entries(world))
    assert _replies() == 2


def test_a_replayed_link_says_already_recorded(client, world, links):
    client.post(links["absent"])
    client.post(links["present"])
    again = client.post(links["absent"])  # used once: it cannot undo the later answer
    assert again.status_code == 200 and CONFIRM not in again.text
    assert 'id="attendance-answer"' in again.text
    assert CONFIRM not in client.get(links["absent"]).text
    assert _replies() == 2 and _presence(world)["Nord"] is True


@pytest.mark.parametrize("change", ["signature", "payload", "garbage"])
def test_a_tampered_link_is_refused(client, world, links, change):
    path = links["absent"]
    body, _, signature = path.rpartition(".")
    tampered = {
        "signature": f"{body}.{signature[:-2]}xx",
        "payload": path.replace("eyJtIjox", "eyJtIjoy", 1) if "eyJtIjox" in path else path + "x",
        "garbage": "/meetings/attendance/not-a-token",
    }[change]
    for method in (client.get, client.post):
        response = method(tampered)
        assert response.status_code == 404 and CONFIRM not in response.text
    assert _replies() == 0 and _presence(world)["Nord"] is True


def test_a_link_of_another_purpose_is_refused(app, client, world):
    from itsdangerous import URLSafeSerializer

    other = URLSafeSerializer(app.config["SECRET_KEY"], salt="mail-unsubscribe")
    token = other.dumps(
        {"m": world["meeting"].id, "n": world["north"].id, "p": 0, "u": world["nord"].id, "x": "n"}
    )
    assert client.post(f"/meetings/attendance/{token}").status_code == 404
    assert _replies() == 0


def test_a_link_expires_when_the_meeting_ends(client, world, links, time_machine):
    time_machine.move_to(MEETING_START + timedelta(minutes=89))
    assert client.get(links["present"]).status_code == 200
    time_machine.move_to(MEETING_START + timedelta(minutes=91))
    for method in (client.get, client.post):
        response = method(links["absent"])
        assert response.status_code == 410 and CONFIRM not in response.text
    assert _replies() == 0 and _presence(world)["Nord"] is True


def test_a_link_of_a_closed_meeting_has_expired(client, world, links):
    with unit_of_work():
        live.close_meeting(world["meeting"], actor=world["admin"])
    assert client.post(links["absent"]).status_code == 410
    assert _replies() == 0


def test_a_deactivated_recipients_link_no_longer_works(client, world, links):
    with unit_of_work():
        world["nord"].active = False
    assert client.post(links["absent"]).status_code == 410
    assert _replies() == 0


def test_a_manager_made_observer_no_longer_answers_for_the_network(client, world, links):
    from tracker.auth.models import UserRole

    with unit_of_work():
        world["nord"].role = UserRole.OBSERVER
    assert client.get(links["absent"]).status_code == 410
    assert client.post(links["absent"]).status_code == 410
    assert _replies() == 0 and _presence(world)["Nord"] is True


def test_the_reply_records_who_answered_when_logged_in(client, login, world, links):
    login(world["nord"])
    client.post(links["present"])
    assert db.session.scalar(select(AttendanceReply.replied_by_id)) == world["nord"].id


def test_closing_keeps_the_deferral_of_a_network_still_absent(client, world, links):
    client.post(links["absent"])
    with unit_of_work():
        live.close_meeting(world["meeting"], actor=world["admin"])
    assert all(e.deferred for e in _entries(world))
    attendance = db.session.get(Attendance, (world["meeting"].id, world["north"].id))
    assert attendance.present is False


def test_closing_takes_back_the_deferral_of_a_network_that_came(client, world, links):
    client.post(links["absent"])
    meeting = world["meeting"]
    with unit_of_work():
        live.set_attendance(meeting, world["north"], True, actor=world["admin"])
        live.close_meeting(meeting, actor=world["admin"])
    assert not any(e.deferred for e in _entries(world))


def test_a_token_names_one_meeting_network_and_answer(app, world):
    with app.test_request_context():
        token = attendance_replies.token(world["meeting"], world["north"], False, world["nord"])
        answer = attendance_replies.read(token)
    assert (answer.meeting, answer.network, answer.present) == (
        world["meeting"],
        world["north"],
        False,
    )
    assert answer.recipient == world["nord"]
