"""Notifications through the outbox and a real SMTP server (aiosmtpd): who gets
which mail, what it says, each preference, confidentiality, deactivated users, language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.mail_server import html_of
from tests.mail_server import text_of as _raw_text
from tracker import events
from tracker.db import db
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.mail import preferences
from tracker.mail.models import Delivery, DigestNote, MessageStatus, OutboxMessage
from tracker.meetings import live
from tracker.notifications import digest, follow_ups
from tracker.notifications.delivery import job_state


@pytest.fixture
def world(make_network, make_user):
    """Network A reports, network B is offered items; an admin; a manager of C."""

    class World:
        net_a, net_b, net_c = make_network("NA"), make_network("NB"), make_network("NC")
        a1 = make_user(network=net_a, name="Anna A", locale="de")
        b1 = make_user(network=net_b, name="Bernd B", locale="de")
        b2 = make_user(network=net_b, name="Berta B", locale="en")
        c1 = make_user(network=net_c, name="Carl C", locale="de")
        admin = make_user("admin", name="Office", locale="de")

    return World


def text_of(message) -> str:
    return _raw_text(message).replace("\r\n", "\n")


def _mails(server, user):
    return server.to(user.email)


def _to(user):
    return OutboxMessage.user_id == user.id


def _hand_off(item, network, actor, note=""):
    lifecycle.hand_off(item, network, actor=actor, expected_version=None, note=note)
    db.session.commit()


def _act(item, action, actor, note=""):
    lifecycle.perform(item, action, actor=actor, expected_version=None, note=note)
    db.session.commit()


def _set(user, topic, delivery):
    preferences.set_delivery(user, topic, delivery)
    db.session.commit()


def test_offer_mails_the_target_networks_managers_only(
    world, make_user, make_item, mail_server, deliver
):
    gone = make_user(network=world.net_b, name="Gone B")
    item = make_item(actor=world.a1, title="Fräsmaschine *gesucht*")
    gone.active = False
    db.session.commit()
    _hand_off(item, world.net_b, world.a1, note="Bitte [übernehmen](http://evil.example)")
    assert deliver().sent == 2
    (to_b1,) = _mails(mail_server, world.b1)
    assert len(_mails(mail_server, world.b2)) == 1
    assert _mails(mail_server, world.a1) == [] and _mails(mail_server, gone) == []
    assert _mails(mail_server, world.b2)[0]["Subject"] == (
        f"Offered to your network: {item.reference} Fräsmaschine *gesucht*"
    )
    assert to_b1["Auto-Submitted"] == "auto-generated"
    assert to_b1["List-Unsubscribe"].startswith("<http://localhost/mail/unsubscribe/")
    text = text_of(to_b1)
    assert f"<http://localhost/items/{item.id}>" in text
    assert "Bitte [übernehmen](http://evil.example)" in text and "Anna A" in text
    assert "<http://localhost/account/mail>" in text
    assert '<a href="http://evil' not in html_of(to_b1) and "<em>gesucht" not in html_of(to_b1)


def test_a_manager_handing_to_their_own_network_takes_it_without_an_offer(
    world, make_item, mail_server, deliver
):
    item = make_item(actor=world.b1)
    _hand_off(item, world.net_b, world.b1)
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_a_bulk_change_tells_no_one(world, make_item):
    item = make_item(actor=world.a1)
    with events.in_bulk():
        _hand_off(item, world.net_b, world.a1)
    assert db.session.scalars(select(OutboxMessage)).all() == []
    _act(item, "return", world.b1, note="Nein")
    assert [m.kind for m in db.session.scalars(select(OutboxMessage))] == ["handoff_answered"]


def test_an_item_registered_for_another_network_is_offered(world, make_item, mail_server, deliver):
    item = make_item(actor=world.a1, responsible_network=world.net_b)
    deliver()
    (mail,) = _mails(mail_server, world.b2)
    assert mail["Subject"] == f"Offered to your network: {item.reference} {item.title}"
    assert len(_mails(mail_server, world.b1)) == 1 and _mails(mail_server, world.a1) == []


def test_accept_tells_who_handed_it_off(world, make_item, mail_server, deliver):
    item = make_item(actor=world.a1)
    _hand_off(item, world.net_b, world.a1)
    deliver()
    mail_server.messages.clear()
    _act(item, "accept", world.b1, note="Machen wir")
    assert deliver().sent == 1
    (mail,) = _mails(mail_server, world.a1)
    assert item.reference in mail["Subject"] and "Bernd B" in text_of(mail)
    assert "Machen wir" in text_of(mail) and "NB" in text_of(mail)


def test_return_tells_who_handed_it_off_with_the_reason(world, make_item, mail_server, deliver):
    item = make_item(actor=world.admin, reporting_network=world.net_a)
    _hand_off(item, world.net_b, world.a1)
    _act(item, "return", world.b2, note="Nicht unser Thema")
    deliver()
    (mail,) = _mails(mail_server, world.a1)
    assert "Nicht unser Thema" in text_of(mail) and "Berta B" in text_of(mail)
    assert "Begründung" in text_of(mail)  # Anna reads German
    assert _mails(mail_server, world.admin) == []  # the reporter of the item did not hand it off


def test_an_answer_by_the_author_themselves_tells_no_one(world, make_item, mail_server, deliver):
    item = make_item(actor=world.admin, reporting_network=world.net_a)
    _hand_off(item, world.net_b, world.admin)
    _act(item, "accept", world.admin)
    deliver()
    assert _mails(mail_server, world.admin) == []


def _taken_by(item, manager):
    """The item handed from A to the manager's network and accepted there."""
    _hand_off(item, manager.network, item.created_by)
    _act(item, "accept", manager)


