"""Live mode's poll: 304 while nothing changed, else only what changed since the page's revision."""

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import event

from tracker.db import db
from tracker.meetings import agenda, item_changes, live, services
from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus

FETCH = {"X-Requested-With": "fetch"}
ENTRY_ID = re.compile(r'<section class="live-entry[^"]*" id="entry-(\d+)"')


@dataclass
class Shown:
    """What a live page shows, as the fragment's root element describes it."""

    root: str
    revision: int
    layout: str
    attendance: str
    entries: list[int]

    @classmethod
    def of(cls, html: str) -> "Shown":
        root = re.search(
            r'<div id="([\w-]+)" data-revision="(\d+)" data-layout="(\w*)"'
            r' data-attendance="(\w*)"',
            html,
        )
        return cls(
            root[1], int(root[2]), root[3], root[4], [int(i) for i in ENTRY_ID.findall(html)]
        )


@pytest.fixture
def world(make_network, make_user, make_series, make_item):
    """An open meeting whose agenda holds six items of two networks."""
    alpha, beta = make_network("Alpha"), make_network("Beta")
    manager = make_user("manager", alpha)
    series = make_series()
    meeting = services.upcoming(series)
    for number in range(6):
        make_item(
            actor=manager,
            title=f"Anliegen {number}",
            responsible_network=alpha if number % 2 else beta,
        )
    agenda.prepare_agenda(meeting, actor=manager)
    db.session.commit()
    items = [e for e in sorted(meeting.entries, key=lambda e: e.position) if e.item_id]
    office = make_user("admin", name="Koordinierungsstelle")
    return dict(manager=manager, meeting=meeting, entries=items, alpha=alpha, office=office)


def url(meeting: Meeting) -> str:
    return f"/meetings/{meeting.id}/live/fragment"


def load(client, meeting: Meeting) -> Shown:
    """The whole agenda, as the live page shows it at first."""
    response = client.get(url(meeting), headers=FETCH)
    assert response.status_code == 200
    return Shown.of(response.text)


def poll(client, meeting: Meeting, shown: Shown, opened=()):
    """Ask for what changed; ``opened``: the entries the page shows with their forms."""
    query = {"since": shown.revision, "layout": shown.layout, "attendance": shown.attendance}
    if opened:
        query["open"] = ",".join(str(entry.id) for entry in opened)
    return client.get(url(meeting), query_string=query, headers=FETCH)


def save_decision(client, entry: AgendaEntry, text: str):
    response = client.post(
        f"/meetings/entries/{entry.id}/outcome",
        headers=FETCH,
        data={"version": entry.version, "discussed": "y", "decision": text},
    )
    assert response.status_code == 200


def test_live_page_describes_its_agenda_like_the_fragment(client, login, world):
    login(world["manager"])
    page = Shown.of(client.get(f"/meetings/{world['meeting'].id}/live").text)
    assert page == load(client, world["meeting"])
    assert {e.id for e in world["entries"]} < set(page.entries)  # and the standing topics


def test_people_for_tasks_come_once_for_the_whole_agenda(client, login, world, make_user):
    colleague = make_user("manager", world["alpha"], name="Kollegin Kuhn")
    db.session.commit()
    login(world["manager"])
    opened = ",".join(str(e.id) for e in world["entries"][:4])
    html = client.get(f"/meetings/{world['meeting'].id}/live?open={opened}").text
    owner_selects = re.findall(r'<select[^>]*name="owner"[^>]*>(.*?)</select>', html)
    assert len(owner_selects) == 4  # the opened entries have forms, the other lines none
    # Each entry's select holds only its placeholder; the page's script fills it in.
    assert all(options.count("<option") == 1 for options in owner_selects)
    assert all("data-people" in tag for tag in re.findall(r'<select[^>]*name="owner"[^>]*>', html))
    shared = re.search(r'<template id="people-options">(.*?)</template>', html).group(1)
    assert html.count("Kollegin Kuhn (Alpha)") == 1  # the assignee selects name her without
    assert f'<option value="{colleague.id}">Kollegin Kuhn (Alpha)</option>' in shared


