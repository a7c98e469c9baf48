"""Fixtures: app, client, runner, login, and small factories for the main records.

The suite runs on SQLite by default and on PostgreSQL when TRACKER_TEST_DATABASE_URL is set.
The schema is built once per session through the Alembic migrations; each test starts with
empty tables.

``--clock=2026-12-31T23:30:00+01:00`` (or TRACKER_TEST_CLOCK) runs the whole session at that
moment, the clock ticking on from there: the tests, the app and its server threads all read
it. A test about a fixed date fixes the clock too, with ``@pytest.mark.time_machine(...)``.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from datetime import date, datetime

import pytest
import time_machine
from flask import g
from flask_migrate import upgrade
from sqlalchemy import text

from tracker import clock, create_app
from tracker.auth import services as users
from tracker.auth.models import UserRole
from tracker.companies import services as companies
from tracker.config import TestingConfig
from tracker.db import db
from tracker.items import services as items
from tracker.items.models import ItemKind
from tracker.networks.models import Network
from tracker.topics.models import Topic

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("TRACKER_TEST_CLOCK") or None,
        help="run the session at this moment, ISO 8601 with offset (2026-12-10T10:30+01:00);"
        " the clock ticks on from there. Default: TRACKER_TEST_CLOCK, else the real clock.",
    )


def _session_clock(config) -> datetime | None:
    value = config.getoption("clock")
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise pytest.UsageError(f"--clock needs an ISO 8601 moment with offset, not {value!r}")
    return moment


def pytest_configure(config):
    # Started before collection, so module-level moments (NOW = ...) are read there too.
    moment = _session_clock(config)
    if moment is not None:
        travel = time_machine.travel(moment, tick=True)
        travel.start()
        config.add_cleanup(travel.stop)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def _make_app(url: str, instance_path, **overrides):
    return create_app(
        TestingConfig, instance_path=str(instance_path), SQLALCHEMY_DATABASE_URI=url, **overrides
    )


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database with the schema of the latest migration, shared by the session."""
    url = _database_url(tmp_path_factory)
    app = _make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
    _dispose(app)
    return url


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url, tmp_path):
    """The application, on empty tables, inside an app context."""
    app = _make_app(database_url, tmp_path / "instance")

    @app.teardown_request
    def _forget_user(_exc):
        # The test keeps one app context open across requests; in production every
        # request has its own, so the logged-in user must not carry over to the next one.
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)  # the language is chosen per request, too
        g.pop("csrf_token", None)  # and the CSRF token belongs to one request's session

    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
    _dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_network(app):
    def make(short_name: str | None = None, **values) -> Network:
        n = next(_counter)
        network = Network(
            short_name=short_name or f"Netz{n}",
            name=values.pop("name", f"Testnetzwerk {short_name or n}"),
            roll_call_position=values.pop("roll_call_position", n),
            **values,
        )
        db.session.add(network)
        db.session.commit()
        return network

    return make


@pytest.fixture
def make_user(app, make_network):
    def make(role: str = "manager", network: Network | None = None, **values):
        n = next(_counter)
        if role == "manager" and network is None:
            network = make_network()
        user = users.create_user(
            actor=None,
            email=values.pop("email", f"user{n}@example.org"),
            name=values.pop("name", f"Person {n}"),
            password=values.pop("password", PASSWORD),
            role=UserRole(role),
            network=network,
        )
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_topic(app):
    def make(name: str | None = None) -> Topic:
        topic = Topic(name=name or f"Thema {next(_counter)}")
        db.session.add(topic)
        db.session.commit()
        return topic

    return make


@pytest.fixture
def make_company(app, make_user):
    def make(name: str | None = None, **values):
        actor = values.pop("actor", None) or _admin(make_user)
        company = companies.create_company(
            actor=actor, name=name or f"Firma {next(_counter)}", **values
        )
        db.session.commit()
        return company

    return make


def _admin(make_user):
    from sqlalchemy import select

    from tracker.auth.models import User

    admin = db.session.scalar(select(User).where(User.role == UserRole.ADMIN).limit(1))
    return admin or make_user("admin", email=f"admin{next(_counter)}@example.org")


@pytest.fixture
def make_item(app, make_user, make_company, make_network):
    def make(actor=None, **values):
        actor = actor or _admin(make_user)
        values.setdefault("title", f"Anliegen {next(_counter)}")
        values.setdefault("kind", ItemKind.REQUEST)
        values.setdefault("company", make_company())
        if "reporting_network" not in values:
            values["reporting_network"] = actor.network or make_network()
        item = items.create_item(actor=actor, **values)
        db.session.commit()
        return item

    return make


@pytest.fixture
def make_series(app, make_user):
    def make(**values):
        from datetime import time

        from tracker.meetings import series as series_services

        actor = values.pop("actor", None) or _admin(make_user)
        values.setdefault("name", f"Netzwerkmanager-Runde {next(_counter)}")
        values.setdefault("weekday", 3)
        values.setdefault("start_time", time(10, 0))
        values.setdefault("duration_minutes", 90)
        values.setdefault("timezone", "Europe/Berlin")
        values.setdefault("video_link", "https://video.example.org/runde")
        values.setdefault("standing_topics_start", "Begrüßung\nProtokoll der letzten Runde")
        values.setdefault("standing_topics_end", "Verschiedenes")
        series = series_services.save_series(actor=actor, **values)
        db.session.commit()
        return series

    return make


@pytest.fixture
def make_meeting(app, make_series):
    """A meeting of a (new) series starting at ``starts_at`` (UTC), default next week."""

    def make(series=None, starts_at=None, **values):
        from datetime import UTC, datetime, timedelta

        from tracker.meetings.models import Meeting

        series = series or make_series()
        starts_at = starts_at or datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
        meeting = Meeting(
            series=series,
            starts_at=starts_at,
            duration_minutes=series.duration_minutes,
            video_link=series.video_link,
            **values,
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting

    return make


@pytest.fixture
def login(client):
    def do(user, password: str = PASSWORD, follow: bool = False):
        response = client.post(
            "/login", data={"email": user.email, "password": password}, follow_redirects=follow
        )
        assert response.status_code in (200, 302), response.status_code
        return response

    return do


@pytest.fixture
def today():
    return clock.today()


def pytest_report_header(config):
    url = os.environ.get("TRACKER_TEST_DATABASE_URL")
    moment = _session_clock(config)
    return [
        f"database: {url.split('@')[-1] if url else 'SQLite (temporary file)'}",
        f"clock: {moment.isoformat() + ' (ticking)' if moment else 'real'}",
    ]




def lock_is_free(path) -> bool:
    """Whether another connection could take SQLite's write lock right now."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


__all__ = ["PASSWORD", "date", "lock_is_free"]


@pytest.fixture
def mail_server(app):
    """A running SMTP server the app's mail goes to; ``deliver()`` runs the sender once."""
    from tests.mail_server import MailServer

    server = MailServer().start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()


@pytest.fixture
def deliver(app):
    """Run the outbox's sender until nothing is due; return the summed report."""
    from tracker.mail import sender

    def run():
        total = sender.Report()
        while True:
            report = sender.deliver_due()
            for name in ("sent", "retried", "failed", "skipped"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            total.unreachable = total.unreachable or report.unreachable
            if not report.ids or report.unreachable:
                return total

    return run
