"""The copy a meeting mail carries: the agenda as the office chose, the minutes to send on."""

import pytest

from tests.mail_server import html_of, text_of
from tests.meeting_mails_world import MOMENT, SECRET, attachments, docx_text, make_world, pdf_text
from tracker.db import db, unit_of_work
from tracker.meetings import live
from tracker.meetings.models import Meeting

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
