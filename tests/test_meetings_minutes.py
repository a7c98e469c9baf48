"""What a closed meeting's minutes say: who was there, tasks in the items, German wording."""

import subprocess
from datetime import date
from io import BytesIO

import docx as python_docx
import pytest
from flask import current_app, render_template
from flask_babel import force_locale

from tracker.db import db
from tracker.exports import pdf_layout
from tracker.meetings import agenda, live, services
from tracker.meetings.documents import build_document


@pytest.fixture
def world(make_network, make_user, make_series, make_item):
    """A series of three networks (roll call: Süd, Nord, Ost) and its prepared next meeting."""
    north, south, east = make_network("Nord"), make_network("Süd"), make_network("Ost")
    series = make_series(standing_topics_end="Verschiedenes")
    services.set_roll_call(series, [south, north, east])
    meeting = services.upcoming(series)
    admin = make_user("admin")
    item = make_item(actor=admin, title="Wärmepumpe", responsible_network=north)
    agenda.prepare_agenda(meeting, actor=admin)
    db.session.commit()
    entry = next(e for e in meeting.entries if e.item_id == item.id)
    return dict(meeting=meeting, admin=admin, item=item, entry=entry, north=north, south=south)


def exports(client, login, meeting, viewer) -> dict[str, str]:
    """The German minutes as downloaded: Markdown, DOCX paragraphs and cells, PDF text."""
    login(viewer)
    url = f"/meetings/{meeting.id}/minutes.{{}}?lang=de"
    word = python_docx.Document(BytesIO(client.get(url.format("docx")).data))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return {
        "md": client.get(url.format("md")).text,
        "docx": "\n".join([p.text for p in word.paragraphs] + cells),
        "pdf": pdf_text(client.get(url.format("pdf")).data),
    }