def test_people_for_tasks_not_sent_to_observers(client, login, world, make_user):
    login(make_user("observer"))
    html = client.get(f"/meetings/{world['meeting'].id}/live").text
    assert Shown.of(html).entries and 'id="people-options"' not in html


def test_poll_without_change_answers_304(client, login, world):
    login(world["manager"])
    shown = load(client, world["meeting"])
    assert poll(client, world["meeting"], shown).status_code == 304


def test_poll_after_one_decision_sends_that_entry_only(client, login, world):
    login(world["manager"])
    changed = world["entries"][2]
    full = client.get(url(world["meeting"]), query_string={"open": changed.id}, headers=FETCH)
    shown = Shown.of(full.text)
    save_decision(client, changed, "Beta übernimmt")
    response = poll(client, world["meeting"], shown, opened=[changed])
    answer = Shown.of(response.text)
    assert response.status_code == 200 and answer.root == "live-changes"
    assert answer.entries == [changed.id] and "Beta übernimmt" in response.text
    assert answer.revision > shown.revision and answer.layout == shown.layout
    assert 'id="live-attendance"' not in response.text
    assert len(response.data) < len(full.data) * 3 // 4  # one entry, not the whole agenda
    assert poll(client, world["meeting"], answer).status_code == 304


def test_entry_keeps_its_top_number_in_a_change(client, login, world):
    login(world["manager"])
    shown = load(client, world["meeting"])
    changed = world["entries"][3]
    save_decision(client, changed, "Vertagt")
    top = shown.entries.index(changed.id) + 1
    assert (
        f'<span class="top-number">TOP {top}</span>' in poll(client, world["meeting"], shown).text
    )


def test_poll_sends_entries_changed_since_its_revision(client, login, world):
    login(world["manager"])
    shown = load(client, world["meeting"])
    first, second = world["entries"][0], world["entries"][4]
    save_decision(client, first, "Erstens")
    middle = Shown.of(poll(client, world["meeting"], shown).text)
    save_decision(client, second, "Zweitens")
    assert Shown.of(poll(client, world["meeting"], shown).text).entries == [first.id, second.id]
    assert Shown.of(poll(client, world["meeting"], middle).text).entries == [second.id]


def test_task_and_item_changes_send_their_entry(client, login, world):
    login(world["manager"])
    shown = load(client, world["meeting"])
    with_task, with_item = world["entries"][1], world["entries"][5]
    version = with_task.version
    client.post(
        f"/meetings/entries/{with_task.id}/tasks",
        headers=FETCH,
        data={"title": "Kontakt herstellen", "owner": world["manager"].id},
    )
    client.post(
        f"/meetings/entries/{with_item.id}/item",
        headers=FETCH,
        data={"version": with_item.item.version, "follow_up_date": "2030-01-15"},
    )
    response = poll(client, world["meeting"], shown, opened=[with_task, with_item])
    assert Shown.of(response.text).entries == [with_task.id, with_item.id]
    assert "Kontakt herstellen" in response.text and 'value="2030-01-15"' in response.text
    assert db.session.get(AgendaEntry, with_task.id).version == version  # no false conflict


def test_attendance_change_sends_attendance_only(client, login, world):
    login(world["manager"])
    shown = load(client, world["meeting"])
    client.post(
        f"/meetings/{world['meeting'].id}/attendance",
        headers=FETCH,
        data={"network": world["alpha"].id},
    )  # unchecked: absent
    response = poll(client, world["meeting"], shown)
    answer = Shown.of(response.text)
    assert answer.root == "live-changes" and answer.entries == []
    assert answer.attendance != shown.attendance
    checkbox = re.search(rf'<input[^>]* id="present-{world["alpha"].id}"[^>]*>', response.text)[0]
    assert "checked" not in checkbox and "disabled" not in checkbox


