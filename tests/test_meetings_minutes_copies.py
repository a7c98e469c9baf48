"""The minutes ready to send: summary first, discussed TOPs, the list "Vertagt"; two copies.

One meeting holds discussed, deferred and standing entries, decisions, tasks of two owners,
a confidential item of network Süd and the absent network Ost. Its PDF, Word file and
Markdown text say the same in the same order, in the distribution copy (the confidential
item a placeholder for everyone, the coordination office included) and the internal one.
"""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime
from io import BytesIO

import docx as python_docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph
from flask import current_app, render_template
from flask_babel import force_locale

from tracker.db import db
from tracker.exports import pdf_layout
from tracker.meetings import agenda, live, services
from tracker.meetings.documents import build_document
from tracker.meetings.models import AgendaEntry, EntryKind, EntryReason, MeetingStatus

MOMENT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.time_machine(MOMENT, tick=True)

SECRET = "Geheimprojekt Quantenlabor"
SECRET_COMPANY = "Verschwiegen Beteiligungs GmbH"
SECRET_WORDS = ("Geheimprojekt", "Quantenlabor", "Verschwiegen")


def _outcome(entry, actor, **changes):
    live.update_entry(entry, actor=actor, expected_version=None, **changes)


@pytest.fixture
def held(make_network, make_user, make_series, make_item, make_company):
    """The closed meeting; Ost absent; Jens (Nord) and Petra (Süd) own tasks."""
    north, south, east = make_network("Nord"), make_network("Süd"), make_network("Ost")
    series = make_series(standing_topics_start="Begrüßung", standing_topics_end="Verschiedenes")
    services.set_roll_call(series, [north, south, east])
    admin = make_user("admin", name="Ada Amt")
    jens = make_user("manager", north, name="Jens Körner")
    petra = make_user("manager", south, name="Petra Süß")
    items = {
        "heat": make_item(actor=jens, title="Wärmepumpe für Bäckerei", responsible_network=north),
        "fair": make_item(actor=petra, title="Messestand teilen", responsible_network=south),
        "secret": make_item(
            actor=petra,
            title=SECRET,
            responsible_network=south,
            confidential=True,
            company=make_company(SECRET_COMPANY),
        ),
        "east": make_item(
            actor=admin,
            title="Fachkräfte gesucht",
            responsible_network=east,
            reporting_network=east,
        ),  # fmt: skip
    }
    meeting = services.upcoming(series)
    agenda.prepare_agenda(meeting, actor=admin)
    agenda.add_free_topic(meeting, "Termine im Januar", actor=admin)
    services.start_meeting(meeting, actor=admin)
    live.set_attendance(meeting, east, False, actor=admin)
    entry = {e.item_id: e for e in meeting.entries if e.item_id}
    entry = {key: entry[item.id] for key, item in items.items()}
    closing = next(e for e in meeting.entries if e.title == "Verschiedenes")
    _outcome(entry["heat"], jens, discussed=True, note="Bericht", decision="Förderantrag stellen")
    _outcome(entry["fair"], petra, discussed=True, decision="Stand gemeinsam buchen")
    _outcome(entry["secret"], petra, discussed=True, note=f"Notiz {SECRET}",
             decision=f"{SECRET} weiterführen")  # fmt: skip
    _outcome(closing, admin, note="Weihnachtsfeier am 17.12.")
    tasks = [
        (jens, "Förderbank anrufen", date(2026, 12, 17), entry["heat"]),
        (petra, "Standfläche anfragen", date(2026, 12, 14), entry["fair"]),
        (petra, f"{SECRET} prüfen", date(2026, 12, 15), entry["secret"]),
        (petra, "Hallenplan besorgen", None, entry["fair"]),
    ]
    for owner, title, due, on in tasks:
        live.add_task(meeting, actor=admin, title=title, owner=owner, due_date=due, entry=on)
    live.close_meeting(meeting, actor=admin)
    db.session.commit()
    return dict(meeting=meeting, admin=admin, jens=jens, petra=petra, entry=entry)


