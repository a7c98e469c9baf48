"""A bulk change in the browser: a manager ticks three items in the register, one of them
another network's, marks them done with a note, and reads which were changed and which
refused; the other network's item is untouched. An observer has no bulk form.
Screenshots: bulk-*.png in TRACKER_TEST_SHOTS (default: test-artifacts/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.test_items_bulk import world  # noqa: F401  (the fixture)
from tracker.items.models import ItemStatus

from .conftest import ARTIFACTS, browser_login, fresh

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"bulk-{name}.png", full_page=True)


def test_a_manager_closes_several_items_at_once(world, new_page, live_server):  # noqa: F811
    from tracker.items.models import Item

    page = new_page()
    browser_login(page, live_server, world["manager_a"])
    page.goto(f"{live_server}/items/")
    form = page.locator("#bulk-form")
    expect(form.get_by_label("Neuer Status")).to_be_hidden()  # shown once the change is chosen
    form.get_by_label("Änderung").select_option(label="Status ändern")
    expect(form.get_by_label("Neuer Status")).to_be_visible()
    expect(form.get_by_label("Netzwerk")).to_be_hidden()
    for item in (*world["mine"], world["theirs"]):
        page.get_by_label(f"{item.reference} auswählen").check()
    expect(page.locator("#bulk-count")).to_have_text("3 ausgewählt.")
    form.get_by_label("Neuer Status").select_option(label="Erledigen")
    form.get_by_label("Notiz oder Begründung").fill("Im Termin gemeinsam abgeschlossen")
    shot(page, "chosen")
    form.get_by_role("button", name="Auf die gewählten Anliegen anwenden").click()
    expect(page.locator("main [role=status]")).to_have_text(
        "2 geändert, 0 unverändert, 1 abgelehnt."
    )
    refused = page.locator("tr.bulk-refused")
    expect(refused).to_contain_text(world["theirs"].reference)
    expect(refused).to_contain_text("Abgelehnt")
    expect(page.locator("tr.bulk-changed")).to_have_count(2)
    shot(page, "result")
    for item in world["mine"]:
        assert fresh(Item, item.id).status is ItemStatus.DONE
    assert fresh(Item, world["theirs"].id).status is not ItemStatus.DONE


def test_an_observer_has_no_bulk_form(world, new_page, live_server):  # noqa: F811
    page = new_page()
    browser_login(page, live_server, world["observer"])
    page.goto(f"{live_server}/items/")
    expect(page.locator("main table.table-register")).to_be_visible()
    expect(page.locator("#bulk-form")).to_have_count(0)
    expect(page.locator("input.bulk-item")).to_have_count(0)
