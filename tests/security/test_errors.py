"""Error answers: a clear page or JSON, an error number in the log, never a stack trace."""

from __future__ import annotations

import logging
import re

import pytest
from conftest import PASSWORD  # tests/conftest.py (tests/ is on sys.path)

from tracker import create_app
from tracker.config import TestingConfig
from tracker.db import db, unit_of_work

TRACE = re.compile(r"Traceback|File \"|werkzeug\.|sqlalchemy\.|\.py\b", re.IGNORECASE)
BIG = b"x" * (20 * 1024 * 1024)


def assert_clear_page(response, status: int) -> str:
    assert response.status_code == status
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert not TRACE.search(text), TRACE.search(text).group(0)
    assert f"<title>{status} " in text
    return text


@pytest.fixture
def failing_app(database_url, tmp_path):
    """An app with a route that fails the way a bug would (routes are added before any request)."""
    app = create_app(
        TestingConfig, instance_path=str(tmp_path / "failing"), SQLALCHEMY_DATABASE_URI=database_url
    )

    def fail():
        raise RuntimeError("secret detail of the failure")

    app.add_url_rule("/boom", "boom", fail)
    app.add_url_rule("/api/v1/boom", "api_boom", fail)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_unknown_address_gives_a_404_page(client):
    assert_clear_page(client.get("/no/such/page"), 404)


def test_wrong_method_gives_a_405_page(client):
    assert_clear_page(client.get("/logout"), 405)


def test_internal_error_page_shows_the_number_that_is_logged(failing_app, caplog):
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().get("/boom")
    text = assert_clear_page(response, 500)
    assert "secret detail" not in text
    error_id = re.search(r"<code>([0-9a-f]{12})</code>", text).group(1)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info, "the log has the number and the traceback"


def test_internal_error_answers_json_to_json_clients(failing_app, caplog):
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().get("/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500 and response.is_json
    error = response.json["error"]
    assert error["status"] == 500 and re.fullmatch(r"[0-9a-f]{12}", error["id"])
    assert "secret detail" not in response.get_data(as_text=True)
    assert any(error["id"] in r.getMessage() for r in caplog.records)


def _api_token(app) -> str:
    from tracker.api import tokens
    from tracker.api.models import TokenScope
    from tracker.auth import services as users
    from tracker.auth.models import UserRole

    with app.app_context(), unit_of_work():
        user = users.create_user(
            actor=None, email="api@example.org", name="Api", password=PASSWORD,
            role=UserRole.OBSERVER,
        )  # fmt: skip
        return tokens.create_token(user, actor=user, name="t", scope=TokenScope.READ, days=30)[1]


def test_internal_error_of_the_api_is_a_problem_with_its_number(failing_app, caplog):
    token = _api_token(failing_app)
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().get(
            "/api/v1/boom", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 500 and response.mimetype == "application/problem+json"
    problem = response.json
    assert problem["status"] == 500 and re.fullmatch(r"[0-9a-f]{12}", problem["id"])
    assert "secret detail" not in response.get_data(as_text=True)
    assert any(problem["id"] in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/no/such/page", {"Accept": "application/json"}, 404),
        ("/logout", {"Accept": "application/json"}, 405),
    ],
)
def test_http_errors_answer_json_to_json_clients(client, path, headers, status):
    response = client.get(path, headers=headers)
    assert response.status_code == status and response.is_json
    assert response.json["error"]["status"] == status


def test_forbidden_answers_json_to_json_clients(client, make_user):
    observer = make_user("observer")
    client.post("/login", data={"email": observer.email, "password": PASSWORD})
    response = client.get("/admin/users", headers={"Accept": "application/json"})
    assert response.status_code == 403 and response.json["error"]["status"] == 403


def _login_admin(client, make_user):
    admin = make_user("admin")
    client.post("/login", data={"email": admin.email, "password": PASSWORD})


def test_oversized_login_form_gives_a_413_page(client):
    response = client.post("/login", data=BIG, content_type="application/x-www-form-urlencoded")
    assert_clear_page(response, 413)


@pytest.mark.parametrize("path", ["/items/new", "/companies/new", "/reports/views"])
def test_oversized_form_gives_a_413_page(client, make_user, path):
    _login_admin(client, make_user)
    response = client.post(path, data=BIG, content_type="application/x-www-form-urlencoded")
    assert_clear_page(response, 413)


def test_oversized_upload_gives_a_413_page(client, make_user):
    _login_admin(client, make_user)
    head = b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
    body = head + BIG + b"\r\n--B--\r\n"  # built here: the test client spools big files to disk
    response = client.post("/import/", data=body, content_type="multipart/form-data; boundary=B")
    assert_clear_page(response, 413)


def test_the_api_answers_an_unknown_address_without_a_token_401_with_one_404(client, make_user):
    from tracker.api import tokens
    from tracker.api.models import TokenScope

    user = make_user()
    with unit_of_work():
        token = tokens.create_token(user, actor=user, name="t", scope=TokenScope.READ, days=30)[1]
    assert client.get("/api/v1/nothing").status_code == 401  # nothing told before a login
    answer = client.get("/api/v1/nothing", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    assert answer.json["status"] == 404
