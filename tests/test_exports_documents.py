"""Meeting documents: TOP numbering, groups, confidentiality, minutes content, fixed queries."""

import re
import zipfile
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from tracker.db import db
from tracker.meetings.documents import build_document
from tracker.meetings.models import (
    AgendaEntry,
    Attendance,
    EntryKind,
    EntryReason,
    MeetingStatus,
    Task,
)

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # Thursday, 10:00 in Berlin


def add_entry(meeting, position, item=None, **values):
    values.setdefault("kind", EntryKind.ITEM if item else EntryKind.FREE)
    values.setdefault("reason", EntryReason.NEW if item else EntryReason.MANUAL)
    if item is not None:
        values.setdefault("network_id", item.responsible_network_id)
    entry = AgendaEntry(meeting=meeting, position=position, item=item, **values)
    db.session.add(entry)
    db.session.commit()
    return entry


@pytest.fixture
def setting(make_network, make_user, make_item, make_meeting):
    """A meeting with a standing topic, two networks' items, an unassigned one, a free topic."""
    north, south = make_network("Nord"), make_network("Süd")
    meeting = make_meeting(starts_at=START)
    add_entry(meeting, 10, kind=EntryKind.STANDING, reason=EntryReason.STANDING, title="Begrüßung")
    items = [
        make_item(title="Förderung für Wärmepumpen – Rückfragen", responsible_network=north),
        make_item(title="Lasertechnik", responsible_network=north),
        make_item(title="Geheimes Vorhaben", responsible_network=south, confidential=True),
        make_item(title="Noch offen"),
    ]
    for position, item in enumerate(items, start=2):
        add_entry(meeting, position * 10, item)
    add_entry(meeting, 70, title="Weggenommen", removed=True)
    add_entry(meeting, 80, title="Termine im Dezember")
    return {"meeting": meeting, "north": north, "south": south, "items": items}


def titles(doc):
    return [point.title for point in doc.points]


def test_entries_are_numbered_and_grouped_by_network(setting, make_user):
    with force_locale("en"):
        doc = build_document(setting["meeting"], viewer=make_user("admin"), kind="agenda")
    assert [p.label for p in doc.points] == [f"Item {n}" for n in range(1, 7)]
    headings = [s.heading for s in doc.sections]
    assert headings == ["", setting["north"].name, setting["south"].name, "Not yet assigned", ""]
    assert "Weggenommen" not in titles(doc)
    assert doc.points[1].title.endswith("Förderung für Wärmepumpen – Rückfragen")
    assert doc.points[1].title.startswith(setting["items"][0].reference)


def test_labels_follow_the_locale_of_the_call(setting, make_user):
    admin = make_user("admin")
    with force_locale("de"):
        german = build_document(setting["meeting"], viewer=admin, kind="minutes")
    with force_locale("en"):
        english = build_document(setting["meeting"], viewer=admin, kind="minutes")
    assert (german.labels.decision, english.labels.decision) == ("Beschluss", "Decision")
    assert german.minutes.deferred[0].label == "TOP 2"  # TOP 1: the standing topic
    assert german.date_text == "Donnerstag, 26.11.2026"
    assert english.date_text == "Thursday, 26 November 2026"
    assert (german.time_text, english.time_text) == ("10:00–11:30 Uhr", "10:00–11:30")


def test_confidential_item_is_a_placeholder_for_other_networks(setting, make_user):
    outsider = make_user("manager", network=setting["north"])
    for entry in setting["meeting"].entries:
        entry.discussed, entry.note = True, f"Notiz zu {entry.heading}"
    db.session.commit()
    with force_locale("en"):
        doc = build_document(setting["meeting"], viewer=outsider, kind="minutes")
    hidden = doc.points[3]
    assert hidden.hidden and hidden.title == "Confidential item"
    assert hidden.company == "" and hidden.note == "" and hidden.tasks == ()
    assert doc.sections[2].heading == setting["south"].name
    assert "Geheimes Vorhaben" not in repr(doc)


def test_confidential_item_is_shown_to_its_networks_manager(setting, make_user):
    insider = make_user("manager", network=setting["south"])
    doc = build_document(setting["meeting"], viewer=insider, kind="agenda")
    assert doc.points[3].title.endswith("Geheimes Vorhaben") and not doc.points[3].hidden