def test_new_assignee_is_told_but_not_who_chose_themselves(world, make_item, mail_server, deliver):
    item = make_item(actor=world.a1)
    _taken_by(item, world.b1)  # b1 becomes the assignee by accepting: no mail about that
    deliver()
    mail_server.messages.clear()
    items.update_item(item, actor=world.b1, expected_version=None, assignee=world.b2)
    db.session.commit()
    deliver()
    items.update_item(item, actor=world.b1, expected_version=None, assignee=world.b1)
    db.session.commit()
    deliver()
    assert _mails(mail_server, world.b1) == []
    (mail,) = _mails(mail_server, world.b2)
    assert mail["Subject"] == f"You are now the assignee of {item.reference} {item.title}"
    assert "Bernd B made you the assignee" in text_of(mail)


def test_comment_reaches_assignee_and_reporter_never_the_commenter(
    world, make_item, mail_server, deliver
):
    item = make_item(actor=world.a1)
    _taken_by(item, world.b1)
    for user in (world.a1, world.b1):
        _set(user, "commented", Delivery.IMMEDIATELY)
    deliver()
    mail_server.messages.clear()
    items.add_comment(item, actor=world.b1, body="Erster Schritt\n# kein Titel")
    db.session.commit()
    items.add_comment(item, actor=world.c1, body="Wir können helfen")
    db.session.commit()
    deliver()
    assert [text_of(m).count("> ") for m in _mails(mail_server, world.b1)] == [1]
    texts = [text_of(m) for m in _mails(mail_server, world.a1)]
    assert len(texts) == 2 and "> Erster Schritt\n> # kein Titel" in texts[0]
    assert "<h1>" not in html_of(_mails(mail_server, world.a1)[0])
    assert _mails(mail_server, world.c1) == []


def test_task_owner_is_told_but_not_who_gave_it_themselves(world, mail_server, deliver):
    task = live.add_task(
        None,
        actor=world.admin,
        title="Angebot *schreiben*",
        owner=world.b1,
        due_date=date(2026, 12, 1),
    )
    live.add_task(None, actor=world.b2, title="Selbst", owner=world.b2, due_date=None)
    db.session.commit()
    deliver()
    assert _mails(mail_server, world.b2) == []
    (mail,) = _mails(mail_server, world.b1)
    assert mail["Subject"] == "Eine neue Aufgabe für Sie: Angebot *schreiben*"  # Bernd reads German
    assert "<http://localhost/meetings/tasks>" in text_of(mail) and "01.12.2026" in text_of(mail)
    assert mail["List-Unsubscribe"] and task.id


