"""Admins edit and deactivate users through the admin pages, with the version the page sent."""

import re

import pytest
from conftest import PASSWORD  # tests/conftest.py (tests/ is on sys.path)

from tracker.auth.models import User, UserRole
from tracker.db import db
from tracker.versioning import check_version


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Olga Office")


@pytest.fixture
def observer(make_user):
    return make_user("observer", name="Otto Observer", email="otto@example.org")


def _form(client, user_id: int) -> dict:
    """Read the edit page's fields as a browser would submit them unchanged."""
    html = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    value = lambda name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)  # noqa: E731
    data = {"version": value("version"), "name": value("name"), "email": value("email")}
    data["role"] = re.search(r'<option selected value="(\w+)"', html).group(1)
    data["network"] = "0"
    if "checked" in re.search(r'<input[^>]*id="active"[^>]*>', html).group(0):
        data["active"] = "y"
    return data


def test_edit_user_changes_name_role_and_network(client, login, admin, observer, make_network):
    network = make_network("Gamma")
    login(admin)
    data = _form(client, observer.id)
    data.update(name="Otto Manager", role="manager", network=str(network.id))
    response = client.post(f"/admin/users/{observer.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.get(User, observer.id)
    assert (user.name, user.role, user.network_id) == ("Otto Manager", UserRole.MANAGER, network.id)


def test_deactivate_user_ends_their_login(client, login, admin, observer):
    login(admin)
    data = _form(client, observer.id)
    assert data.pop("active") == "y"
    response = client.post(f"/admin/users/{observer.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.get(User, observer.id).active is False
    client.post("/logout")
    refused = client.post("/login", data={"email": "otto@example.org", "password": PASSWORD})
    assert refused.status_code != 302


def test_edit_user_with_stale_version_conflicts(client, login, admin, observer):
    login(admin)
    data = _form(client, observer.id)  # the version as this form shows it
    first = client.post(f"/admin/users/{observer.id}", data=data | {"name": "Otto Früher"})
    assert first.status_code == 302
    response = client.post(f"/admin/users/{observer.id}", data=data | {"name": "Too Late"})
    assert response.status_code == 409
    assert db.session.get(User, observer.id).name == "Otto Früher"


@pytest.mark.parametrize(("field", "value"), [("email", "not-an-address"), ("version", "abc")])
def test_edit_user_with_invalid_input_is_refused(client, login, admin, observer, field, value):
    login(admin)
    data = _form(client, observer.id) | {field: value}
    response = client.post(f"/admin/users/{observer.id}", data=data)
    assert response.status_code == 400
    assert db.session.get(User, observer.id).email == "otto@example.org"


def test_check_version_refuses_text(observer):
    with pytest.raises(TypeError):
        check_version(observer, str(observer.version))
