"""Writing items through the API: the register's services, If-Match, Idempotency-Key."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.api import tokens
from tracker.api.models import TokenScope
from tracker.db import db, unit_of_work
from tracker.items.models import Activity, Item, ItemStatus


def _token(user, scope=TokenScope.WRITE) -> str:
    with unit_of_work():
        return tokens.create_token(user, actor=user, name="t", scope=scope, days=30)[1]


def _send(client, method, path, token, json=None, **headers):
    headers["Authorization"] = f"Bearer {token}"
    return client.open(path, method=method, json=json, headers=headers)


def test_a_manager_registers_an_item_for_their_network(client, make_user, make_network):
    alpha = make_network("Alpha")
    anna = make_user(network=alpha)
    token = _token(anna)
    answer = _send(
        client,
        "POST",
        "/api/v1/items",
        token,
        {"title": "Partner für Laser gesucht", "kind": "need", "company": "Optik AG"},
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["reporting_network"]["id"] == alpha.id
    assert answer.headers["Location"].endswith(f"/api/v1/items/{answer.json['reference']}")
    assert answer.headers["ETag"] == f'"{answer.json["version"]}"'
    item = db.session.scalar(select(Item))
    assert item.created_by_id == anna.id  # in the activity as the token's owner


def test_the_same_idempotency_key_makes_one_item(client, make_user, make_network):
    token = _token(make_user(network=make_network("Alpha")))
    body = {"title": "Förderantrag", "kind": "request", "company": "Holz GmbH"}
    first = _send(client, "POST", "/api/v1/items", token, body, **{"Idempotency-Key": "abc-1"})
    again = _send(client, "POST", "/api/v1/items", token, body, **{"Idempotency-Key": "abc-1"})
    other = _send(client, "POST", "/api/v1/items", token, body, **{"Idempotency-Key": "abc-2"})
    assert first.status_code == again.status_code == other.status_code == 201
    assert first.json["reference"] == again.json["reference"] != other.json["reference"]
    assert db.session.scalar(select(func.count()).select_from(Item)) == 2


def test_invalid_items_are_problems_at_their_field(client, make_user, make_network):
    token = _token(make_user(network=make_network("Alpha")))
    missing = _send(client, "POST", "/api/v1/items", token, {"kind": "need", "company": "X"})
    assert missing.status_code == 422 and missing.mimetype == "application/problem+json"
    assert [e["field"] for e in missing.json["errors"]] == ["title"]
    blank = _send(
        client, "POST", "/api/v1/items", token, {"title": "   ", "kind": "need", "company": "X"}
    )
    assert blank.status_code == 422 and blank.json["errors"][0]["field"] == "title"
    unknown = _send(
        client,
        "POST",
        "/api/v1/items",
        token,
        {"title": "T", "kind": "need", "company": "X", "responsible_network": 99999},
    )
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == (
        "responsible_network"
    )
    assert db.session.scalar(select(func.count()).select_from(Item)) == 0


def test_an_observer_token_cannot_write(client, make_user):
    token = _token(make_user("observer"), scope=TokenScope.READ)
    answer = _send(client, "POST", "/api/v1/items", token, {"title": "T"})
    assert answer.status_code == 403


def test_accepting_a_hand_off_needs_the_current_etag(client, make_user, make_network, make_item):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna, bert = make_user(network=alpha), make_user(network=beta)
    item = make_item(actor=anna, title="Übergabe", responsible_network=beta)
    db.session.commit()
    assert item.status is ItemStatus.ASSIGNED
    token = _token(bert)
    path = f"/api/v1/items/{item.reference}/actions/accept"
    without = _send(client, "POST", path, token, {})
    assert without.status_code == 428
    stale = _send(client, "POST", path, token, {}, **{"If-Match": f'"{item.version - 1}"'})
    assert stale.status_code == 412 and stale.headers["ETag"] == f'"{item.version}"'
    read = _send(client, "GET", f"/api/v1/items/{item.reference}", token)
    done = _send(client, "POST", path, token, {}, **{"If-Match": read.headers["ETag"]})
    assert done.status_code == 200 and done.json["status"] == "in_progress"
    assert done.headers["ETag"] != read.headers["ETag"]
    again = _send(client, "POST", path, token, {}, **{"If-Match": done.headers["ETag"]})
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    kinds = db.session.scalars(select(Activity.kind).where(Activity.item_id == item.id)).all()
    assert "accepted" in {k.value for k in kinds}


def test_returning_needs_a_reason_and_only_the_offered_network_may(
    client, make_user, make_network, make_item
):
    alpha, beta, gamma = make_network("Alpha"), make_network("Beta"), make_network("Gamma")
    anna, bert, carl = (make_user(network=n) for n in (alpha, beta, gamma))
    item = make_item(actor=anna, title="Übergabe", responsible_network=beta)
    db.session.commit()
    etag = {"If-Match": f'"{item.version}"'}
    path = f"/api/v1/items/{item.reference}/actions/return"
    foreign = _send(client, "POST", path, _token(carl), {"note": "nicht wir"}, **etag)
    assert foreign.status_code == 403
    no_reason = _send(client, "POST", path, _token(bert), {}, **etag)
    assert no_reason.status_code == 422 and no_reason.json["errors"][0]["field"] == "note"
    returned = _send(client, "POST", path, _token(bert), {"note": "Falsches Netzwerk"}, **etag)
    assert (
        returned.status_code == 200
        and returned.json["responsible_network"] is None
        or (returned.json["responsible_network"]["id"] != beta.id)
    )


def test_a_hand_off_through_the_api(client, make_user, make_network, make_item):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna = make_user(network=alpha)
    item = make_item(actor=anna, title="Weiterreichen")
    db.session.commit()
    answer = _send(
        client,
        "POST",
        f"/api/v1/items/{item.reference}/hand-off",
        _token(anna),
        {"network": beta.id, "note": "Passt zu euch"},
        **{"If-Match": f'"{item.version}"'},
    )
    assert answer.status_code == 200 and answer.json["status"] == "assigned"
    assert answer.json["responsible_network"]["id"] == beta.id


def test_a_hidden_item_cannot_be_changed(client, make_user, make_network, make_item):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna, bert = make_user(network=alpha), make_user(network=beta)
    secret = make_item(actor=anna, title="Geheim", confidential=True)
    db.session.commit()
    answer = _send(
        client,
        "POST",
        f"/api/v1/items/{secret.reference}/actions/complete",
        _token(bert),
        {"note": "x"},
        **{"If-Match": f'"{secret.version}"'},
    )
    assert answer.status_code == 404 and "Geheim" not in answer.text
