"""A small world for the API's tests, with a token for each principal.

Networks A, B and C; an observer, manager A, manager B and the coordination office, each
with a token (the observer's reads only; ``read_a`` is manager A's read token). Network A
reports a public item and a confidential one; the confidential one names a contact known
from it only; network C reports a confidential item of a company known from it only, with
A responsible. A meeting of a series has entries for the public and the confidential item,
each with a task of manager A.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from tracker.api import tokens
from tracker.api.models import TokenScope
from tracker.companies import services as companies
from tracker.db import db, unit_of_work
from tracker.items import services as items
from tracker.items.models import ItemKind
from tracker.meetings import agenda, live
from tracker.meetings import services as meetings

SECRET = "Geheimprojekt"
PRINCIPALS = ("observer", "manager_b", "manager_a", "admin")


@dataclass
class ApiWorld:
    users: dict = field(default_factory=dict)
    networks: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    def headers(self, principal: str, **extra) -> dict:
        return {"Authorization": f"Bearer {self.tokens[principal]}", **extra}


def send(client, world: ApiWorld, principal: str, method: str, path: str, json=None, **headers):
    """One request of ``principal`` with its token."""
    return client.open(path, method=method, json=json, headers=world.headers(principal, **headers))


def _token(user, scope: TokenScope) -> str:
    return tokens.create_token(user, actor=user, name="t", scope=scope, days=30)[1]


def _records(users, networks, series) -> dict:
    admin, manager_a = users["admin"], users["manager_a"]
    a, c = networks["a"], networks["c"]
    company = companies.create_company(actor=admin, name="Firma Alpha", city="Jena")
    contact = companies.save_contact(company, actor=admin, name="Erika Muster", email="k@e.org")
    visible_contact = companies.save_contact(company, actor=admin, name="Vera Sichtbar")
    hidden_company = companies.create_company(actor=admin, name=f"{SECRET} Zellen GmbH")
    hidden_company_contact = companies.save_contact(hidden_company, actor=admin, name="Max Muster")
    common = dict(kind=ItemKind.REQUEST, reporting_network=a, responsible_network=a)
    item = items.create_item(
        actor=manager_a, title="Partner für Sensorik", company=company, **common
    )
    secret = items.create_item(
        actor=manager_a,
        title=f"{SECRET} Quantenlabor",
        description=f"Vertraulich: {SECRET} Sensorik mit Rezeptur",
        company=company,
        contact=contact,
        confidential=True,
        **common,
    )
    secret_other = items.create_item(
        actor=admin,
        title=f"{SECRET} Batteriezellen",
        company=hidden_company,
        contact=hidden_company_contact,
        confidential=True,
        kind=ItemKind.NEED,
        reporting_network=c,
        responsible_network=a,
    )
    items.add_comment(secret, actor=manager_a, body=f"Zwischenstand zum {SECRET}")
    meeting = meetings.upcoming(series)
    entry = agenda.add_item_entry(meeting, item, actor=admin)
    secret_entry = agenda.add_item_entry(meeting, secret, actor=admin)
    due = date(2030, 1, 10)
    task = live.add_task(
        meeting, actor=admin, title="Rückruf", owner=manager_a, due_date=due, entry=entry
    )
    secret_task = live.add_task(
        meeting,
        actor=admin,
        title=f"{SECRET} prüfen",
        owner=manager_a,
        due_date=due + timedelta(days=1),
        entry=secret_entry,
    )
    return dict(
        company=company,
        contact=contact,
        visible_contact=visible_contact,
        hidden_company=hidden_company,
        hidden_company_contact=hidden_company_contact,
        item=item,
        secret=secret,
        secret_other=secret_other,
        meeting=meeting,
        entry=entry,
        secret_entry=secret_entry,
        task=task,
        secret_task=secret_task,
    )


@pytest.fixture(name="api_world")
def api_world_fixture(app, make_network, make_user, make_series) -> ApiWorld:
    networks = {key: make_network(key.upper()) for key in ("a", "b", "c")}
    users = {
        "admin": make_user("admin", name="Ada Admin", email="ada@example.org"),
        "observer": make_user("observer", name="Otto Observer", email="otto@example.org"),
        "manager_a": make_user("manager", networks["a"], name="Anna Alpha", email="anna@e.org"),
        "manager_b": make_user("manager", networks["b"], name="Bernd Beta", email="bernd@e.org"),
    }
    series = make_series(actor=users["admin"], name="Netzwerkmanager-Runde")
    with unit_of_work():
        records = _records(users, networks, series)
        issued = {
            key: _token(user, TokenScope.READ if key == "observer" else TokenScope.WRITE)
            for key, user in users.items()
        }
        issued["read_a"] = _token(users["manager_a"], TokenScope.READ)
    db.session.expire_all()
    return ApiWorld(users=users, networks=networks, records=records, tokens=issued)
