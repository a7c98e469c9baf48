"""The live meeting steered by the office: the managers' pages follow, notes add up, closing."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tracker.db import db
from tracker.meetings import agenda, queries, services
from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus

from .conftest import ARTIFACTS, browser_login_to, fresh, settle

pytestmark = pytest.mark.e2e

POLL_MS = 6_000  # the page polls every 2.5 s
CURRENT = re.compile(r"\bcurrent\b")


@pytest.fixture
def world(make_network, make_user, make_series, make_item, make_company):
    """A running meeting with items of Alpha and Beta; their managers; the office."""
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna = make_user("manager", alpha, name="Anna Alpha")
    bert = make_user("manager", beta, name="Bert Beta")
    office = make_user("admin", None, name="Olga Office")
    meeting = services.upcoming(make_series(standing_topics_start="Begrüßung"))
    company = make_company(name="Sensorik Jena GmbH")
    for title, network in [("Partner für KI-Pilot", alpha), ("Prüfstand gesucht", alpha),
                           ("Wasserstoff-Tankstelle", beta)]:
        make_item(actor=anna, title=title, company=company, responsible_network=network)
    agenda.prepare_agenda(meeting, actor=anna)
    services.start_meeting(meeting, actor=office)
    db.session.commit()
    order = [entry.id for entry in queries.live_entries(meeting)]
    settle(anna, bert, office, meeting)
    return SimpleNamespace(anna=anna, bert=bert, office=office, meeting=meeting, order=order,
                           path=f"/meetings/{meeting.id}/live")


def open_as(new_page, base_url, user, path):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login_to(page, base_url, user, path)
    return page


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"live-steering-{name}.png"), full_page=False)


def test_office_steers_managers_follow_notes_add_up_and_close(new_page, live_server, world):
    office = open_as(new_page, live_server, world.office, world.path)
    anna = open_as(new_page, live_server, world.anna, world.path)
    bert = open_as(new_page, live_server, world.bert, world.path)
    first, second = world.order[1], world.order[2]  # after the welcome: Alpha's two items
    for _ in range(2):
        office.keyboard.press("j")
    expect(office.locator(f"#entry-{first}")).to_have_class(CURRENT)
    office.keyboard.press("j")
    expect(office.locator(f"#entry-{second}")).to_have_class(CURRENT)
    for manager in (anna, bert):
        entry = manager.locator(f"#entry-{second}")
        expect(entry).to_have_class(CURRENT, timeout=POLL_MS)
        expect(entry.locator("form.entry-note-form")).to_be_visible()
        expect(entry).to_be_in_viewport()
        expect(manager.locator(f"#entry-{first} form")).to_have_count(0)  # one entry open
    expect(office.locator("#live-timebox")).to_contain_text("Alpha: 0:")
    anna.locator(f"#note-{second}").fill("Drei Partner in Jena angefragt.")
    bert.locator(f"#note-{second}").fill("Die Hochschule hat einen Prüfstand.")
    anna.locator(f"#entry-{second} form.entry-note-form button").click()
    bert.locator(f"#entry-{second} form.entry-note-form button").click()
    expect(anna.locator(f"#entry-{second} .entry-notes")).to_contain_text(
        "Bert Beta: Die Hochschule hat einen Prüfstand.", timeout=POLL_MS)
    expect(bert.locator(f"#entry-{second} .entry-notes")).to_contain_text(
        "Anna Alpha: Drei Partner in Jena angefragt.", timeout=POLL_MS)
    expect(anna.locator(f"#note-{second}")).to_have_value("Drei Partner in Jena angefragt.")
    assert fresh(AgendaEntry, second).note == (
        "Anna Alpha: Drei Partner in Jena angefragt.\n\n"
        "Bert Beta: Die Hochschule hat einen Prüfstand."
    )
    expect(anna.locator("#live-close")).to_have_count(0)
    expect(anna.locator(f"#present-{world.bert.network_id}")).to_be_disabled()
    expect(office.locator("#live-close button")).to_have_text("Sitzung abschließen")
    shot(office, "office")
    shot(anna, "manager")
    anna.keyboard.press("?")
    expect(anna.locator("#live-help")).to_be_visible()
    expect(anna.locator("#live-help")).to_contain_text("Tastenkürzel")
    shot(anna, "help")
    anna.keyboard.press("Escape")
    expect(anna.locator("#live-help")).to_be_hidden()
    office.once("dialog", lambda dialog: dialog.accept())
    office.locator("#live-close button").click()
    office.wait_for_url(re.compile(r"/meetings/\d+$"))
    for manager in (anna, bert):
        expect(manager.locator("#live-meeting-status")).to_have_text(
            "Abgeschlossen", timeout=POLL_MS)
        expect(manager.locator("#live-closed")).to_be_visible()
        expect(manager.locator("#live-agenda form:not(.attendance-form)")).to_have_count(0)
        expect(manager.locator("#live-attendance input[type=checkbox]").first).to_be_disabled()
        expect(manager.locator(f"#entry-{second} .entry-notes")).to_contain_text("Anna Alpha:")
    shot(anna, "closed")
    assert fresh(Meeting, world.meeting.id).status is MeetingStatus.CLOSED


def test_manager_browses_freely_with_the_keys(new_page, live_server, world):
    anna = open_as(new_page, live_server, world.anna, world.path)
    anna.keyboard.press("j")
    entry = anna.locator(f"#entry-{world.order[0]}")
    expect(entry.locator("form.entry-outcome")).to_be_visible()
    expect(anna.locator("#live-follow")).not_to_be_checked()  # moving on one's own: free
    anna.keyboard.press("j")
    expect(anna.locator(f"#entry-{world.order[1]} form.entry-outcome")).to_be_visible()
    expect(entry.locator("form")).to_have_count(0)  # the one left is a line again
    anna.keyboard.press("d")
    expect(anna.locator(f"#entry-{world.order[1]}")).to_have_class(re.compile(r"\bdiscussed\b"))
    assert fresh(AgendaEntry, world.order[1]).discussed
    anna.keyboard.press("q")
    expect(anna.locator("#quick-add [name=title]")).to_be_focused()
    anna.keyboard.press("j")  # typing in a field: the key is a letter, nothing moves
    expect(anna.locator("#quick-add [name=title]")).to_have_value("j")
    assert fresh(Meeting, world.meeting.id).current_entry_id is None
