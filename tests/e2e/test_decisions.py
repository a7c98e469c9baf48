"""The decisions of a series in the browser: a manager of another network looks for what was
decided about a company, narrows it to the last eight weeks, downloads the list as XLSX and
finds the decision on the item's page; the confidential item's decision stays with its
network. Screenshots: decisions-*.png in TRACKER_TEST_SHOTS (default: test-artifacts/)."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.test_meetings_decisions import world  # noqa: F401  (the fixture)

from .conftest import ARTIFACTS, browser_login

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"decisions-{name}.png", full_page=True)


def test_a_manager_finds_what_was_decided_about_a_company(world, new_page, live_server):  # noqa: F811
    page = new_page()
    browser_login(page, live_server, world["manager_b"])
    page.goto(f"{live_server}/meetings/")
    page.get_by_role("link", name="Beschlüsse und Aufgaben").click()
    expect(page.locator("main h1")).to_contain_text("Beschlüsse und Aufgaben")
    listing = page.locator("main ol.decisions")
    expect(listing).to_contain_text("Förderantrag gemeinsam stellen")
    expect(listing).to_contain_text("Antrag prüfen")
    expect(listing).not_to_contain_text("Patent")
    shot(page, "all")

    page.get_by_label("Unternehmen").fill("müller")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator("main [role=status]")).to_have_text("1 Eintrag mit Beschluss oder Aufgabe")
    expect(listing).to_contain_text("Optik Müller GmbH")
    expect(listing).not_to_contain_text("Cross-Cluster-Woche")
    shot(page, "company")

    page.get_by_role("link", name="Letzte acht Wochen").click()  # the decision is ten weeks old
    expect(page.get_by_text("Keine Beschlüsse oder Aufgaben gefunden.")).to_be_visible()
    expect(page.get_by_label("Unternehmen")).to_have_value("müller")  # the filter stays
    page.get_by_role("link", name="Zurücksetzen").click()
    page.get_by_label("Text").fill("Mai")
    page.get_by_role("button", name="Filtern").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Als Excel-Datei (XLSX) herunterladen").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(book["Beschlüsse"].iter_rows(values_only=True))
    assert [row[5] for row in rows[1:]] == ["Cross-Cluster-Woche im Mai"]

    page.goto(f"{live_server}/items/{world['public'].id}")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Beschlüsse in Sitzungen")
    )
    expect(section).to_contain_text("Förderantrag gemeinsam stellen")
    expect(section).to_contain_text("Antrag prüfen – ")
    shot(page, "item")


def test_the_confidential_items_network_sees_its_decision(world, new_page, live_server):  # noqa: F811
    page = new_page()
    browser_login(page, live_server, world["manager_a"])
    page.goto(f"{live_server}/meetings/series/{world['series'].id}/decisions?q=Patent")
    expect(page.locator("main ol.decisions")).to_contain_text("Patent vertraulich behandeln")
    expect(page.locator("main ol.decisions")).to_contain_text("NDA senden")
    shot(page, "confidential-own-network")
