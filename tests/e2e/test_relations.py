"""Linking items in the browser: a manager marks their network's item as a duplicate of
another network's, both item pages show the link, and it can be removed again.
Screenshot: relations-*.png in TRACKER_TEST_SHOTS (default: test-artifacts/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.test_relations import world  # noqa: F401  (the fixture)

from .conftest import ARTIFACTS, browser_login

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"relations-{name}.png", full_page=True)


def test_a_manager_marks_a_duplicate(world, new_page, live_server):  # noqa: F811
    page = new_page()
    browser_login(page, live_server, world.bernd)
    page.goto(f"{live_server}/items/{world.second.id}")
    box = page.locator("#relations")
    box.get_by_label("Dieses Anliegen ist").select_option(label="Duplikat von")
    box.get_by_label("Anliegen-Nummer").fill(world.first.reference)
    box.get_by_role("button", name="Verknüpfen").click()
    expect(page.locator(".alert-success")).to_contain_text("Die Anliegen sind verknüpft.")
    expect(box).to_contain_text(f"Duplikat von {world.first.reference} Wasserstoff-Tankstelle")
    expect(page.locator("#timeline")).to_contain_text("hat das Anliegen verknüpft: Duplikat von")
    shot(page, "duplicate")
    page.goto(f"{live_server}/items/{world.first.id}")
    expect(page.locator("#relations")).to_contain_text(
        f"hat das Duplikat {world.second.reference} H2-Tankstelle"
    )
    page.goto(f"{live_server}/items/{world.second.id}")
    box.get_by_role("button", name=f"Verknüpfung zu {world.first.reference} entfernen").click()
    expect(box).to_contain_text("Keine verknüpften Anliegen.")
