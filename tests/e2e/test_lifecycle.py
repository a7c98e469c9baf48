"""An item's way through the networks in the browser: hand-off, accept, return, close."""

import re

import pytest
from playwright.sync_api import expect

from tracker.items.models import Item, ItemStatus

from .conftest import browser_login, browser_logout, fresh, settle

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(make_network, make_user):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    return dict(alpha=alpha, beta=beta,
                anna=make_user("manager", alpha, name="Anna Alpha"),
                bert=make_user("manager", beta, name="Bert Beta"))


def status_badge(page, status: str):
    return page.locator(f"main > p .badge-status-{status}")


def action_button(page, action: str):
    """The button of a one-click action, or the toggle of an action that needs a note."""
    return page.locator(f"form[action$='/actions/{action}'] button[type=submit], "
                        f"button[aria-controls='action-{action}']").first


def open_action(page, action: str):
    """Open the form of an action that needs a note, and wait until it is fully shown.

    Bootstrap's collapse animates for 350 ms; a click on the form's button while it is still
    "collapsing" can be lost (under load the test clicks within that time, a person never).
    """
    action_button(page, action).click()
    form = page.locator(f"form#action-{action}")
    expect(form).to_have_class(re.compile(r"^(?=.*\bshow\b)(?!.*\bcollapsing\b)"))
    return form


def test_hand_off_then_accept_sets_in_progress(page, live_server, people, make_item):
    item = make_item(actor=people["anna"], title="Kooperationspartner Wasserstoff")
    anna, bert, beta, item = settle(people["anna"], people["bert"], people["beta"], item)
    browser_login(page, live_server, anna)
    page.goto(f"{live_server}/items/{item.id}")
    handoff = page.locator("section[aria-labelledby=h-handoff]")
    handoff.locator("select").select_option(str(beta.id))
    handoff.locator("button[type=submit]").click()
    expect(status_badge(page, "assigned")).to_be_visible()
    browser_logout(page)
    browser_login(page, live_server, bert)
    page.locator("section[aria-labelledby=h-awaiting]").get_by_role(
        "link", name="Kooperationspartner Wasserstoff").click()
    action_button(page, "accept").click()
    expect(status_badge(page, "in_progress")).to_be_visible()
    expect(page.locator("main dl")).to_contain_text("Bert Beta")
    assert fresh(Item, item.id).status is ItemStatus.IN_PROGRESS


def test_return_needs_reason_then_sets_new(page, live_server, people, make_item):
    item = make_item(actor=people["anna"], responsible_network=people["beta"])
    bert, item = settle(people["bert"], item)
    browser_login(page, live_server, bert)
    page.goto(f"{live_server}/items/{item.id}")
    form = open_action(page, "return")
    form.locator("button[type=submit]").click()
    expect(page.locator("main .alert-danger")).to_be_visible()
    expect(page.locator("#note-return")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(status_badge(page, "assigned")).to_be_visible()
    page.locator("#note-return").fill("Passt nicht zu unserem Netzwerk.")
    form.locator("button[type=submit]").click()
    expect(status_badge(page, "new")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Passt nicht zu unserem Netzwerk.")
    assert fresh(Item, item.id).responsible_network_id is None


def test_complete_with_note_sets_done_and_offers_reopen(page, live_server, people, make_item):
    item = make_item(actor=people["anna"], responsible_network=people["alpha"])
    anna, item = settle(people["anna"], item)
    assert item.status is ItemStatus.IN_PROGRESS
    browser_login(page, live_server, anna)
    page.goto(f"{live_server}/items/{item.id}")
    open_action(page, "complete")
    page.locator("#note-complete").fill("Kontakt zur Hochschule hergestellt.")
    page.locator("form#action-complete button[type=submit]").click()
    expect(status_badge(page, "done")).to_be_visible()
    expect(page.locator("section[aria-labelledby=h-description]")).to_contain_text("Hochschule")
    expect(action_button(page, "reopen")).to_be_visible()
    expect(action_button(page, "complete")).to_have_count(0)
