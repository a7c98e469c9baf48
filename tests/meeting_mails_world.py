"""A series with two networks, its prepared next meeting, and who gets its mails.

Shared by tests/test_meetings_mails.py and tests/test_attendance_replies.py. The clock is
fixed by those tests: Monday 7 December 2026; the meeting is on Thursday, 10 December
2026, 10:00-11:30 in Berlin (09:00-10:30 UTC).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from io import BytesIO

import docx as python_docx
from icalendar import Calendar

from tests.mail_server import text_of
from tracker.db import db
from tracker.meetings import agenda, services

MOMENT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MEETING_START = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
SECRET = "Geheime Übernahme der Firma X"


def make_world(make_network, make_user, make_series, make_item) -> dict:
    """The fixture ``world`` of both test modules: the series, its meeting, its people."""
    north, south = make_network("Nord"), make_network("Süd")
    series = make_series(name="Netzwerkmanager-Runde", standing_topics_end="Verschiedenes")
    services.set_roll_call(series, [north, south])
    admin = make_user("admin", name="Anna Amt", email="amt@example.org", locale="de")
    nord = make_user(network=north, name="Nora Nord", email="nord@example.org", locale="de")
    sued = make_user(network=south, name="Sam South", email="sued@example.org", locale="en")
    observer = make_user("observer", network=south, name="Olga Obs", email="obs@example.org")
    public = make_item(actor=nord, title="Wärmepumpe für Bäckerei", responsible_network=north)
    secret = make_item(actor=nord, title=SECRET, responsible_network=north, confidential=True)
    meeting = services.upcoming(series)
    agenda.prepare_agenda(meeting, actor=admin)
    db.session.commit()
    return dict(
        series=series,
        meeting=meeting,
        north=north,
        south=south,
        admin=admin,
        nord=nord,
        sued=sued,
        observer=observer,
        public=public,
        secret=secret,
    )


def attachments(message) -> dict[str, bytes]:
    """The attached files by content type."""
    return {part.get_content_type(): part.get_content() for part in message.iter_attachments()}


def calendar_of(message) -> Calendar:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    return Calendar.from_ical(part.get_content())


def docx_text(body: bytes) -> str:
    document = python_docx.Document(BytesIO(body))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(body: bytes) -> str:
    import subprocess

    run = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True)
    return run.stdout.decode()


def links_of(message) -> dict[str, str]:
    """The two attendance links of an agenda mail, as paths of the test client."""
    found = re.findall(r"<http://localhost(/meetings/attendance/[^>\s]+)>", text_of(message))
    assert len(found) == 2, text_of(message)
    return {"present": found[0], "absent": found[1]}


def send_agenda(client, login, world) -> None:
    login(world["admin"])
    response = client.post(f"/meetings/{world['meeting'].id}/agenda-mail")
    assert response.status_code == 302, response.status_code
    client.post("/logout")


__all__ = ["date"]
