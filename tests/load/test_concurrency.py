"""Load and fault tests against gunicorn with two workers (SQLite or PostgreSQL)."""

from __future__ import annotations

import http.client
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from load.conftest import Client
from tracker.db import db
from tracker.items.models import Item

pytestmark = pytest.mark.slow
ITEM_ID = re.compile(r"/items/(\d+)$")


@pytest.fixture
def team(make_network, make_user, make_company, make_item):
    network = make_network("Last")
    managers = [make_user("manager", network, email=f"m{i}@example.org") for i in range(8)]
    company = make_company("Lasttest GmbH")
    item = make_item(
        actor=managers[0], company=company, title="Ausgangstitel", responsible_network=network
    )
    return dict(emails=[m.email for m in managers], item_id=item.id, version=item.version)


def _logged_in(server, emails) -> list[Client]:
    clients = [Client(server.base) for _ in emails]
    for client, email in zip(clients, emails, strict=True):
        client.login(email)
    return clients


def _edit(client: Client, item_id: int, version: int, title: str, gate: threading.Barrier):
    token = client.token(f"/items/{item_id}/edit")
    gate.wait()
    return client.request(
        f"/items/{item_id}/edit",
        {
            "csrf_token": token,
            "version": version,
            "title": title,
            "kind": "request",
            "company_name": "Lasttest GmbH",
            "priority": "normal",
            "source": "phone",
        },
    )[0]


def test_eight_clients_save_same_version_exactly_one_wins(server, team):
    server.start()
    clients = _logged_in(server, team["emails"])
    gate = threading.Barrier(len(clients))
    with ThreadPoolExecutor(len(clients)) as pool:
        codes = list(
            pool.map(
                lambda c: _edit(c[1], team["item_id"], team["version"], f"Titel {c[0]}", gate),
                enumerate(clients),
            )
        )
    assert sorted(codes) == [302] + [409] * 7, codes
    title = db.session.scalar(select(Item.title).where(Item.id == team["item_id"]))
    winner = codes.index(302)
    assert title == f"Titel {winner}"
    db.session.remove()


def _create_until(client: Client, deadline: float, acknowledged: list, failures: list):
    token = client.token("/items/new")
    n = 0
    while time.monotonic() < deadline:
        n += 1
        try:
            status, location, body = client.request(
                "/items/new",
                {
                    "csrf_token": token,
                    "title": f"Last {id(client)}-{n}",
                    "kind": "need",
                    "company_name": "Lasttest GmbH",
                    "priority": "normal",
                    "source": "phone",
                },
            )
        except (OSError, http.client.HTTPException) as error:  # killed before it answered
            failures.append(("connection", str(error)))
            return
        if status == 302 and ITEM_ID.search(location):
            acknowledged.append(int(ITEM_ID.search(location).group(1)))
        else:
            failures.append((status, body[:200]))
            continue
        # Like a browser, land on the new item's page, which shows the confirmation and
        # so takes it out of the session; else the session cookie grows with every item.
        try:
            client.request(location.removeprefix(client.base))
        except (OSError, http.client.HTTPException) as error:
            failures.append(("connection", str(error)))
            return


def _run_writers(server, emails, seconds: float):
    clients = _logged_in(server, emails)
    acknowledged, failures = [], []
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_create_until, args=(c, deadline, acknowledged, failures))
        for c in clients
    ]
    for thread in threads:
        thread.start()
    return threads, acknowledged, failures


def test_eight_clients_create_for_30_seconds_without_errors(server, team):
    server.start()
    threads, acknowledged, failures = _run_writers(server, team["emails"], 30)
    for thread in threads:
        thread.join()
    server.stop()
    assert failures == [] and len(acknowledged) > 100
    assert "database is locked" not in server.log and "Traceback" not in server.log
    rows = db.session.execute(
        select(Item.id, Item.reference).where(Item.id.in_(acknowledged))
    ).all()
    assert len(rows) == len(acknowledged)
    references = db.session.scalars(select(Item.reference)).all()
    assert len(references) == len(set(references))
    print(f"\n{len(acknowledged)} items created by 8 clients in 30 s")
    db.session.remove()


def test_killed_server_loses_no_acknowledged_write(server, team):
    server.start()
    threads, acknowledged, _failures = _run_writers(server, team["emails"], 8)
    time.sleep(3)
    server.kill()  # SIGKILL in the middle of writes
    for thread in threads:
        thread.join()
    server.start()
    client = Client(server.base)
    client.login(team["emails"][0])
    assert client.request("/healthz")[0] == 200
    server.stop()
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    present = db.session.scalar(select(func.count()).where(Item.id.in_(acknowledged)))
    assert acknowledged and present == len(acknowledged)
    db.session.remove()
