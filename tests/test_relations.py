"""Links between items: shown on both items and their timelines, made by who may edit the
item to one they may see; a confidential item stays out of sight of who may not see it."""

from __future__ import annotations

import pytest

from tracker.db import db
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.items import relations
from tracker.items.models import ActivityKind, ItemRelation, RelationKind


@pytest.fixture
def world(make_network, make_user, make_item):
    class World:
        north, south = make_network("Nord"), make_network("Süd")
        anna = make_user(network=north, name="Anna Nord")
        bernd = make_user(network=south, name="Bernd Süd")
        observer = make_user("observer", name="Otto")
        first = make_item(actor=anna, title="Wasserstoff-Tankstelle", responsible_network=north)
        second = make_item(actor=bernd, title="H2-Tankstelle", responsible_network=south)
        secret = make_item(actor=anna, title="Geheimprojekt", confidential=True)

    return World


def test_a_link_shows_on_both_items_as_each_sees_it(world):
    relations.link(world.second, world.first, RelationKind.DUPLICATE, actor=world.bernd)
    db.session.commit()
    (mine,) = relations.links(world.second, world.anna)
    (theirs,) = relations.links(world.first, world.anna)
    assert (mine.label, mine.other.id) == ("Duplikat von", world.first.id)
    assert (theirs.label, theirs.other.id) == ("hat das Duplikat", world.second.id)
    kinds = [a.kind for a in world.first.activities]
    assert ActivityKind.RELATED in kinds
    assert relations.described(world.first.activities[-1].new_value, world.anna) == (
        "hat das Duplikat",
        world.second,
    )


def test_only_who_may_edit_links_and_only_to_what_they_see(world):
    with pytest.raises(PermissionDenied):
        relations.link(world.first, world.second, RelationKind.RELATED, actor=world.bernd)
    with pytest.raises(PermissionDenied):
        relations.link(world.second, world.first, RelationKind.RELATED, actor=world.observer)
    with pytest.raises(ValidationFailed):  # B may not see it: as if there were none
        relations.link(world.second, world.secret, RelationKind.RELATED, actor=world.bernd)
    with pytest.raises(ValidationFailed):
        relations.link(world.first, world.first, RelationKind.RELATED, actor=world.anna)
    relations.link(world.first, world.second, RelationKind.FOLLOWS, actor=world.anna)
    with pytest.raises(ValidationFailed):  # one link per pair, either way round
        relations.link(world.second, world.first, RelationKind.RELATED, actor=world.bernd)


def test_a_link_to_a_confidential_item_is_invisible_to_who_may_not_see_it(world, client, login):
    relations.link(world.first, world.secret, RelationKind.RELATED, actor=world.anna)
    db.session.commit()
    assert relations.links(world.first, world.bernd) == []
    login(world.bernd)
    page = client.get(f"/items/{world.first.id}").text
    assert "Geheimprojekt" not in page and world.secret.reference not in page
    assert "ein vertrauliches Anliegen" in page  # the timeline says that something was linked
    client.post("/logout")
    login(world.anna)
    page = client.get(f"/items/{world.first.id}").text
    assert "Geheimprojekt" in page


def test_linking_and_unlinking_through_the_page(world, client, login):
    login(world.bernd)
    form = {"kind": "duplicate", "reference": world.first.reference}
    answer = client.post(f"/items/{world.second.id}/relations", data=form)
    assert answer.status_code == 302
    page = client.get(f"/items/{world.second.id}").text
    assert "Duplikat von" in page and world.first.reference in page
    relation = db.session.scalar(db.select(ItemRelation))
    bad = client.post(f"/items/{world.second.id}/relations",
                      data={"kind": "duplicate", "reference": world.secret.reference},
                      follow_redirects=True)  # fmt: skip
    assert "Es gibt kein Anliegen mit dieser Nummer." in bad.text
    wrong_kind = client.post(f"/items/{world.second.id}/relations",
                             data={"kind": "x", "reference": world.first.reference},
                             follow_redirects=True)  # fmt: skip
    assert wrong_kind.status_code == 200
    client.post(f"/items/{world.second.id}/relations/{relation.id}/remove")
    db.session.expire_all()
    assert db.session.scalar(db.select(ItemRelation)) is None
    assert client.post(f"/items/{world.second.id}/relations/999999/remove").status_code == 404
