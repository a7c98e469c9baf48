"""Erasing a contact finds every spelling: other letter cases, other alphabets' capitals.

Afterwards no copy is left in any table, the search, an export, or (SQLite) the database
file and its write-ahead log.
"""

import re
from pathlib import Path

import pytest
from sqlalchemy import String, Text, select

from tracker.companies import services as companies
from tracker.db import db
from tracker.exports import markdown
from tracker.items import services as items
from tracker.meetings import agenda, live, services as meetings
from tracker.meetings.documents import build_document
from tracker.privacy import services as privacy
from tracker.search import services as search

NAME, MAIL = "Quirinus Erasemeyer", "quirinus.erasemeyer@example.com"
UMLAUT = "Özgür Ärmelhuber"
SPELLINGS = ("QUIRINUS ERASEMEYER", "quirinus erasemeyer", "Quirinus.Erasemeyer@Example.COM",
             "ÖZGÜR ÄRMELHUBER")
WORDS = re.compile(r"erasemeyer|ärmelhuber", re.IGNORECASE)


@pytest.fixture
def traces(make_user, make_company, make_item, make_series, make_network):
    network = make_network("Spuren")
    admin = make_user("admin")
    company = make_company("Spurensuche GmbH")
    contact = companies.save_contact(company, actor=admin, name=NAME, email=MAIL)
    other = companies.save_contact(company, actor=admin, name=UMLAUT)
    item = make_item(
        actor=admin, company=company, contact=contact, reporting_network=network,
        description=f"Bitte {SPELLINGS[0]} anrufen, Vertretung {SPELLINGS[3]}",
    )
    items.add_comment(item, actor=admin, body=f"Mail an {SPELLINGS[2]} geschickt, {SPELLINGS[1]}")
    meeting = meetings.upcoming(make_series())
    agenda.prepare_agenda(meeting, actor=admin)
    meetings.start_meeting(meeting, actor=admin)
    entry = next(e for e in meeting.entries if e.item_id == item.id)
    live.update_entry(entry, actor=admin, expected_version=entry.version, discussed=True,
                      decision=f"{SPELLINGS[1]} bekommt Rückruf")
    live.close_meeting(meeting, actor=admin)
    db.session.commit()
    return dict(admin=admin, contact=contact, other=other, item=item, meeting=meeting)


def _erase(traces):
    for contact in (traces["contact"], traces["other"]):
        privacy.erase_contact(contact, actor=traces["admin"])
    db.session.commit()
    privacy.purge_old_copies()


def _every_text() -> str:
    chunks = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if table.name == "audit_events" or not columns:
            continue
        for row in db.session.execute(select(*columns)):
            chunks.extend(str(v) for v in row if v)
    return "\n".join(chunks)


def test_every_letter_case_is_erased_in_every_table(traces):
    assert WORDS.search(_every_text())  # the traces are there before
    _erase(traces)
    assert not WORDS.search(_every_text())


def test_search_and_minutes_hold_no_trace(traces):
    _erase(traces)
    admin = traces["admin"]
    for word in ("Erasemeyer", "erasemeyer", "Ärmelhuber"):
        assert not any(search.search(admin, word).counts.values()), word
    minutes = markdown.render(build_document(traces["meeting"], viewer=admin, kind="minutes"))
    assert not WORDS.search(minutes.decode() if isinstance(minutes, bytes) else minutes)


def test_export_finds_mentions_in_any_letter_case(traces):
    data = privacy.export_contact(traces["contact"], actor=traces["admin"])
    assert len(data["mentions_in_activity"]) >= 1


def test_database_file_and_log_hold_no_old_copy(traces):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the files of a PostgreSQL server are not the app's")
    _erase(traces)
    path = Path(db.engine.url.database)
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():
            data = name.read_bytes()
            assert not re.search(rb"erasemeyer", data, re.IGNORECASE), name
            assert not re.search("ärmelhuber".encode(), data.lower()), name
