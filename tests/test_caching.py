"""Cached fragments: keyed by the data revision, per viewer where it matters, bounded."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from conftest import PASSWORD
from sqlalchemy import text, update

from tracker import caching, create_app
from tracker.caching import FragmentCache, data_revision
from tracker.companies.models import Company
from tracker.config import TestingConfig
from tracker.db import db


def test_every_commit_that_changes_rows_raises_the_revision(app, make_company):
    before = data_revision()
    company = make_company("Alte Mühle GmbH")  # ORM insert
    after_insert = data_revision()
    db.session.execute(update(Company).where(Company.id == company.id).values(name="Neu GmbH"))
    db.session.commit()  # a statement past the unit of work
    after_update = data_revision()
    assert before < after_insert < after_update


def test_reading_and_empty_commits_keep_the_revision(app, make_company, client):
    make_company()
    before = data_revision()
    db.session.commit()
    db.session.execute(text("SELECT 1"))
    db.session.commit()
    client.get("/login")
    assert data_revision() == before


def test_a_rolled_back_change_does_not_raise_the_revision(app, make_company):
    company = make_company()
    before = data_revision()
    company.name = "Verworfen GmbH"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert data_revision() == before


def test_savepoints_raise_the_revision_once_at_the_commit(app, make_company):
    companies = [make_company(f"Firma {n} GmbH") for n in range(3)]
    before = data_revision()
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if statement.startswith("UPDATE data_revision"):
            statements.append(statement)

    from sqlalchemy import event

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for n, company in enumerate(companies):  # as an import does, a savepoint per row
            with db.session.begin_nested():
                company.name = f"Umbenannt {n} GmbH"
        with pytest.raises(RuntimeError), db.session.begin_nested():
            companies[0].name = "Verworfen GmbH"
            db.session.flush()
            raise RuntimeError("this row fails")
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1 and data_revision() > before


def test_start_page_shows_a_new_item_at_once(client, login, make_user, make_item):
    user = make_user()
    login(user)
    make_item(actor=user, title="Erstes Anliegen", assignee=user, responsible_network=user.network)
    assert "Erstes Anliegen" in client.get("/").get_data(as_text=True)
    assert "Zweites Anliegen" not in client.get("/").get_data(as_text=True)  # now cached
    make_item(actor=user, title="Zweites Anliegen", assignee=user, responsible_network=user.network)
    assert "Zweites Anliegen" in client.get("/").get_data(as_text=True)


def test_a_renamed_company_shows_on_every_cached_page(
    app, client, login, make_user, make_item, make_company
):
    user = make_user()
    company = make_company("Vorher Optik GmbH")
    make_item(actor=user, company=company, assignee=user, responsible_network=user.network)
    login(user)
    client.get("/overview")  # cached too; it names no companies
    for page in ("/", "/items/"):
        assert "Vorher Optik GmbH" in client.get(page).get_data(as_text=True)
    company.name = "Nachher Optik GmbH"
    db.session.commit()
    assert "Nachher Optik GmbH" in client.get("/items/").get_data(as_text=True)
    assert "Nachher Optik GmbH" in client.get("/").get_data(as_text=True)


def test_start_page_is_never_served_to_another_user(client, login, make_user, make_network):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna = make_user(network=alpha, name="Anna Alpha")
    bert = make_user(network=beta, name="Bert Beta")
    login(anna)
    assert "Anna Alpha" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(bert)
    page = client.get("/").get_data(as_text=True)
    assert "Bert Beta" in page and "Anna Alpha" not in page


# The clock stands: a form's CSRF token carries the second it was signed, and two requests
# on either side of a second's end would differ in it, not in what the cache served.
@pytest.mark.time_machine(datetime(2026, 12, 10, 9, 0, tzinfo=UTC), tick=False)
def test_second_request_is_served_from_the_cache(app, client, login, make_user, make_item):
    user = make_user()
    make_item(actor=user, assignee=user, responsible_network=user.network)
    login(user)
    cache = app.extensions["fragment_cache"]
    first = client.get("/").get_data(as_text=True)
    misses = cache.misses
    second = client.get("/").get_data(as_text=True)
    assert cache.misses == misses and cache.hits >= 1
    assert second == first


def test_fragments_expire_and_stay_within_their_size():
    now = [0.0]
    cache = FragmentCache(seconds=60, max_chars=100, timer=lambda: now[0])
    renders = []

    def render(text):
        return lambda: renders.append(text) or text

    assert cache.get_or_render("a", render("x" * 60)) == "x" * 60
    assert cache.get_or_render("a", render("other")) == "x" * 60  # cached
    cache.get_or_render("b", render("y" * 60))  # 120 chars do not fit: "a" goes
    assert cache.get_or_render("a", render("z")) == "z"
    now[0] = 61.0
    assert cache.get_or_render("a", render("later")) == "later"
    assert cache.get_or_render("huge", render("h" * 500)) == "h" * 500  # served, not kept
    assert cache.get_or_render("huge", render("again")) == "again"
    assert renders == ["x" * 60, "y" * 60, "z", "later", "h" * 500, "again"]


def test_zero_seconds_turns_the_cache_off(app, tmp_path, database_url):
    plain = create_app(
        TestingConfig,
        instance_path=str(tmp_path / "plain"),
        SQLALCHEMY_DATABASE_URI=database_url,
        FRAGMENT_CACHE_SECONDS=0,
    )
    assert "fragment_cache" not in plain.extensions
    calls = []
    with plain.test_request_context():
        for _ in range(2):
            caching.fragment("x", (), lambda: calls.append(1) or "<p>x</p>")
        db.session.remove()
    with plain.app_context():
        db.engine.dispose()
    assert len(calls) == 2
    with app.test_request_context():
        for _ in range(2):
            caching.fragment("x", (), lambda: calls.append(1) or "<p>x</p>")
    assert len(calls) == 3


TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _tokens(page: str) -> set[str]:
    return set(TOKEN.findall(page))


def test_cached_forms_carry_each_sessions_own_token(
    app, login, make_user, make_meeting, make_network
):
    """Two sessions of one manager share the cached agenda, each with its own token."""
    manager = make_user(network=make_network("Alpha"))
    meeting = make_meeting()
    app.config["WTF_CSRF_ENABLED"] = True
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        token = _tokens(client.get("/login").get_data(as_text=True)).pop()
        answer = client.post(
            "/login", data={"csrf_token": token, "email": manager.email, "password": PASSWORD}
        )
        assert answer.status_code == 302
    cache = app.extensions["fragment_cache"]
    page_one = first.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    hits = cache.hits
    page_two = second.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert cache.hits == hits + 1  # the second session got the cached agenda
    (token_one,), (token_two,) = _tokens(page_one), _tokens(page_two)
    assert token_one != token_two and "csrf-mark" not in page_two
    add = {"title": "Verschiedenes aus der Runde"}
    assert second.post(f"/meetings/{meeting.id}/topics", data=add).status_code == 400
    added = second.post(f"/meetings/{meeting.id}/topics", data={**add, "csrf_token": token_two})
    assert added.status_code == 302
    assert "Verschiedenes aus der Runde" in second.get(f"/meetings/{meeting.id}").text


def test_revisions_never_repeat_after_the_table_was_emptied(app, make_company):
    make_company()
    before = data_revision()
    db.session.execute(caching.DataRevision.__table__.delete())
    db.session.commit()
    make_company()
    assert data_revision() > before