def minutes(held, viewer="admin", variant="internal"):
    with force_locale("de"):
        return build_document(held["meeting"], viewer=held[viewer], kind="minutes", variant=variant)


def untitled(title: str) -> str:
    """A title without the item's reference number."""
    return re.sub(r"^\d{4}-\d{4} ", "", title)


def test_summary_has_decisions_tasks_by_owner_and_the_deferred_with_reasons(held):
    doc = minutes(held)
    summary = doc.minutes
    assert doc.present == ("Nord", "Süd") and doc.absent == ("Ost",)
    assert summary.persons == ("Ada Amt", "Jens Körner", "Petra Süß")
    assert [d.text for d in summary.decisions] == [
        "Förderantrag stellen",
        "Stand gemeinsam buchen",
        f"{SECRET} weiterführen",
    ]
    assert [(g.owner, [t.title for t in g.tasks]) for g in summary.tasks] == [
        ("Jens Körner", ["Förderbank anrufen"]),
        ("Petra Süß", ["Standfläche anfragen", f"{SECRET} prüfen", "Hallenplan besorgen"]),
    ]
    assert summary.tasks[1].tasks[0].due_text == "14.12.2026"
    assert [(untitled(d.title), d.reason) for d in summary.deferred] == [
        ("Fachkräfte gesucht", "Ost abwesend"),
        ("Termine im Januar", "nicht besprochen"),
    ]


def test_discussed_entries_in_agenda_order_standing_only_when_recorded(held):
    doc = minutes(held)
    titles = [untitled(point.title) for point in doc.points]
    assert titles == ["Wärmepumpe für Bäckerei", "Messestand teilen", SECRET, "Verschiedenes"]
    numbers = [point.number for point in doc.points]
    assert numbers == sorted(numbers) and numbers[0] == 2  # TOP 1, Begrüßung: nothing recorded


def test_distribution_copy_masks_the_confidential_item_for_the_office(held):
    doc = minutes(held, "admin", "distribution")
    assert SECRET not in repr(doc) and SECRET_COMPANY not in repr(doc)
    hidden = doc.points[2]
    assert hidden.hidden and hidden.title == "Vertrauliches Anliegen" and not hidden.note
    assert [d.text for d in doc.minutes.decisions] == [
        "Förderantrag stellen",
        "Stand gemeinsam buchen",
    ]
    assert doc.filename_stem == f"Protokoll-{doc.starts_at:%Y-%m-%d}"
    assert minutes(held, "admin").filename_stem == f"Protokoll-intern-{doc.starts_at:%Y-%m-%d}"


def test_internal_copy_shows_each_reader_what_they_may_see(held):
    assert SECRET in repr(minutes(held, "petra"))  # her network's item
    assert SECRET not in repr(minutes(held, "jens"))


# The three formats as read: the words that mark the minutes' parts and entries, in order.
MARKS = re.compile(
    r"Beschlüsse|Aufgaben\b|Besprochene Punkte|Vertagt|TOP \d+|Jens Körner|Petra Süß"
    r"|Vertrauliches Anliegen|Ost abwesend|nicht besprochen|Geheimprojekt"
)


def _pdf(doc) -> str:
    with current_app.test_request_context():
        html = render_template("exports/meeting.html", doc=doc)
    body = pdf_layout.render(html)
    run = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    )
    return run.stdout.decode()


def _docx(doc) -> str:
    """The Word file's text in reading order: paragraphs and table cells as they come."""
    from tracker.exports import docx

    document = python_docx.Document(BytesIO(docx.render(doc)))
    parts = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            parts.append(Paragraph(block, document).text)
        elif block.tag.endswith("}tbl"):
            for row in Table(block, document).rows:
                cells = list(dict.fromkeys(row.cells))  # a merged cell comes once
                parts.append(" | ".join(cell.text for cell in cells))
    return "\n".join(parts)


def _markdown(doc) -> str:
    from tracker.exports import markdown

    return markdown.render(doc)


def texts_of(doc) -> dict[str, str]:
    return {"pdf": _pdf(doc), "docx": _docx(doc), "md": _markdown(doc)}


