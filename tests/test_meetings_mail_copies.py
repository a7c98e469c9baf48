"""The copy a meeting mail carries: the agenda as the office chose, the minutes to send on."""

import re

import pytest

from tests.mail_server import html_of, text_of
from tests.meeting_mails_world import MOMENT, SECRET, attachments, docx_text, make_world, pdf_text
from tracker.db import db, unit_of_work
from tracker.meetings import live
from tracker.meetings.models import InformedRecipient, Meeting

pytestmark = pytest.mark.time_machine(MOMENT, tick=True)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def world(make_network, make_user, make_series, make_item):
    return make_world(make_network, make_user, make_series, make_item)


def _read(message) -> list[str]:
    files = attachments(message)
    return [text_of(message), html_of(message), pdf_text(files[PDF]), docx_text(files[DOCX])]


def _agenda_to_nord(client, login, world, mail_server, deliver, variant: str):
    login(world["admin"])
    url = f"/meetings/{world['meeting'].id}/agenda-mail"
    assert 'name="variant"' in client.get(url).text
    assert client.post(url, data={"variant": variant}).status_code == 302
    deliver()
    (message,) = mail_server.to("nord@example.org")
    return message


def test_agenda_sent_as_distribution_copy_hides_nords_own_confidential_item(
    client, login, world, mail_server, deliver
):
    message = _agenda_to_nord(client, login, world, mail_server, deliver, "distribution")
    for text in _read(message):
        assert SECRET not in text and "Vertrauliches Anliegen" in text
    assert "Fassung für den Verteiler" in text_of(message)


def test_agenda_sent_as_internal_copy_shows_nord_its_confidential_item(
    client, login, world, mail_server, deliver
):
    message = _agenda_to_nord(client, login, world, mail_server, deliver, "internal")
    assert all(SECRET in text for text in _read(message))
    assert "Interne Fassung: bitte nicht weiterleiten." in text_of(message)


def test_an_unknown_copy_sends_nothing(client, login, world, mail_server, deliver):
    login(world["admin"])
    response = client.post(
        f"/meetings/{world['meeting'].id}/agenda-mail", data={"variant": "alles"}
    )
    assert response.status_code == 422 and "Fassung für den Verteiler" in response.text
    assert deliver().sent == 0


def test_minutes_mailed_on_closing_are_the_distribution_copy_for_the_office_too(
    world, mail_server, deliver
):
    meeting = world["meeting"]
    secret = next(e for e in meeting.entries if e.item_id == world["secret"].id)
    with unit_of_work():
        live.update_entry(
            secret, actor=world["admin"], expected_version=None, discussed=True,
            decision=f"{SECRET} weiter prüfen",
        )  # fmt: skip
        live.close_meeting(db.session.get(Meeting, meeting.id), actor=world["admin"])
    deliver()
    (office,) = mail_server.to(world["admin"].email)
    for text in _read(office):
        assert SECRET not in text and "Vertrauliches Anliegen" in text


def _close(world) -> None:
    with unit_of_work():
        live.close_meeting(db.session.get(Meeting, world["meeting"].id), actor=world["admin"])


def test_office_sends_the_minutes_again_as_the_internal_copy(
    client, login, world, mail_server, deliver
):
    db.session.add(InformedRecipient(series_id=world["series"].id, email="lenkung@example.org"))
    db.session.commit()
    _close(world)
    deliver()
    login(world["admin"])
    url = f"/meetings/{world['meeting'].id}/minutes-mail"
    page = client.get(url).text
    assert re.search(r'<input checked[^>]* value="distribution"', page)  # the default
    assert client.post(url, data={"variant": "internal"}).status_code == 302
    deliver()
    first, again = mail_server.to("nord@example.org")
    assert SECRET not in text_of(first) and SECRET in text_of(again)
    assert "Interne Fassung" in text_of(again)
    assert all(SECRET not in text for text in _read(mail_server.to("lenkung@example.org")[-1]))
    assert "Protokoll versenden…" in client.get(f"/meetings/{world['meeting'].id}").text


def test_minutes_of_an_open_meeting_cannot_be_sent(client, login, world, deliver):
    login(world["admin"])
    response = client.post(f"/meetings/{world['meeting'].id}/minutes-mail")
    assert response.status_code == 409 and "abgeschlossenen Sitzung" in response.text
    assert deliver().sent == 0
