"""Bulk changes in the register: each item through its own service and permission check with
the version the user saw; refusals reported and never blocking the others; nothing applied
twice on a resend; confidential items out of reach for whoever may not see them."""

import html
import re

import pytest

from tracker.db import db
from tracker.i18n import _
from tracker.items import services as items
from tracker.items.models import ActivityKind, Item, ItemStatus
from tracker.submissions.services import new_key


@pytest.fixture
def world(make_network, make_user, make_item, make_topic):
    north, south = make_network("Nord"), make_network("Süd")
    manager_a, manager_b = make_user("manager", north), make_user("manager", south)
    admin, observer = make_user("admin"), make_user("observer")
    mine = [make_item(actor=manager_a, title=f"Eigenes {n}", responsible_network=north)
            for n in (1, 2)]  # fmt: skip
    theirs = make_item(actor=manager_b, title="Fremdes", responsible_network=south)
    secret = make_item(actor=manager_b, title="Geheimsache", responsible_network=south,
                       confidential=True)  # fmt: skip
    return dict(north=north, south=south, manager_a=manager_a, manager_b=manager_b,
                admin=admin, observer=observer, mine=mine, theirs=theirs, secret=secret,
                topic=make_topic("Wasserstoff"))  # fmt: skip


def _targets(*found):
    return [f"{item.id}:{item.version}" for item in found]


def _send(client, login, user, targets, **values):
    login(user)
    data = {"submission_key": new_key(), **values, "items": targets}
    response = client.post("/items/bulk", data=data)
    client.post("/logout")
    return response


def _fresh(item) -> Item:
    db.session.expire_all()
    return db.session.get(Item, item.id)


def _rows(page: str) -> dict[str, str]:
    """Reference → result text of the result table."""
    rows = re.findall(r'class="bulk-(\w+)">.*?>(\d{4}-\d{4})</a>.*?<td>.*?</td>\s*<td>(.*?)</td>',
                      page, re.S)  # fmt: skip
    return {
        ref: f"{state}: {html.unescape(re.sub(r'<[^>]+>', '', text))}" for state, ref, text in rows
    }


def test_mixed_permissions_change_what_may_be_changed_and_name_the_rest(world, client, login):
    one, two = world["mine"]
    response = _send(client, login, world["manager_a"], _targets(one, two, world["theirs"]),
                     change="status", action="complete", note="Erledigt im Termin")  # fmt: skip
    assert response.status_code == 200
    rows = _rows(response.text)
    assert rows[one.reference].startswith("changed") and rows[two.reference].startswith("changed")
    assert rows[world["theirs"].reference] == "refused: " + _("Refused") + ": " + _(
        "You may not do this with this item."
    )
    assert "2 geändert, 0 unverändert, 1 abgelehnt." in response.text
    assert _fresh(one).status is ItemStatus.DONE and _fresh(two).resolution_note
    assert _fresh(world["theirs"]).status is not ItemStatus.DONE
    closed = [a for a in _fresh(one).activities if a.kind is ActivityKind.STATUS]
    assert closed[-1].actor_id == world["manager_a"].id  # recorded as the one who did it


def test_an_item_changed_meanwhile_is_refused_and_the_others_are_changed(world, client, login):
    one, two = world["mine"]
    seen = _targets(one, two)
    items.update_item(one, actor=world["manager_a"], expected_version=None, title="Neuer Titel")
    db.session.commit()
    response = _send(client, login, world["manager_a"], seen, change="follow_up",
                     follow_up_date="2030-05-06")  # fmt: skip
    rows = _rows(response.text)
    assert rows[one.reference].startswith("refused") and rows[two.reference].startswith("changed")
    assert str(_fresh(two).follow_up_date) == "2030-05-06"
    assert str(_fresh(one).follow_up_date) != "2030-05-06"


