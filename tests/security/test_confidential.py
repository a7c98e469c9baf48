"""A confidential item's content reaches only its networks' managers and admins (DESIGN.md 7).

Its title and description carry the word SECRET. Every list, search, dashboard, export and
feed below must not show it to an observer or to the manager of network B; the manager of
network A must see it wherever the page lists items, which proves the test would notice.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tracker.auth import services as users
from tracker.db import db
from tracker.items import services as items
from tracker.meetings import live
from tracker.reports import services as reports

from .conftest import SECRET, text_of

OUTSIDERS = ("observer", "manager_b")


# (path, whether manager A's answer lists the confidential item)
PAGES = [
    ("/", True),
    ("/overview", False),
    ("/overview/clusters", True),
    ("/items/", True),
    ("/items/?q=Quantenlabor&status=all", True),
    ("/items/?q=Rezeptur&status=all", True),
    ("/items/?status=all&sort=title&direction=asc", True),
    ("/items/{item}", False),
    ("/items/duplicates?company_name=Firma+Alpha&title=Quantenlabor", True),
    ("/items/duplicates?company_name=Firma+Beta&title=Quantenlabor", True),
    ("/search/?q=Quantenlabor", True),
    ("/search/?q=Rezeptur", True),
    ("/search/?q=Zwischenstand&kind=activities", True),
    ("/search/?q=Firma&kind=companies", False),
    ("/reports/register.csv?status=all", True),
    ("/reports/register.csv?q=Quantenlabor", True),
    ("/reports/register.xlsx?status=all", True),
    ("/reports/?network={network_a}&quarter={quarter}", False),
    ("/reports/networks/{network_a}/{quarter}.xlsx", False),
    ("/reports/networks/{network_a}/{quarter}.docx", False),
    ("/reports/register.csv?status=all&columns=description&columns=contact", True),
    ("/reports/register.xlsx?status=all&columns=description&columns=resolution_note", True),
    ("/reports/?network=all&quarter={quarter}", False),
    ("/reports/initiative/{quarter}.xlsx", True),
    ("/reports/initiative/{quarter}.docx", True),
    ("/networks/", False),
    ("/networks/{network_a}", True),
    ("/networks/{network_c}", False),
    ("/companies/", False),
    ("/companies/{company}", True),
    ("/companies/suggest?q=Fir", False),
    ("/meetings/", False),
    ("/meetings/{meeting}", True),
    ("/meetings/{meeting}/live", True),
    ("/meetings/{meeting}/live/fragment", True),
    ("/meetings/tasks", False),
    ("/meetings/{meeting}/agenda.md", True),
    ("/meetings/{meeting}/minutes.md", True),
    ("/meetings/{meeting}/agenda.docx", True),
    ("/meetings/{meeting}/minutes.pdf", True),
    ("/meetings/{meeting}/invitation.ics", True),
    ("/meetings/series/{series}/feed.ics", False),
    ("/reports/calendar/{own_calendar}.ics", True),
]


def _moved_manager_keeps_an_assignment(world, today) -> None:
    """Manager B worked for network A before: an item of A is still assigned to them."""
    admin, moved = world.users["admin"], world.users["manager_b"]
    network_b = moved.network
    users.update_user(
        moved, actor=admin, expected_version=None, network=world.records["item"].reporting_network
    )
    items.update_item(
        world.records["secret_other"],
        actor=admin,
        expected_version=None,
        assignee=moved,
        follow_up_date=today + timedelta(days=4),
    )
    users.update_user(moved, actor=admin, expected_version=None, network=network_b)


@pytest.fixture
def exposed(world, today):
    """Give outsiders every chance to meet the item: tasks on its entry, own calendar feeds."""
    for name in OUTSIDERS:
        live.add_task(
            world.records["meeting"],
            actor=world.users["admin"],
            title="Unterlagen schicken",
            owner=world.users[name],
            due_date=today + timedelta(days=2),
            entry=world.records["secret_entry"],
        )
    tokens = {name: reports.renew_calendar_token(world.users[name]) for name in OUTSIDERS}
    tokens["manager_a"] = world.ids["calendar_token"]
    db.session.commit()
    return tokens


def _text(client_as, world, tokens, principal: str, path: str) -> str:
    if "{own_calendar}" in path:
        path = path.replace("{own_calendar}", tokens[principal])
    path = world.format(path)
    response = client_as(principal).get(path)
    assert response.status_code == 200, f"{principal} {path}: {response.status_code}"
    return text_of(response)


@pytest.mark.parametrize(("path", "listed_for_a"), PAGES, ids=[p for p, _ in PAGES])
def test_confidential_content_stays_with_its_networks(
    world, client_as, exposed, path, listed_for_a
):
    leaks = [p for p in OUTSIDERS if SECRET in _text(client_as, world, exposed, p, path)]
    assert not leaks, f"{leaks} see the confidential item on {path}"
    if listed_for_a:
        assert SECRET in _text(client_as, world, exposed, "manager_a", path)


# Pages that list a user's own assignments.
ASSIGNED = [
    "/",
    "/items/?assignee={manager_b_id}&status=all",
    "/reports/register.csv?assignee={manager_b_id}&status=all",
    "/reports/calendar/{own_calendar}.ics",
]


@pytest.mark.parametrize("path", ASSIGNED)
def test_old_assignment_shows_no_confidential_content(world, client_as, exposed, today, path):
    _moved_manager_keeps_an_assignment(world, today)
    db.session.commit()
    text = _text(client_as, world, exposed, "manager_b", path)
    assert SECRET not in text, f"manager_b sees the confidential item on {path}"


MEETING_PAGES = [
    pytest.param("/meetings/{meeting}", False, id="detail-open"),
    pytest.param("/meetings/{meeting}", True, id="detail-closed"),
    pytest.param("/meetings/{meeting}/live", False, id="live-open"),
    pytest.param("/meetings/{meeting}/live", True, id="live-closed"),
    pytest.param("/meetings/{meeting}/live/fragment", False, id="fragment-open"),
    pytest.param("/meetings/{meeting}/live/fragment", True, id="fragment-closed"),
    pytest.param("/meetings/{meeting}/minutes.md", True, id="minutes.md"),
    pytest.param("/meetings/{meeting}/minutes.docx", True, id="minutes.docx"),
    pytest.param("/meetings/{meeting}/minutes.pdf", True, id="minutes.pdf"),
    pytest.param("/meetings/series/{series}/decisions", False, id="decisions-open"),
    pytest.param("/meetings/series/{series}/decisions", True, id="decisions-closed"),
    pytest.param("/meetings/series/{series}/decisions?q=Beschluss", True, id="decisions-search"),
    pytest.param("/meetings/series/{series}/decisions.xlsx", True, id="decisions.xlsx"),
]


def _record_secret_outcome(world, close: bool) -> None:
    live.update_entry(
        world.records["secret_entry"],
        actor=world.users["manager_a"],
        expected_version=None,
        discussed=True,
        note=f"Notiz zum {SECRET}",
        decision=f"Beschluss zum {SECRET}",
    )
    if close:
        live.close_meeting(world.records["meeting"], actor=world.users["admin"])
    db.session.commit()


@pytest.mark.parametrize(("path", "closed"), MEETING_PAGES)
def test_outcome_of_a_confidential_entry_stays_with_its_networks(world, client_as, path, closed):
    _record_secret_outcome(world, closed)
    leaks = [p for p in OUTSIDERS if SECRET in _text(client_as, world, {}, p, path)]
    assert not leaks, f"{leaks} see the outcome of the confidential entry on {path}"
    assert SECRET in _text(client_as, world, {}, "manager_a", path)


def test_contact_known_only_from_a_confidential_item_stays_with_its_networks(world, client_as):
    path, name = world.format("/companies/{company}"), world.records["contact"].name
    texts = {p: client_as(p).get(path).get_data(as_text=True) for p in (*OUTSIDERS, "manager_a")}
    assert name in texts["manager_a"]
    leaks = [p for p in OUTSIDERS if name in texts[p]]
    assert not leaks, f"{leaks} see the contact of the confidential item on {path}"
