"""The agenda, minutes and task mails of a meeting, through a real SMTP server (aiosmtpd)."""

import re
import zipfile
from io import BytesIO

import pytest
from sqlalchemy import func, select

from tests.mail_server import html_of, text_of
from tests.meeting_mails_world import (
    MEETING_START,
    MOMENT,
    SECRET,
    attachments,
    calendar_of,
    docx_text,
    make_world,
    pdf_text,
    send_agenda,
)
from tracker.db import db, unit_of_work
from tracker.mail.models import OutboxMessage
from tracker.meetings import live, mails, services
from tracker.meetings.models import InformedRecipient

pytestmark = pytest.mark.time_machine(MOMENT, tick=True)


@pytest.fixture
def world(make_network, make_user, make_series, make_item):
    return make_world(make_network, make_user, make_series, make_item)


PDF, DOCX = (
    "application/pdf",
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
)


def _one(mail_server, address):
    found = mail_server.to(address)
    assert len(found) == 1, [m["Subject"] for m in found]
    return found[0]


def _outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


@pytest.mark.parametrize("who", ["nord", "observer"])
def test_only_the_office_sends_the_agenda(client, login, world, who):
    login(world[who])
    url = f"/meetings/{world['meeting'].id}/agenda-mail"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert _outbox_count() == 0


def test_office_confirms_who_gets_the_agenda(client, login, world):
    login(world["admin"])
    page = client.get(f"/meetings/{world['meeting'].id}/agenda-mail").text
    for person in ("nord", "sued", "observer", "admin"):
        assert world[person].email in page
    assert 'action="/meetings/1/agenda-mail"'.replace("1", str(world["meeting"].id)) in page
    assert len(mails.participants(world["meeting"])) == 5


def test_deactivated_users_and_other_networks_get_no_agenda(world, make_user, make_network):
    gone = make_user(network=world["north"], email="weg@example.org", active=False)
    outside = make_user(network=make_network("Fremd"), email="fremd@example.org")
    services.set_roll_call(world["series"], [world["north"], world["south"]])
    db.session.commit()
    addresses = {user.email for user in mails.participants(world["meeting"])}
    assert gone.email not in addresses and outside.email not in addresses
    assert {"nord@example.org", "sued@example.org", "obs@example.org"} <= addresses


def test_agenda_mail_carries_text_files_and_invitation(client, login, world, mail_server, deliver):
    send_agenda(client, login, world)
    assert deliver().sent == 5  # two admins, the managers of Nord and Süd, Süd's observer
    message = _one(mail_server, "nord@example.org")
    assert str(message["To"]) == "Nora Nord <nord@example.org>"
    assert str(message["From"]) == "Bedarfsregister <bedarfsregister@localhost>"
    assert message["Auto-Submitted"] == "auto-generated" and message["Message-ID"]
    assert message["List-Unsubscribe"] is None  # part of the meeting, not a notification
    assert "Netzwerkmanager-Runde" in message["Subject"]
    assert message["Subject"].endswith(" 10.12.2026")  # German: the date as Germans write it
    text = text_of(message)
    assert "Donnerstag, 10.12.2026, 10:00–11:30" in text
    assert "**TOP 3** 2026-0001 Wärmepumpe für Bäckerei" in text and SECRET in text
    assert "<https://video.example.org/runde>" in text
    assert "<strong>TOP 3</strong>" in html_of(message)
    files = attachments(message)
    assert files[PDF].startswith(b"%PDF") and "Wärmepumpe" in pdf_text(files[PDF])
    assert zipfile.is_zipfile(BytesIO(files[DOCX])) and SECRET in docx_text(files[DOCX])
    assert message.get_filename() is None and "Tagesordnung-2026-12-10.pdf" in [
        part.get_filename() for part in message.iter_attachments()
    ]


def test_agenda_invitation_is_a_request_to_the_recipient(
    client, login, world, mail_server, deliver
):
    send_agenda(client, login, world)
    deliver()
    calendar = calendar_of(_one(mail_server, "sued@example.org"))
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"meeting-{world['meeting'].id}@bedarfsregister"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == MEETING_START and event["DTEND"].dt.hour == 11
    assert str(event["ORGANIZER"]) == "mailto:bedarfsregister@localhost"
    assert str(event["ATTENDEE"]) == "mailto:sued@example.org"
    assert str(event["LOCATION"]) == str(event["URL"]) == "https://video.example.org/runde"


