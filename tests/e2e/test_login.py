"""Logging in and out in the browser."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import browser_login, browser_logout, settle

pytestmark = pytest.mark.e2e


@pytest.fixture
def manager(make_network, make_user):
    return settle(make_user("manager", make_network("Alpha"), name="Anna Alpha"))


def test_login_with_wrong_password_shows_error(page, live_server, manager):
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(manager.email)
    page.locator("#password").fill("not the password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-danger")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("#password")).to_be_visible()
    expect(page.locator("#nav-main")).to_have_count(0)


def test_login_lands_on_start_page_with_name(page, live_server, manager):
    browser_login(page, live_server, manager)
    expect(page).to_have_url(f"{live_server}/")
    expect(page.locator("main h1")).to_contain_text("Anna Alpha")
    expect(page.locator("#user-menu")).to_have_text("Anna Alpha")
    page.locator("#user-menu").click()
    expect(page.locator("#nav-main .dropdown-item-text").last).to_contain_text("Alpha")


def test_logout_returns_to_login_and_protects_pages(page, live_server, manager):
    browser_login(page, live_server, manager)
    browser_logout(page)
    expect(page.locator("#email")).to_be_visible()
    page.goto(f"{live_server}/items/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fitems%2F$"))
    expect(page.locator("#email")).to_be_visible()
