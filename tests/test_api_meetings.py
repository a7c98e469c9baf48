"""Meetings through the API: agendas as the pages show them, outcomes and tasks as the live
page and the task list record them (If-Match on entries and tasks)."""

from __future__ import annotations

import pytest
from api_world import PRINCIPALS, SECRET, api_world_fixture, send  # noqa: F401 - the fixture

from tracker.db import db, unit_of_work
from tracker.meetings import live
from tracker.meetings.models import AgendaEntry, Meeting, Task

SEES_SECRET = {"observer": False, "manager_b": False, "manager_a": True, "admin": True}


def _version(model, record_id: int) -> str:
    db.session.expire_all()
    return f'"{db.session.get(model, record_id).version}"'


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_a_meeting_shows_each_principal_what_its_agenda_shows(client, api_world, principal):
    meeting = api_world.records["meeting"]
    listed = send(client, api_world, principal, "GET", "/api/v1/meetings")
    assert listed.status_code == 200 and [m["id"] for m in listed.json] == [meeting.id]
    answer = send(
        client,
        api_world,
        principal,
        "GET",
        f"/api/v1/meetings/{meeting.id}",
        **{"Accept-Language": "de"},
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "planned" and answer.json["attendance"] is None
    entries = {e["item"]: e for e in answer.json["entries"] if e["item"]}
    public = entries[api_world.records["item"].reference]
    assert public["title"] == "Partner für Sensorik" and public["company"] == "Firma Alpha"
    assert [t["title"] for t in public["tasks"]] == ["Rückruf"]
    secret = entries[api_world.records["secret"].reference]
    if SEES_SECRET[principal]:
        assert secret["title"] == f"{SECRET} Quantenlabor" and not secret["hidden"]
        assert [t["title"] for t in secret["tasks"]] == [f"{SECRET} prüfen"]
    else:
        assert secret["title"] == "Vertrauliches Anliegen" and secret["hidden"] is True
        assert secret["tasks"] == [] and secret["note"] is None and secret["company"] is None
        assert SECRET not in answer.text
        english = send(
            client,
            api_world,
            principal,
            "GET",
            f"/api/v1/agenda-entries/{secret['id']}",
            **{"Accept-Language": "en"},
        )
        assert english.json["title"] == "Confidential item" and SECRET not in english.text


def test_the_archive_and_bad_parameters(client, api_world):
    past = send(client, api_world, "observer", "GET", "/api/v1/meetings?when=past")
    assert past.status_code == 200 and past.json == [] and past.headers["X-Total-Count"] == "0"
    bad = send(client, api_world, "observer", "GET", "/api/v1/meetings?when=gestern")
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "when"
    missing = send(client, api_world, "observer", "GET", "/api/v1/meetings/999999")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_an_outcome_needs_the_entrys_etag_and_is_the_token_owners(client, api_world):
    entry = api_world.records["entry"]
    path = f"/api/v1/agenda-entries/{entry.id}"
    outcome = {"discussed": True, "decision": "Beta stellt Kontakt her"}
    assert send(client, api_world, "manager_b", "PATCH", path, outcome).status_code == 428
    stale = send(client, api_world, "manager_b", "PATCH", path, outcome, **{"If-Match": '"0"'})
    assert stale.status_code == 412 and stale.headers["ETag"] == _version(AgendaEntry, entry.id)
    read = send(client, api_world, "manager_b", "GET", path)
    done = send(
        client, api_world, "manager_b", "PATCH", path, outcome, **{"If-Match": read.headers["ETag"]}
    )
    assert done.status_code == 200, done.json
    assert done.json["discussed"] is True and done.json["decision"] == "Beta stellt Kontakt her"
    assert done.headers["ETag"] != read.headers["ETag"]
    db.session.expire_all()
    assert db.session.get(AgendaEntry, entry.id).updated_by_id == api_world.users["manager_b"].id
    too_long = {"note": "x" * 10_001}
    etag = {"If-Match": done.headers["ETag"]}
    assert send(client, api_world, "manager_b", "PATCH", path, too_long, **etag).status_code == 422


def test_who_may_record_an_outcome(client, api_world):
    entry, secret = api_world.records["entry"], api_world.records["secret_entry"]
    for principal in ("observer", "read_a"):  # tokens that read only
        etag = {"If-Match": _version(AgendaEntry, entry.id)}
        path = f"/api/v1/agenda-entries/{entry.id}"
        answer = send(client, api_world, principal, "PATCH", path, {"note": "x"}, **etag)
        assert answer.status_code == 403
    path = f"/api/v1/agenda-entries/{secret.id}"
    etag = {"If-Match": _version(AgendaEntry, secret.id)}
    hidden = send(client, api_world, "manager_b", "PATCH", path, {"note": "x"}, **etag)
    assert hidden.status_code == 404 and SECRET not in hidden.text
    own = send(client, api_world, "manager_a", "PATCH", path, {"note": f"{SECRET} läuft"}, **etag)
    name_a = api_world.users["manager_a"].name
    assert own.status_code == 200 and own.json["note"] == f"{name_a}: {SECRET} läuft"


def test_notes_sent_by_two_tokens_are_both_kept(client, api_world):
    """The API's note is its owner's own, as on the live page: it replaces no one else's."""
    entry = api_world.records["entry"]
    path = f"/api/v1/agenda-entries/{entry.id}"
    for principal, text in (("manager_a", "Partner in Jena"), ("manager_b", "Termin im Mai")):
        etag = {"If-Match": _version(AgendaEntry, entry.id)}
        assert send(client, api_world, principal, "PATCH", path, {"note": text},
                    **etag).status_code == 200  # fmt: skip
    again = {"If-Match": _version(AgendaEntry, entry.id)}
    answer = send(client, api_world, "manager_a", "PATCH", path, {"note": "Partner in Gera"},
                  **again)  # fmt: skip
    names = api_world.users["manager_a"].name, api_world.users["manager_b"].name
    assert answer.json["note"] == f"{names[0]}: Partner in Gera\n\n{names[1]}: Termin im Mai"


def test_a_closed_meetings_outcomes_no_longer_change(client, api_world):
    meeting, entry = api_world.records["meeting"], api_world.records["entry"]
    with unit_of_work():
        live.close_meeting(db.session.get(Meeting, meeting.id), actor=api_world.users["admin"])
    shown = send(client, api_world, "observer", "GET", f"/api/v1/meetings/{meeting.id}")
    assert shown.json["status"] == "closed"
    assert {p["network"] for p in shown.json["attendance"]} == {"A", "B", "C"}
    etag = {"If-Match": _version(AgendaEntry, entry.id)}
    path = f"/api/v1/agenda-entries/{entry.id}"
    closed = send(client, api_world, "admin", "PATCH", path, {"note": "x"}, **etag)
    assert closed.status_code == 409 and closed.json["detail"] == (
        "Diese Sitzung ist abgeschlossen; ihr Protokoll kann nicht mehr geändert werden."
    )


def test_tasks_are_raised_on_an_entry(client, api_world):
    entry, secret = api_world.records["entry"], api_world.records["secret_entry"]
    anna = api_world.users["manager_a"].id
    path = f"/api/v1/agenda-entries/{entry.id}/tasks"
    body = {"title": "Angebot schicken", "owner": anna, "due_date": "2030-02-01"}
    made = send(client, api_world, "manager_b", "POST", path, body)
    assert made.status_code == 201, made.json
    assert made.json["owner"]["name"] == "Anna Alpha" and made.json["entry"] == entry.id
    assert made.headers["Location"].endswith(f"/api/v1/tasks/{made.json['id']}")
    task = db.session.get(Task, made.json["id"])
    assert task.created_by_id == api_world.users["manager_b"].id
    nobody = send(client, api_world, "manager_b", "POST", path, {**body, "owner": 999999})
    assert nobody.status_code == 422 and nobody.json["errors"] == [
        {"field": "owner", "message": "Eine Aufgabe braucht eine verantwortliche Person."}
    ]
    blank = send(client, api_world, "manager_b", "POST", path, {**body, "title": "  "})
    assert blank.status_code == 422 and blank.json["errors"][0]["field"] == "title"
    assert send(client, api_world, "observer", "POST", path, body).status_code == 403
    hidden = f"/api/v1/agenda-entries/{secret.id}/tasks"
    assert send(client, api_world, "manager_b", "POST", hidden, body).status_code == 404


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_a_task_of_a_hidden_item_is_not_found(client, api_world, principal):
    secret_task = api_world.records["secret_task"]
    answer = send(client, api_world, principal, "GET", f"/api/v1/tasks/{secret_task.id}")
    if SEES_SECRET[principal]:
        assert answer.status_code == 200 and answer.json["title"] == f"{SECRET} prüfen"
    else:
        assert answer.status_code == 404 and SECRET not in answer.text
    task = api_world.records["task"]
    public = send(client, api_world, principal, "GET", f"/api/v1/tasks/{task.id}")
    assert public.status_code == 200 and public.headers["ETag"] == f'"{public.json["version"]}"'


def test_a_task_is_done_or_moved_by_its_owner(client, api_world):
    task = api_world.records["task"]
    path = f"/api/v1/tasks/{task.id}"
    assert send(client, api_world, "manager_a", "PATCH", path, {"done": True}).status_code == 428
    etag = {"If-Match": _version(Task, task.id)}
    other = send(client, api_world, "manager_b", "PATCH", path, {"done": True}, **etag)
    assert other.status_code == 403 and other.json["detail"] == (
        "Nur die verantwortliche Person darf die Aufgabe ändern."
    )
    moved = send(client, api_world, "manager_a", "PATCH", path, {"due_date": "2030-03-01"}, **etag)
    assert moved.status_code == 200 and moved.json["due_date"] == "2030-03-01"
    stale = send(client, api_world, "manager_a", "PATCH", path, {"done": True}, **etag)
    assert stale.status_code == 412
    done = send(
        client,
        api_world,
        "manager_a",
        "PATCH",
        path,
        {"done": True},
        **{"If-Match": moved.headers["ETag"]},
    )
    assert done.status_code == 200 and done.json["done"] is True
    mine = send(client, api_world, "manager_a", "GET", "/api/v1/tasks/mine").json
    assert task.id not in [t["id"] for t in mine]
    bad = send(client, api_world, "manager_a", "PATCH", path, {"due_date": "1999-01-01"}, **etag)
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "due_date"
