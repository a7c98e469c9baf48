"""Companies and contacts through the API: what the company pages show each principal."""

from __future__ import annotations

import pytest
from api_world import PRINCIPALS, SECRET, api_world_fixture, send  # noqa: F401 - the fixture

SEES_HIDDEN = {"observer": False, "manager_b": False, "manager_a": True, "admin": True}


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_the_list_leaves_out_hidden_companies(client, api_world, principal):
    answer = send(client, api_world, principal, "GET", "/api/v1/companies")
    assert answer.status_code == 200, answer.json
    names = [c["name"] for c in answer.json]
    expected = ["Firma Alpha"] + ([f"{SECRET} Zellen GmbH"] if SEES_HIDDEN[principal] else [])
    assert sorted(names) == sorted(expected)
    assert answer.headers["X-Total-Count"] == str(len(expected))
    alpha = next(c for c in answer.json if c["name"] == "Firma Alpha")
    assert alpha["open_items"] == (2 if SEES_HIDDEN[principal] else 1)  # the confidential one
    assert alpha["url"].endswith(f"/companies/{api_world.records['company'].id}")


def test_the_list_searches_names_and_pages(client, api_world):
    found = send(client, api_world, "admin", "GET", "/api/v1/companies?q=zellen")
    assert [c["name"] for c in found.json] == [f"{SECRET} Zellen GmbH"]
    hidden = send(client, api_world, "manager_b", "GET", "/api/v1/companies?q=zellen")
    assert hidden.json == [] and hidden.headers["X-Total-Count"] == "0"
    paged = send(client, api_world, "admin", "GET", "/api/v1/companies?per_page=1&page=2")
    assert len(paged.json) == 1 and 'rel="prev"' in paged.headers["Link"]
    for query in ("per_page=0", "page=0", "q=" + "x" * 201):
        bad = send(client, api_world, "admin", "GET", f"/api/v1/companies?{query}")
        assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
        assert bad.json["errors"][0]["field"] == query.split("=")[0]


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_one_company_with_the_contacts_and_items_its_page_shows(client, api_world, principal):
    company = api_world.records["company"]
    answer = send(client, api_world, principal, "GET", f"/api/v1/companies/{company.id}")
    assert answer.status_code == 200 and answer.headers["ETag"] == f'"{company.version}"'
    contacts = [c["name"] for c in answer.json["contacts"]]
    items = [i["title"] for i in answer.json["items"]]
    if SEES_HIDDEN[principal]:
        assert contacts == ["Erika Muster", "Vera Sichtbar"]
        assert items == [f"{SECRET} Quantenlabor", "Partner für Sensorik"]
    else:
        assert contacts == ["Vera Sichtbar"] and items == ["Partner für Sensorik"]
        assert SECRET not in answer.text and "Erika" not in answer.text
    listed = send(client, api_world, principal, "GET", f"/api/v1/companies/{company.id}/contacts")
    assert [c["name"] for c in listed.json] == contacts


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_hidden_companies_and_contacts_are_not_found(client, api_world, principal):
    records = api_world.records
    paths = [
        f"/api/v1/companies/{records['hidden_company'].id}",
        f"/api/v1/companies/{records['hidden_company'].id}/contacts",
        f"/api/v1/contacts/{records['hidden_company_contact'].id}",
        f"/api/v1/contacts/{records['contact'].id}",
    ]
    for path in paths:
        answer = send(client, api_world, principal, "GET", path)
        if SEES_HIDDEN[principal]:
            assert answer.status_code == 200, path
        else:
            assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
            assert SECRET not in answer.text and "Muster" not in answer.text
    visible = send(
        client, api_world, principal, "GET", f"/api/v1/contacts/{records['visible_contact'].id}"
    )
    assert visible.status_code == 200 and visible.json["name"] == "Vera Sichtbar"


def test_a_company_not_there_is_not_found(client, api_world):
    for path in ("/api/v1/companies/999999", "/api/v1/contacts/2147483648"):
        answer = send(client, api_world, "admin", "GET", path, **{"Accept-Language": "en"})
        assert answer.status_code == 404 and answer.json["title"] == "Not found"
