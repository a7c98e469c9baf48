"""Form drafts belong to the person logged in: logout drops them from the browser tab."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import browser_login, browser_logout, settle

pytestmark = pytest.mark.e2e


def _drafts(page) -> list[str]:
    return page.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('draft:'))")


def test_logout_drops_drafts_for_the_next_person(page, live_server, make_user):
    first, second = settle(make_user(), make_user())
    browser_login(page, live_server, first)
    page.goto(f"{live_server}/items/new")
    page.locator("#title").fill("Vertrauliche Notiz von Person eins")
    assert _drafts(page)  # kept while this person works
    browser_logout(page)
    browser_login(page, live_server, second)
    page.goto(f"{live_server}/items/new")
    expect(page.locator("#title")).to_have_value("")
    assert _drafts(page) == []


def test_login_page_drops_drafts_left_in_the_tab(page, live_server, make_user):
    user = settle(make_user())
    browser_login(page, live_server, user)
    page.goto(f"{live_server}/items/new")
    page.evaluate("sessionStorage.setItem('draft:/items/new', "
                  "JSON.stringify({values: {title: 'liegen geblieben'}, submitted: false}))")
    # form.submit() fires no submit event: the logout's handler does not run.
    page.evaluate("document.querySelector(\"form[action$='/logout']\").submit()")
    page.wait_for_url(re.compile(r"/login$"))
    expect(page.locator("main form #email")).to_be_visible()
    assert _drafts(page) == []
