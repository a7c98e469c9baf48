"""The coordination office edits and deactivates users on the real admin pages."""

import pytest
from playwright.sync_api import expect

from tracker.auth.models import User, UserRole

from .conftest import browser_login, fresh, settle

pytestmark = pytest.mark.e2e


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Olga Office")


def _open_user(page, live_server, name: str) -> None:
    page.goto(f"{live_server}/admin/users")
    page.locator("main table").get_by_role("link", name=name).click()
    expect(page.locator("main h2")).to_have_text(name)


def test_admin_changes_name_role_and_network(page, live_server, admin, make_user, make_network):
    observer, gamma = make_user("observer", name="Otto Observer"), make_network("Gamma")
    settle(admin, observer, gamma)
    browser_login(page, live_server, admin)
    _open_user(page, live_server, "Otto Observer")
    page.locator("#name").fill("Otto Manager")
    page.locator("#role").select_option("manager")
    page.locator("#network").select_option(label="Gamma")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"{live_server}/admin/users")
    expect(page.locator("main table")).to_contain_text("Otto Manager")
    user = fresh(User, observer.id)
    assert (user.name, user.role, user.network_id) == ("Otto Manager", UserRole.MANAGER, gamma.id)


def test_admin_deactivates_a_user(page, live_server, admin, make_user):
    manager = settle(admin, make_user("manager", name="Mia Manager"))[1]
    browser_login(page, live_server, admin)
    _open_user(page, live_server, "Mia Manager")
    page.locator("#active").uncheck()
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"{live_server}/admin/users")
    row = page.locator("main tr", has_text="Mia Manager")
    expect(row).to_contain_text("deaktiviert")
    assert fresh(User, manager.id).active is False