@pytest.mark.parametrize("variant", ["distribution", "internal"])
def test_pdf_word_and_markdown_agree(held, variant):
    doc = minutes(held, "admin", variant)
    texts = texts_of(doc)
    marks = {name: MARKS.findall(text) for name, text in texts.items()}
    assert marks["pdf"] == marks["docx"] == marks["md"], marks
    parts = ("Beschlüsse", "Aufgaben", "Jens Körner", "Petra Süß", "Besprochene Punkte", "Vertagt")
    outline = [mark for mark in marks["md"] if mark in parts]
    outline = outline[outline.index("Beschlüsse") :]  # after the header's persons present
    assert outline[:4] == ["Beschlüsse", "Aufgaben", "Jens Körner", "Petra Süß"]
    assert outline.index("Besprochene Punkte") < outline.index("Vertagt")
    for text in texts.values():
        flat = " ".join(text.split())
        assert "Abwesend: Ost" in flat or "Abwesend Ost" in flat
        assert "Weihnachtsfeier am 17.12." in flat and "Begrüßung" not in flat
        assert "Förderbank anrufen" in flat and "14.12.2026" in flat
        assert "Fachkräfte gesucht" in flat and "Termine im Januar" in flat
        if variant == "distribution":
            assert "Fassung für den Verteiler" in flat
            assert not [word for word in SECRET_WORDS if word in flat], variant
        else:
            assert "Interne Fassung: bitte nicht weiterleiten." in flat and SECRET in flat


@pytest.mark.parametrize("fmt", ["pdf", "docx", "md"])
def test_downloaded_distribution_copy_hides_the_item_from_the_office(held, client, login, fmt):
    from tests.security.conftest import _docx_text, _pdf_text

    login(held["admin"])
    url = f"/meetings/{held['meeting'].id}/minutes.{fmt}?lang=de&variant="
    read = {"pdf": _pdf_text, "docx": _docx_text, "md": bytes.decode}[fmt]
    shared = read(client.get(url + "distribution").data)
    assert "Vertrauliches Anliegen" in shared
    assert not [word for word in SECRET_WORDS if word in shared]
    assert SECRET in " ".join(read(client.get(url + "internal").data).split())


def test_an_unknown_copy_is_refused_with_a_clear_message(held, client, login):
    login(held["admin"])
    response = client.get(f"/meetings/{held['meeting'].id}/minutes.md?variant=alles")
    assert response.status_code == 422
    assert "Unbekannte Fassung des Dokuments" in response.text


def _long_meeting(make_meeting, make_item, make_network, discussed: int, total: int):
    network = make_network("Nord")
    meeting = make_meeting(starts_at=datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    for position in range(1, total + 1):
        done = position <= discussed
        db.session.add(
            AgendaEntry(
                meeting=meeting,
                position=position,
                kind=EntryKind.ITEM,
                reason=EntryReason.CARRY_OVER,
                item=make_item(
                    title=f"Anliegen Nummer {position}",
                    responsible_network=network,
                    reporting_network=network,
                ),
                network_id=network.id,
                discussed=done,
                note="Kurz besprochen, Unterlagen folgen." if done else "",
                decision="Nord übernimmt." if done else "",
            )
        )
    meeting.status = MeetingStatus.CLOSED
    db.session.commit()
    return meeting


def test_seventy_entries_with_ten_discussed_fill_few_pages(
    make_meeting, make_item, make_network, make_user
):
    meeting = _long_meeting(make_meeting, make_item, make_network, discussed=10, total=70)
    with force_locale("de"):
        doc = build_document(meeting, viewer=make_user("admin"), kind="minutes")
    text = _pdf(doc)
    pages = text.count("\f")
    assert pages <= 3, pages  # before: 7 pages, 60 entries of them "Nicht besprochen"
    assert "TOP 70" in text and "Nicht besprochen" not in text
    summary = text.split("\f")[0].split("Besprochene Punkte")[0]
    assert summary.count("Nord übernimmt.") == 10  # the decisions open page 1
