"""A meeting series' subscription address: created by the office, read by managers, and
what a calendar app then fetches without a login."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from .conftest import browser_login, settle

pytestmark = pytest.mark.e2e


def test_office_creates_the_address_a_manager_subscribes_to(new_page, live_server, make_user,
                                                            make_meeting, tmp_path):  # fmt: skip
    office, manager = make_user("admin", name="Olga Office"), make_user("manager")
    meeting = make_meeting(starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=3))
    settle(office, manager, meeting)
    page = new_page()
    browser_login(page, live_server, office)
    page.goto(f"{live_server}/meetings/{meeting.id}")
    page.get_by_role("button", name="Export").click()
    page.get_by_role("link", name="Reihe in einer Kalender-App abonnieren").click()
    expect(page.locator("main")).to_contain_text("Die Reihe hat noch keine Abo-Adresse.")
    page.get_by_role("button", name="Abo-Adresse anlegen").click()
    expect(page.locator(".alert-success")).to_contain_text("Die Reihe hat eine Abo-Adresse.")
    address = page.locator("#feed-url").input_value()
    page.screenshot(path=tmp_path / "subscription-office.png")

    other = new_page()  # the manager sees the same address and cannot renew it
    browser_login(other, live_server, manager)
    other.goto(page.url)
    expect(other.locator("#feed-url")).to_have_value(address)
    expect(other.get_by_role("button", name="Adresse erneuern")).to_have_count(0)

    anonymous = new_page().request  # a calendar app: no cookies
    answer = anonymous.get(address)
    assert answer.ok and answer.headers["content-type"].startswith("text/calendar")
    assert Calendar.from_ical(answer.body()).events  # the series' meetings

    page.get_by_role("button", name="Adresse erneuern").click()
    expect(page.locator(".alert-success")).to_contain_text("Die alte funktioniert nicht mehr.")
    assert page.locator("#feed-url").input_value() != address
    assert anonymous.get(address).status == 404
