"""Live mode in the browser: inline item changes, quick-add for every role, the meeting's state."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tracker.db import db
from tracker.items.models import Item, ItemStatus
from tracker.meetings import agenda, services
from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus

from .conftest import browser_login_to, fresh, settle

pytestmark = pytest.mark.e2e

POLL_MS = 6_000  # the page polls every 2.5 s


@pytest.fixture
def world(make_network, make_user, make_series, make_item, make_company):
    """A running meeting with one item of Alpha; managers of Alpha and Beta; the office."""
    alpha, beta = make_network("Alpha"), make_network("H2Wartburg")
    anna = make_user("manager", alpha, name="Anna Alpha")
    bert = make_user("manager", beta, name="Bert Beta")
    office = make_user("admin", None, name="Olga Office")
    series = make_series()
    meeting = services.upcoming(series)
    company = make_company(name="Sensorik Jena GmbH")
    item = make_item(
        actor=anna, title="Partner für KI-Pilot", company=company, responsible_network=alpha
    )
    agenda.prepare_agenda(meeting, actor=anna)
    services.start_meeting(meeting, actor=office)
    db.session.commit()
    entry_id = next(e.id for e in meeting.entries if e.item_id == item.id)
    settle(anna, bert, office, alpha, beta, meeting, item, company)
    return SimpleNamespace(
        alpha=alpha, beta=beta, anna=anna, bert=bert, office=office, meeting=meeting,
        item=item, entry_id=entry_id, company=company,
        path=f"/meetings/{meeting.id}/live?open={entry_id}",  # the item's entry open
    )


def open_as(new_page, base_url, user, path):
    page = new_page()
    browser_login_to(page, base_url, user, path)
    return page


def item_form(page, entry_id):
    return page.locator(f"section#entry-{entry_id} form.entry-item")


def saved_item(item_id) -> Item:
    return fresh(Item, item_id)


def test_inline_follow_up_network_and_save_button_are_saved(new_page, live_server, world):
    anna = open_as(new_page, live_server, world.anna, world.path)
    form = item_form(anna, world.entry_id)
    form.locator("input[type=date]").fill("2030-01-15")
    form.locator("select[name=responsible_network]").select_option(label="H2Wartburg")
    with anna.expect_response(re.compile(r"/entries/\d+/item$")) as answer:
        form.locator("button[name=action][value='']").click()
    assert answer.value.status == 200
    expect(anna.locator(f"section#entry-{world.entry_id}")).not_to_contain_text("gibt es nicht")
    item = saved_item(world.item.id)
    assert item.follow_up_date == date(2030, 1, 15)
    assert item.responsible_network_id == world.beta.id
    assert item.status is ItemStatus.ASSIGNED  # offered to H2Wartburg, not yet accepted


@pytest.mark.parametrize(
    "action, status, label",
    [("wait", ItemStatus.WAITING, "Wartet auf Rückmeldung"), ("complete", ItemStatus.DONE, "Erledigt")],
)
def test_inline_lifecycle_buttons_are_saved(new_page, live_server, world, action, status, label):
    anna = open_as(new_page, live_server, world.anna, world.path)
    form = item_form(anna, world.entry_id)
    form.locator("input[type=date]").fill("2030-02-01")
    form.locator("input[name=note]").fill("Rückmeldung des Unternehmens abwarten")
    with anna.expect_response(re.compile(r"/entries/\d+/item$")) as answer:
        form.locator(f"button[name=action][value={action}]").click()
    assert answer.value.status == 200
    assert saved_item(world.item.id).status is status
    expect(anna.locator(f"section#entry-{world.entry_id}")).to_contain_text(label)


def test_office_quick_adds_for_a_reporting_network(new_page, live_server, world):
    office = open_as(new_page, live_server, world.office, world.path)
    quick = office.locator("#quick-add")
    quick.locator("#title").fill("Fachkräfte für Wasserstofflabor")
    quick.locator("#company_name").fill("Thüringer Gaswerke AG")
    quick.locator("#reporting_network").select_option(label="Alpha")
    quick.locator("#company_name").press("Enter")
    expect(office.locator("#quick-add-result")).to_contain_text(re.compile(r"\d{4}-\d{4}"))
    reference = office.locator("#quick-add-result").inner_text().split()[0]
    item = db.session.scalar(db.select(Item).where(Item.reference == reference))
    assert item.reporting_network_id == world.alpha.id
    db.session.close()


def test_quick_add_returns_to_defaults_after_each_item(new_page, live_server, world):
    anna = open_as(new_page, live_server, world.anna, world.path)
    quick = anna.locator("#quick-add")
    quick.locator("#title").fill("Erstes Anliegen")
    quick.locator("#company_name").fill("Optik Saale GmbH")
    quick.locator("#kind").select_option("need")
    quick.locator("#responsible_network").select_option(label="H2Wartburg")
    quick.locator("#company_name").press("Enter")
    expect(quick.locator("#title")).to_have_value("")
    expect(quick.locator("#title")).to_be_focused()
    network = quick.locator("#responsible_network option:checked")
    expect(network).to_have_text("noch nicht festgelegt")
    expect(quick.locator("#kind")).to_have_value("request")
    anna.keyboard.type("Zweites Anliegen")
    anna.keyboard.press("Tab")
    anna.keyboard.type("Glaswerk Ilmenau GmbH")
    anna.keyboard.press("Enter")
    expect(anna.locator("#quick-add-result")).to_contain_text("Glaswerk Ilmenau GmbH")
    second = db.session.scalar(db.select(Item).where(Item.title == "Zweites Anliegen"))
    assert second.responsible_network_id is None and second.kind.value == "request"
    db.session.close()


def test_quick_add_warns_of_a_duplicate_and_names_the_company(new_page, live_server, world):
    anna = open_as(new_page, live_server, world.anna, world.path)
    quick = anna.locator("#quick-add")
    quick.locator("#title").fill("partner für  KI-Pilot")
    quick.locator("#company_name").fill("sensorik jena")
    expect(quick.locator("#duplicates")).to_contain_text(world.item.reference)
    expect(quick.locator("#duplicates")).to_contain_text("Sensorik Jena GmbH")
    quick.locator("#company_name").press("Enter")
    result = anna.locator("#quick-add-result")
    expect(result).to_contain_text(world.item.reference)
    assert _count_titled("KI-Pilot") == 1  # nothing created on the first Enter
    quick.locator("#company_name").press("Enter")
    expect(result).to_contain_text("Sensorik Jena GmbH")
    expect(quick.locator("#title")).to_have_value("")
    assert _count_titled("KI-Pilot") == 2  # the second Enter adds it knowingly


def _count_titled(word: str) -> int:
    count = db.session.scalar(
        db.select(db.func.count()).select_from(Item).where(Item.title.ilike(f"%{word}%"))
    )
    db.session.close()
    return count


def test_open_pages_learn_that_the_meeting_was_closed(new_page, live_server, world):
    bert = open_as(new_page, live_server, world.bert, world.path)
    expect(bert.locator("#live-meeting-status")).to_have_text("Läuft")
    bert.locator(f"#note-{world.entry_id}").fill("Noch nicht gespeichert")
    office = open_as(new_page, live_server, world.office, world.path)
    office.once("dialog", lambda dialog: dialog.accept())
    office.locator("#live-close button").click()
    office.wait_for_url(re.compile(r"/meetings/\d+$"))
    badge = bert.locator("#live-meeting-status")
    expect(badge).to_have_text("Abgeschlossen", timeout=POLL_MS)
    expect(bert.locator("#quick-add")).to_have_count(0)
    expect(bert.locator("#live-closed")).to_be_visible()
    expect(bert.locator(f"#note-{world.entry_id}")).to_have_value("Noch nicht gespeichert")
    assert fresh(Meeting, world.meeting.id).status is MeetingStatus.CLOSED
    assert fresh(AgendaEntry, world.entry_id).note == ""