def test_resending_the_agenda_raises_the_sequence(client, login, world, mail_server, deliver):
    send_agenda(client, login, world)
    send_agenda(client, login, world)
    deliver()
    events = [calendar_of(m).walk("VEVENT")[0] for m in mail_server.to("nord@example.org")]
    assert len({str(e["UID"]) for e in events}) == 1
    first, second = sorted(int(e["SEQUENCE"]) for e in events)
    assert second > first


def test_agenda_mail_is_in_each_recipients_language(client, login, world, mail_server, deliver):
    send_agenda(client, login, world)
    deliver()
    english = _one(mail_server, "sued@example.org")
    assert english["Subject"] == "Agenda: Netzwerkmanager-Runde on 10 Dec 2026"
    assert "Thursday, 10 December 2026" in text_of(english)
    assert "**Item 3** 2026-0001 Wärmepumpe für Bäckerei" in text_of(english)
    assert "· Request ·" in text_of(english)
    assert "Agenda-2026-12-10.docx" in [p.get_filename() for p in english.iter_attachments()]
    german = text_of(_one(mail_server, "nord@example.org"))
    assert "Guten Tag Nora Nord," in german and "· Anfrage ·" in german


def test_confidential_item_stays_out_of_the_copy_of_who_may_not_see_it(
    client, login, world, mail_server, deliver
):
    send_agenda(client, login, world)
    deliver()
    for address in ("sued@example.org", "obs@example.org"):
        message = _one(mail_server, address)
        files = attachments(message)
        for text in (
            text_of(message),
            html_of(message),
            pdf_text(files[PDF]),
            docx_text(files[DOCX]),
            calendar_of(message).to_ical().decode(),
        ):
            assert "Geheime" not in text and "Firma X" not in text
        assert "Confidential item" in text_of(message) or "Vertrauliches" in text_of(message)


def test_meeting_page_shows_when_the_agenda_went_and_to_how_many(
    client, login, world, mail_server, deliver
):
    send_agenda(client, login, world)
    deliver()
    login(world["admin"])
    page = client.get(f"/meetings/{world['meeting'].id}").text
    section = page.split('id="mails"')[1].split("</section>")[0]
    assert "07.12.2026" in section and re.search(r"\b5\b", section), section
    client.post("/logout")
    login(world["nord"])
    assert 'id="mails"' not in client.get(f"/meetings/{world['meeting'].id}").text


def _close_with_task(world, *, informed=True):
    meeting = world["meeting"]
    if informed:
        db.session.add(
            InformedRecipient(
                series_id=world["series"].id,
                name="Lenkungskreis",
                email="lenkung@example.org",
                locale="en",
            )
        )
    entry = next(e for e in meeting.entries if e.item_id == world["public"].id)
    secret = next(e for e in meeting.entries if e.item_id == world["secret"].id)
    with unit_of_work():
        live.update_entry(
            entry,
            actor=world["admin"],
            expected_version=None,
            discussed=True,
            decision="Angebot der Energieagentur weitergeben",
        )
        live.update_entry(
            secret,
            actor=world["admin"],
            expected_version=None,
            discussed=True,
            decision="Vertraulich: Kaufpreis prüfen",
        )
        from datetime import date

        live.add_task(
            meeting,
            actor=world["admin"],
            title="Energieagentur anrufen",
            owner=world["sued"],
            due_date=date(2026, 12, 17),
            entry=entry,
        )
        live.close_meeting(meeting, actor=world["admin"])


def test_closing_mails_the_minutes_to_participants_and_informed(world, mail_server, deliver):
    _close_with_task(world)
    deliver()
    nord = _one(mail_server, "nord@example.org")
    assert "### Beschlüsse" in text_of(nord) and nord["Subject"].endswith(" 10.12.2026")
    # The distribution copy: no confidential item, not even for its own network's manager.
    assert "Angebot der Energieagentur weitergeben" in text_of(nord) and SECRET not in text_of(nord)
    assert "Vertrauliches Anliegen" in text_of(nord)
    informed = _one(mail_server, "lenkung@example.org")
    assert "Hello Lenkungskreis," in text_of(informed) and "### Decisions" in text_of(informed)
    assert "Angebot der Energieagentur weitergeben" in text_of(informed)
    files = attachments(informed)
    assert files[PDF].startswith(b"%PDF") and zipfile.is_zipfile(BytesIO(files[DOCX]))
    for text in (
        text_of(informed),
        html_of(informed),
        pdf_text(files[PDF]),
        docx_text(files[DOCX]),
    ):
        assert "Geheime" not in text and "Kaufpreis" not in text
    assert "http://localhost/meetings/" not in text_of(informed)  # no login: no page to open


