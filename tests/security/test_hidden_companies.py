"""Companies and contacts known only from confidential items do not exist for outsiders.

"Firma Beta" is known only from a confidential item (network C reports, A is responsible);
its contact "Max Muster" goes with it. Outsiders (observer, manager of network B) find
them nowhere: not in lists, suggestions, search or by id; and no company page tells them
that a company has a confidential concern. Manager A and admins see them.
"""

from __future__ import annotations

import pytest

from tracker.companies import permissions

from .conftest import SECRET

OUTSIDERS = ("observer", "manager_b")
INSIDERS = ("manager_a", "admin")
PRINCIPALS = (*OUTSIDERS, *INSIDERS)


@pytest.mark.parametrize(
    "path",
    [
        "/companies/",
        "/companies/?q=Beta",
        "/companies/suggest?q=Firma",
        "/search/?q=Beta&kind=companies",
        "/search/?q=Firma&kind=companies",
    ],
)
def test_hidden_company_is_listed_for_insiders_only(world, client_as, path):
    link = world.format('href="/companies/{hidden_company}"')
    texts = {p: client_as(p).get(path).get_data(as_text=True) for p in PRINCIPALS}
    seen = {p: "Firma Beta" in text or link in text for p, text in texts.items()}
    assert seen == {"observer": False, "manager_b": False, "manager_a": True, "admin": True}


def test_search_counts_no_hidden_company(world, client_as):
    html = client_as("manager_b").get("/search/?q=Beta&kind=companies").get_data(as_text=True)
    assert 'Unternehmen <span class="badge text-bg-light">0</span>' in html


@pytest.mark.parametrize("principal", OUTSIDERS)
def test_company_page_does_not_tell_of_a_confidential_concern(world, client_as, principal):
    html = client_as(principal).get(world.format("/companies/{company}")).get_data(as_text=True)
    assert "Partner für Sensorik" in html  # the page shows the visible item
    assert "confidential" not in html.casefold() and "vertraulich" not in html.casefold()
    assert world.records["secret"].reference not in html and SECRET not in html


def test_company_page_shows_contacts_by_the_rule(world, client_as):
    path = world.format("/companies/{company}")
    html = {p: client_as(p).get(path).get_data(as_text=True) for p in PRINCIPALS}
    assert all("Vera Sichtbar" in text for text in html.values())  # a contact without items
    assert ["Erika Muster" in html[p] for p in PRINCIPALS] == [False, False, True, True]


def test_rule_hides_what_only_confidential_items_know(world):
    records, users = world.records, world.users
    for principal in PRINCIPALS:
        user, inside = users[principal], principal in INSIDERS
        assert permissions.can_view_company(user, records["hidden_company"]) is inside
        assert permissions.can_view_contact(user, records["hidden_company_contact"]) is inside
        assert permissions.can_view_contact(user, records["contact"]) is inside
        assert permissions.can_view_company(user, records["company"])
        assert permissions.can_view_contact(user, records["visible_contact"])


def test_a_visible_item_makes_the_company_visible(world, make_item):
    b = world.users["manager_b"]
    make_item(company=world.records["hidden_company"], reporting_network=b.network)
    assert permissions.can_view_company(b, world.records["hidden_company"])
    assert permissions.can_view_contact(b, world.records["hidden_company_contact"])


def _companies_named(name: str) -> list:
    from sqlalchemy import select

    from tracker.companies.models import Company, company_key
    from tracker.db import db

    return list(db.session.scalars(select(Company).where(Company.name_key == company_key(name))))


def test_registering_a_hidden_company_neither_refuses_nor_reveals_it(world, client_as):
    answer = client_as("manager_b").post("/companies/new", data={"name": "Firma Beta"})
    assert answer.status_code == 302  # a record of manager B's own; no "exists already"
    hidden = world.records["hidden_company"]
    assert answer.location != f"/companies/{hidden.id}"
    assert len(_companies_named("Firma Beta")) == 2


def test_an_insider_is_told_that_the_company_exists(world, client_as):
    answer = client_as("manager_a").post("/companies/new", data={"name": "firma beta"})
    assert answer.status_code == 400 and len(_companies_named("Firma Beta")) == 1


def test_a_new_item_is_not_linked_to_a_hidden_company(world, client_as):
    from tracker.db import db
    from tracker.items.models import Item

    answer = client_as("manager_b").post(
        "/items/new",
        data={"title": "Kooperation gesucht", "kind": "need", "company_name": "Firma Beta",
              "priority": "normal", "source": "phone"},
    )  # fmt: skip
    assert answer.status_code == 302
    item = db.session.get(Item, int(answer.location.rstrip("/").rsplit("/", 1)[-1]))
    assert item.title == "Kooperation gesucht"
    assert item.company_id != world.records["hidden_company"].id
    # Manager B sees the company of the new item, still not the hidden one.
    page = client_as("manager_b").get(f"/companies/{item.company_id}")
    assert page.status_code == 200 and "Max Muster" not in page.get_data(as_text=True)
    assert (
        client_as("manager_b").get(world.format("/companies/{hidden_company}")).status_code == 404
    )
