"""Quick-add in live mode: who reports the item, and no duplicate by accident."""

import pytest

from tracker.db import db
from tracker.items.models import Item
from tracker.items.services import reporting_network_for
from tracker.meetings import services

FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def world(make_network, make_user, make_series, make_item, make_company):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    manager = make_user("manager", alpha)
    office = make_user("admin", None)
    meeting = services.upcoming(make_series())
    company = make_company(name="Sensorik Jena GmbH")
    item = make_item(actor=manager, title="Partner für KI-Pilot", company=company)
    db.session.commit()
    return dict(
        alpha=alpha, beta=beta, manager=manager, office=office, meeting=meeting, item=item
    )


def post(client, world, **data):
    data.setdefault("kind", "request")
    return client.post(f"/meetings/{world['meeting'].id}/quick-add", headers=FETCH, data=data)


def test_reporting_network_is_the_managers_own_whatever_was_chosen(world):
    assert reporting_network_for(world["manager"], world["beta"]) is world["alpha"]
    assert reporting_network_for(world["office"], world["beta"]) is world["beta"]
    assert reporting_network_for(world["office"], None) is None


def test_office_quick_adds_for_the_network_it_names(client, login, world):
    login(world["office"])
    response = post(
        client, world, title="Wasserstofflabor", company_name="Gaswerk AG",
        reporting_network=world["beta"].id,
    )
    assert response.status_code == 200, response.text
    item = db.session.get(Item, response.json["id"])
    assert item.reporting_network_id == world["beta"].id
    assert response.json["message"].startswith(item.reference)


def test_office_without_reporting_network_gets_the_reason(client, login, world):
    login(world["office"])
    response = post(client, world, title="Wasserstofflabor", company_name="Gaswerk AG")
    assert response.status_code == 422
    assert "meldende Netzwerk" in response.json["error"]["message"]


def test_office_page_offers_the_reporting_network_manager_page_does_not(client, login, world):
    meeting = world["meeting"]
    login(world["office"])
    assert 'name="reporting_network"' in client.get(f"/meetings/{meeting.id}/live").text
    client.post("/logout")
    login(world["manager"])
    assert 'name="reporting_network"' not in client.get(f"/meetings/{meeting.id}/live").text


def test_same_title_for_same_company_asks_before_creating(client, login, world):
    login(world["manager"])
    count = db.session.scalar(db.select(db.func.count()).select_from(Item))
    response = post(client, world, title=" partner für  ki-pilot ", company_name="sensorik jena")
    assert response.status_code == 409
    assert response.json["error"]["duplicate"] == world["item"].reference
    assert db.session.scalar(db.select(db.func.count()).select_from(Item)) == count
    again = post(
        client, world, title="partner für ki-pilot", company_name="sensorik jena",
        allow_duplicate="y",
    )
    assert again.status_code == 200
    assert db.session.get(Item, again.json["id"]).company_id == world["item"].company_id


def test_same_title_without_script_comes_back_with_the_input(client, login, world):
    login(world["manager"])
    response = client.post(
        f"/meetings/{world['meeting'].id}/quick-add",
        data={"title": "Partner für KI-Pilot", "company_name": "Sensorik Jena", "kind": "need"},
    )
    assert response.status_code == 409
    assert 'value="Sensorik Jena"' in response.text
    assert 'name="allow_duplicate" type="hidden" value="y"' in response.text


def test_fragment_tells_the_meetings_state(client, login, world):
    login(world["manager"])
    html = client.get(f"/meetings/{world['meeting'].id}/live/fragment").text
    assert 'data-status="planned"' in html


def test_duplicate_hint_does_not_name_a_hidden_company(client, login, world, make_item,
                                                            make_company, make_user):
    secret = make_company(name="Geheimwerk Suhl GmbH")
    make_item(actor=make_user("manager", world["beta"]), title="Vertraulich", company=secret,
              confidential=True)
    login(world["manager"])
    hint = client.get("/items/duplicates", query_string={"company_name": "geheimwerk suhl"})
    assert hint.status_code == 200 and "Geheimwerk Suhl GmbH" not in hint.text