def test_a_transition_the_status_does_not_allow_is_refused_with_its_reason(world, client, login):
    response = _send(client, login, world["manager_a"], _targets(*world["mine"]),
                     change="status", action="resume")  # fmt: skip
    rows = _rows(response.text)
    assert all(text.startswith("refused") for text in rows.values()) and len(rows) == 2
    assert "„In Bearbeitung“" in " ".join(rows.values())


def test_a_resend_is_not_applied_twice(world, client, login):
    one, _two = world["mine"]
    login(world["manager_a"])
    data = {"submission_key": new_key(), "change": "hand_off", "network": world["south"].id,
            "note": "Bitte übernehmen", "items": _targets(one)}  # fmt: skip
    first = client.post("/items/bulk", data=data)
    again = client.post("/items/bulk", data=data)
    assert first.status_code == again.status_code == 200
    assert "nicht ein zweites Mal" in again.text
    handoffs = [a for a in _fresh(one).activities if a.kind is ActivityKind.HANDOFF]
    assert len(handoffs) == 1 and _fresh(one).status is ItemStatus.ASSIGNED


def test_all_of_the_filtered_list_takes_only_the_visible_matching_items(world, client, login):
    query = f"status=open&responsible={world['south'].id}"
    response = _send(client, login, world["manager_a"], [], all_filtered="y", query=query,
                     change="topic", topic=world["topic"].id)  # fmt: skip
    rows = _rows(response.text)
    assert list(rows) == [world["theirs"].reference]  # the confidential one is not seen
    assert rows[world["theirs"].reference].startswith("refused")  # nor may A edit B's item
    admin = _send(client, login, world["admin"], [], all_filtered="y", query=query,
                  change="topic", topic=world["topic"].id)  # fmt: skip
    assert set(_rows(admin.text)) == {world["theirs"].reference, world["secret"].reference}
    assert world["topic"] in _fresh(world["secret"]).topics


def test_a_hidden_item_sent_by_id_is_neither_changed_nor_named(world, client, login):
    response = _send(client, login, world["manager_a"], _targets(world["secret"]),
                     change="follow_up", follow_up_date="2030-01-02")  # fmt: skip
    assert response.status_code == 400 and "Geheimsache" not in response.text
    assert str(_fresh(world["secret"]).follow_up_date) != "2030-01-02"


def test_an_incomplete_change_comes_back_with_the_input_and_the_items(world, client, login):
    one, two = world["mine"]
    response = _send(client, login, world["manager_a"], _targets(one, two), change="hand_off",
                     note="Mein Hinweis")  # fmt: skip
    assert response.status_code == 400
    assert _("Please choose the network.") in response.text
    assert "Mein Hinweis" in response.text
    assert f'value="{one.id}:{one.version}"' in response.text
    nothing = _send(client, login, world["manager_a"], [], change="follow_up",
                    follow_up_date="2030-01-02")  # fmt: skip
    assert nothing.status_code == 400 and _("Please tick the items to change.") in nothing.text
    bad = _send(client, login, world["manager_a"], ["1:x", "99999999999:1", "abc"],
                change="follow_up", follow_up_date="2030-01-02")  # fmt: skip
    assert bad.status_code == 400
    long_note = _send(client, login, world["manager_a"], _targets(one), change="status",
                      action="complete", note="x" * 20_000)  # fmt: skip
    assert long_note.status_code == 400 and _fresh(one).status is not ItemStatus.DONE


def test_observers_may_not_and_see_no_bulk_form(world, client, login):
    assert _send(client, login, world["observer"], _targets(world["theirs"]),
                 change="follow_up", follow_up_date="2030-01-02").status_code == 403  # fmt: skip
    login(world["observer"])
    page = client.get("/items/").text
    assert 'id="bulk-form"' not in page and 'name="items"' not in page
    client.post("/logout")
    login(world["manager_a"])
    page = client.get("/items/").text
    assert 'id="bulk-form"' in page and f'value="{world["theirs"].id}:' in page
    assert "Geheimsache" not in page
