"""The search through the API: the search page's service, its confidentiality and messages."""

from __future__ import annotations

import pytest
from api_world import PRINCIPALS, SECRET, api_world_fixture, send  # noqa: F401 - the fixture

from tracker.search import services

SEES_SECRET = {"observer": False, "manager_b": False, "manager_a": True, "admin": True}


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_hits_and_snippets_of_hidden_items_stay_out(client, api_world, principal):
    answer = send(client, api_world, principal, "GET", "/api/v1/search?q=Sensorik")
    assert answer.status_code == 200, answer.json
    titles = {hit["title"] for hit in answer.json["hits"]}
    assert answer.json["kind"] == "items"
    if SEES_SECRET[principal]:
        assert titles == {"Partner für Sensorik", f"{SECRET} Quantenlabor"}
        secret = next(
            h for h in answer.json["hits"] if h["item"] == api_world.records["secret"].reference
        )
        assert (
            "<mark>Sensorik</mark>" in secret["snippet_html"] and "<mark>" not in secret["snippet"]
        )
        assert answer.json["counts"]["items"] == 2
    else:
        assert titles == {"Partner für Sensorik"} and answer.json["counts"]["items"] == 1
        assert SECRET not in answer.text and "Rezeptur" not in answer.text
    assert answer.headers["X-Total-Count"] == str(answer.json["counts"]["items"])


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_nothing_tells_of_a_hidden_item_or_company(client, api_world, principal):
    answer = send(client, api_world, principal, "GET", f"/api/v1/search?q={SECRET}")
    assert answer.status_code == 200
    counts = answer.json["counts"]
    if SEES_SECRET[principal]:
        assert counts["items"] == 2 and counts["activities"] >= 1 and counts["companies"] == 1
        companies = send(
            client, api_world, principal, "GET", f"/api/v1/search?q={SECRET}&kind=companies"
        )
        (hit,) = companies.json["hits"]
        assert hit["title"] == f"{SECRET} Zellen GmbH" and hit["url"].endswith(
            f"/companies/{api_world.records['hidden_company'].id}"
        )
    else:
        assert counts == {"items": 0, "activities": 0, "companies": 0}
        assert answer.json["hits"] == [] and SECRET not in answer.text.replace(
            f"{SECRET}",
            "",
            1,  # the query itself comes back once
        )


def test_comments_are_found_with_their_item(client, api_world):
    answer = send(
        client, api_world, "manager_a", "GET", "/api/v1/search?q=Zwischenstand&kind=activities"
    )
    (hit,) = answer.json["hits"]
    assert hit["kind"] == "activities" and hit["item"] == api_world.records["secret"].reference
    assert hit["url"].endswith("#timeline")
    hidden = send(client, api_world, "manager_b", "GET", "/api/v1/search?q=Zwischenstand")
    assert hidden.json["counts"]["activities"] == 0 and hidden.json["hits"] == []


def test_text_that_cannot_be_searched_gets_the_search_pages_message(client, api_world):
    text = "Sensorik " * 30  # longer than the search box takes
    answer = send(client, api_world, "observer", "GET", f"/api/v1/search?q={text}")
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert answer.json["errors"] == [{"field": "q", "message": services.query_problem(text)}]
    for query, field in (("", "q"), ("q=x&kind=alles", "kind"), ("q=x&per_page=0", "per_page")):
        bad = send(client, api_world, "observer", "GET", f"/api/v1/search?{query}")
        assert bad.status_code == 422 and bad.json["errors"][0]["field"] == field
