"""Markdown for mail and Word documents: German layout, TOP numbers, decisions and tasks."""

from datetime import UTC, date, datetime
from io import BytesIO

import docx as python_docx
import pytest
from flask_babel import force_locale

from tracker.db import db
from tracker.exports import docx, markdown
from tracker.meetings.documents import build_document
from tracker.meetings.models import AgendaEntry, Attendance, EntryKind, EntryReason, Task

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TITLE = "Förderung für Wärmepumpen – Rückfragen"


@pytest.fixture
def meeting(make_meeting, make_item, make_network, make_user):
    """A meeting with a standing topic and one item with a decision and a task."""
    network = make_network("Nord")
    meeting = make_meeting(starts_at=START)
    item = make_item(title=TITLE, responsible_network=network)
    owner = make_user("manager", network=network, name="Jens Körner")
    db.session.add(
        AgendaEntry(
            meeting=meeting,
            position=10,
            kind=EntryKind.STANDING,
            reason=EntryReason.STANDING,
            title="Begrüßung",
        )
    )
    entry = AgendaEntry(
        meeting=meeting,
        position=20,
        kind=EntryKind.ITEM,
        reason=EntryReason.NEW,
        item=item,
        network_id=network.id,
        discussed=True,
        decision="Antrag bis Jahresende stellen",
    )
    db.session.add_all([entry, Attendance(meeting=meeting, network=network, present=True)])
    db.session.add(
        Task(
            meeting=meeting,
            entry=entry,
            title="Förderbank anrufen",
            owner=owner,
            due_date=date(2026, 11, 23),
        )
    )
    db.session.commit()
    return meeting


def document(meeting, make_user, locale="de", kind="minutes"):
    with force_locale(locale):
        return build_document(meeting, viewer=make_user("admin"), kind=kind)


def test_markdown_minutes_in_german_format(meeting, make_user):
    text = markdown.render(document(meeting, make_user))
    assert "Begrüßung" not in text  # a standing topic without anything recorded
    assert f"#### TOP 2 {meeting.entries[1].item.reference} {TITLE}" in text
    assert "**Beschluss:** Antrag bis Jahresende stellen" in text
    assert (
        "- Aufgabe: Förderbank anrufen – Verantwortlich: Jens Körner – Termin: 23.11.2026" in text
    )
    assert "Donnerstag, 26.11.2026, 10:00–11:30 Uhr" in text
    assert "Anwesend: Nord" in text and "**Entwurf**" in text


def test_markdown_agenda_in_english(meeting, make_user):
    text = markdown.render(document(meeting, make_user, "en", "agenda"))
    assert text.startswith("# Agenda: ")
    assert "### Item 2 " in text and "Thursday, 26 November 2026" in text
    assert "Decision" not in text and "Present" not in text


@pytest.mark.parametrize(
    ("locale", "headers"),
    [
        ("de", ["Beschluss", "Aufgabe", "Verantwortlich", "Termin"]),
        ("en", ["Decision", "Task", "Responsible", "Due date"]),
    ],
)
def test_docx_minutes_have_the_outcome_table(meeting, make_user, locale, headers):
    body = docx.render(document(meeting, make_user, locale))
    opened = python_docx.Document(BytesIO(body))
    table = next(t for t in opened.tables if [c.text for c in t.rows[0].cells] == headers)
    assert [cell.text for cell in table.rows[1].cells] == [
        "Antrag bis Jahresende stellen",
        "Förderbank anrufen",
        "Jens Körner",
        "23.11.2026" if locale == "de" else "23 Nov 2026",
    ]


def test_docx_has_title_date_and_top_headings(meeting, make_user):
    opened = python_docx.Document(BytesIO(docx.render(document(meeting, make_user))))
    texts = [paragraph.text for paragraph in opened.paragraphs]
    assert texts[0] == f"Protokoll: {meeting.series.name}"
    assert "Datum: Donnerstag, 26.11.2026, 10:00–11:30 Uhr" in texts
    assert "TOP 1 Begrüßung" not in texts  # a standing topic without anything recorded
    assert any(text.startswith("TOP 2 ") and text.endswith(TITLE) for text in texts)
    assert opened.sections[0].page_width.mm == pytest.approx(210, abs=0.1)


def test_docx_agenda_has_no_outcome_table(meeting, make_user):
    body = docx.render(document(meeting, make_user, kind="agenda"))
    assert python_docx.Document(BytesIO(body)).tables == []