def test_each_task_owner_gets_their_tasks(world, mail_server, deliver):
    _close_with_task(world, informed=False)
    deliver()
    kinds = [m["Subject"] for m in mail_server.to("sued@example.org")]
    assert any(s.startswith("Your tasks from Netzwerkmanager-Runde on 10 Dec 2026") for s in kinds)
    message = next(m for m in mail_server.to("sued@example.org") if "tasks" in m["Subject"])
    text = text_of(message)
    assert "**Energieagentur anrufen** – due 17 Dec 2026" in text
    assert f"<http://localhost/items/{world['public'].id}>" in text
    assert "<http://localhost/meetings/tasks>" in text
    assert not any("tasks" in m["Subject"] for m in mail_server.to("nord@example.org"))


def test_a_rolled_back_close_sends_nothing(world, mail_server, deliver):
    with pytest.raises(RuntimeError), unit_of_work():
        live.close_meeting(world["meeting"], actor=world["admin"])
        assert _outbox_count() > 0
        raise RuntimeError("the commit never happens")
    assert _outbox_count() == 0
    assert deliver().sent == 0 and mail_server.messages == []


def test_office_keeps_the_distribution_list(client, login, world):
    login(world["admin"])
    url = f"/meetings/series/{world['series'].id}/informed"
    added = client.post(
        url, data={"name": "Ministerium", "email": "Ref3@Example.org", "locale": "en"}
    )
    assert added.status_code == 302
    assert "ref3@example.org" in client.get(url).text
    assert client.post(url, data={"email": "ref3@example.org", "locale": "de"}).status_code == 400
    assert client.post(url, data={"email": "kein-mail", "locale": "de"}).status_code == 400
    too_long = {"email": "a@example.org", "name": "x" * 201, "locale": "de"}
    assert client.post(url, data=too_long).status_code == 400
    recipient = db.session.scalar(select(InformedRecipient))
    removed = client.post(f"{url}/{recipient.id}/remove")
    assert removed.status_code == 302 and db.session.scalar(select(InformedRecipient)) is None


def test_only_the_office_keeps_the_distribution_list(client, login, world):
    login(world["nord"])
    url = f"/meetings/series/{world['series'].id}/informed"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"email": "x@example.org", "locale": "de"}).status_code == 403


def test_a_pdf_that_cannot_be_made_leaves_the_word_file(
    client, login, world, mail_server, deliver, monkeypatch
):
    from tracker.exports import pdf

    def fail(*_args, **_kwargs):
        raise pdf.PdfTimeout("no PDF after 20 s")

    monkeypatch.setattr(pdf, "render", fail)
    send_agenda(client, login, world)
    assert deliver().sent == 5
    message = _one(mail_server, "sued@example.org")
    assert set(attachments(message)) == {DOCX}
    assert "the PDF could not be made just now" in text_of(message)


def test_readers_who_see_the_same_agenda_share_one_pdf(
    client, login, world, mail_server, deliver, monkeypatch
):
    from tracker.meetings import mail_content

    mail_content._RENDERED.clear()
    real, rendered = mail_content.pdf.render, []

    def counted(html, **options):
        rendered.append(html)
        return real(html, **options)

    monkeypatch.setattr(mail_content.pdf, "render", counted)
    send_agenda(client, login, world)
    assert deliver().sent == 5
    pdfs = {
        str(m["To"]): attachments(m)[PDF] for m in mail_server.messages
    }  # 5 readers: the two admins and Nora see the secret item, Sam and Olga do not
    assert len(rendered) == len(set(rendered)) < 5
    assert pdfs["Nora Nord <nord@example.org>"] != pdfs["Olga Obs <obs@example.org>"]
    assert SECRET not in pdf_text(pdfs["Olga Obs <obs@example.org>"])
