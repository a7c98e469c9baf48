"""People through the API: name, network and role; an address only where a page shows it."""

from __future__ import annotations

import pytest
from api_world import PRINCIPALS, api_world_fixture, send  # noqa: F401 - the fixture

from tracker.db import db, unit_of_work


@pytest.fixture
def gone(api_world, make_user):
    """A deactivated manager of network A."""
    user = make_user("manager", api_world.networks["a"], name="Gerd Gegangen", email="g@e.org")
    with unit_of_work():
        db.session.get(type(user), user.id).active = False
    return user


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_addresses_as_the_pages_show_them(client, api_world, gone, principal):
    answer = send(client, api_world, principal, "GET", "/api/v1/users")
    assert answer.status_code == 200
    people = {p["name"]: p for p in answer.json}
    assert people["Anna Alpha"]["network"]["short_name"] == "A"
    assert people["Anna Alpha"]["role"] == "manager"
    # A network's page shows its managers' addresses to everyone logged in.
    assert people["Anna Alpha"]["email"] == "anna@e.org"
    assert people["Bernd Beta"]["email"] == "bernd@e.org"
    me = api_world.users[principal].name
    assert people[me]["email"] == api_world.users[principal].email  # the account page
    if principal == "admin":
        assert people["Otto Observer"]["email"] == "otto@example.org"
        assert people["Gerd Gegangen"]["active"] is False
        assert people["Gerd Gegangen"]["email"] == "g@e.org"
    else:
        if principal != "observer":
            assert people["Otto Observer"]["email"] is None
        assert people["Ada Admin"]["email"] is None
        assert "Gerd Gegangen" not in people and "g@e.org" not in answer.text
    assert answer.headers["X-Total-Count"] == str(len(people))


def test_one_person_and_the_deactivated(client, api_world, gone):
    anna = api_world.users["manager_a"]
    one = send(client, api_world, "observer", "GET", f"/api/v1/users/{anna.id}")
    assert one.status_code == 200 and one.json["name"] == "Anna Alpha"
    hidden = send(client, api_world, "manager_b", "GET", f"/api/v1/users/{gone.id}")
    assert hidden.status_code == 404 and hidden.mimetype == "application/problem+json"
    office = send(client, api_world, "admin", "GET", f"/api/v1/users/{gone.id}")
    assert office.status_code == 200 and office.json["active"] is False
    missing = send(client, api_world, "admin", "GET", "/api/v1/users/2147483647")
    assert missing.status_code == 404
    paged = send(client, api_world, "admin", "GET", "/api/v1/users?per_page=2&page=3")
    assert len(paged.json) == 1 and 'rel="prev"' in paged.headers["Link"]
    assert send(client, api_world, "admin", "GET", "/api/v1/users?page=0").status_code == 422
