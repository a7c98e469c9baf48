"""A cached fragment is filed under the revision of the data it was rendered from.

The race: a page loads its objects, another transaction commits a change, and only then is
the revision read. Under PostgreSQL's READ COMMITTED the old HTML was then filed under the
new revision, and every later request got it. Here the change is committed from a second
thread (its own app context, session and connection) right after the page's first
statement on items has run. The tests hold on SQLite as well, whose transactions always
read one snapshot.
"""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import event, select, text, update

from tracker import caching
from tracker.caching import data_revision
from tracker.companies.models import Company
from tracker.db import db, unit_of_work
from tracker.items.models import Item

HEADING = re.compile(r"<h1[^>]*>.*?</h1>", re.S)


def _rename_apart(app, item_id: int, title: str) -> None:
    """Commit a new title from another thread, as another worker's request would."""

    def rename():
        with app.app_context():
            db.session.execute(update(Item).where(Item.id == item_id).values(title=title))
            db.session.commit()
            db.session.remove()

    writer = threading.Thread(target=rename)
    writer.start()
    writer.join()


def _after_first_item_query(engine, action):
    """Run ``action`` once, right after the first statement that reads items."""
    done = []

    def after(_conn, _cursor, statement, _parameters, _context, _executemany):
        if not done and "FROM items" in statement:
            done.append(statement)
            action()

    event.listen(engine, "after_cursor_execute", after)
    return done, lambda: event.remove(engine, "after_cursor_execute", after)


@pytest.fixture
def old_item(make_user, make_item):
    user = make_user()
    item = make_item(
        actor=user, title="Alter Titel", assignee=user, responsible_network=user.network
    )
    item_id = item.id
    db.session.commit()  # what the test reads next begins a transaction of its own
    return user, item_id


def test_a_change_committed_while_a_page_renders_is_not_hidden_by_the_cache(
    app, client, login, old_item
):
    user, item_id = old_item
    login(user)
    before = data_revision()
    db.session.rollback()  # the page's request begins a transaction of its own
    done, stop = _after_first_item_query(
        db.engine, lambda: _rename_apart(app, item_id, "Neuer Titel")
    )
    try:
        first = client.get(f"/items/{item_id}").get_data(as_text=True)
    finally:
        stop()
    assert done and "Alter Titel" in HEADING.search(first).group(0)
    db.session.rollback()  # in production each request has a session of its own
    assert data_revision() > before
    db.session.rollback()
    page = client.get(f"/items/{item_id}").get_data(as_text=True)
    assert "Neuer Titel" in HEADING.search(page).group(0)


def test_a_read_request_sees_one_snapshot(app, old_item):
    _user, item_id = old_item
    with app.test_request_context("/", method="GET"):
        assert db.session.get(Item, item_id).title == "Alter Titel"
        _rename_apart(app, item_id, "Neuer Titel")
        title = db.session.scalar(text("SELECT title FROM items WHERE id = :id"), {"id": item_id})
        assert title == "Alter Titel"
        db.session.rollback()
        assert db.session.scalar(select(Item.title).where(Item.id == item_id)) == "Neuer Titel"


def _isolation() -> str:
    return db.session.scalar(text("SHOW transaction_isolation"))


def test_reads_are_repeatable_and_writes_read_committed_on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's transactions are serializable")
    db.session.rollback()
    for method in ("GET", "POST"):
        with app.test_request_context("/", method=method):
            assert _isolation() == "repeatable read"  # a request's reads: one snapshot
            with unit_of_work():
                assert _isolation() == "read committed"
            assert _isolation() == "repeatable read"
            db.session.rollback()
    assert _isolation() == "read committed"  # outside requests: the CLI, jobs
    db.session.rollback()


def test_each_transaction_of_a_request_files_under_its_own_revision(app, make_company):
    company_id = make_company("Vorher GmbH").id
    renders = []

    def render(text):
        return lambda: renders.append(text) or f"<p>{text}</p>"

    with app.test_request_context("/", method="GET"):
        first = caching.fragment("probe", (), render("vorher"))
        assert caching.fragment("probe", (), render("zwischendurch")) == first  # cached
        with unit_of_work():  # the request writes, then reads again
            db.session.get(Company, company_id).name = "Nachher GmbH"
        assert caching.fragment("probe", (), render("nachher")) == "<p>nachher</p>"
    assert renders == ["vorher", "nachher"]


class Abandoned(Exception):
    """Ends a unit of work with a rollback."""


def test_what_a_unit_of_work_changed_is_not_cached(app, make_company):
    company_id = make_company("Entwurf GmbH").id

    def name() -> str:
        return db.session.get(Company, company_id).name

    with app.test_request_context("/", method="POST"):
        with pytest.raises(Abandoned), unit_of_work():
            db.session.get(Company, company_id).name = "Verworfen GmbH"
            db.session.flush()
            assert caching.fragment("probe", (), name) == "Verworfen GmbH"
            raise Abandoned
        assert caching.fragment("probe", (), name) == "Entwurf GmbH"