def pdf_text(body: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()


def test_unmarked_networks_are_present_in_roll_call_order(world):
    live.set_attendance(world["meeting"], world["north"], False, actor=world["admin"])
    shown = [(p.network.short_name, p.present) for p in services.attendance_of(world["meeting"])]
    assert shown == [("Süd", True), ("Nord", False), ("Ost", True)]


def test_closing_stores_everyones_attendance_and_defers_the_absent(world):
    meeting = world["meeting"]
    live.set_attendance(meeting, world["north"], False, actor=world["admin"])
    live.close_meeting(meeting, actor=world["admin"])
    db.session.commit()
    assert {(a.network.short_name, a.present) for a in meeting.attendance} == {
        ("Süd", True),
        ("Nord", False),
        ("Ost", True),
    }
    assert world["entry"].deferred


def test_minutes_in_every_format_list_who_was_there(world, client, login):
    meeting = world["meeting"]
    live.set_attendance(meeting, world["north"], False, actor=world["admin"])
    live.close_meeting(meeting, actor=world["admin"])
    db.session.commit()
    texts = exports(client, login, meeting, world["admin"])
    assert "Anwesend: Süd, Ost  \nAbwesend: Nord  " in texts["md"]
    assert "Anwesend: Süd, Ost\n" in texts["docx"] and "Abwesend: Nord" in texts["docx"]
    pdf = " ".join(texts["pdf"].split())
    assert "Anwesend Süd, Ost" in pdf and "Abwesend Nord" in pdf


def test_minutes_page_lists_who_was_there(world, client, login):
    meeting = world["meeting"]
    login(world["admin"])
    assert 'id="attendance"' not in client.get(f"/meetings/{meeting.id}").text  # not held yet
    live.set_attendance(meeting, world["north"], False, actor=world["admin"])
    live.close_meeting(meeting, actor=world["admin"])
    db.session.commit()
    page = client.get(f"/meetings/{meeting.id}").text
    section = page.split('id="attendance"')[1].split("</section>")[0]
    assert "<strong>Anwesend:</strong> Süd, Ost" in section
    assert "<strong>Abwesend:</strong> Nord" in section


def test_closing_records_the_entrys_tasks_in_the_item(world, make_user):
    meeting, entry = world["meeting"], world["entry"]
    owner = make_user("manager", network=world["north"], name="Jens Körner")
    live.update_entry(entry, actor=world["admin"], expected_version=entry.version, discussed=True)
    live.add_task(
        meeting,
        actor=world["admin"],
        title="Förderbank anrufen",
        owner=owner,
        due_date=date(2026, 12, 10),
        entry=entry,
    )
    with force_locale("de"):
        live.close_meeting(meeting, actor=world["admin"])
    outcomes = [a.body for a in world["item"].activities if a.meeting_id == meeting.id]
    assert outcomes == ["Aufgabe: Förderbank anrufen – Jens Körner – bis 10.12.2026"]


def test_task_on_an_undiscussed_entry_still_reaches_the_item(world, make_user):
    meeting, entry = world["meeting"], world["entry"]
    owner = make_user("manager", network=world["north"], name="Jens Körner")
    live.add_task(
        meeting, actor=world["admin"], title="Anrufen", owner=owner, due_date=None, entry=entry
    )
    with force_locale("de"):
        live.close_meeting(meeting, actor=world["admin"])
    assert [a.body for a in world["item"].activities if a.meeting_id == meeting.id] == [
        "Aufgabe: Anrufen – Jens Körner"
    ]


def test_undiscussed_note_and_decision_are_not_printed_as_made(world, client, login):
    meeting, entry = world["meeting"], world["entry"]
    live.update_entry(
        entry,
        actor=world["admin"],
        expected_version=entry.version,
        note="Unterlagen liegen vor",
        decision="Nord übernimmt",
    )
    live.close_meeting(meeting, actor=world["admin"])
    db.session.commit()
    for text in exports(client, login, meeting, world["admin"]).values():
        assert "Ergebnis" not in text and "Nord übernimmt" not in text, text
        assert "Unterlagen liegen vor" not in text and "Keine Beschlüsse." in text
        assert "nicht besprochen" in " ".join(text.split())  # in the list "Vertagt"


def test_standing_topic_is_never_carried_over_on_the_meeting_page(world, client, login):
    meeting = world["meeting"]
    live.close_meeting(meeting, actor=world["admin"])
    db.session.commit()
    login(world["admin"])
    page = client.get(f"/meetings/{meeting.id}").text
    standing = page.split("Verschiedenes", 1)[1].split("</li>", 1)[0]
    assert "vertagt" not in standing
    assert "Nicht besprochen: vertagt" in page  # the item was not discussed


def test_pdf_footer_gives_the_date_as_german_text(world):
    with current_app.test_request_context(), force_locale("de"):
        doc = build_document(world["meeting"], viewer=world["admin"], kind="agenda")
        html = render_template("exports/meeting.html", doc=doc)
    pdf = " ".join(pdf_text(pdf_layout.render(html)).split())
    assert f"{doc.labels.document}: {doc.title}, {doc.date_text}" in pdf
    assert f"{doc.starts_at:%Y-%m-%d}" not in pdf


def test_minutes_show_the_items_status_at_the_close(world, client, login):
    from tracker.items import lifecycle

    meeting, item, admin = world["meeting"], world["item"], world["admin"]
    entry = world["entry"]
    live.update_entry(entry, actor=admin, expected_version=entry.version, discussed=True)
    live.close_meeting(meeting, actor=admin)
    db.session.commit()
    status_then = item.status.label
    lifecycle.perform(item, "accept", actor=admin, expected_version=item.version)
    db.session.commit()
    assert item.status.label != status_then
    page = client.get(f"/meetings/{meeting.id}").text if login(admin) else ""
    entry_html = page.split(f'id="entry-{world["entry"].id}"')[1].split("</li>")[0]
    assert status_then in entry_html and item.status.label not in entry_html
    assert status_then in exports(client, login, meeting, admin)["md"]
