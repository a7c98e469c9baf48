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
