"""Saved views of the register list: save, list own and shared, open, delete own only."""

import re

import pytest
from sqlalchemy import select

from tracker.db import db
from tracker.items import saved_views
from tracker.items.models import SavedView


@pytest.fixture
def people(make_network, make_user):
    return dict(
        anna=make_user("manager", make_network("Alpha"), name="Anna Alpha"),
        ben=make_user("manager", make_network("Beta"), name="Ben Beta"),
        olga=make_user("observer", name="Olga Observer"),
    )


def view(owner, name, query="status=open", shared=False) -> SavedView:
    saved = saved_views.save_view(owner=owner, name=name, query=query, shared=shared)
    db.session.commit()
    return saved


def test_save_view_keeps_only_filter_parameters(client, login, people):
    login(people["anna"])
    query = "status=closed&reporting=3&page=4&next=//evil.example&q=Wasserstoff&q=x"
    response = client.post("/reports/views", data={"name": " Meine  Liste ", "query": query})
    assert response.status_code == 302
    assert response.headers["Location"] == "/items/?q=Wasserstoff&status=closed&reporting=3"
    saved = db.session.scalar(select(SavedView))
    assert (saved.name, saved.shared, saved.owner_id) == ("Meine Liste", False, people["anna"].id)


def test_register_lists_own_and_shared_views_only(client, login, people):
    view(people["anna"], "Annas Liste")
    view(people["ben"], "Bens geteilte Liste", shared=True)
    view(people["ben"], "Bens private Liste")
    login(people["anna"])
    page = client.get("/items/").get_data(as_text=True)
    assert "Annas Liste" in page and "Bens geteilte Liste" in page and "Ben Beta" in page
    assert "Bens private Liste" not in page
    assert 'name="query" value=""' in page


def test_register_offers_current_filter_for_saving_and_export(client, login, people):
    login(people["anna"])
    page = client.get("/items/?status=closed&page=2&kind=need").get_data(as_text=True)
    assert 'name="query" value="status=closed&amp;kind=need"' in page
    export = page[page.index('id="register-export"') :].split("</form>")[0]
    assert 'action="/reports/register.csv"' in export
    assert 'formaction="/reports/register.xlsx"' in export
    hidden = re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', export)
    assert hidden == [("status", "closed"), ("kind", "need")]  # not the page: all pages


def test_open_view_redirects_to_its_filter(client, login, people):
    shared = view(people["ben"], "Geteilt", "status=all&kind=need", shared=True)
    private = view(people["ben"], "Privat")
    login(people["anna"])
    response = client.get(f"/reports/views/{shared.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/items/?status=all&kind=need"
    assert client.get(f"/reports/views/{private.id}").status_code == 404


def test_delete_own_view(client, login, people):
    own = view(people["anna"], "Weg damit")
    login(people["anna"])
    response = client.post(f"/reports/views/{own.id}/delete", data={"next": "/items/?status=all"})
    assert response.headers["Location"] == "/items/?status=all"
    assert db.session.get(SavedView, own.id) is None


@pytest.mark.parametrize(("shared", "status"), [(True, 403), (False, 404)])
def test_delete_others_view_is_refused(client, login, people, shared, status):
    other = view(people["ben"], "Bens Liste", shared=shared)
    login(people["anna"])
    assert client.post(f"/reports/views/{other.id}/delete").status_code == status
    assert db.session.get(SavedView, other.id) is not None


def test_missing_name_keeps_the_input(client, login, people):
    login(people["anna"])
    data = {"name": "  ", "query": "status=closed&kind=wish", "shared": "y"}
    response = client.post("/reports/views", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "is-invalid" in page
    assert 'value="status=closed&amp;kind=wish"' in page
    assert re.search(r'<input[^>]* checked [^>]*id="shared"', page)
    assert db.session.scalar(select(SavedView)) is None


def test_too_long_name_is_refused(client, login, people):
    login(people["anna"])
    response = client.post("/reports/views", data={"name": "x" * 121, "query": ""})
    assert response.status_code == 400 and 'value="' + "x" * 121 + '"' in response.text


def test_saving_under_an_own_name_replaces_the_view(people):
    first = view(people["anna"], "Überfällig", "status=open")
    second = view(people["anna"], "überfällig", "status=closed")
    assert first.id == second.id and second.query == "status=closed"
    assert len(saved_views.visible_views(people["anna"])) == 1


def test_observer_saves_private_views_but_cannot_share(client, login, people):
    login(people["olga"])
    page = client.get("/items/").get_data(as_text=True)
    assert 'id="view-name"' in page and 'id="view-shared"' not in page
    client.post("/reports/views", data={"name": "Für mich", "query": ""})
    refused = client.post("/reports/views", data={"name": "Für alle", "shared": "y"})
    assert refused.status_code == 400
    assert [v.name for v in saved_views.visible_views(people["olga"])] == ["Für mich"]
