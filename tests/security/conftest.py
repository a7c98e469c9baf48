"""A fixed world for the security tests, and clients signed in as each principal.

Network A reports and is responsible for the sample items; network B is another network;
network C reports a second confidential item for which A is responsible. Confidential
content carries the word in SECRET, so that a test can look for it in any answer. Hidden
from those who may not see these items: the contact known only from the first one, the
company known only from the second one (and its contact), the agenda entry and the task of
the first one. A contact without items and a shared saved view are visible to everyone. The
deactivated principal is an admin: if deactivation failed, every cell would show it.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO

import docx as python_docx
import pytest
from conftest import PASSWORD  # tests/conftest.py (tests/ is on sys.path)
from conftest import _empty_tables as empty_tables
from flask import g
from openpyxl import load_workbook

from tracker import create_app
from tracker.audit import services as audit
from tracker.auth import passwords, sessions
from tracker.auth import services as accounts
from tracker.companies import services as companies
from tracker.config import TestingConfig
from tracker.db import db
from tracker.items import saved_views
from tracker.items import services as items
from tracker.items.models import ItemKind
from tracker.mail import unsubscribe
from tracker.meetings import agenda, live
from tracker.meetings import series as series_services
from tracker.meetings import services as meetings
from tracker.reports import services as reports
from tracker.webhooks.models import WebhookDelivery, WebhookEndpoint
from tracker.webhooks.signing import new_secret

SECRET = "Geheimprojekt"


@dataclass
class World:
    """The records every security test starts from; ``ids`` fills URL templates."""

    users: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)

    def format(self, template: str) -> str:
        return template.format(**self.ids)


def _people(make_network, make_user) -> dict:
    networks = {key: make_network(key.upper()) for key in ("a", "b", "c")}
    users = {
        "admin": make_user("admin", name="Ada Admin"),
        "observer": make_user("observer", name="Otto Observer"),
        "manager_a": make_user("manager", networks["a"], name="Anna Alpha"),
        "manager_b": make_user("manager", networks["b"], name="Bernd Beta"),
        "deactivated": make_user("admin", name="Dora Deaktiviert"),
    }
    return {"networks": networks, "users": users}


def _company(admin, name: str, contact: str):
    company = companies.create_company(actor=admin, name=name, city="Jena")
    person = companies.save_contact(company, actor=admin, name=contact, email="k@example.org")
    return company, person


def _items(people: dict, company, contact, other_company, today) -> dict:
    a, c = people["networks"]["a"], people["networks"]["c"]
    manager_a, admin = people["users"]["manager_a"], people["users"]["admin"]
    common = dict(kind=ItemKind.REQUEST, reporting_network=a, responsible_network=a)
    item = items.create_item(
        actor=manager_a, title="Partner für Sensorik gesucht", company=company, **common
    )
    secret = items.create_item(
        actor=manager_a,
        title=f"{SECRET} Quantenlabor",
        description=f"Vertraulich: {SECRET} mit Rezeptur",
        company=company,
        contact=contact,
        confidential=True,
        follow_up_date=today + timedelta(days=3),
        **common,
    )
    other = items.create_item(
        actor=admin,
        title=f"{SECRET} Batteriezellen",
        company=other_company,
        confidential=True,
        kind=ItemKind.NEED,
        reporting_network=c,
        responsible_network=a,
    )
    items.add_comment(secret, actor=manager_a, body=f"Zwischenstand zum {SECRET}")
    return {"item": item, "secret": secret, "secret_other": other}


def _meeting(people: dict, records: dict, series, today):
    admin, manager_a = people["users"]["admin"], people["users"]["manager_a"]
    meeting = meetings.upcoming(series)
    entry = agenda.add_item_entry(meeting, records["item"], actor=admin)
    task = live.add_task(
        meeting,
        actor=admin,
        title="Rückruf vereinbaren",
        owner=manager_a,
        due_date=today + timedelta(days=5),
        entry=entry,
    )
    secret_entry = agenda.add_item_entry(meeting, records["secret"], actor=admin)
    secret_task = live.add_task(
        meeting,
        actor=admin,
        title=f"{SECRET} prüfen",
        owner=manager_a,
        due_date=today + timedelta(days=6),
        entry=secret_entry,
    )
    return {
        "series": series,
        "meeting": meeting,
        "entry": entry,
        "secret_entry": secret_entry,
        "task": task,
        "secret_task": secret_task,
    }


@pytest.fixture(scope="session")
def shared_app(database_url, tmp_path_factory):
    """One application for the whole directory: templates and SQL compile once, as in production."""
    app = create_app(
        TestingConfig,
        instance_path=str(tmp_path_factory.mktemp("instance")),
        SQLALCHEMY_DATABASE_URI=database_url,
    )

    @app.teardown_request
    def _forget_user(_exc):
        g.pop("_login_user", None)  # the test's app context outlives each request

    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(shared_app):
    """The shared application on empty tables (overrides tests/conftest.py's fresh one)."""
    with shared_app.app_context():
        yield shared_app
        db.session.rollback()
        empty_tables()


@pytest.fixture
def world(app, make_network, make_user, make_topic, make_series, today) -> World:
    """Networks A, B, C; the five principals' users; items, a meeting and its records."""
    people = _people(make_network, make_user)
    admin, manager_a = people["users"]["admin"], people["users"]["manager_a"]
    # The factories commit; the services below only flush, and one commit ends the setup.
    topic = make_topic("Energiewende")
    series = make_series(actor=admin, name="Netzwerkmanager-Runde")
    company, contact = _company(admin, "Firma Alpha", "Erika Muster")
    other_company, other_contact = _company(admin, "Firma Beta", "Max Muster")
    visible_contact = companies.save_contact(company, actor=admin, name="Vera Sichtbar")
    records = _items(people, company, contact, other_company, today)
    records.update(_meeting(people, records, series, today))
    records.update(company=company, contact=contact, topic=topic)
    records.update(visible_contact=visible_contact, hidden_company=other_company)
    records["hidden_company_contact"] = other_contact
    records["view"] = saved_views.save_view(
        owner=manager_a, name="Meine offenen", query="status=open", shared=False
    )
    records["shared_view"] = saved_views.save_view(
        owner=manager_a, name="Alle offenen", query="status=open", shared=True
    )
    records["webhook"] = WebhookEndpoint(  # as registered: the URL was checked then
        url="https://hooks.example.org/in", events=["item.created"], secret=new_secret()
    )
    records["webhook_delivery"] = WebhookDelivery(
        endpoint=records["webhook"], event_type="webhook.test", message_id="msg_world", payload={}
    )
    db.session.add_all([records["webhook"], records["webhook_delivery"]])
    calendar = reports.renew_calendar_token(manager_a)
    series_services.renew_feed_token(records["series"], actor=admin)
    audit.record("security_test", actor=admin, subject="world")
    db.session.flush()
    world = World(users=people["users"], records=records, ids=_ids(people, records, calendar))
    world.ids["quarter"] = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    db.session.commit()
    return world


def _ids(people: dict, records: dict, calendar: str) -> dict:
    networks, users = people["networks"], people["users"]
    ids = {key: record.id for key, record in records.items()}
    ids.update({f"network_{key}": network.id for key, network in networks.items()})
    ids.update({f"{key}_id": user.id for key, user in users.items()})
    ids.update(
        reference=records["item"].reference,
        secret_reference=records["secret"].reference,
        reset_token=passwords.reset_token(users["observer"]),
        unsubscribe_token=unsubscribe.token(users["observer"], "commented"),
        calendar_token=calendar,
        series_token=records["series"].feed_token,
    )
    return ids


def sign_in(client, user) -> None:
    """Log ``user`` in through the login form."""
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, f"login of {user.email} failed"


def seed_session(client, user) -> None:
    """Give the client the session a login through the form gives (no request: faster)."""
    key = accounts.open_session(user)  # the login's row, as the form's login writes it
    db.session.commit()
    with client.session_transaction() as session:
        session.permanent = True
        session.update(_user_id=user.get_id(), _fresh=True, login_at=time.time())
        session["seen_at"] = session["login_at"]
        session[sessions.KEY] = key


@pytest.fixture
def client_as(app, world):
    """A fresh client for a principal; the deactivated one logged in before deactivation."""

    def make(principal: str):
        client = app.test_client()
        if principal == "anonymous":
            return client
        user = world.users[principal]
        seed_session(client, user)
        if principal == "deactivated":
            user.active = False
            db.session.commit()
        return client

    return make


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _xlsx_text(body: bytes) -> str:
    book = load_workbook(BytesIO(body), read_only=True)
    cells = (
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    )
    return "\n".join(str(cell) for cell in cells if cell is not None)


def _docx_text(body: bytes) -> str:
    document = python_docx.Document(BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _pdf_text(body: bytes) -> str:
    run = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True)
    return run.stdout.decode("utf-8")


def text_of(response) -> str:
    """The readable text of an answer: a page, a text export, a spreadsheet or a document."""
    body, kind = response.get_data(), response.mimetype
    readers = {XLSX: _xlsx_text, DOCX: _docx_text, "application/pdf": _pdf_text}
    if kind in readers:
        return readers[kind](body)
    text = body.decode("utf-8")
    if kind == "text/calendar":  # unfold the 75-octet lines and undo the escapes
        text = text.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")
    return text
