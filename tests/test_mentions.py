"""@-mentions in comments: who can be mentioned (only who may see the item), what they get
(a mail through the outbox and a real SMTP server), the suggestions while typing."""

from __future__ import annotations

import pytest

from tests.mail_server import text_of
from tracker.db import db
from tracker.items import mentions
from tracker.items import services as items
from tracker.mail.models import OutboxMessage


@pytest.fixture
def world(make_network, make_user, make_item):
    class World:
        north, south = make_network("Nord"), make_network("Süd")
        anna = make_user(network=north, name="Anna Schulz", locale="de")
        anne = make_user(network=north, name="Anna", locale="de")
        bernd = make_user(network=south, name="Bernd Weiß", locale="de")
        gone = make_user(network=south, name="Greta Alt", locale="de", active=False)
        admin = make_user("admin", name="Geschäftsstelle", locale="de")
        open_item = make_item(actor=anna, title="Offenes Anliegen")
        secret = make_item(actor=anna, title="Geheimes Anliegen", confidential=True)

    return World


def _names(users) -> list[str]:
    return [u.name for u in users]


def test_the_longest_name_after_an_at_sign_is_the_one_mentioned(world):
    text = "@anna schulz und @Anna, bitte mit @Bernd Weiß klären. kein@Anna per Mail"
    assert _names(mentions.mentioned(text, world.open_item)) == [
        "Anna Schulz",
        "Anna",
        "Bernd Weiß",
    ]
    assert _names(mentions.mentioned("@Anna Schulzke fragt", world.open_item)) == ["Anna"]
    assert mentions.mentioned("@Annabell fragt", world.open_item) == []
    assert mentions.mentioned("ohne Erwähnung", world.open_item) == []


def test_only_who_may_see_the_item_can_be_mentioned(world):
    found = mentions.mentioned("@Bernd Weiß @Anna Schulz @Greta Alt", world.secret)
    assert _names(found) == ["Anna Schulz"]  # B may not see it; Greta is deactivated
    assert "Bernd Weiß" not in _names(mentions.candidates(world.secret))


def test_the_mentioned_get_a_mail_instead_of_the_comment_mail(world, mail_server, deliver):
    items.add_comment(world.open_item, actor=world.bernd, body="@Anna Schulz kannst du das?")
    db.session.commit()
    deliver()
    (mail,) = mail_server.to(world.anna.email)
    assert "Sie wurden bei" in str(mail["Subject"]) and world.open_item.reference in str(
        mail["Subject"]
    )
    assert "Bernd Weiß hat Sie in einem Kommentar erwähnt:" in text_of(mail)
    kinds = [m.kind for m in db.session.scalars(db.select(OutboxMessage))]
    assert kinds == ["mentioned"]  # not "commented" to Anna as well


def test_a_mention_of_someone_who_may_not_see_the_item_tells_them_nothing(
    world, mail_server, deliver
):
    items.add_comment(world.secret, actor=world.anna, body="@Bernd Weiß bitte übernehmen")
    db.session.commit()
    deliver()
    assert mail_server.to(world.bernd.email) == []
    assert (
        db.session.scalar(
            db.select(db.func.count(OutboxMessage.id)).where(
                OutboxMessage.user_id == world.bernd.id
            )
        )
        == 0
    )


def test_mentioning_oneself_sends_nothing(world, mail_server, deliver):
    items.add_comment(world.open_item, actor=world.anna, body="Notiz für @Anna Schulz")
    db.session.commit()
    deliver()
    assert mail_server.to(world.anna.email) == []


def test_suggestions_offer_people_who_may_see_the_item(world, client, login):
    login(world.anna)
    found = client.get(f"/items/{world.open_item.id}/mentions?q=be").json
    assert found == [{"name": "Bernd Weiß", "network": "Süd"}]
    assert client.get(f"/items/{world.secret.id}/mentions?q=be").json == []
    names = [p["name"] for p in client.get(f"/items/{world.secret.id}/mentions?q=").json]
    assert "Bernd Weiß" not in names and "Anna Schulz" not in names  # not oneself
    assert client.get(f"/items/{world.open_item.id}/mentions?q=" + "x" * 5000).json == []
    client.post("/logout")
    login(world.bernd)
    assert client.get(f"/items/{world.secret.id}/mentions?q=an").status_code == 404
