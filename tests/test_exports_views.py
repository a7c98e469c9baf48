"""Download routes: login, content types, file names, export language, confidentiality."""

import subprocess
from datetime import UTC, datetime
from io import BytesIO

import docx as python_docx
import pytest
from icalendar import Calendar

from tracker.db import db
from tracker.meetings.models import AgendaEntry, EntryKind, EntryReason

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SECRET = "Geheimes Übernahmevorhaben"

ROUTES = [
    ("agenda.pdf", "application/pdf", "Tagesordnung-2026-11-26.pdf"),
    (
        "agenda.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Tagesordnung-2026-11-26.docx",
    ),
    ("agenda.md", "text/markdown; charset=utf-8", "Tagesordnung-2026-11-26.md"),
    ("minutes.pdf", "application/pdf", "Protokoll-intern-2026-11-26.pdf"),
    ("minutes.pdf?variant=distribution", "application/pdf", "Protokoll-2026-11-26.pdf"),
    (
        "minutes.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Protokoll-intern-2026-11-26.docx",
    ),
    ("minutes.md", "text/markdown; charset=utf-8", "Protokoll-intern-2026-11-26.md"),
]


@pytest.fixture
def meeting(make_meeting, make_item, make_network):
    """A meeting whose agenda holds a confidential item of the network "Süd"."""
    south = make_network("Süd")
    meeting = make_meeting(starts_at=START)
    item = make_item(title=SECRET, responsible_network=south, confidential=True)
    db.session.add(
        AgendaEntry(
            meeting=meeting,
            position=1,
            kind=EntryKind.ITEM,
            reason=EntryReason.NEW,
            item=item,
            network_id=south.id,
            decision=f"{SECRET} weiterverfolgen",
        )
    )
    db.session.commit()
    return meeting


def plain_text(path: str, body: bytes) -> str:
    """What a reader of the downloaded file sees, whatever its format."""
    path = path.split("?", 1)[0]
    if path.endswith(".pdf"):
        run = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True)
        return " ".join(run.stdout.decode().split())
    if path.endswith(".docx"):
        opened = python_docx.Document(BytesIO(body))
        cells = [c.text for t in opened.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in opened.paragraphs] + cells)
    if path.endswith(".ics"):
        return str(Calendar.from_ical(body).events[0]["DESCRIPTION"])
    return body.decode()


@pytest.mark.parametrize(
    "path",
    ["1/agenda.pdf", "1/minutes.docx", "1/agenda.md", "1/invitation.ics", "series/1/feed.ics"],
)
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(f"/meetings/{path}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("path", "mimetype", "filename"), ROUTES)
def test_exports_download_with_type_and_name(
    client, login, make_user, meeting, path, mimetype, filename
):
    login(make_user("observer", locale="de"))
    response = client.get(f"/meetings/{meeting.id}/{path}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == mimetype
    assert f"attachment; filename={filename};" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"


def test_calendars_download_as_text_calendar(client, login, make_user, meeting):
    login(make_user("observer"))
    for path in (f"{meeting.id}/invitation.ics", f"series/{meeting.series_id}/feed.ics"):
        response = client.get(f"/meetings/{path}")
        assert response.status_code == 200 and response.data.startswith(b"BEGIN:VCALENDAR")
        assert response.mimetype == "text/calendar"


@pytest.mark.parametrize("path", ["999/agenda.pdf", "999/invitation.ics", "series/999/feed.ics"])
def test_unknown_meeting_or_series_is_404(client, login, make_user, path):
    login(make_user("observer"))
    assert client.get(f"/meetings/{path}").status_code == 404


def test_lang_en_gives_english_export_to_a_german_user(client, login, make_user, meeting):
    login(make_user("admin", locale="de"))
    response = client.get(f"/meetings/{meeting.id}/minutes.md?lang=en")
    assert response.text.startswith("# Minutes: ") and "## Carried over" in response.text
    # The entry was not discussed: it is carried over, its prepared decision was not made.
    assert f"- Item 1 {meeting.entries[0].item.reference} {SECRET} – _not discussed_" in (
        response.text
    )
    assert "No decisions." in response.text and "weiterverfolgen" not in response.text
    assert "filename=Minutes-internal-2026-11-26.md" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("path", [r[0] for r in ROUTES] + ["invitation.ics"])
def test_confidential_title_stays_hidden_from_other_networks(
    client, login, make_user, meeting, path
):
    login(make_user("manager"))
    text = plain_text(path, client.get(f"/meetings/{meeting.id}/{path}").data)
    assert SECRET not in text
    assert ("Confidential item" in text) or ("Vertrauliches Anliegen" in text)


@pytest.mark.parametrize("path", ["minutes.pdf", "minutes.docx", "minutes.md", "invitation.ics"])
def test_confidential_title_is_shown_to_its_networks_manager(
    client, login, make_user, meeting, path
):
    login(make_user("manager", network=meeting.entries[0].network))
    assert SECRET in plain_text(path, client.get(f"/meetings/{meeting.id}/{path}").data)
