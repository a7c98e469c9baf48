"""The weekly digest: due at its configured local time (summer time too), once a week per
user, what it lists, and skipped when there is nothing to say; through a real SMTP server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.mail_server import html_of
from tests.mail_server import text_of as _raw_text
from tracker.db import db
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.mail import preferences
from tracker.mail.models import Delivery, DigestNote, MessageStatus, OutboxMessage
from tracker.meetings import live
from tracker.notifications import digest, digest_mail
from tracker.notifications.delivery import job_state

# Monday 2 March 2026, 07:00 in Berlin (winter time) is 06:00 UTC.
MONDAY = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def text_of(message) -> str:
    return _raw_text(message).replace("\r\n", "\n")


def _digests(user=None) -> list[OutboxMessage]:
    db.session.rollback()
    stmt = select(OutboxMessage).where(OutboxMessage.kind == "digest").order_by(OutboxMessage.id)
    if user is not None:
        stmt = stmt.where(OutboxMessage.user_id == user.id)
    return list(db.session.scalars(stmt))


def _run_at(moment: datetime) -> list[OutboxMessage]:
    with time_machine.travel(moment, tick=False):
        job_state().clear()  # each moment as a freshly started sender
        digest.run_job()
    return _digests()


@pytest.mark.parametrize(
    ("before", "at", "config", "week"),
    [
        # winter time: 07:00 CET = 06:00 UTC
        (MONDAY - timedelta(seconds=1), MONDAY, {}, "2026-W10"),
        # the Monday after the clocks went forward: 07:00 CEST = 05:00 UTC
        (
            datetime(2026, 3, 30, 4, 59, tzinfo=UTC),
            datetime(2026, 3, 30, 5, 0, tzinfo=UTC),
            {},
            "2026-W14",
        ),
        # the Monday after the clocks went back: 07:00 CET = 06:00 UTC again
        (
            datetime(2026, 10, 26, 5, 59, tzinfo=UTC),
            datetime(2026, 10, 26, 6, 0, tzinfo=UTC),
            {},
            "2026-W44",
        ),
        # a configured Friday 16:30 in summer: 14:30 UTC
        (
            datetime(2026, 7, 10, 14, 29, tzinfo=UTC),
            datetime(2026, 7, 10, 14, 30, tzinfo=UTC),
            {"DIGEST_WEEKDAY": 4, "DIGEST_TIME": "16:30"},
            "2026-W28",
        ),
    ],
)
def test_digest_is_due_at_its_local_time(app, make_user, before, at, config, week):
    app.config.update(config)
    user = make_user()
    assert _run_at(before) == []
    (message,) = _run_at(at)
    assert message.user_id == user.id and message.dedupe_key == f"digest:{user.id}:{week}"


def test_a_missed_digest_is_caught_up_later_that_week_not_the_next(app, make_user):
    make_user()
    # Sunday 25 October 2026, the day the clocks go back, 23:30 in Berlin: still week 43
    (message,) = _run_at(datetime(2026, 10, 25, 22, 30, tzinfo=UTC))
    assert message.dedupe_key.endswith(":2026-W43")
    # Monday 26 October, 06:59 CET: week 44's digest is not due yet
    assert len(_run_at(datetime(2026, 10, 26, 5, 59, tzinfo=UTC))) == 1


def test_digest_goes_once_a_week_however_often_the_job_runs(
    app, make_user, make_item, runner, mail_server, deliver
):
    user = make_user()
    with time_machine.travel(MONDAY, tick=False):
        item = make_item(actor=user, follow_up_date=date(2026, 2, 20))
        digest.run_job()
        digest.run_job()
        job_state().clear()
        digest.run_job()
        result = runner.invoke(args=["mail", "digest", "--now"])
        assert "0 digests queued" in result.output
        assert deliver().sent == 1
    assert len(mail_server.to(user.email)) == 1 and item
    _run_at(MONDAY + timedelta(days=7))
    assert [m.dedupe_key[-8:] for m in _digests(user)] == ["2026-W10", "2026-W11"]


def test_digest_command_waits_for_the_time_unless_now(app, make_user, runner):
    make_user()
    with time_machine.travel(MONDAY - timedelta(hours=1), tick=False):
        assert "Not due yet" in runner.invoke(args=["mail", "digest"]).output
        assert _digests() == []
        assert "1 digests queued" in runner.invoke(args=["mail", "digest", "--now"]).output
    assert len(_digests()) == 1


@pytest.fixture
def overdue_of(make_item):
    def make(user, **values):
        values.setdefault("follow_up_date", date(2026, 2, 20))
        return make_item(actor=user, **values)

    return make


def test_digest_lists_the_week_for_its_reader(
    app, make_network, make_user, make_item, make_series, overdue_of, mail_server, deliver
):
    other = make_network("NA")
    b1 = make_user(name="Bernd B", locale="de")
    b2 = make_user(network=b1.network, name="Berta B")
    a1 = make_user(network=other, name="Anna A")
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        late = overdue_of(b1, title="Späte *Sache*")
        soon = overdue_of(
            b1, title="Bald fällig", follow_up_date=date(2026, 3, 5), responsible_network=b1.network
        )
        overdue_of(b1, title="Nächste Woche", follow_up_date=date(2026, 3, 9))
        overdue_of(a1, title="Fremd und geheim", confidential=True)
        offered = make_item(actor=a1, title="Angebot an B", responsible_network=b1.network)
        live.add_task(None, actor=a1, title="Rückruf Firma", owner=b1, due_date=date(2026, 3, 3))
        preferences.set_delivery(b1, "assigned", Delivery.DIGEST)
        db.session.commit()
        for assignee in (b2, b1):  # Berta makes Bernd the assignee: a note for his digest
            items.update_item(soon, actor=b2, expected_version=None, assignee=assignee)
            db.session.commit()
        make_series(name="Netzwerkmanager-Runde")
        db.session.commit()
    with time_machine.travel(MONDAY, tick=False):
        digest.run_job()
        deliver()
    (mail,) = [m for m in mail_server.to(b1.email) if "Wochenübersicht" in m["Subject"]]
    text = text_of(mail)
    assert mail["List-Unsubscribe"] and mail["Auto-Submitted"] == "auto-generated"
    assert (
        f"{late.reference} Späte *Sache* – Wiedervorlage 20.02.2026 <http://localhost/items/{late.id}>"
        in text
    )
    assert f"{soon.reference} Bald fällig" in text and "Nächste Woche" not in text
    assert f"{offered.reference} Angebot an B" in text and "Rückruf Firma" in text
    assert "Fremd und geheim" not in text and "Netzwerkmanager-Runde, 05.03.2026 10:00" in text
    assert "Berta B" in text  # the note: Berta made Bernd the assignee
    assert "<http://localhost/account/mail>" in text and "<em>Sache" not in html_of(mail)
    assert db.session.scalar(select(func.count()).select_from(DigestNote)) == 0


def test_digest_with_nothing_to_say_is_skipped(app, make_user, make_series, mail_server, deliver):
    user = make_user()
    with time_machine.travel(MONDAY - timedelta(days=1), tick=False):
        make_series()  # the next meeting alone is no news
    with time_machine.travel(MONDAY, tick=False):
        digest.run_job()
        assert deliver().sent == 0
    assert mail_server.messages == []
    assert [m.status for m in _digests(user)] == [MessageStatus.SKIPPED]


def test_long_sections_end_in_a_count_and_a_link(app, make_user, overdue_of, mail_server, deliver):
    user = make_user(locale="en")
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        for _n in range(digest_mail.SECTION_LIMIT + 2):
            overdue_of(user)
    with time_machine.travel(MONDAY, tick=False):
        digest.run_job()
        deliver()
    (mail,) = mail_server.to(user.email)
    text = text_of(mail)
    assert text.count("follow-up Feb 20, 2026") == digest_mail.SECTION_LIMIT
    link = f"http://localhost/items/?responsible={user.network_id}&overdue=1"
    assert f"- and 2 more: <{link}>" in text
    assert 'lang="en"' in html_of(mail) and "Overdue follow-ups" in text


def test_a_note_about_an_item_turned_confidential_is_left_out(
    app, make_network, make_user, make_item, mail_server, deliver
):
    a1, c1 = make_user(name="Anna A"), make_user(name="Carl C")
    b1 = make_user(name="Bernd B")
    preferences.set_delivery(c1, "handoff_answered", Delivery.DIGEST)
    db.session.commit()
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        item = make_item(actor=a1, title="Bald geheim", responsible_network=c1.network)
        lifecycle.perform(item, "accept", actor=c1, expected_version=None)
        lifecycle.hand_off(item, b1.network, actor=c1, expected_version=None)
        lifecycle.perform(item, "accept", actor=b1, expected_version=None)
        db.session.commit()
        notes_of_c1 = select(DigestNote).where(DigestNote.user_id == c1.id)
        assert [n.topic for n in db.session.scalars(notes_of_c1)] == ["handoff_answered"]
        items.update_item(item, actor=b1, expected_version=None, confidential=True)
        db.session.commit()
    with time_machine.travel(MONDAY, tick=False):
        digest.run_job()
        deliver()
    assert mail_server.to(c1.email) == []
    assert [m.status for m in _digests(c1)] == [MessageStatus.SKIPPED]


def test_no_digest_for_deactivated_users_or_with_the_digest_off(app, make_user, overdue_of):
    gone, off, on = make_user(), make_user(), make_user()
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        for user in (gone, off, on):
            overdue_of(user)
        db.session.add(DigestNote(user_id=gone.id, topic="assigned", params={}))
        preferences.set_delivery(off, "digest", Delivery.OFF)
        gone.active = False
        db.session.commit()
    users = {m.user_id for m in _run_at(MONDAY)}
    assert on.id in users and not users & {gone.id, off.id}
    assert db.session.scalar(select(func.count()).select_from(DigestNote)) == 0


def test_the_sender_runs_the_digest_job_itself(app, make_user, overdue_of, runner, mail_server):
    user = make_user(locale="en")
    with time_machine.travel(MONDAY - timedelta(days=1), tick=False):
        overdue_of(user)
    with time_machine.travel(MONDAY, tick=False):
        result = runner.invoke(args=["mail", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    (mail,) = mail_server.to(user.email)
    assert mail["Subject"] == "Your weekly digest for the week of Mar 2, 2026"


def test_a_digest_queued_meanwhile_by_another_sender_is_not_doubled(app, make_user, monkeypatch):
    first, second = make_user(), make_user()
    monday = MONDAY.date()
    with time_machine.travel(MONDAY, tick=False):
        assert digest.queue_digests(monday) == 2
        db.session.add(DigestNote(user_id=first.id, topic="assigned", params={"item": 1}))
        db.session.commit()
        real = digest.outbox.enqueue

        def unseen(kind, *, dedupe_key, **values):
            """As a sender that cannot see the other's row yet (PostgreSQL, read committed)."""
            message = real(kind, **values)
            message.dedupe_key = dedupe_key
            return message

        monkeypatch.setattr(digest.outbox, "enqueue", unseen)
        assert digest.queue_digests(monday) == 0
    assert sorted(m.user_id for m in _digests()) == [first.id, second.id]
    assert [n.user_id for n in db.session.scalars(select(DigestNote))] == [first.id]