@pytest.mark.parametrize("delivery", [Delivery.DIGEST, Delivery.OFF])
def test_digest_or_off_sends_no_mail_now(world, make_item, mail_server, deliver, delivery):
    item = make_item(actor=world.a1)
    _taken_by(item, world.b1)
    _set(world.b2, "assigned", delivery)
    items.update_item(item, actor=world.b1, expected_version=None, assignee=world.b2)
    db.session.commit()
    deliver()
    assert _mails(mail_server, world.b2) == []
    notes = list(db.session.scalars(select(DigestNote).where(
        DigestNote.user_id == world.b2.id, DigestNote.topic == "assigned"
    )))  # fmt: skip
    if delivery is Delivery.DIGEST:
        assert [(n.topic, n.params["item"]) for n in notes] == [("assigned", item.id)]
    else:
        assert notes == []


def test_no_digest_note_when_the_digest_is_off(world, make_item, mail_server, deliver):
    item = make_item(actor=world.a1)
    _taken_by(item, world.b1)
    _set(world.b2, "assigned", Delivery.DIGEST)
    _set(world.b2, "digest", Delivery.OFF)
    items.update_item(item, actor=world.b1, expected_version=None, assignee=world.b2)
    db.session.commit()
    notes_of_b2 = select(func.count()).where(
        DigestNote.user_id == world.b2.id, DigestNote.topic == "assigned"
    )
    assert db.session.scalar(notes_of_b2) == 0


def test_confidential_item_never_reaches_who_may_not_see_it(world, make_item, mail_server, deliver):
    item = make_item(actor=world.a1, confidential=True)
    _taken_by(item, world.c1)  # C accepts, then hands it on to B, which accepts
    _hand_off(item, world.net_b, world.c1)
    deliver()
    mail_server.messages.clear()
    _act(item, "accept", world.b1)
    deliver()
    assert _mails(mail_server, world.c1) == []  # C's hand-off, but C no longer sees it
    assert [m.kind for m in db.session.scalars(select(OutboxMessage).where(_to(world.c1)))] == [
        "handoff_offered"  # C's own offer, when A handed the item to C
    ]


def test_an_item_turned_confidential_before_delivery_is_not_mailed(
    world, make_item, mail_server, deliver
):
    item = make_item(actor=world.a1)
    _taken_by(item, world.c1)
    _hand_off(item, world.net_b, world.c1)
    deliver()
    _act(item, "accept", world.b1)  # queued for C
    items.update_item(item, actor=world.b1, expected_version=None, confidential=True)
    db.session.commit()
    assert deliver().skipped == 1
    assert _mails(mail_server, world.c1) == []


def test_task_of_a_hidden_item_names_no_item(world, make_item, mail_server, deliver):
    item = make_item(actor=world.a1, title="Geheimes Vorhaben", confidential=True)
    task = live.add_task(None, actor=world.admin, title="Rückruf", owner=world.c1, due_date=None)
    task.item = item  # a task of the item, e.g. raised under its agenda entry
    db.session.commit()
    deliver()
    (mail,) = _mails(mail_server, world.c1)
    assert "Rückruf" in text_of(mail) and "Geheimes" not in text_of(mail) + html_of(mail)


def test_deactivated_before_delivery_gets_nothing(world, make_item, mail_server, deliver):
    item = make_item(actor=world.a1)
    _hand_off(item, world.net_b, world.a1)
    world.b1.active = False
    db.session.commit()
    deliver()
    assert _mails(mail_server, world.b1) == [] and len(_mails(mail_server, world.b2)) == 1


def test_each_mail_is_in_its_recipients_language(world, make_item, mail_server, deliver):
    item = make_item(actor=world.a1, follow_up_date=date(2026, 12, 24))
    _hand_off(item, world.net_b, world.a1)
    deliver()
    (german,) = _mails(mail_server, world.b1)
    (english,) = _mails(mail_server, world.b2)
    assert "Wiedervorlage: 24.12.2026" in text_of(german) and 'lang="de"' in html_of(german)
    assert "Follow-up date: Dec 24, 2026" in text_of(english) and 'lang="en"' in html_of(english)
    assert "Hello Berta B," in text_of(english)
    rows = {m.user_id: m.locale for m in db.session.scalars(select(OutboxMessage))}
    assert rows == {world.b1.id: "de", world.b2.id: "en"}


