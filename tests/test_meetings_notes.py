"""Notes on an agenda entry are each person's own: two writing at once both keep their words."""

import pytest

from tracker.db import db, utcnow
from tracker.exceptions import ConflictError
from tracker.meetings import agenda, live, notes, services
from tracker.meetings.models import AgendaEntry, EntryNote

FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def world(make_network, make_user, make_series, make_item):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna = make_user("manager", alpha, name="Anna Alpha")
    bert = make_user("manager", beta, name="Bert Beta")
    meeting = services.upcoming(make_series())
    item = make_item(actor=anna, title="Sensorpartner gesucht", responsible_network=alpha)
    agenda.prepare_agenda(meeting, actor=anna)
    db.session.commit()
    entry = next(e for e in meeting.entries if e.item_id == item.id)
    return dict(meeting=meeting, entry=entry, anna=anna, bert=bert, office=make_user("admin"))


def _note(client, entry, text, version):
    data = {"note": text, "version": version}
    return client.post(f"/meetings/entries/{entry.id}/note", data=data, headers=FETCH)


def _switch(client, login, user):
    client.post("/logout")
    login(user)


def test_two_authors_on_one_entry_both_kept(client, login, world):
    entry = world["entry"]
    login(world["anna"])
    assert _note(client, entry, "Anna kennt drei Partner.", 0).status_code == 200
    _switch(client, login, world["bert"])
    assert _note(client, entry, "Bert fragt die Hochschule.", 0).status_code == 200
    db.session.expire_all()
    entry = db.session.get(AgendaEntry, entry.id)
    assert [(n.author.name, n.text) for n in entry.notes] == [
        ("Anna Alpha", "Anna kennt drei Partner."),
        ("Bert Beta", "Bert fragt die Hochschule."),
    ]
    assert entry.note == (
        "Anna Alpha: Anna kennt drei Partner.\n\nBert Beta: Bert fragt die Hochschule."
    )


def test_editing_own_note_leaves_the_others(client, login, world):
    entry = world["entry"]
    login(world["anna"])
    _note(client, entry, "Erste Fassung", 0)
    _switch(client, login, world["bert"])
    _note(client, entry, "Berts Satz", 0)
    _switch(client, login, world["anna"])
    own = db.session.scalar(db.select(EntryNote).filter_by(author_id=world["anna"].id))
    assert _note(client, entry, "Zweite Fassung", own.version).status_code == 200
    db.session.expire_all()
    assert db.session.get(AgendaEntry, entry.id).note == (
        "Anna Alpha: Zweite Fassung\n\nBert Beta: Berts Satz"
    )


def test_stale_save_of_own_note_keeps_what_was_typed(client, login, world):
    entry = world["entry"]
    login(world["anna"])
    _note(client, entry, "Aus dem ersten Fenster", 0)
    response = _note(client, entry, "Aus dem zweiten Fenster", 0)  # this page had seen none
    assert response.status_code == 409
    assert "Aus dem zweiten Fenster" in response.text and "conflict-notice" in response.text
    db.session.expire_all()
    assert db.session.get(AgendaEntry, entry.id).note == "Anna Alpha: Aus dem ersten Fenster"


def test_saving_a_note_does_not_make_outcome_forms_stale(client, login, world):
    entry = world["entry"]
    version = entry.version
    login(world["anna"])
    _note(client, entry, "Notiz", 0)
    _switch(client, login, world["bert"])
    response = client.post(
        f"/meetings/entries/{entry.id}/outcome",
        data={"version": version, "discussed": "y", "decision": "Alpha übernimmt"},
        headers=FETCH,
    )
    assert response.status_code == 200


def test_note_written_before_notes_per_person_is_kept(world):
    entry, anna, bert = world["entry"], world["anna"], world["bert"]
    live.update_entry(entry, actor=anna, expected_version=entry.version, note="Alte Notiz")
    notes.save_note(entry, actor=bert, text="Neue Notiz", expected_version=0)
    assert entry.note == "Anna Alpha: Alte Notiz\n\nBert Beta: Neue Notiz"


def test_minutes_of_closed_meeting_hold_the_merged_note(world):
    entry, office = world["entry"], world["office"]
    notes.save_note(entry, actor=world["anna"], text="Anna notiert", expected_version=0)
    notes.save_note(entry, actor=world["bert"], text="Bert notiert", expected_version=0)
    live.update_entry(entry, actor=office, expected_version=entry.version, discussed=True)
    live.close_meeting(world["meeting"], actor=office)
    assert "Anna Alpha: Anna notiert\n\nBert Beta: Bert notiert" in entry.item.activities[-1].body


def test_note_too_long_is_refused(client, login, world):
    login(world["anna"])
    assert _note(client, world["entry"], "x" * 10_001, 0).status_code == 400


def test_a_first_note_begun_at_once_on_two_pages_is_a_conflict_not_an_error(world):
    """Anna's other page saved her first note just after this page looked for it: the
    insert meets the unique (entry, author), which is answered as a conflict (409)."""
    entry, anna = world["entry"], world["anna"]
    assert notes.own_note(entry, anna) is None  # what this page saw; the notes stay loaded
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()  # this page's reading ends; what it saw stays as it was
    finally:
        session.expire_on_commit = True
    with db.engine.begin() as other_page:
        other_page.execute(
            EntryNote.__table__.insert().values(
                entry_id=entry.id, author_id=anna.id, text="Vom anderen Tab", version=1,
                created_at=utcnow(), updated_at=utcnow(),
            )
        )  # fmt: skip
    with pytest.raises(ConflictError) as caught:
        notes.save_note(entry, actor=anna, text="Von diesem Tab", expected_version=0)
    assert caught.value.record is not None and caught.value.record.text == "Vom anderen Tab"
