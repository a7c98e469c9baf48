"""Security headers on every page, HSTS on HTTPS only, and the session cookie's flags."""

from __future__ import annotations

import pytest
from conftest import PASSWORD  # tests/conftest.py (tests/ is on sys.path)

from tracker import create_app
from tracker.config import TestingConfig
from tracker.db import db

from .matrix import ROWS

ADMIN_PAGES = [
    pytest.param(row, id=row.path)
    for row in ROWS
    if row.method == "GET" and row.expect["admin"] == "ok"
]
PUBLIC_PAGES = ["/login", "/password/forgot", "/privacy/", "/healthz", "/no-such-page"]
REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def _policy(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


def assert_safe_headers(response) -> None:
    """The headers every answer carries, whoever asks."""
    header = response.headers.get("Content-Security-Policy", "")
    policy = _policy(response)
    assert policy, "no Content-Security-Policy"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, header
    assert policy.get("script-src", policy.get("default-src")) == "'self'", header
    for directive in ("frame-ancestors", "base-uri", "object-src"):
        assert policy.get(directive) == "'none'", f"{directive} in {header}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in REFERRER_POLICIES


@pytest.mark.parametrize("row", ADMIN_PAGES)
def test_every_page_carries_the_security_headers(world, client_as, row):
    response = client_as("admin").get(world.format(row.path))
    assert response.status_code < 500, response.status_code
    assert_safe_headers(response)
    assert "no-store" in response.headers.get("Cache-Control", ""), "personal page is cached"
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_without_login_carry_the_security_headers(client, path):
    assert_safe_headers(client.get(path))


HTTPS = [{"base_url": "https://localhost"}, {"environ_overrides": {"wsgi.url_scheme": "https"}}]


@pytest.mark.parametrize("https", HTTPS, ids=["base_url", "url_scheme"])
@pytest.mark.parametrize("path", ["/login", "/"])
def test_hsts_is_sent_over_https_only(client, path, https):
    secure = client.get(path, **https)
    assert "max-age=" in secure.headers.get("Strict-Transport-Security", "")
    assert "Strict-Transport-Security" not in client.get(path).headers


def _session_cookie(app, user) -> str:
    email = user.email
    db.session.commit()  # end the test's transaction: another app's request writes next
    response = app.test_client().post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, cookies
    return cookies[0]


def test_session_cookie_is_httponly_and_samesite_lax(app, make_user):
    cookie = _session_cookie(app, make_user()).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "; secure" not in cookie  # the default: served over plain HTTP


def test_session_cookie_is_secure_when_configured(database_url, tmp_path, monkeypatch, make_user):
    user = make_user()
    monkeypatch.setenv("TRACKER_SESSION_COOKIE_SECURE", "true")
    secure_app = create_app(
        TestingConfig, instance_path=str(tmp_path / "secure"), SQLALCHEMY_DATABASE_URI=database_url
    )
    try:
        cookie = _session_cookie(secure_app, user).lower()
    finally:
        with secure_app.app_context():
            db.session.remove()
            db.engine.dispose()
    assert "; secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