def test_history_and_stale_flag(make_meeting, make_user):
    meeting = make_meeting(starts_at=START)
    add_entry(
        meeting,
        10,
        title="Dauerbrenner",
        reason=EntryReason.CARRY_OVER,
        carry_over_count=3,
        last_discussed_on=date(2026, 11, 12),
    )
    with force_locale("en"):
        point = build_document(meeting, viewer=make_user("admin"), kind="agenda").points[0]
    assert point.stale and point.carried_over == 3
    assert point.facts == ["carried over 3 times", "last discussed on 12 Nov 2026"]


def test_minutes_hold_outcome_tasks_attendance_and_draft_mark(setting, make_user):
    meeting, north = setting["meeting"], setting["north"]
    owner = make_user("manager", network=north, name="Jens Körner")
    entry = meeting.entries[1]
    entry.discussed, entry.note, entry.decision = True, "Stand berichtet", "Antrag stellen"
    db.session.add(
        Task(meeting=meeting, entry=entry, title="Anrufen", owner=owner, due_date=date(2026, 12, 3))
    )
    db.session.add_all(
        [
            Attendance(meeting=meeting, network=north, present=True),
            Attendance(meeting=meeting, network=setting["south"], present=False),
        ]
    )
    db.session.commit()
    with force_locale("de"):
        doc = build_document(meeting, viewer=owner, kind="minutes")
    point = doc.points[0]  # the only entry discussed
    assert (point.discussed, point.note, point.decision) == (
        True,
        "Stand berichtet",
        "Antrag stellen",
    )
    assert [(t.title, t.owner, t.due_text) for t in point.tasks] == [
        ("Anrufen", "Jens Körner", "03.12.2026")
    ]
    assert doc.present[0] == "Nord" and "Süd" not in doc.present and doc.absent == ("Süd",)
    assert doc.draft and doc.filename_stem == "Protokoll-intern-2026-11-26"


def test_closed_minutes_are_final_and_agenda_has_no_outcome(setting, make_user):
    meeting = setting["meeting"]
    meeting.entries[1].decision = "Antrag stellen"
    meeting.status = MeetingStatus.CLOSED
    db.session.commit()
    admin = make_user("admin")
    assert not build_document(meeting, viewer=admin, kind="minutes").draft
    agenda = build_document(meeting, viewer=admin, kind="agenda")
    assert agenda.points[1].decision == "" and agenda.present == ()


def count_queries(run) -> int:
    statements = []

    def record(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return sum(1 for sql in statements if sql.lstrip().upper().startswith("SELECT"))


def test_query_count_does_not_grow_with_the_agenda(make_meeting, make_item, make_user):
    admin = make_user("admin")
    small, large = make_meeting(starts_at=START), make_meeting(starts_at=START)
    for meeting, size in ((small, 2), (large, 12)):
        for position in range(size):
            entry = add_entry(meeting, position, make_item())
            db.session.add(Task(meeting=meeting, entry=entry, title="Aufgabe", owner=admin))
        db.session.commit()
    db.session.expire_all()
    counts = [
        count_queries(lambda m=m: build_document(m, viewer=admin, kind="minutes"))
        for m in (small, large)
    ]
    assert counts[0] == counts[1] <= 5


def docx_xml(body: bytes) -> dict[str, str]:
    """Every XML part of a Word file, by its name in the zip."""
    with zipfile.ZipFile(BytesIO(body)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        }


DOCX_EXPORTS = {
    "agenda": "/meetings/{meeting}/agenda.docx?lang={lang}",
    "minutes": "/meetings/{meeting}/minutes.docx?lang={lang}",
    "report": "/reports/networks/{network}/2026-Q3.docx",
}


@pytest.mark.parametrize(("lang", "tag"), [("de", "de-DE"), ("en", "en-GB")])
@pytest.mark.parametrize("export", sorted(DOCX_EXPORTS))
def test_docx_is_tagged_with_its_language_and_the_initiative(
    client, login, make_user, setting, export, lang, tag
):
    login(make_user("admin", locale=lang))
    url = DOCX_EXPORTS[export].format(
        meeting=setting["meeting"].id, network=setting["north"].id, lang=lang
    )
    parts = docx_xml(client.get(url).data)
    core, styles = parts["docProps/core.xml"], parts["word/styles.xml"]
    assert not [name for name, xml in parts.items() if "en-US" in xml]
    assert f"<dc:language>{tag}</dc:language>" in core
    assert re.search(rf'<w:docDefaults>.*<w:lang w:val="{tag}"', styles, re.S)
    author = "Cross-Cluster-Initiative Thüringen"
    assert f"<dc:creator>{author}</dc:creator>" in core
    assert f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy>" in core
    assert "python-docx" not in core and re.search(r"<dc:title>[^<]+</dc:title>", core)
