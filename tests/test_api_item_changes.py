"""PATCH /items/<reference> through the edit page's service, and an item's comments."""

from __future__ import annotations

from api_world import SECRET, api_world_fixture, send  # noqa: F401 - the fixture
from sqlalchemy import select

from tracker.db import db
from tracker.items.models import Activity, ActivityKind, Item


def _etag(world, reference: str) -> str:
    return f'"{db.session.scalar(select(Item.version).where(Item.reference == reference))}"'


def test_a_change_needs_the_current_etag(client, api_world):
    ref = api_world.records["item"].reference
    path = f"/api/v1/items/{ref}"
    without = send(client, api_world, "manager_a", "PATCH", path, {"title": "Neu"})
    assert without.status_code == 428 and without.mimetype == "application/problem+json"
    etag = _etag(api_world, ref)
    stale = send(
        client, api_world, "manager_a", "PATCH", path, {"title": "Neu"}, **{"If-Match": '"0"'}
    )
    assert stale.status_code == 412 and stale.headers["ETag"] == etag
    done = send(
        client,
        api_world,
        "manager_a",
        "PATCH",
        path,
        {"title": "Partner für Lasersensorik", "priority": "high", "topics": []},
        **{"If-Match": etag},
    )
    assert done.status_code == 200, done.json
    assert done.json["title"] == "Partner für Lasersensorik" and done.json["priority"] == "high"
    assert done.headers["ETag"] == f'"{done.json["version"]}"' != etag
    item = db.session.get(Item, api_world.records["item"].id)
    assert item.updated_by_id == api_world.users["manager_a"].id  # the token's owner
    changes = db.session.scalars(
        select(Activity).where(Activity.item_id == item.id, Activity.kind == ActivityKind.CHANGE)
    ).all()
    assert {c.field for c in changes} >= {"title", "priority"}
    assert all(c.actor_id == api_world.users["manager_a"].id for c in changes)


def test_who_may_change_is_the_edit_pages_rule(client, api_world):
    ref = api_world.records["item"].reference
    path = f"/api/v1/items/{ref}"
    etag = {"If-Match": _etag(api_world, ref)}
    other = send(client, api_world, "manager_b", "PATCH", path, {"title": "X"}, **etag)
    assert other.status_code == 403 and other.mimetype == "application/problem+json"
    observer = send(client, api_world, "observer", "PATCH", path, {"title": "X"}, **etag)
    assert observer.status_code == 403  # a read token
    read_token = send(client, api_world, "read_a", "PATCH", path, {"title": "X"}, **etag)
    assert read_token.status_code == 403
    office = send(client, api_world, "admin", "PATCH", path, {"description": "Neu"}, **etag)
    assert office.status_code == 200 and office.json["description"] == "Neu"


def test_a_hidden_item_is_not_found(client, api_world):
    ref = api_world.records["secret"].reference
    etag = {"If-Match": _etag(api_world, ref)}
    hidden = send(client, api_world, "manager_b", "PATCH", f"/api/v1/items/{ref}", {}, **etag)
    assert hidden.status_code == 404 and SECRET not in hidden.text
    own = send(
        client,
        api_world,
        "manager_a",
        "PATCH",
        f"/api/v1/items/{ref}",
        {"confidential": False},
        **etag,
    )
    assert own.status_code == 200 and own.json["confidential"] is False


def test_invalid_changes_are_problems_at_their_field(client, api_world):
    ref = api_world.records["item"].reference
    path = f"/api/v1/items/{ref}"
    etag = {"If-Match": _etag(api_world, ref)}
    blank = send(client, api_world, "manager_a", "PATCH", path, {"title": "   "}, **etag)
    assert blank.status_code == 422 and blank.json["errors"] == [
        {"field": "title", "message": "Bitte geben Sie einen Titel an."}
    ]
    english = send(
        client,
        api_world,
        "manager_a",
        "PATCH",
        path,
        {"title": " "},
        **etag,
        **{"Accept-Language": "en"},
    )
    assert english.json["errors"][0]["message"] == "A title is required."
    long = send(client, api_world, "manager_a", "PATCH", path, {"title": "x" * 301}, **etag)
    assert long.status_code == 422 and long.json["errors"][0]["field"] == "title"
    nobody = send(client, api_world, "manager_a", "PATCH", path, {"assignee": 999999}, **etag)
    assert nobody.status_code == 422 and nobody.json["errors"][0]["field"] == "assignee"
    observer = api_world.users["observer"].id
    wrong = send(client, api_world, "manager_a", "PATCH", path, {"assignee": observer}, **etag)
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == "assignee"
    assert db.session.get(Item, api_world.records["item"].id).version == int(
        etag["If-Match"].strip('"')
    )


def test_a_new_company_and_contact_by_name(client, api_world):
    ref = api_world.records["item"].reference
    answer = send(
        client,
        api_world,
        "manager_a",
        "PATCH",
        f"/api/v1/items/{ref}",
        {"company": "Neue Optik KG", "contact": "Paula Punkt"},
        **{"If-Match": _etag(api_world, ref)},
    )
    assert answer.status_code == 200 and answer.json["company"]["name"] == "Neue Optik KG"
    item = db.session.get(Item, api_world.records["item"].id)
    assert item.contact.name == "Paula Punkt" and item.contact.company_id == item.company_id


def test_comments_are_read_and_written_as_on_the_item_page(client, api_world):
    secret = api_world.records["secret"].reference
    path = f"/api/v1/items/{secret}/comments"
    (comment,) = send(client, api_world, "manager_a", "GET", path).json
    assert SECRET in comment["body"] and comment["author"]["name"] == "Anna Alpha"
    for principal in ("manager_b", "observer"):
        hidden = send(client, api_world, principal, "GET", path)
        assert hidden.status_code == 404 and SECRET not in hidden.text
    assert send(client, api_world, "manager_b", "POST", path, {"body": "x"}).status_code == 404
    public = f"/api/v1/items/{api_world.records['item'].reference}/comments"
    made = send(client, api_world, "manager_b", "POST", public, {"body": "Wir kennen jemanden"})
    assert made.status_code == 201 and made.json["author"]["name"] == "Bernd Beta"
    assert made.headers["Location"].endswith(public)
    assert [c["body"] for c in send(client, api_world, "observer", "GET", public).json] == [
        "Wir kennen jemanden"
    ]
    assert send(client, api_world, "observer", "POST", public, {"body": "x"}).status_code == 403
    assert send(client, api_world, "read_a", "POST", public, {"body": "x"}).status_code == 403
    empty = send(client, api_world, "manager_b", "POST", public, {"body": "   "})
    assert empty.status_code == 422 and empty.json["errors"] == [
        {"field": "body", "message": "Der Kommentar ist leer."}
    ]
    too_long = send(client, api_world, "manager_b", "POST", public, {"body": "x" * 10_001})
    assert too_long.status_code == 422 and too_long.json["errors"][0]["field"] == "body"
