"""The search page in the browser: OR, umlauts typed as ae/oe/ue, and a query that says why."""

import pytest
from playwright.sync_api import expect

from .conftest import browser_login, settle

pytestmark = pytest.mark.e2e


@pytest.fixture
def manager(make_network, make_user, make_item):
    user = make_user("manager", make_network("Alpha"))
    make_item(actor=user, title="Förderprogramm Digitalisierung")
    make_item(actor=user, title="Fachkräftemangel im Handwerk")
    make_item(actor=user, title="Kalibrierung optischer Sensoren")
    return settle(user)


def _search(page, words: str) -> None:
    field = page.locator("main #search-q")
    field.fill(words)
    field.press("Enter")


def test_or_query_finds_either_word(page, live_server, manager):
    browser_login(page, live_server, manager)
    page.goto(f"{live_server}/search/")
    _search(page, "Förderung OR Fachkraft")
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(2)
    expect(results.filter(has_text="Förderprogramm Digitalisierung")).to_have_count(1)
    expect(results.filter(has_text="Fachkräftemangel im Handwerk")).to_have_count(1)


def test_umlauts_typed_as_ae_find_and_mark_the_word(page, live_server, manager):
    browser_login(page, live_server, manager)
    page.goto(f"{live_server}/search/")
    _search(page, "fachkraefte")
    expect(page.locator("main #search-q")).to_have_value("fachkraefte")
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(1)
    expect(results.locator("mark")).to_have_text("Fachkräftemangel")


def test_only_excluded_words_say_what_is_missing(page, live_server, manager):
    browser_login(page, live_server, manager)
    page.goto(f"{live_server}/search/")
    _search(page, "-Handwerk")
    expect(page.get_by_role("alert")).to_contain_text("Suchwort")
    expect(page.locator("ol.search-results")).to_have_count(0)
