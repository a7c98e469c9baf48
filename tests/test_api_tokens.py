"""Personal API tokens and the API's first endpoints: Bearer only, problem+json, the
register's permissions (confidential items absent, hidden ones 404), ETag, OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from tracker.api import tokens
from tracker.api.models import ApiToken, TokenScope
from tracker.audit.models import AuditEvent
from tracker.db import db, unit_of_work, utcnow


def _token(user, scope=TokenScope.READ, days=30) -> str:
    with unit_of_work():
        _row, token = tokens.create_token(user, actor=user, name="CRM", scope=scope, days=days)
    return token


def _get(client, path, token=None, **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.get(path, headers=headers)


def test_a_token_is_shown_once_and_stored_as_a_digest(client, login, make_user):
    user = make_user()
    login(user)
    page = client.post("/account/tokens", data={"name": "Mein CRM", "scope": "read", "days": "90"})
    assert page.status_code == 200
    shown = page.text.split('id="new-token" value="')[1].split('"')[0]
    assert shown.startswith("br_") and len(shown) > 40
    row = db.session.scalar(select(ApiToken))
    assert row.digest == tokens.digest(shown) and shown not in (row.prefix, row.digest)
    assert shown not in client.get("/account/tokens").text  # never again
    assert db.session.scalar(select(AuditEvent.event).order_by(AuditEvent.id.desc())) == (
        "api_token_created"
    )


def test_a_form_without_a_name_comes_back_with_its_input(client, login, make_user):
    login(make_user())
    page = client.post("/account/tokens", data={"name": "", "scope": "write", "days": "30"})
    assert page.status_code == 400 and '<option selected value="write">' in page.text
    assert db.session.scalar(select(ApiToken)) is None


def test_the_api_needs_a_bearer_token_and_no_cookie_will_do(client, login, make_user):
    user = make_user()
    login(user)  # a session cookie: not for the API
    answer = client.get("/api/v1/items")
    assert answer.status_code == 401 and answer.mimetype == "application/problem+json"
    assert answer.json["status"] == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = _get(client, "/api/v1/items", "br_not-a-token")
    assert wrong.status_code == 401 and 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    assert _get(client, "/api/v1/items", _token(user)).status_code == 200


def test_expired_revoked_and_deactivated_tokens_stop_working(client, make_user):
    user, other = make_user(), make_user()
    expiring, revoked, gone = _token(user, days=30), _token(user), _token(other)
    with unit_of_work():
        row = db.session.scalar(select(ApiToken).where(ApiToken.digest == tokens.digest(revoked)))
        tokens.revoke_token(row, actor=user)
        other.active = False
    assert _get(client, "/api/v1/items", revoked).status_code == 401
    assert _get(client, "/api/v1/items", gone).status_code == 401
    assert _get(client, "/api/v1/items", expiring).status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        assert _get(client, "/api/v1/items", expiring).status_code == 401


def test_a_read_token_may_not_write(client, make_user):
    user = make_user()
    answer = client.post(
        "/api/v1/items", json={}, headers={"Authorization": f"Bearer {_token(user)}"}
    )
    assert (
        answer.status_code == 403
        and 'error="insufficient_scope"' in answer.headers["WWW-Authenticate"]
    )


def test_observers_get_read_tokens_only(client, login, make_user):
    login(make_user("observer"))
    page = client.post("/account/tokens", data={"name": "Bericht", "scope": "write", "days": "30"})
    assert page.status_code == 400 and "Beobachter·innen ändern nichts" in page.text
    assert db.session.scalar(select(ApiToken)) is None


def test_the_list_shows_what_the_register_shows(client, make_user, make_item, make_network):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna, bert = make_user(network=alpha), make_user(network=beta)
    public = make_item(actor=anna, title="Offene Kooperation")
    secret = make_item(actor=anna, title="Vertrauliche Übernahme", confidential=True)
    db.session.commit()
    seen_by_anna = _get(client, "/api/v1/items", _token(anna)).json
    seen_by_bert = _get(client, "/api/v1/items", _token(bert)).json
    assert {i["title"] for i in seen_by_anna} == {public.title, secret.title}
    assert {i["title"] for i in seen_by_bert} == {public.title}
    one = _get(client, f"/api/v1/items/{secret.reference}", _token(bert))
    assert one.status_code == 404 and one.mimetype == "application/problem+json"
    assert "Vertrauliche" not in one.text


def test_an_item_has_its_version_as_etag(client, make_user, make_item):
    user = make_user()
    item = make_item(actor=user, title="Partner gesucht")
    db.session.commit()
    token = _token(user)
    answer = _get(client, f"/api/v1/items/{item.reference}", token)
    assert answer.status_code == 200 and answer.headers["ETag"] == f'"{item.version}"'
    assert answer.json["reference"] == item.reference and answer.json["url"].endswith(
        f"/items/{item.id}"
    )
    again = _get(
        client,
        f"/api/v1/items/{item.reference}",
        token,
        **{"If-None-Match": answer.headers["ETag"]},
    )
    assert again.status_code == 304


def test_pages_of_the_list_are_linked(client, make_user, make_item):
    user = make_user()
    for n in range(5):
        make_item(actor=user, title=f"Anliegen {n}")
    db.session.commit()
    answer = _get(client, "/api/v1/items?per_page=2&page=2", _token(user))
    assert answer.status_code == 200 and len(answer.json) == 2
    assert answer.headers["X-Total-Count"] == "5"
    links = answer.headers["Link"]
    assert 'rel="next"' in links and 'rel="prev"' in links and "page=3" in links


@pytest.mark.parametrize(
    "query", ["per_page=0", "per_page=101", "page=0", "status=irgendwas", "kind=x", "topic=abc"]
)
def test_bad_parameters_are_problems_with_their_field(client, make_user, query):
    answer = _get(client, f"/api/v1/items?{query}", _token(make_user()))
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert answer.json["errors"][0]["field"] == query.split("=")[0]


def test_messages_follow_accept_language(client, make_user):
    token = _token(make_user(locale="de"))
    english = _get(client, "/api/v1/items/1999-0001", token, **{"Accept-Language": "en"})
    german = _get(client, "/api/v1/items/1999-0001", token, **{"Accept-Language": "de"})
    assert english.json["title"] == "Not found" and german.json["title"] == "Nicht gefunden"


def test_the_openapi_document_is_public_and_3_1(client):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200 and answer.json["openapi"] == "3.1.0"
    assert (
        "/api/v1/items" in answer.json["paths"]
        and "/api/v1/items/{reference}" in answer.json["paths"]
    )
    assert answer.json["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_office_sees_and_revokes_any_token(client, login, make_user):
    owner, office = make_user(), make_user("admin")
    token = _token(owner)
    login(office)
    page = client.get("/admin/tokens")
    assert page.status_code == 200 and owner.name in page.text and token not in page.text
    row = db.session.scalar(select(ApiToken))
    assert client.post(f"/admin/tokens/{row.id}/revoke").status_code == 302
    assert _get(client, "/api/v1/items", token).status_code == 401
    assert db.session.scalar(select(AuditEvent.event).order_by(AuditEvent.id.desc())) == (
        "api_token_revoked"
    )


def test_a_user_cannot_revoke_someone_elses_token(client, login, make_user):
    owner, other = make_user(), make_user()
    _token(owner)
    login(other)
    row = db.session.scalar(select(ApiToken))
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, row.id).revoked_at is None


def test_the_same_form_sent_again_makes_no_second_token(client, login, make_user):
    login(make_user())
    form = {"name": "CRM", "scope": "read", "days": "30", "submission_key": "a" * 32}
    first = client.post("/account/tokens", data=form)
    assert first.status_code == 200 and 'id="new-token"' in first.text
    again = client.post("/account/tokens", data=form)  # the browser's reload
    assert again.status_code == 302
    assert "schon" in client.get(again.location).text
    assert len(db.session.scalars(select(ApiToken)).all()) == 1


def test_the_list_filters_by_network(client, make_user, make_item, make_network):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna = make_user(network=alpha)
    mine = make_item(actor=anna, title="Bei uns", responsible_network=alpha)
    make_item(actor=anna, title="Bei Beta", responsible_network=beta)
    db.session.commit()
    answer = _get(client, f"/api/v1/items?responsible={alpha.id}", _token(anna))
    assert answer.status_code == 200 and [i["title"] for i in answer.json] == [mine.title]


def test_networks_topics_and_my_tasks(client, make_user, make_network, make_topic, make_item):
    from datetime import date

    from tracker.meetings import live

    alpha, beta = make_network("Alpha"), make_network("Beta")
    make_topic("Energie")
    anna, bert = make_user(network=alpha), make_user(network=beta)
    secret = make_item(actor=bert, title="Geheim", confidential=True)
    with unit_of_work():
        live.add_task(
            None, actor=bert, title="Angebot schicken", owner=anna, due_date=date(2030, 1, 2)
        )
    db.session.commit()
    token = _token(anna)
    networks = _get(client, "/api/v1/networks", token).json
    assert {n["short_name"] for n in networks} == {"Alpha", "Beta"}
    assert [t["name"] for t in _get(client, "/api/v1/topics", token).json] == ["Energie"]
    (task,) = _get(client, "/api/v1/tasks/mine", token).json
    assert task["title"] == "Angebot schicken" and task["due_date"] == "2030-01-02"
    assert task["item"] is None and secret.reference not in str(task)
    assert _get(client, "/api/v1/tasks/mine", _token(bert)).json == []
