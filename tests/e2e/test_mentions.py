"""Mentions in the browser: a manager types "@be" in a comment, picks Bernd from the
suggestions with the keyboard and sends it; Bernd gets the mail (a real SMTP server). On a
confidential item Bernd, who may not see it, is not offered.
Screenshots: mentions-*.png in TRACKER_TEST_SHOTS (default: test-artifacts/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.mail_server import text_of
from tests.test_mentions import world  # noqa: F401  (the fixture)

from .conftest import ARTIFACTS, browser_login

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"mentions-{name}.png", full_page=True)


def test_a_manager_mentions_a_colleague_in_a_comment(
    world,  # noqa: F811
    new_page,
    live_server,
    mail_server,
    deliver,
):
    page = new_page()
    browser_login(page, live_server, world.anna)
    page.goto(f"{live_server}/items/{world.open_item.id}")
    field = page.get_by_label("Kommentar")
    field.press_sequentially("Kannst du das übernehmen, @be")
    options = page.locator("#mention-list").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("Bernd Weiß (Süd)")
    shot(page, "suggested")
    field.press("Enter")
    expect(field).to_have_value("Kannst du das übernehmen, @Bernd Weiß ")
    field.press_sequentially("?")
    page.get_by_role("button", name="Kommentar hinzufügen").click()
    expect(page.locator("#timeline")).to_contain_text("@Bernd Weiß ?")
    deliver()
    (mail,) = mail_server.to(world.bernd.email)
    assert "Anna Schulz hat Sie in einem Kommentar erwähnt:" in text_of(mail)

    page.goto(f"{live_server}/items/{world.secret.id}")
    field = page.get_by_label("Kommentar")
    field.press_sequentially("@Be")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#mention-list").get_by_role("option")).to_have_count(0)
    field.fill("")
    field.press_sequentially("@Ge")
    expect(page.locator("#mention-list").get_by_role("option")).to_have_text(["Geschäftsstelle"])
    shot(page, "confidential")
