"""Creating and editing items in the browser: keyboard use, duplicate hints, conflicts."""

import re

import pytest
from playwright.sync_api import expect

from tracker.items.models import Item

from .conftest import browser_login, browser_logout, fresh, settle

pytestmark = pytest.mark.e2e

SAVE = "form.item-form button[type=submit]"


@pytest.fixture
def alpha(make_network):
    return make_network("Alpha")


@pytest.fixture
def manager(alpha, make_user):
    return make_user("manager", alpha, name="Anna Alpha")


def test_create_item_with_keyboard_shows_reference(page, live_server, manager, make_topic):
    settle(manager, make_topic("Fachkräfte"))
    browser_login(page, live_server, manager)
    page.locator("a[accesskey=n]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#title")).to_be_focused()
    page.keyboard.type("Ausbildungspartner gesucht")
    page.keyboard.press("Tab")  # kind
    page.keyboard.press("Tab")
    expect(page.locator("#company_name")).to_be_focused()
    page.keyboard.type("Tastatur Technik GmbH")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Fachkräfte")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    heading = page.locator("main h1")
    expect(heading).to_contain_text("Ausbildungspartner gesucht")
    expect(heading.locator(".ref")).to_have_text(re.compile(r"^\d{4}-\d{4}$"))
    reference = heading.locator(".ref").inner_text()
    page.goto(f"{live_server}/items/")
    row = page.locator("table.table-register tbody tr", has_text=reference)
    expect(row).to_contain_text("Ausbildungspartner gesucht")
    expect(row).to_contain_text("Tastatur Technik GmbH")
    expect(row).to_contain_text("#Fachkräfte")


def test_type_known_company_shows_duplicates(page, live_server, manager, make_company, make_item):
    make_item(actor=manager, title="Messestand teilen", company=make_company("Saale Optik GmbH"))
    settle(manager)
    browser_login(page, live_server, manager)
    page.goto(f"{live_server}/items/new")
    expect(page.locator("#duplicates")).to_be_empty()
    page.locator("#company_name").press_sequentially("Saale Optik GmbH")
    expect(page.locator("#duplicates")).to_contain_text("Messestand teilen", timeout=5_000)


def test_save_stale_edit_shows_conflict_and_keeps_input(
    new_page, live_server, manager, alpha, make_user, make_item
):
    ben = make_user("manager", alpha, name="Ben Alpha")
    item = make_item(actor=manager, title="Alter Titel")
    manager, ben, item = settle(manager, ben, item)
    anna_page, ben_page = new_page(), new_page()
    for page, user in ((anna_page, manager), (ben_page, ben)):
        browser_login(page, live_server, user)
        page.goto(f"{live_server}/items/{item.id}/edit")
    anna_page.locator("#title").fill("Titel von Anna")
    anna_page.locator(SAVE).click()
    expect(anna_page.locator("main h1")).to_contain_text("Titel von Anna")
    ben_page.locator("#title").fill("Titel von Ben")
    with ben_page.expect_response(lambda r: r.request.method == "POST") as answer:
        ben_page.locator(SAVE).click()
    assert answer.value.status == 409
    conflict = ben_page.locator("section.alert-warning")
    expect(conflict.locator("h2")).to_be_visible()
    expect(conflict).to_contain_text("Titel von Anna")
    expect(ben_page.locator("#title")).to_have_value("Titel von Ben")
    ben_page.locator(SAVE).click()
    expect(ben_page.locator("main h1")).to_contain_text("Titel von Ben")
    expect(ben_page.locator("main .alert-success")).to_be_visible()
    assert fresh(Item, item.id).title == "Titel von Ben"


def test_submit_with_stale_token_keeps_draft_after_back(page, live_server, manager):
    settle(manager)
    browser_login(page, live_server, manager)
    page.goto(f"{live_server}/items/new")
    typed = {
        "#description": "Lange Notiz",
        "#title": "Entwurf aus der Sitzung",
        "#company_name": "Entwurf GmbH",
    }
    with page.expect_response(lambda r: "/items/duplicates" in r.url):  # hints done first
        for selector, value in typed.items():
            page.locator(selector).fill(value)
    other = page.context.new_page()  # a new login in another tab renews the session's token
    other.goto(f"{live_server}/")
    browser_logout(other)
    browser_login(other, live_server, manager)
    with page.expect_navigation() as answer:  # the error page has loaded before going back
        page.locator(SAVE).click()
    assert answer.value.status == 400
    page.go_back()
    for selector, value in typed.items():
        expect(page.locator(selector)).to_have_value(value)
