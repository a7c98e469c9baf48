"""The overview's and the funder report's figures through the API: the pages' computations."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from api_world import PRINCIPALS, SECRET, api_world_fixture, send  # noqa: F401 - the fixture

from tracker.dashboard.overview import overview

pytestmark = pytest.mark.time_machine(datetime.fromisoformat("2026-11-24T09:00:00+01:00"))


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_the_overview_counts_what_its_page_counts(client, api_world, principal):
    answer = send(client, api_world, principal, "GET", "/api/v1/figures/overview")
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["today"] == "2026-11-24"
    rows = {(r["network"] or {}).get("short_name"): r for r in body["networks"]}
    page = overview(date(2026, 11, 24))
    for row in page["network_rows"]:
        shown = rows[row.network.short_name if row.network else None]
        assert shown["open"] == row.total and shown["overdue"] == row.overdue
    assert rows["A"]["open"] == 3  # both confidential items count, for everyone
    assert sum(a["open"] for a in body["ages"]) == 3 and body["ages"][0]["days"] == "0-7"
    assert len(body["weeks"]) == 12 and body["weeks"][-1]["new"] == 3
    assert body["weeks"][-1]["current"] is True
    assert SECRET not in answer.text


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_a_networks_report_names_only_what_the_owner_may_see(client, api_world, principal):
    network_a = api_world.networks["a"].id
    path = f"/api/v1/figures/report?network={network_a}&quarter=2026-Q4"
    answer = send(client, api_world, principal, "GET", path, **{"Accept-Language": "de"})
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["quarter"] == "2026-Q4" and body["first_day"] == "2026-10-01"
    assert body["network"]["short_name"] == "A" and body["networks"] is None
    assert body["received"] == 2 and body["handed_off"] == 0  # the third one C reported
    assert {k["label"]: k["received"] for k in body["by_kind"]}["Anfrage"] == 2
    rows = {r["reference"]: r for r in body["items"]}
    secret = rows[api_world.records["secret"].reference]
    if principal in ("manager_a", "admin"):
        assert secret["title"] == f"{SECRET} Quantenlabor" and secret["company"] == "Firma Alpha"
    else:
        assert secret["title"] == "Vertrauliches Anliegen" and secret["hidden"] is True
        assert secret["company"] is None and SECRET not in answer.text


def test_the_initiatives_report_and_the_default_network(client, api_world):
    everyone = send(client, api_world, "observer", "GET", "/api/v1/figures/report?quarter=2026-Q4")
    assert everyone.status_code == 200 and everyone.json["network"] is None  # no own network
    assert everyone.json["received"] == 3
    assert [n["network"]["short_name"] for n in everyone.json["networks"]] == ["A", "B", "C"]
    own = send(client, api_world, "manager_b", "GET", "/api/v1/figures/report?quarter=2026-Q4")
    assert own.json["network"]["short_name"] == "B" and own.json["received"] == 0
    last = send(client, api_world, "manager_a", "GET", "/api/v1/figures/report")
    assert last.json["quarter"] == "2026-Q3" and last.json["received"] == 0


@pytest.mark.parametrize(
    "query, field",
    [
        ("quarter=2026-Q5", "quarter"),
        ("quarter=1999-Q4", "quarter"),
        ("network=999999", "network"),
        ("network=2147483648", "network"),
        ("network=Alpha", "network"),
        ("without_imported=vielleicht", "without_imported"),
    ],
)
def test_bad_report_parameters_are_problems_at_their_field(client, api_world, query, field):
    answer = send(client, api_world, "admin", "GET", f"/api/v1/figures/report?{query}")
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert answer.json["errors"][0]["field"] == field
