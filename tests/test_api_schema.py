"""Schemathesis against the API in the app's own process: the answers keep to the schema.

Generated requests (valid and invalid) go to every operation of /api/v1/openapi.json with
the token of an observer, a manager and the coordination office: no server error, every
status code, content type, header and body as the document says.
"""

from __future__ import annotations

import pytest
import schemathesis
from api_world import PRINCIPALS, SECRET, api_world_fixture  # noqa: F401 - the fixture
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tracker import clock
from tracker.api import tokens
from tracker.api.models import TokenScope
from tracker.db import db, unit_of_work
from tracker.reports.figures import Quarter


@pytest.fixture(params=["observer", "manager", "admin"])
def api_user(request, make_user, make_network, make_item):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna = make_user(network=alpha)
    make_item(actor=anna, title="Offen", responsible_network=beta)
    make_item(actor=anna, title="Geheim", confidential=True)
    db.session.commit()
    role = request.param
    user = anna if role == "manager" else make_user(role)
    scope = TokenScope.READ if role == "observer" else TokenScope.WRITE
    with unit_of_work():
        return tokens.create_token(user, actor=user, name="t", scope=scope, days=30)[1]


# Schema-valid data may still be refused (422) by the register's rules: an id of no network,
# a blank title. Every other check of schemathesis runs.
NOT_CHECKED = [positive_data_acceptance]
OPERATIONS = 27  # every operation of the document is run: a new one raises this count


def test_the_api_answers_as_its_document_says(app, api_user):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == OPERATIONS
    headers = {"Authorization": f"Bearer {api_user}"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, excluded_checks=NOT_CHECKED)

        run()


# Real records, read by each principal: answers with content (a hidden entry's placeholder,
# a company's contacts, a meeting's agenda) keep to the document, not only the 404s that
# generated ids mostly meet.
READS = [
    ("/api/v1/items/{reference}", {"reference": "secret"}),
    ("/api/v1/items/{reference}/comments", {"reference": "secret"}),
    ("/api/v1/companies", {}),
    ("/api/v1/companies/{company_id}", {"company_id": "company"}),
    ("/api/v1/companies/{company_id}", {"company_id": "hidden_company"}),
    ("/api/v1/companies/{company_id}/contacts", {"company_id": "company"}),
    ("/api/v1/contacts/{contact_id}", {"contact_id": "contact"}),
    ("/api/v1/meetings", {}),
    ("/api/v1/meetings/{meeting_id}", {"meeting_id": "meeting"}),
    ("/api/v1/agenda-entries/{entry_id}", {"entry_id": "secret_entry"}),
    ("/api/v1/tasks/{task_id}", {"task_id": "secret_task"}),
    ("/api/v1/tasks/mine", {}),
    ("/api/v1/search", {}, {"q": "Sensorik"}),
    ("/api/v1/users", {}),
    ("/api/v1/users/{user_id}", {"user_id": "manager_a"}),
    ("/api/v1/figures/overview", {}),
    ("/api/v1/figures/report", {}, {"network": "all", "quarter": "now"}),
    ("/api/v1/figures/report", {}, {"quarter": "now"}),  # the owner's network, or all
    ("/api/v1/search", {}, {"q": SECRET, "kind": "activities"}),
]


def _now(value: str) -> str:
    """The running quarter for "now": the world's items were made in it."""
    return str(Quarter.of(clock.today())) if value == "now" else value


def _value(world, key: str):
    record = world.records.get(key) or world.users[key]
    return record.reference if key in ("item", "secret") else record.id


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_real_records_answer_as_the_document_says(app, api_world, principal):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = api_world.headers(principal)
    for path, params, *query in READS:
        operation = schema[path]["GET"]
        values = {name: _value(api_world, key) for name, key in params.items()}
        query = {k: _now(v) for k, v in query[0].items()} if query else None
        case = operation.Case(path_parameters=values, query=query, headers=headers)
        case.call_and_validate(excluded_checks=NOT_CHECKED)
