"""Register pages through the test client: list, create, detail, edit, conflicts, actions."""

import re

import pytest

from tracker.db import db
from tracker.items.models import Item, ItemStatus


@pytest.fixture
def setup(make_network, make_user, make_topic):
    a, b = make_network("Alpha"), make_network("Beta")
    topic = make_topic("Förderung")
    return dict(
        a=a,
        b=b,
        topic=topic,
        manager_a=make_user("manager", a),
        manager_b=make_user("manager", b),
        admin=make_user("admin"),
        observer=make_user("observer"),
    )


def test_pages_render_for_manager(client, login, setup, make_item):
    item = make_item(
        actor=setup["manager_a"],
        responsible_network=setup["b"],
        topics=[setup["topic"]],
        description="**fett** <script>x</script>",
    )
    login(setup["manager_a"])
    for url in [
        "/",
        "/items/",
        f"/items/{item.id}",
        f"/items/{item.id}/edit",
        "/items/new",
        "/companies/",
        f"/companies/{item.company_id}",
        "/networks/",
        f"/networks/{setup['b'].id}",
        "/account",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "<strong>fett</strong>" in page and "<script>x</script>" not in page


def test_admin_pages_render(client, login, setup):
    login(setup["admin"])
    for url in [
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{setup['manager_a'].id}",
        "/admin/networks",
        "/admin/networks/new",
        f"/admin/networks/{setup['a'].id}",
        "/admin/topics",
        "/admin/topics/new",
        f"/admin/topics/{setup['topic'].id}",
        "/admin/audit",
        "/admin/audit?event=login",
    ]:
        assert client.get(url).status_code == 200, url


def test_create_item_through_form(client, login, setup):
    login(setup["manager_a"])
    response = client.post(
        "/items/new",
        data={
            "title": "Partner für KI-Pilot gesucht",
            "kind": "need",
            "company_name": "Optik AG",
            "topics": [setup["topic"].id],
            "responsible_network": "",
            "priority": "high",
            "source": "phone",
            "description": "",
            "contact_name": "Erika Muster",
        },
    )
    assert response.status_code == 302
    item = db.session.scalar(db.select(Item))
    assert item.title == "Partner für KI-Pilot gesucht" and item.company.name == "Optik AG"
    assert item.reporting_network == setup["a"] and item.contact.name == "Erika Muster"


def test_create_with_errors_keeps_input(client, login, setup):
    login(setup["manager_a"])
    response = client.post(
        "/items/new",
        data={
            "title": "",
            "kind": "need",
            "company_name": "Behalten GmbH",
            "description": "Mein langer Text",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Behalten GmbH" in page and "Mein langer Text" in page


def test_create_reuses_matching_company(client, login, setup, make_company):
    company = make_company("Saale Optik GmbH")
    login(setup["manager_a"])
    client.post(
        "/items/new",
        data={
            "title": "T",
            "kind": "need",
            "company_name": "saale optik",
            "priority": "normal",
            "source": "mail",
        },
    )
    assert db.session.scalar(db.select(Item)).company_id == company.id


def test_stale_edit_answers_409_and_keeps_input(client, login, setup, make_item):
    item = make_item(actor=setup["manager_a"], title="Original")
    stale = item.version
    item.title = "Von jemand anderem"
    db.session.commit()
    login(setup["manager_a"])
    response = client.post(
        f"/items/{item.id}/edit",
        data={
            "version": stale,
            "title": "Meine Fassung",
            "kind": "need",
            "company_name": item.company.name,
            "priority": "normal",
            "source": "mail",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Meine Fassung" in page and "Von jemand anderem" in page
    assert db.session.get(Item, item.id).title == "Von jemand anderem"
    assert re.search(rf'name="version"[^>]*value="{item.version}"', page), re.findall(
        "<input[^>]*version[^>]*>", page
    )


def test_accept_button_only_for_receiving_network(client, login, setup, make_item):
    item = make_item(actor=setup["manager_a"], responsible_network=setup["b"])
    login(setup["manager_a"])
    assert f"/items/{item.id}/actions/accept" not in client.get(f"/items/{item.id}").text
    client.post("/logout")
    login(setup["manager_b"])
    assert f"/items/{item.id}/actions/accept" in client.get(f"/items/{item.id}").text


def test_accept_through_form(client, login, setup, make_item):
    item = make_item(actor=setup["manager_a"], responsible_network=setup["b"])
    login(setup["manager_b"])
    response = client.post(f"/items/{item.id}/actions/accept", data={"version": item.version})
    assert response.status_code == 302
    assert db.session.get(Item, item.id).status is ItemStatus.IN_PROGRESS


def test_return_without_reason_keeps_page_with_error(client, login, setup, make_item):
    item = make_item(actor=setup["manager_a"], responsible_network=setup["b"])
    login(setup["manager_b"])
    response = client.post(f"/items/{item.id}/actions/return", data={"version": item.version})
    assert response.status_code == 422
    assert db.session.get(Item, item.id).status is ItemStatus.ASSIGNED


def test_handoff_through_form(client, login, setup, make_item):
    item = make_item(actor=setup["manager_a"])
    login(setup["manager_a"])
    response = client.post(
        f"/items/{item.id}/handoff", data={"version": item.version, "network": setup["b"].id}
    )
    assert response.status_code == 302
    assert db.session.get(Item, item.id).responsible_network_id == setup["b"].id


def test_observer_sees_no_action_buttons(client, login, setup, make_item):
    item = make_item(actor=setup["manager_a"], responsible_network=setup["b"])
    login(setup["observer"])
    page = client.get(f"/items/{item.id}").text
    assert "/actions/" not in page and "/handoff" not in page and "/comments" not in page
    assert client.post(f"/items/{item.id}/actions/accept", data={}).status_code == 403


def test_confidential_item_hidden_from_other_network(
    client, login, setup, make_item, make_network, make_user
):
    item = make_item(actor=setup["manager_a"], confidential=True, title="Geheim")
    other = make_user("manager", make_network("Gamma"))
    login(other)
    assert client.get(f"/items/{item.id}").status_code == 404
    assert "Geheim" not in client.get("/items/?status=all").text


def test_list_filters_by_text_and_status(client, login, setup, make_item):
    make_item(actor=setup["manager_a"], title="Wasserstoff Tankstelle")
    make_item(actor=setup["manager_a"], title="Fachkräfte gesucht")
    login(setup["manager_a"])
    page = client.get("/items/?q=wasserstoff").text
    assert "Wasserstoff Tankstelle" in page and "Fachkräfte gesucht" not in page
    assert "Fachkräfte gesucht" not in client.get("/items/?status=done").text


def test_list_ignores_nonsense_filters(client, login, setup):
    login(setup["manager_a"])
    assert client.get("/items/?status=bogus&kind=x&page=abc&responsible=zz").status_code == 200


def test_duplicates_fragment_finds_same_company_and_similar_words(
    client, login, setup, make_item, make_company
):
    company = make_company("Thüringer Sensorwerk GmbH")
    make_item(actor=setup["manager_a"], company=company, title="Etwas ganz anderes")
    make_item(actor=setup["manager_a"], title="Förderungen für Energieeffizienz gesucht")
    login(setup["manager_a"])
    page = client.get(
        "/items/duplicates",
        query_string={
            "company_name": "thüringer sensorwerk",
            "title": "Förderung Energieeffizienz",
        },
    ).text
    assert "Etwas ganz anderes" in page and "Förderungen für Energieeffizienz" in page


def test_filters_offer_all_as_an_empty_value_not_the_word_none(client, login, setup):
    login(setup["manager_a"])
    page = client.get("/items/").get_data(as_text=True)
    assert 'value="None"' not in page and '<option selected value="">' in page
    assert client.get("/items/?responsible=&assignee=&topic=").status_code == 200
