"""Every route answers every principal as DESIGN.md section 7 says (see matrix.py)."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from .conftest import seed_session, sign_in
from .matrix import EXCLUDED_ENDPOINTS, PRINCIPALS, ROWS, Row

REDIRECTS = (301, 302, 303, 307, 308)
FETCH = {"X-Requested-With": "fetch"}


def _params():
    for row in ROWS:
        marks = (
            [pytest.mark.xfail(strict=True, raises=AssertionError, reason=row.xfail)]
            if row.xfail
            else []
        )
        yield pytest.param(row, id=row.id, marks=marks)


def answer_class(response, fetch: bool) -> str:
    """Sort an answer into the matrix's classes; anything else keeps its status code."""
    code = response.status_code
    if code == 401:
        return "login" if fetch and response.is_json else "401"
    if code in REDIRECTS:
        target = urlsplit(response.headers["Location"])
        if target.path != "/login":
            return "ok"
        if fetch:
            return "302 to /login"  # a background request needs 401, not a login page
        return "login" if "next" in parse_qs(target.query) else "out"
    if code in (403, 404):
        return str(code)
    return "ok" if 200 <= code < 300 or code in (304, 400, 409, 422) else str(code)


def _ask(client, world, row: Row):
    data = {key: world.format(value) for key, value in row.data.items()}
    return client.open(
        world.format(row.path),
        method=row.method,
        data=data if row.method != "GET" else None,
        headers=FETCH if row.fetch else {},
    )


@pytest.mark.parametrize("row", list(_params()))
def test_route_answers_every_principal_as_the_matrix_says(world, client_as, row):
    wrong = []
    for principal in PRINCIPALS:
        response = _ask(client_as(principal), world, row)
        got = answer_class(response, row.fetch)
        if got != row.expect[principal]:
            answer = f"{response.status_code} {response.headers.get('Location', '')}".strip()
            wrong.append(f"{principal}: expected {row.expect[principal]}, got {got} ({answer})")
    assert not wrong, f"{row.endpoint} {row.id}:\n  " + "\n  ".join(wrong)


def _app_routes(app) -> dict[tuple[str, str], str]:
    return {
        (method, rule.rule): rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXCLUDED_ENDPOINTS
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    }


def _matched(adapter, row: Row):
    path = urlsplit(row.path.format_map(defaultdict(lambda: "1"))).path
    try:
        return adapter.match(path, method=row.method, return_rule=True)[0]
    except HTTPException:
        return None


def test_every_route_of_the_app_is_in_the_matrix(app):
    adapter = app.url_map.bind("localhost")
    covered = {(row.method, rule.rule) for row in ROWS if (rule := _matched(adapter, row))}
    missing = sorted(
        f"{endpoint} {method} {rule}"
        for (method, rule), endpoint in _app_routes(app).items()
        if (method, rule) not in covered
    )
    assert not missing, "Routes missing from tests/security/matrix.py:\n  " + "\n  ".join(missing)


def test_every_matrix_row_names_a_route_of_the_app(app):
    adapter = app.url_map.bind("localhost")
    wrong = []
    for row in ROWS:
        rule = _matched(adapter, row)
        if rule is None or rule.endpoint != row.endpoint:
            wrong.append(f"{row.endpoint} {row.id} → {rule.endpoint if rule else 'no route'}")
    assert not wrong, "Matrix rows that do not match their route:\n  " + "\n  ".join(wrong)


def test_excluded_endpoints_exist(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules()} >= EXCLUDED_ENDPOINTS


def test_seeded_session_is_the_one_a_login_gives(app, world):
    user = world.users["manager_a"]
    real, seeded = app.test_client(), app.test_client()
    sign_in(real, user)
    seed_session(seeded, user)
    with real.session_transaction() as a, seeded.session_transaction() as b:
        assert {"_user_id", "login_at", "seen_at"} <= set(a) and a.permanent == b.permanent
        assert a["_user_id"] == b["_user_id"]
    assert real.get("/").status_code == seeded.get("/").status_code == 200
