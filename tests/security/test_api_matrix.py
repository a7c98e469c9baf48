"""Every /api/v1 route answers every principal's token as api_matrix.py says, hidden objects
included; and every route of the API has its rows."""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from tracker.api.models import TokenScope
from tracker.api.tokens import create_token
from tracker.db import db

from .api_matrix import PRINCIPALS, PUBLIC_PATHS, ROWS, ApiRow

ALLOWED_REFUSALS = (304, 400, 409, 412, 422, 428)


@pytest.fixture
def tokens(world) -> dict[str, str]:
    """A token for each principal: read-write, the observer's read-only; the deactivated
    user's made before the deactivation."""
    made = {}
    for principal in PRINCIPALS[1:]:
        user = world.users[principal]
        scope = TokenScope.READ if user.is_observer else TokenScope.WRITE
        if principal == "deactivated":
            user.active = True
        _row, made[principal] = create_token(user, actor=user, name="Matrix", scope=scope, days=30)
        if principal == "deactivated":
            user.active = False
    db.session.commit()
    return made


def answer_class(code: int) -> str:
    if code in (401, 403, 404):
        return str(code)
    return "ok" if 200 <= code < 300 or code in ALLOWED_REFUSALS else str(code)


def _fill(world, value):
    if isinstance(value, str):
        text = world.format(value)
        return int(text) if value.startswith("{") and text.isdigit() else text
    return value


def _ask(client, world, row: ApiRow, token: str | None):
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if row.method != "GET":
        headers["If-Match"] = '"999999"'
    body = {key: _fill(world, value) for key, value in row.json.items()}
    return client.open(world.format(row.path), method=row.method, headers=headers,
                       data=json.dumps(body) if row.method != "GET" else None,
                       content_type="application/json")  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_api_route_answers_every_principal_as_the_matrix_says(world, app, tokens, row):
    wrong = []
    for principal in PRINCIPALS:
        response = _ask(app.test_client(), world, row, tokens.get(principal))
        got = answer_class(response.status_code)
        if got != row.expect[principal]:
            body = response.get_data(as_text=True)[:160]
            wanted = row.expect[principal]
            wrong.append(f"{principal}: expected {wanted}, got {response.status_code} {body}")
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json", (principal, row.id)
    assert not wrong, f"{row.id}:\n  " + "\n  ".join(wrong)


def test_the_document_and_its_page_are_public(app):
    for path in PUBLIC_PATHS:
        assert app.test_client().get(path).status_code == 200


def test_every_api_route_is_in_the_api_matrix(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for row in ROWS:
        path = urlsplit(row.path.format_map(defaultdict(lambda: "1"))).path
        with contextlib.suppress(HTTPException):
            rule = adapter.match(path, method=row.method, return_rule=True)[0]
            covered.add((row.method, rule.rule))
    covered |= {("GET", path) for path in PUBLIC_PATHS}
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(routes - covered) == []
