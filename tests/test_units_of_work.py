"""Lock probes: a request holds SQLite's write lock only around its service calls and commit.

Each test serves the app on a SQLite file of its own and looks at the lock from a second
connection at the moment the slow part runs (hashing a password, an SMTP server taking a
mail), and counts the write transactions the engine began.
"""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from conftest import PASSWORD, lock_is_free  # tests/conftest.py (tests/ is on sys.path)
from flask_migrate import upgrade
from sqlalchemy import event

from bench.server import free_port
from tracker import create_app
from tracker.auth import services as users
from tracker.auth.models import UserRole
from tracker.companies import services as companies
from tracker.config import TestingConfig
from tracker.db import db
from tracker.items import services as items
from tracker.items.models import ItemKind
from tracker.mail import sender
from tracker.networks.models import Network


class Served:
    """An app on its own SQLite file with an admin and one item; counts write transactions."""

    def __init__(self, tmp_path, **config):
        self.path = tmp_path / "served.sqlite3"
        self.app = create_app(
            TestingConfig,
            instance_path=str(tmp_path / "instance"),
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{self.path}",
            **config,
        )
        with self.app.app_context():
            upgrade()
            admin = users.create_user(
                actor=None,
                email="olga@example.org",
                name="Olga Office",
                password=PASSWORD,
                role=UserRole.ADMIN,
            )
            network = Network(name="Netzwerk Alpha", short_name="Alpha")
            db.session.add(network)
            company = companies.create_company(actor=admin, name="Optik AG")
            item = items.create_item(
                actor=admin,
                title="Partner",
                kind=ItemKind.NEED,
                company=company,
                reporting_network=network,
            )
            db.session.commit()
            self.item_id, self.engine = item.id, db.engine
        self.client = self.app.test_client()
        self.writes: list[str] = []
        event.listen(self.engine, "before_cursor_execute", self._note)

    def _note(self, _conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN IMMEDIATE"):
            self.writes.append(statement)

    def log_in(self):
        answer = self.client.post(
            "/login", data={"email": "olga@example.org", "password": PASSWORD}
        )
        assert answer.status_code == 302
        self.writes.clear()

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._note)
        self.engine.dispose()


@pytest.fixture
def served(tmp_path):
    served = Served(tmp_path)
    yield served
    served.close()


def probe_while(monkeypatch, module, name: str, path) -> list[bool]:
    """Record whether the lock is free each time ``module.name`` is called (then call it)."""
    real, seen = getattr(module, name), []

    def probed(*args, **kwargs):
        seen.append(lock_is_free(path))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, probed)
    return seen


def test_a_failed_login_checks_the_password_without_the_lock(served, monkeypatch):
    seen = probe_while(monkeypatch, users, "check_password_hash", served.path)
    answer = served.client.post("/login", data={"email": "olga@example.org", "password": "wrong"})
    assert answer.status_code == 401
    assert seen == [True]  # hashed once, while anyone could write
    assert len(served.writes) == 1  # the counted attempt, in a unit of work of its own


def test_a_login_writes_once_after_the_password_check(served, monkeypatch):
    seen = probe_while(monkeypatch, users, "check_password_hash", served.path)
    served.log_in()
    assert seen == [True]


def test_a_password_change_hashes_before_its_unit_of_work(served, monkeypatch):
    served.log_in()
    checked = probe_while(monkeypatch, users, "check_password_hash", served.path)
    hashed = probe_while(monkeypatch, users, "generate_password_hash", served.path)
    new = "a much longer passphrase 2026"
    answer = served.client.post(
        "/account", data={"current_password": PASSWORD, "password": new, "confirm": new}
    )
    assert answer.status_code == 302, answer.text
    assert checked == [True] and hashed == [True]
    assert len(served.writes) == 1


class ProbingSink:
    """An SMTP server that looks at the lock while it takes a mail."""

    def __init__(self, path):
        self.path, self.seen = path, []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.seen.append((envelope.rcpt_tos, lock_is_free(self.path)))
        return "250 OK"


def test_a_reset_request_queues_its_mail_and_the_sender_sends_it_without_the_lock(tmp_path):
    port = free_port()
    served = Served(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    sink = ProbingSink(served.path)
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        answer = served.client.post("/password/forgot", data={"email": "olga@example.org"})
        assert sink.seen == []  # the request only wrote the message into the outbox
        assert len(served.writes) == 2  # the counted request, then the outbox's row
        with served.app.app_context():
            assert sender.deliver_due().sent == 1
    finally:
        controller.stop()
        served.close()
    assert answer.status_code == 302
    assert sink.seen == [(["olga@example.org"], True)]


def test_pages_take_no_write_lock(served):
    served.log_in()
    for page in (
        "/",
        "/items/",
        f"/items/{served.item_id}",
        "/meetings/",
        "/companies/",
        "/meetings/tasks",
    ):
        assert served.client.get(page).status_code == 200, page
    assert served.writes == []


def test_a_comment_writes_once_and_reads_after_without_the_lock(served):
    served.log_in()
    answer = served.client.post(f"/items/{served.item_id}/comments", data={"body": "Erledigt"})
    assert answer.status_code == 302
    assert len(served.writes) == 1
    assert served.client.get(answer.location).status_code == 200
    assert len(served.writes) == 1
