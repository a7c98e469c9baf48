"""Following in the browser: a manager of another network follows an item from its page, is
told by mail (a real SMTP server) when its network changes it, and stops following.
Screenshot: following-*.png in TRACKER_TEST_SHOTS (default: test-artifacts/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.mail_server import text_of
from tests.test_following import world  # noqa: F401  (the fixture)
from tracker.auth.models import User
from tracker.db import db
from tracker.items import services as items
from tracker.items.models import Item, Priority

from .conftest import ARTIFACTS, browser_login

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"following-{name}.png", full_page=True)


def test_a_manager_follows_an_item_and_hears_of_its_change(
    world,  # noqa: F811
    new_page,
    live_server,
    mail_server,
    deliver,
):
    page = new_page()
    browser_login(page, live_server, world.olga)
    page.goto(f"{live_server}/items/{world.item.id}")
    box = page.locator("section", has=page.get_by_role("heading", name="Folgen"))
    expect(box).to_contain_text("2 Personen folgen diesem Anliegen: Anna Nord, Arne Nord")
    box.get_by_role("button", name="Folgen").click()
    expect(page.locator(".alert-success")).to_contain_text("Sie folgen diesem Anliegen")
    expect(box).to_contain_text("Anna Nord, Arne Nord, Olga Ost")
    shot(page, "following")

    db.session.close()  # the test thread's reads end before it writes, as a request's would
    item = db.session.get(Item, world.item.id)
    anna = db.session.get(User, world.anna.id)
    items.update_item(item, actor=anna, expected_version=None, priority=Priority.HIGH)
    db.session.commit()
    db.session.close()
    deliver()
    (mail,) = mail_server.to(world.olga.email)
    assert "geändert: Priorität" in text_of(mail)

    box.get_by_role("button", name="Nicht mehr folgen").click()
    expect(page.locator(".alert-info")).to_contain_text("Sie folgen diesem Anliegen nicht mehr.")
    expect(box).not_to_contain_text("Olga Ost")
