"""A deactivated user's live session ends with the next request, whatever kind it is."""

from __future__ import annotations

import pytest
from conftest import PASSWORD  # tests/conftest.py (tests/ is on sys.path)
from sqlalchemy import func, select

from tracker.auth import services as users
from tracker.db import db
from tracker.items.models import Activity
from tracker.reports import services as reports

from .conftest import sign_in

FETCH = {"X-Requested-With": "fetch"}
# (method, path, data, headers, the answer a deactivated user gets)
ROUTE_KINDS = {
    "page": ("GET", "/items/{item}", None, {}, "login"),
    "fetch": ("GET", "/items/duplicates?title=Sensorik", None, FETCH, 401),
    "register-export": ("GET", "/reports/register.csv?status=all", None, {}, "login"),
    "meeting-export": ("GET", "/meetings/{meeting}/agenda.docx", None, {}, "login"),
    "form": ("POST", "/items/{item}/comments", {"body": "Noch da?"}, {}, "login"),
    "live-change": ("POST", "/meetings/entries/{entry}/outcome", {"note": "x"}, FETCH, 401),
}


def _deactivate(world, how: str) -> None:
    user = world.users["deactivated"]
    if how == "by-admin":
        users.update_user(user, actor=world.users["admin"], expected_version=None, active=False)
    else:  # changed in the database by another process: the token stays the same
        user.active = False
    db.session.commit()


def _comments() -> int:
    return db.session.scalar(select(func.count(Activity.id)).where(Activity.body == "Noch da?"))


@pytest.mark.parametrize("how", ["by-admin", "in-database"])
@pytest.mark.parametrize("kind", ROUTE_KINDS)
def test_deactivated_user_loses_access_on_next_request(app, world, kind, how):
    method, path, data, headers, expected = ROUTE_KINDS[kind]
    client = app.test_client()
    sign_in(client, world.users["deactivated"])
    url = world.format(path)
    assert client.get(world.format("/items/{item}")).status_code == 200
    _deactivate(world, how)
    response = client.open(url, method=method, data=data, headers=headers)
    if expected == 401:
        assert response.status_code == 401 and response.json["error"]["status"] == 401
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    assert _comments() == 0


def test_deactivated_users_calendar_feed_stops(app, world):
    token = reports.renew_calendar_token(world.users["deactivated"])
    db.session.commit()
    client = app.test_client()
    assert client.get(f"/reports/calendar/{token}.ics").status_code == 200
    _deactivate(world, "in-database")
    assert client.get(f"/reports/calendar/{token}.ics").status_code == 404


def test_deactivated_user_cannot_log_in_again(app, world):
    _deactivate(world, "by-admin")
    client = app.test_client()
    response = client.post(
        "/login", data={"email": world.users["deactivated"].email, "password": PASSWORD}
    )
    assert response.status_code == 401 and client.get("/").status_code == 302
