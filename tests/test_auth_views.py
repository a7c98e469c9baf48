"""Login, logout, sessions, language choice and the `next` parameter."""

import pytest

from tracker.db import db
from tracker.routing import safe_next


def test_protected_page_redirects_to_login(client):
    response = client.get("/items/")
    assert response.status_code == 302 and "/login" in response.location


def test_login_with_wrong_password_fails(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "wrong password!"})
    assert response.status_code == 401
    assert client.get("/").status_code == 302


def test_login_is_case_insensitive_for_email(client, make_user):
    user = make_user(email="Erika@Example.org")
    response = client.post(
        "/login", data={"email": "ERIKA@example.ORG", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302 and client.get("/").status_code == 200
    assert user.email == "erika@example.org"


def test_deactivated_user_cannot_log_in(client, login, make_user):
    user = make_user(active=False)
    response = client.post(
        "/login", data={"email": user.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 401


def test_deactivated_user_loses_session_on_next_request(client, login, make_user):
    user = make_user()
    login(user)
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_logout_ends_session(client, login, make_user):
    login(make_user())
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_logout_everywhere_ends_other_sessions(app, client, login, make_user):
    user = make_user()
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    login(user)
    assert other.get("/").status_code == 200
    client.post("/account/logout-everywhere")
    assert other.get("/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_needs_current_password(client, login, make_user):
    login(make_user())
    response = client.post(
        "/account",
        data={
            "current_password": "not it at all",
            "password": "a new long password",
            "confirm": "a new long password",
        },
    )
    assert response.status_code == 400


def test_password_change_keeps_this_session(client, login, make_user):
    login(make_user())
    response = client.post(
        "/account",
        data={
            "current_password": "correct horse battery staple",
            "password": "a new long password",
            "confirm": "a new long password",
        },
    )
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_short_password_is_rejected(client, login, make_user):
    login(make_user())
    response = client.post(
        "/account",
        data={
            "current_password": "correct horse battery staple",
            "password": "short",
            "confirm": "short",
        },
    )
    assert response.status_code == 400


def test_login_redirects_to_safe_next(client, make_user):
    user = make_user()
    response = client.post(
        "/login",
        data={
            "email": user.email,
            "next": "/items/?status=all",
            "password": "correct horse battery staple",
        },
    )
    assert response.location.endswith("/items/?status=all")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\r\n//evil",
        "%2F%2Fevil.example",
        "http:/evil.example",
        " //evil.example",
        "/\t/evil.example",
        "",
        None,
    ],
)
def test_unsafe_next_is_refused(target):
    assert safe_next(target) is None


def test_german_is_default_language(client):
    assert 'lang="de"' in client.get("/login").text


def test_browser_language_decides_before_choice(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert 'lang="en"' in page


def test_chosen_language_is_remembered_for_user(app, client, login, make_user):
    user = make_user()
    login(user)
    client.post("/language", data={"locale": "en"})
    db.session.refresh(user)
    assert user.locale == "en"
    fresh = app.test_client()
    fresh.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    assert 'lang="en"' in fresh.get("/", headers={"Accept-Language": "de"}).text


def test_login_is_rate_limited(tmp_path, database_url, make_user):
    from tracker import create_app
    from tracker.config import TestingConfig

    app = create_app(
        TestingConfig,
        instance_path=str(tmp_path),
        RATELIMIT_ENABLED=True,
        SQLALCHEMY_DATABASE_URI=database_url,
    )
    client = app.test_client()
    codes = [
        client.post("/login", data={"email": "x@example.org", "password": "nope nope"}).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    with app.app_context():
        db.engine.dispose()


def test_background_request_without_session_answers_401(client):
    response = client.get("/items/duplicates?title=x", headers={"X-Requested-With": "fetch"})
    assert response.status_code == 401 and response.json["error"]["status"] == 401


def test_login_redirect_keeps_target(client):
    response = client.get("/items/?status=all")
    assert response.status_code == 302
    assert "next=%2Fitems%2F%3Fstatus%3Dall" in response.location
