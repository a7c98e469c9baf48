"""A control character already stored (pasted from Word or Excel) breaks no document."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import docx as python_docx
import pytest
from openpyxl import load_workbook

from tracker.characters import xml_safe
from tracker.db import db
from tracker.items.models import Item
from tracker.meetings.models import AgendaEntry, EntryKind, EntryReason

STORED = "Förder\x0bmittel\x00 für KI\x1f"
SHOWN = "Fördermittel für KI"


@pytest.fixture
def stored(make_meeting, make_item, make_network):
    """An item of network Alpha on a meeting's agenda, its title written past the models."""
    alpha = make_network("Alpha")
    item = make_item(responsible_network=alpha, reporting_network=alpha)
    meeting = make_meeting(starts_at=datetime(2026, 8, 6, 8, 0, tzinfo=UTC))
    db.session.add(
        AgendaEntry(meeting=meeting, position=1, kind=EntryKind.ITEM, reason=EntryReason.NEW,
                    item=item, network_id=alpha.id, decision="Weiter", discussed=True)
    )  # fmt: skip
    db.session.commit()
    created = datetime(2026, 8, 3, 9, 0, tzinfo=UTC)
    db.session.execute(
        db.update(Item)
        .where(Item.id == item.id)
        .values(title=STORED.replace("\x00", ""), created_at=created)
    )  # NUL only where the database takes it (SQLite); PostgreSQL refuses it by itself
    if db.engine.dialect.name == "sqlite":
        db.session.execute(db.update(Item).where(Item.id == item.id).values(title=STORED))
    db.session.commit()
    db.session.expire_all()
    return meeting, alpha


def _docx_text(body: bytes) -> str:
    opened = python_docx.Document(BytesIO(body))
    cells = [c.text for t in opened.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in opened.paragraphs] + cells)


@pytest.mark.parametrize("document", ["agenda.docx", "minutes.docx", "agenda.pdf", "minutes.md"])
def test_meeting_documents_download_despite_control_characters(
    client, login, make_user, stored, document
):
    meeting, _alpha = stored
    login(make_user("admin"))
    response = client.get(f"/meetings/{meeting.id}/{document}")
    assert response.status_code == 200
    if document.endswith(".docx"):
        assert SHOWN in _docx_text(response.data)


def test_quarterly_report_docx_downloads_despite_control_characters(
    client, login, make_user, stored
):
    _meeting, alpha = stored
    login(make_user("admin"))
    response = client.get(f"/reports/networks/{alpha.id}/2026-Q3.docx")
    assert response.status_code == 200 and SHOWN in _docx_text(response.data)


def test_quarterly_report_xlsx_downloads_despite_control_characters(
    client, login, make_user, stored
):
    _meeting, alpha = stored
    login(make_user("admin"))
    response = client.get(f"/reports/networks/{alpha.id}/2026-Q3.xlsx")
    assert response.status_code == 200
    items = load_workbook(BytesIO(response.data)).worksheets[1]
    assert SHOWN in [cell for row in items.iter_rows(values_only=True) for cell in row]


def test_xml_safe_drops_what_xml_forbids_and_keeps_line_breaks():
    assert xml_safe("a\x00b\x0bc\td\ne\r\ufffef\ud800") == "abc\td\ne\rf"
