"""Domain events: each service names what it did, with plain values; after-commit work runs
only for changes that lasted."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest

from tracker import events
from tracker.db import after_commit, db
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.meetings import agenda, live, services


@contextmanager
def heard(*signals):
    """Record (signal name, sender, keywords) of every event sent inside the block."""
    got: list[tuple[str, object, dict]] = []
    receivers = []
    for signal in signals:

        def receiver(sender, _name=signal.name, **details):
            got.append((_name, sender, details))

        signal.connect(receiver)
        receivers.append((signal, receiver))
    try:
        yield got
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver)


@pytest.fixture
def people(make_network, make_user):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    return dict(
        alpha=alpha,
        beta=beta,
        anna=make_user("manager", alpha, name="Anna Alpha"),
        bert=make_user("manager", beta, name="Bert Beta"),
    )


def test_item_services_send_their_events(people, make_item):
    anna, bert, beta = people["anna"], people["bert"], people["beta"]
    with heard(events.item_created) as created:
        item = make_item(actor=anna)
    assert [(n, s, d["actor"]) for n, s, d in created] == [("item-created", item, anna)]
    with heard(*events.ITEM_CHANGES) as got:
        items.update_item(item, actor=anna, expected_version=item.version, title="Neuer Titel")
        items.add_comment(item, actor=anna, body="Anruf erledigt")
        lifecycle.hand_off(item, beta, actor=anna, expected_version=item.version, note="Passt")
        lifecycle.perform(item, "return", actor=bert, expected_version=item.version, note="Nein")
        lifecycle.hand_off(item, beta, actor=anna, expected_version=item.version)
        lifecycle.perform(item, "accept", actor=bert, expected_version=item.version)
        lifecycle.perform(item, "complete", actor=bert, expected_version=item.version, note="Ok")
    names = [name for name, _sender, _details in got]
    assert names == [
        "item-changed",
        "item-commented",
        "item-handed-off",
        "item-returned",
        "item-handed-off",
        "item-accepted",
        "item-status-changed",
    ]
    assert all(sender is item for _name, sender, _details in got)
    changed, commented, handed, returned = (d for _n, _s, d in got[:4])
    assert changed["changes"]["title"][1] == "Neuer Titel"
    assert commented["body"] == "Anruf erledigt"
    assert handed["network"] is beta and handed["note"] == "Passt" and handed["actor"] is anna
    assert returned["note"] == "Nein" and returned["actor"] is bert
    done = got[-1][2]
    assert (done["action"], done["new"].value, done["note"]) == ("complete", "done", "Ok")


def test_meeting_services_send_their_events(people, make_series, make_item, make_user):
    anna = people["anna"]
    item = make_item(actor=anna, title="Messestand teilen")
    meeting = services.upcoming(make_series())
    agenda.prepare_agenda(meeting, actor=anna)
    db.session.commit()
    entry = next(e for e in meeting.entries if e.item_id == item.id)
    signals = (events.entry_discussed, events.outcome_recorded, events.task_assigned,
               events.item_discussed, events.meeting_closed)  # fmt: skip
    with heard(*signals) as got:
        live.update_entry(entry, actor=anna, expected_version=entry.version, discussed=True,
                          decision="Gemeinsam ausstellen")  # fmt: skip
        task = live.add_task(meeting, actor=anna, title="Anrufen", owner=anna, due_date=None,
                             entry=entry)  # fmt: skip
        office = make_user("admin")  # the moderator closes the meeting
        following = live.close_meeting(meeting, actor=office)
    names = [name for name, _sender, _details in got]
    assert names == [
        "entry-discussed",
        "outcome-recorded",
        "task-assigned",
        "item-discussed",
        "meeting-closed",
    ]
    assert got[1][2]["changes"]["decision"] == ("", "Gemeinsam ausstellen")
    assert got[2][1] is task and got[2][2]["owner"] is anna and got[2][2]["entry"] is entry
    assert got[3][1] is item and got[3][2]["meeting"] is meeting
    assert got[4][1] is meeting and got[4][2]["following"] is following


def test_after_commit_work_runs_once_the_change_lasted(app):
    done: list[str] = []
    after_commit(lambda: done.append("mail"))
    assert done == []
    db.session.commit()
    assert done == ["mail"]
    db.session.commit()  # queued work runs once
    assert done == ["mail"]


def test_a_rolled_back_change_sends_nothing(app):
    done: list[str] = []
    after_commit(lambda: done.append("mail"))
    db.session.rollback()
    db.session.commit()
    assert done == []


def test_one_failing_side_effect_does_not_stop_the_others(app, caplog):
    done: list[str] = []

    def broken():
        raise OSError("mail server down")

    after_commit(broken)
    after_commit(lambda: done.append("webhook"))
    with caplog.at_level(logging.ERROR, logger="tracker.db"):
        db.session.commit()
    assert done == ["webhook"]
    assert "after-commit callback" in caplog.text and "mail server down" in caplog.text


def test_people_changes_send_their_events(people, make_user, make_company):
    from tracker.auth import services as users
    from tracker.companies import services as companies
    from tracker.privacy import services as privacy

    office = make_user("admin")
    bert = people["bert"]
    with heard(events.user_changed, events.contact_changed) as got:
        users.update_user(bert, actor=office, expected_version=bert.version, name="Bert B.",
                          email="Bert.Neu@example.org")  # fmt: skip
        users.update_user(bert, actor=office, expected_version=bert.version, name="Bert B.")
        contact = companies.save_contact(make_company(), actor=office, name="Erika Muster")
        privacy.erase_contact(contact, actor=office)
    assert [(n, s) for n, s, _d in got] == [
        ("user-changed", bert),
        ("contact-changed", contact),
        ("contact-changed", contact),
    ]  # an unchanged save sends nothing
    assert got[0][2]["changes"] == {
        "email": (got[0][2]["changes"]["email"][0], "bert.neu@example.org"),
        "name": ("Bert Beta", "Bert B."),
    }
    assert [d["erased"] for _n, _s, d in got[1:]] == [False, True]
