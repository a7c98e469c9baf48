"""Following items: the reporting and responsible networks' managers follow by default, anyone
who may see an item can follow it, anyone can stop; followers hear of changes through their
mail settings (a real SMTP server), never of a confidential item they may not see, never
twice for one change."""

from __future__ import annotations

import pytest

from tests.mail_server import text_of
from tracker.db import db
from tracker.items import following, lifecycle
from tracker.items import services as items
from tracker.mail import preferences
from tracker.mail.models import Delivery, OutboxMessage


@pytest.fixture
def world(make_network, make_user, make_item):
    class World:
        north, south, east = make_network("Nord"), make_network("Süd"), make_network("Ost")
        anna = make_user(network=north, name="Anna Nord", locale="de")
        arne = make_user(network=north, name="Arne Nord", locale="de")
        bernd = make_user(network=south, name="Bernd Süd", locale="de")
        olga = make_user(network=east, name="Olga Ost", locale="de")
        observer = make_user("observer", name="Otto Beobachter", locale="de")
        item = make_item(actor=anna, title="Laserschweißen", responsible_network=north)

    for user in (World.anna, World.arne, World.bernd, World.olga, World.observer):
        preferences.set_delivery(user, "followed", Delivery.IMMEDIATELY)
    db.session.commit()
    return World


def _names(users) -> list[str]:
    return [u.name for u in users]


def test_the_networks_managers_follow_by_default_and_may_stop(world):
    assert _names(following.followers(world.item)) == ["Anna Nord", "Arne Nord"]
    following.set_following(world.item, world.arne, False)
    following.set_following(world.item, world.olga, True)
    following.set_following(world.item, world.observer, True)  # anyone who may see it
    db.session.commit()
    assert _names(following.followers(world.item)) == ["Anna Nord", "Olga Ost", "Otto Beobachter"]
    following.set_following(world.item, world.arne, True)
    db.session.commit()
    assert "Arne Nord" in _names(following.followers(world.item))


def test_a_confidential_item_is_followed_only_by_who_may_see_it(world, make_item):
    secret = make_item(actor=world.anna, title="Geheim", confidential=True)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied, a ServiceError
        following.set_following(secret, world.olga, True)
    following.set_following(world.item, world.olga, True)
    db.session.commit()
    items.update_item(world.item, actor=world.anna, expected_version=None, confidential=True)
    db.session.commit()
    assert "Olga Ost" not in _names(following.followers(world.item))


def test_followers_hear_of_a_change_but_not_the_one_who_made_it(world, mail_server, deliver):
    following.set_following(world.item, world.olga, True)
    db.session.commit()
    items.update_item(world.item, actor=world.anna, expected_version=None, title="Laser neu")
    db.session.commit()
    deliver()
    assert mail_server.to(world.anna.email) == []
    (mail,) = mail_server.to(world.olga.email)
    assert "Anna Nord bei einem Anliegen, dem Sie folgen: geändert: Titel." in text_of(mail)
    assert len(mail_server.to(world.arne.email)) == 1


def test_one_change_one_notice_a_follower_who_is_offered_the_item_hears_it_once(
    world, mail_server, deliver
):
    following.set_following(world.item, world.bernd, True)
    db.session.commit()
    lifecycle.hand_off(world.item, world.south, actor=world.anna, expected_version=None)
    db.session.commit()
    deliver()
    kinds = [m.kind for m in db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.user_id == world.bernd.id)
    )]  # fmt: skip
    assert kinds == ["handoff_offered"]  # the offer says it: no second mail as a follower
    assert [m.kind for m in db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.user_id == world.arne.id)
    )] == ["followed"]  # fmt: skip


def test_a_status_change_and_a_comment_reach_the_followers(world, mail_server, deliver):
    lifecycle.perform(world.item, "complete", actor=world.anna, expected_version=None,
                      note="Erledigt")  # fmt: skip
    items.add_comment(world.item, actor=world.anna, body="Danke allen!")
    db.session.commit()
    deliver()
    texts = [text_of(m) for m in mail_server.to(world.arne.email)]
    assert any("jetzt „Erledigt“" in t for t in texts)
    assert any("> Danke allen!" in t for t in texts)


def test_the_item_page_follows_and_unfollows(world, client, login):
    login(world.olga)
    page = client.get(f"/items/{world.item.id}").text
    assert "2 Personen folgen diesem Anliegen: Anna Nord, Arne Nord" in page
    response = client.post(f"/items/{world.item.id}/follow", data={"follow": "1"})
    assert response.status_code == 302
    page = client.get(f"/items/{world.item.id}").text
    assert "Anna Nord, Arne Nord, Olga Ost" in page and "Nicht mehr folgen" in page
    client.post(f"/items/{world.item.id}/follow", data={"follow": "0"})
    page = client.get(f"/items/{world.item.id}").text
    assert "2 Personen folgen diesem Anliegen: Anna Nord, Arne Nord<" in page


def test_following_a_hidden_item_is_not_found(world, client, login, make_item):
    secret = make_item(actor=world.anna, title="Geheim", confidential=True)
    login(world.olga)
    assert client.post(f"/items/{secret.id}/follow", data={"follow": "1"}).status_code == 404