@pytest.mark.parametrize("change", ["remove", "move", "quick-add", "close"])
def test_changed_layout_sends_whole_agenda(client, login, world, change):
    login(world["manager"])
    meeting, manager, office = world["meeting"], world["manager"], world["office"]
    shown = load(client, meeting)
    entry = world["entries"][2]
    if change == "remove":
        agenda.remove_entry(entry, actor=manager, expected_version=entry.version)
    elif change == "move":
        agenda.move_entry(entry, -1, actor=office)
    elif change == "quick-add":
        live.quick_add(
            meeting, actor=manager, title="Neu im Termin", company_name="Neu GmbH", kind="need"
        )
    else:
        live.close_meeting(meeting, actor=office)
    db.session.commit()
    answer = Shown.of(poll(client, meeting, shown).text)
    assert answer.root == "live-agenda" and answer.layout != shown.layout
    assert answer.entries == Shown.of(client.get(url(meeting), headers=FETCH).text).entries
    assert answer.entries != shown.entries or change == "close"


@pytest.mark.parametrize(
    "query", [{"since": "999999"}, {"since": "x"}, {"since": "1", "layout": "?"}]
)
def test_unknown_revision_or_layout_sends_whole_agenda(client, login, world, query):
    login(world["manager"])
    response = client.get(url(world["meeting"]), query_string=query, headers=FETCH)
    assert response.status_code == 200 and Shown.of(response.text).root == "live-agenda"


def _statements(client, meeting: Meeting, shown: Shown) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert poll(client, meeting, shown).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_poll_runs_same_statements_for_one_or_many_changed_entries(client, login, world):
    login(world["manager"])
    meeting = world["meeting"]
    shown = load(client, meeting)
    save_decision(client, world["entries"][0], "Eins")
    one = _statements(client, meeting, shown)
    for entry in world["entries"][1:]:
        client.post(
            f"/meetings/entries/{entry.id}/tasks",
            headers=FETCH,
            data={"title": "Nachfassen", "owner": world["manager"].id},
        )
    assert _statements(client, meeting, shown) == one


def test_change_of_confidential_entry_shows_no_content_to_outsiders(
    client, login, world, make_user, make_network, make_item
):
    insider = world["manager"]
    secret = make_item(actor=insider, title="GEHEIM Rezeptur", confidential=True)
    entry = agenda.add_item_entry(world["meeting"], secret, actor=insider)
    db.session.commit()
    login(make_user("manager", make_network("Gamma")))
    shown = load(client, world["meeting"])
    live.update_entry(entry, actor=insider, expected_version=entry.version, note="GEHEIM Notiz")
    db.session.commit()
    response = poll(client, world["meeting"], shown)
    assert Shown.of(response.text).entries == [entry.id]
    assert "GEHEIM" not in response.text and secret.reference in response.text


def test_item_changed_outside_the_meeting_reaches_the_live_page(client, login, world):
    """A follow-up set on the item page (or by anyone, anywhere) is sent with the next poll."""
    login(world["manager"])
    shown = load(client, world["meeting"])
    entry = world["entries"][2]
    item = entry.item
    answer = client.post(
        f"/items/{item.id}/actions/wait",
        data={"version": item.version, "follow_up_date": "2031-03-04", "note": ""},
    )
    assert answer.status_code == 302
    response = poll(client, world["meeting"], shown, opened=[entry])
    assert response.status_code == 200
    assert Shown.of(response.text).entries == [entry.id]
    assert 'value="2031-03-04"' in response.text


def test_item_change_leaves_closed_meetings_alone(world, make_user):
    meeting = world["meeting"]
    meeting.status = MeetingStatus.CLOSED
    db.session.commit()
    revision = meeting.revision
    item_changes.stamp_entries(db.session, {world["entries"][0].item_id})
    db.session.commit()
    db.session.refresh(meeting)
    assert meeting.revision == revision