def test_an_offer_answered_before_delivery_is_skipped(world, make_item, mail_server, deliver):
    item = make_item(actor=world.a1)
    _hand_off(item, world.net_b, world.a1)
    _act(item, "accept", world.b1)
    deliver()
    assert _mails(mail_server, world.b2) == []  # nothing left to offer
    statuses = {
        m.user_id: m.status
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "handoff_offered")
        )
    }
    assert statuses == {world.b1.id: MessageStatus.SKIPPED, world.b2.id: MessageStatus.SKIPPED}


# The daily reminder of follow-ups due today: Wednesday 4 March 2026, 07:00 in Berlin is 06:00 UTC.
DUE = date(2026, 3, 4)
MORNING = datetime(2026, 3, 4, 6, 0, tzinfo=UTC)


def _reminders(user=None):
    stmt = select(OutboxMessage).where(OutboxMessage.kind == "follow_up_due")
    if user is not None:
        stmt = stmt.where(OutboxMessage.user_id == user.id)
    return list(db.session.scalars(stmt))


def test_follow_up_reminder_waits_for_the_morning_then_goes_once(
    world, make_item, mail_server, deliver
):
    with time_machine.travel(MORNING - timedelta(minutes=1), tick=False) as moment:
        item = make_item(actor=world.a1, responsible_network=world.net_a, follow_up_date=DUE)
        make_item(
            actor=world.a1, responsible_network=world.net_a, follow_up_date=DUE + timedelta(days=1)
        )
        _set(world.a1, "follow_up_due", Delivery.IMMEDIATELY)
        follow_ups.run_job()
        assert _reminders() == []
        moment.move_to(MORNING)
        follow_ups.run_job()
        follow_ups.run_job()
        job_state().clear()  # another sender, or this one restarted
        follow_ups.run_job()
        assert deliver().sent == 1
    (mail,) = _mails(mail_server, world.a1)
    assert item.reference in mail["Subject"] and "04.03.2026" in text_of(mail)


def test_follow_up_reminder_goes_to_the_assignee_else_the_networks_managers(
    world, make_user, make_item, mail_server, deliver
):
    a2 = make_user(network=world.net_a, name="Andrea A")
    with time_machine.travel(MORNING, tick=False):
        for user in (world.a1, a2, world.b1, world.b2):
            _set(user, "follow_up_due", Delivery.IMMEDIATELY)
        assigned = make_item(actor=world.a1, responsible_network=world.net_a, follow_up_date=DUE)
        offered = make_item(actor=world.a1, responsible_network=world.net_b, follow_up_date=DUE)
        unplaced = make_item(actor=a2, follow_up_date=DUE)
        follow_ups.run_job()
    about = {(m.user_id, m.params["item"]) for m in _reminders()}
    assert about == {
        (world.a1.id, assigned.id),
        (world.b1.id, offered.id),
        (world.b2.id, offered.id),
        (world.a1.id, unplaced.id),
        (a2.id, unplaced.id),
    }


def test_follow_up_reminder_for_the_digest_is_noted_once(world, make_item):
    with time_machine.travel(MORNING, tick=False):
        make_item(actor=world.a1, responsible_network=world.net_a, follow_up_date=DUE)
        for _sender in range(2):
            job_state().clear()
            follow_ups.run_job()
        notes = list(db.session.scalars(select(DigestNote)))
        assert [n.topic for n in notes] == ["follow_up_due"] and _reminders() == []
        digest.queue_digests(date(2026, 3, 2))  # this week's digest takes the note
        job_state().clear()
        follow_ups.run_job()
        notes_of_b2 = select(func.count()).where(
            DigestNote.user_id == world.b2.id, DigestNote.topic == "assigned"
        )
    assert db.session.scalar(notes_of_b2) == 0


def test_a_follow_up_moved_before_delivery_is_not_reminded(world, make_item, mail_server, deliver):
    with time_machine.travel(MORNING, tick=False):
        item = make_item(actor=world.a1, responsible_network=world.net_a, follow_up_date=DUE)
        _set(world.a1, "follow_up_due", Delivery.IMMEDIATELY)
        follow_ups.run_job()
        items.update_item(
            item, actor=world.a1, expected_version=None, follow_up_date=DUE + timedelta(days=7)
        )
        db.session.commit()
        assert deliver().skipped == 1
    assert _mails(mail_server, world.a1) == []
