"""Who gets what in the reports area: anonymous users, observers, managers."""

import pytest

PAGES = [
    "/reports/",
    "/reports/register.csv",
    "/reports/register.xlsx",
    "/reports/views",
    "/reports/calendar",
    "/reports/networks/{network}/2026-Q3.xlsx",
    "/reports/networks/{network}/2026-Q3.docx",
]
ACTIONS = ["/reports/views", "/reports/calendar", "/reports/calendar/revoke"]


@pytest.fixture
def network(make_network):
    return make_network("Alpha")


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_users_are_sent_to_login(client, network, path):
    response = client.get(path.format(network=network.id))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", ACTIONS)
def test_anonymous_posts_are_sent_to_login(client, path):
    response = client.post(path, data={"name": "x"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", ["observer", "manager", "admin"])
@pytest.mark.parametrize("path", PAGES)
def test_every_role_may_read(client, login, make_user, network, role, path):
    login(make_user(role, network if role == "manager" else None))
    assert client.get(path.format(network=network.id)).status_code == 200


def test_observer_may_subscribe_to_a_calendar(client, login, make_user):
    observer = make_user("observer")
    login(observer)
    assert client.post("/reports/calendar").status_code == 302
    token = observer.calendar_token
    assert token and client.get(f"/reports/calendar/{token}.ics").status_code == 200


def test_unknown_network_or_view_answers_404(client, login, make_user):
    login(make_user("admin"))
    assert client.get("/reports/networks/999/2026-Q3.xlsx").status_code == 404
    assert client.get("/reports/views/999").status_code == 404
    assert client.post("/reports/views/999/delete").status_code == 404


def test_the_first_calendar_address_is_not_called_a_renewal(client, login, make_user):
    login(make_user("manager"))
    first = client.post("/reports/calendar", follow_redirects=True).get_data(as_text=True)
    assert "Ihr Kalender hat eine Adresse" in first and "nicht mehr" not in first
    again = client.post("/reports/calendar", follow_redirects=True).get_data(as_text=True)
    assert "Die alte funktioniert nicht mehr." in again
