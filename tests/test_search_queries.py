"""One table of queries and the items they find, the same on SQLite and PostgreSQL.

Each query runs through the search and through the register's text filter, which share
the query and the index: both must find exactly the items of the table, as a manager of
another network sees them (the confidential item stays hidden, also in snippets).
"""

from datetime import date

import pytest

from tracker.db import db
from tracker.items import services as items
from tracker.items.queries import ItemFilter, filtered_items
from tracker.search import services as search

FACHKRAFT = "Fachkraft für Lasertechnik gesucht"
AUSBILDUNG = "Förderung der Ausbildung"  # its description names the Handwerk
PROGRAMM = "Förderprogramm Digitalisierung"
SCHWEISSEN = "Schweißtechnik im Stahlbau"
MANGEL = "Fachkräftemangel im Handwerk"
SENSOREN = "Kalibrierung optischer Sensoren"
ZUSCHUSS = "Zuschuesse fuer neue Maschinen"  # typed without umlauts
ROBOTIK = "Anfrage zu Robotik"  # its company is the Photonikwerk
SECRET = "Geheime Förderung für Laser"  # confidential, of another network

QUERIES = [
    ("Fachkräfte", {FACHKRAFT, MANGEL}),
    ("fachkraefte", {FACHKRAFT, MANGEL}),
    ("Fachkraft", {FACHKRAFT, MANGEL}),
    ("FACHKRÄFTE", {FACHKRAFT, MANGEL}),
    ("Förderung", {AUSBILDUNG, PROGRAMM}),
    ("Foerderung", {AUSBILDUNG, PROGRAMM}),
    ("Förderungen", {AUSBILDUNG, PROGRAMM}),
    ("Förder", {AUSBILDUNG, PROGRAMM}),  # a demand cluster's link to the register
    ("Schweißtechnik", {SCHWEISSEN}),
    ("Schweisstechnik", {SCHWEISSEN}),
    ("Zuschüsse", {ZUSCHUSS}),
    ("Zuschuss Maschine", {ZUSCHUSS}),
    ("Förderung OR Fachkraft", {AUSBILDUNG, PROGRAMM, FACHKRAFT, MANGEL}),
    ("Förderung ODER Schweisstechnik", {AUSBILDUNG, PROGRAMM, SCHWEISSEN}),
    ("Förderung Fachkraft", set()),
    ("Förderung -Handwerk", {PROGRAMM}),
    ("Fachkraft -Handwerk -Laser", set()),
    ("Fachkraft -Handwerk", {FACHKRAFT}),
    ("Förderung OR Fachkraft -Handwerk", {PROGRAMM, FACHKRAFT}),
    ('"Förderung der Ausbildung"', {AUSBILDUNG}),
    ('"Foerderung der Ausbildungen"', {AUSBILDUNG}),
    ('"Ausbildung der Förderung"', set()),
    ("„Förderung der Ausbildung“", {AUSBILDUNG}),
    ('"Förderung Ausbildung"', set()),
    ('"Förderung"', {AUSBILDUNG}),  # in quotes a word is no prefix: no Förderprogramm
    ('Handwerk -"im Handwerk"', {AUSBILDUNG}),
    ("Laser", {FACHKRAFT}),
    ("Geheime", set()),
    ("Photonikwerk", {ROBOTIK}),
    ("Sensoren OR Robotik", {SENSOREN, ROBOTIK}),
]

# Queries that cannot be searched: no hits, and a message instead of results.
REFUSED = [
    "-Handwerk",
    "Förderung OR",
    "OR Förderung",
    "Förderung OR OR Fachkraft",
    "Förderung OR -Handwerk",
    "und die",
    "x" * 201,
    " ".join(f"Wort{n}" for n in range(11)),
]


@pytest.fixture
def viewer(make_network, make_user, make_item, make_company):
    """A manager of another network than the confidential item's; the items of the table."""
    own = make_network("Eigen")
    author = make_user("manager", own)
    make_item(title=FACHKRAFT)
    make_item(title=AUSBILDUNG, description="Wir suchen Mittel für das Handwerk.")
    make_item(title=PROGRAMM, description="Ein Programm des Landes.")
    make_item(title=SCHWEISSEN)
    make_item(title=MANGEL)
    make_item(title=SENSOREN)
    make_item(title=ZUSCHUSS)
    make_item(title=ROBOTIK, company=make_company("Photonikwerk GmbH"))
    secret = make_item(
        actor=author,
        title=SECRET,
        confidential=True,
        description="Förderung, Fachkräfte, Handwerk, Schweißtechnik.",
    )
    items.add_comment(secret, actor=author, body="Förderung der Fachkräfte zugesagt.")
    db.session.commit()
    return make_user("manager", make_network("Fremd"))


def _search_titles(user, query: str) -> set[str]:
    results = search.search(user, query, kind="items", per_page=50)
    return {hit.record.title for hit in results.page.items} if results.page else set()


def _register_titles(user, query: str) -> set[str]:
    stmt = filtered_items(ItemFilter(q=query), user, date(2026, 12, 1))
    return {item.title for item in db.session.scalars(stmt).unique()}


@pytest.mark.parametrize("query, expected", QUERIES)
def test_query_finds_the_items_of_the_table(viewer, query, expected):
    assert _search_titles(viewer, query) == expected
    assert _register_titles(viewer, query) == expected


@pytest.mark.parametrize("query", REFUSED)
def test_query_that_cannot_be_searched_gives_a_reason(viewer, query):
    results = search.search(viewer, query)
    assert results.error and results.page is None
    assert sum(results.counts.values()) == 0
    assert _register_titles(viewer, query) == set()


@pytest.mark.parametrize("query", ["Förderung", "Fachkräfte OR Handwerk", '"Förderung der"'])
def test_confidential_item_shows_in_no_hit_nor_snippet(viewer, query):
    for kind in ("items", "activities", "companies"):
        results = search.search(viewer, query, kind=kind, per_page=50)
        shown = " ".join(f"{hit.title} {hit.snippet}" for hit in results.page.items)
        assert "Geheim" not in shown and "zugesagt" not in shown
    assert search.search(viewer, "zugesagt").counts == {"items": 0, "activities": 0, "companies": 0}


def test_snippet_marks_folded_and_inflected_forms(viewer, make_item):
    make_item(title="Anfrage", description="Gesucht: Fachkräfte und eine Fachkraft für Foerderung.")
    results = search.search(viewer, "fachkraefte OR Förderung", kind="items", per_page=50)
    (hit,) = [hit for hit in results.page.items if hit.record.title == "Anfrage"]
    assert str(hit.snippet) == (
        "Gesucht: <mark>Fachkräfte</mark> und eine <mark>Fachkraft</mark>"
        " für <mark>Foerderung</mark>"
    )


@pytest.mark.parametrize("query", ["-Handwerk", "Förderung OR"])
def test_register_says_why_a_text_filter_cannot_be_searched(viewer, client, login, query):
    login(viewer)
    page = client.get("/items/", query_string={"q": query, "status": "all"})
    assert page.status_code == 200
    problem = search.query_problem(query)
    assert problem and problem in page.text and 'id="q-problem"' in page.text


def test_register_shows_no_reason_for_a_query_that_can_be_searched(viewer, client, login):
    login(viewer)
    page = client.get("/items/", query_string={"q": "Förderung", "status": "all"})
    assert page.status_code == 200 and 'id="q-problem"' not in page.text
