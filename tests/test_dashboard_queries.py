"""Each dashboard page runs the same number of SQL statements whatever the register holds."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from tracker.db import db
from tracker.items.models import ItemStatus
from tracker.meetings import agenda
from tracker.meetings.models import Task
from tracker.meetings.queries import upcoming_meetings

PAGES = ("/", "/overview", "/overview/clusters")
WORDS = ("Wasserstoff", "Fachkräfte", "Förderung", "Sensorik", "Pilotprojekt")


@contextmanager
def counted():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def register(make_network, make_user, make_topic, make_item, make_series, today):
    mine, other = make_network("Alpha"), make_network("Beta")
    me = make_user("manager", mine)
    topics = [make_topic("Förderung"), make_topic("KI"), make_topic("Energie")]
    make_series()

    def add(count: int) -> None:
        for i in range(count):
            item = make_item(
                title=f"{WORDS[i % 5]} für Projekt {i}",
                reporting_network=(mine, other)[i % 2],
                topics=[topics[i % 3]],
                confidential=i % 7 == 0,
            )
            item.created_at = datetime.now(UTC) - timedelta(days=i % 100)
            _shape(item, i, mine, me, today)
        db.session.commit()

    return dict(me=me, admin=make_user("admin"), add=add)


def _shape(item, i: int, mine, me, today) -> None:
    kind = i % 5
    if kind in (0, 1):
        item.responsible_network = mine
        item.status = ItemStatus.ASSIGNED if kind else ItemStatus.IN_PROGRESS
        item.assignee = me if kind == 0 else None
        item.follow_up_date = today - timedelta(days=3)
    elif kind == 2:
        item.status, item.closed_at = ItemStatus.DONE, datetime.now(UTC) - timedelta(days=i % 20)
    db.session.add(Task(owner=me, title=f"Aufgabe {i}", due_date=today + timedelta(days=i - 5)))


def statements_per_page(client) -> dict[str, int]:
    found = {}
    for url in PAGES:
        client.get(url)  # warm caches of the session and the loader
        with counted() as statements:
            assert client.get(url).status_code == 200
        found[url] = len(statements)
    return found


def test_statement_count_does_not_grow_with_the_register(client, login, register):
    register["add"](10)
    agenda.prepare_agenda(upcoming_meetings()[0], actor=register["admin"])
    db.session.commit()
    login(register["me"])
    small = statements_per_page(client)
    register["add"](50)
    assert statements_per_page(client) == small
    assert all(n <= 25 for n in small.values()), small
