"""Choosing the interface language in the browser."""

import re

import pytest
from playwright.sync_api import expect

from tracker.auth.models import User

from .conftest import browser_login, fresh, settle

pytestmark = pytest.mark.e2e


def test_switch_language_to_english_sets_lang_and_keeps_it(page, live_server, make_network,
                                                           make_user):
    user = settle(make_user("manager", make_network("Alpha")))
    browser_login(page, live_server, user)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "de")
    page.goto(f"{live_server}/items/")
    footer = page.locator("footer form")
    footer.locator("#footer-locale").select_option("en")
    footer.locator("button[type=submit]").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/items/\??$"))
    page.locator("#nav-main").get_by_role("link", name="Companies").click()
    expect(page).to_have_url(f"{live_server}/companies/")
    expect(html).to_have_attribute("lang", "en")
    assert fresh(User, user.id).locale == "en"
