"""The search page and the register's text filter, through the test client."""

import re

import pytest
from flask_babel import refresh

from tracker.db import db
from tracker.items import services as items


@pytest.fixture
def manager(make_user):
    return make_user("manager")


def _references(page: str) -> list[str]:
    return re.findall(r'class="ref me-1" href="/items/\d+(?:#timeline)?">([^<]+)<', page)


@pytest.mark.parametrize(
    "locale, words",
    [("de", ['lang="de"', ">Suchen<", "Verlauf"]), ("en", ['lang="en"', ">Search<", "Activity"])],
)
def test_search_page_renders_in_each_language(client, login, make_user, make_item, locale, words):
    user = make_user("manager", locale=locale)
    make_item(actor=user, title="Förderungen für Sensorik")
    login(user)
    refresh()  # the tests' app context outlives requests; forget the login page's locale
    page = client.get("/search/?q=Förderung").text
    assert all(word in page for word in words)
    assert "<mark>Förderungen</mark>" in page


def test_search_page_without_query_shows_the_form(client, login, manager):
    login(manager)
    response = client.get("/search/")
    assert response.status_code == 200 and 'name="q"' in response.text


def test_search_page_paginates(app, client, login, manager, make_item):
    app.config["ITEMS_PER_PAGE"] = 3
    made = [make_item(actor=manager, title=f"Wasserstoff Teil {n}") for n in range(5)]
    login(manager)
    first = client.get("/search/?q=Wasserstoff").text
    second = client.get("/search/?q=Wasserstoff&kind=items&page=2").text
    shown = _references(first) + _references(second)
    assert len(_references(first)) == 3 and len(_references(second)) == 2
    assert sorted(shown) == sorted(item.reference for item in made)
    assert "page=2" in first


def test_search_page_escapes_html_of_titles(client, login, manager, make_item):
    make_item(actor=manager, title="<script>alert(1)</script> Förderung")
    login(manager)
    page = client.get("/search/?q=Förderung").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_comment_hit_links_to_the_item(client, login, manager, make_item):
    item = make_item(actor=manager, title="Kontakt zu Forschung")
    items.add_comment(item, actor=manager, body="Wasserstoffagentur angerufen")
    db.session.commit()
    login(manager)
    page = client.get("/search/?q=Wasserstoffagentur&kind=activities").text
    assert _references(page) == [item.reference] and "<mark>Wasserstoffagentur</mark>" in page


def test_confidential_hits_hidden_from_other_networks(client, login, make_user, make_item):
    author, other = make_user("manager"), make_user("manager")
    make_item(actor=author, title="Geheimprojekt Laser", confidential=True)
    login(other)
    page = client.get("/search/?q=Geheimprojekt").text
    assert "Geheimprojekt Laser" not in page and _references(page) == []


def test_search_requires_login(client):
    response = client.get("/search/?q=Förderung")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_register_text_filter_finds_word_forms(client, login, manager, make_item):
    found = make_item(actor=manager, title="Förderungen für KI")
    make_item(actor=manager, title="Wärmepumpe im Bürogebäude")
    login(manager)
    page = client.get("/items/?q=Förderung&status=all").text
    assert found.reference in page and "Wärmepumpe" not in page


def test_register_text_filter_finds_company_name(client, login, manager, make_item, make_company):
    make_item(actor=manager, title="Anfrage", company=make_company("Photonikwerk GmbH"))
    make_item(actor=manager, title="Andere Anfrage")
    login(manager)
    page = client.get("/items/?q=photonikwerk&status=all").text
    assert "Photonikwerk GmbH" in page and "Andere Anfrage" not in page
