"""The outbox and its sender, against a real SMTP server (aiosmtpd) that stops and restarts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from tests.conftest import lock_is_free
from tests.mail_server import html_of, text_of
from tracker.db import db, unit_of_work, utcnow
from tracker.i18n import _l
from tracker.mail import compose, kinds, outbox, sender
from tracker.mail.models import MailBounce, MessageStatus, OutboxMessage

MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _build_note(message):
    if message.params.get("boom"):
        raise RuntimeError("template broke")
    return compose.render("test_note", f"Notiz {message.params['n']}", text=message.params["text"])


@pytest.fixture(autouse=True)
def note_kind(app, tmp_path):
    """A kind of mail for these tests, with its own template and an unsubscribe topic."""
    folder = tmp_path / "templates" / "mail"
    folder.mkdir(parents=True)
    (folder / "test_note.txt").write_text(
        "Hallo,\n\n{{ text|plain }}\n\n[Link](http://localhost/x)\n"
    )
    from jinja2 import ChoiceLoader, FileSystemLoader

    app.jinja_env.loader = ChoiceLoader(
        [FileSystemLoader(str(tmp_path / "templates")), app.jinja_env.loader]
    )
    kinds.register("test_note", _build_note, label=_l("Test"), topic="commented")
    yield


def _queue(user=None, count=1, **params):
    with unit_of_work():
        for n in range(count):
            outbox.enqueue(
                "test_note",
                user=user,
                address=None if user else f"r{n}@example.org",
                n=n,
                text=params.get("text", f"Nachricht {n}"),
                **{k: v for k, v in params.items() if k != "text"},
            )


def _statuses() -> dict:
    db.session.rollback()
    return dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )


def test_a_rolled_back_change_sends_nothing(app, mail_server, deliver, make_user):
    user = make_user()
    with pytest.raises(RuntimeError), unit_of_work():
        outbox.enqueue("test_note", user=user, n=1, text="x")
        raise RuntimeError("the change failed")
    assert deliver().handled == 0
    assert mail_server.messages == [] and _statuses() == {}


def test_a_message_is_delivered_once_with_its_headers(app, mail_server, deliver, make_user):
    user = make_user(name="Anna Ahrens", locale="de")
    _queue(user, text="Ein *Titel* mit [Klammern](http://evil.example)")
    report = deliver()
    assert report.sent == 1 and deliver().handled == 0
    (message,) = mail_server.messages
    assert message["To"] == f"Anna Ahrens <{user.email}>"
    assert message["Auto-Submitted"] == "auto-generated" and message["Reply-To"] is None
    assert message["Message-ID"].startswith("<") and message["Date"]
    assert message["List-Unsubscribe"].startswith("<http://localhost/mail/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Ein *Titel* mit [Klammern](http://evil.example)" in text_of(message)
    html = html_of(message)
    assert "evil.example" not in html.split("Klammern")[0] and '<a href="http://evil' not in html
    assert '<a href="http://localhost/x"' in html  # the template's own Markdown is Markdown
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == MessageStatus.SENT and row.message_id == message["Message-ID"]
    assert row.subject == "Notiz 0" and row.attempts == 1


def test_an_outage_loses_nothing_and_costs_no_attempts(app, mail_server, deliver):
    mail_server.stop()
    with time_machine.travel(MOMENT, tick=False) as clock:
        _queue(count=5)
        for _minute in range(10):  # ten minutes of a server that is down
            report = deliver()
            assert report.unreachable and report.sent == 0
            clock.shift(timedelta(minutes=1))
        assert _statuses() == {MessageStatus.QUEUED: 5}
        assert db.session.scalar(select(func.max(OutboxMessage.attempts))) == 0
        mail_server.start()  # back, on the same port
        assert deliver().sent == 5
    assert sorted(str(m["To"]) for m in mail_server.messages) == [
        f"r{n}@example.org" for n in range(5)
    ]
    assert _statuses() == {MessageStatus.SENT: 5}


def test_a_passing_refusal_is_retried_later_then_fails(app, mail_server, deliver):
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_SECONDS=60)
    mail_server.busy.add("r0@example.org")
    with time_machine.travel(MOMENT, tick=False) as clock:
        _queue(count=2)
        report = deliver()
        assert (report.sent, report.retried) == (1, 1)
        row = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.address == "r0@example.org")
        )
        assert row.status == MessageStatus.QUEUED and row.attempts == 1
        assert row.next_attempt_at == utcnow() + timedelta(seconds=60)
        assert "451" in row.last_error
        assert deliver().handled == 0  # not yet due
        clock.shift(timedelta(seconds=60))
        assert deliver().retried == 1
        db.session.refresh(row)
        assert row.next_attempt_at == utcnow() + timedelta(seconds=120)  # the delay doubles
        clock.shift(timedelta(seconds=120))
        assert deliver().failed == 1  # the third attempt was the last
    db.session.refresh(row)
    assert row.status == MessageStatus.FAILED and row.attempts == 3


def test_a_refused_address_fails_at_once_and_is_noted(app, mail_server, deliver):
    mail_server.refuse.add("r1@example.org")
    _queue(count=3)
    report = deliver()
    assert (report.sent, report.failed) == (2, 1)
    bounce = db.session.get(MailBounce, "r1@example.org")
    assert bounce.count == 1 and "550" in bounce.reason
    failed = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.status == MessageStatus.FAILED)
    )
    assert failed.address == "r1@example.org" and "No such user" in failed.last_error


def test_a_broken_builder_fails_its_message_only(app, mail_server, deliver):
    _queue(count=1, boom=True)
    _queue(count=1)
    report = deliver()
    assert (report.sent, report.failed) == (1, 1)
    failed = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.status == MessageStatus.FAILED)
    )
    assert failed.last_error.startswith("render: ") and "template broke" in failed.last_error


def test_deactivated_users_get_nothing(app, mail_server, deliver, make_user):
    gone, later = make_user(), make_user()
    gone.active = False
    db.session.commit()
    _queue(gone)
    _queue(later)
    later.active = False  # deactivated after the message was queued
    db.session.commit()
    report = deliver()
    assert report.skipped == 1 and report.sent == 0 and mail_server.messages == []
    assert _statuses() == {MessageStatus.SKIPPED: 1}


def test_a_claim_left_by_a_crashed_sender_is_taken_again(app, mail_server, deliver):
    with time_machine.travel(MOMENT, tick=False) as clock:
        _queue(count=2)
        assert len(sender.claim()) == 2  # ... and the sender dies
        assert deliver().handled == 0  # the claim holds
        clock.shift(timedelta(seconds=app.config["MAIL_CLAIM_SECONDS"] + 1))
        assert deliver().sent == 2


def test_two_senders_never_send_a_message_twice(app, mail_server, database_url):
    _queue(count=120)
    app.config["MAIL_BATCH"] = 10
    errors = []

    def run_sender():
        try:
            with app.app_context():
                while sender.deliver_due().ids:
                    pass
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run_sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    addresses = [str(m["To"]) for m in mail_server.messages]
    assert len(addresses) == 120 and len(set(addresses)) == 120
    assert _statuses() == {MessageStatus.SENT: 120}


def test_the_sender_holds_no_write_lock_while_it_talks_to_the_server(app, mail_server, deliver):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    seen = []
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        mail_server.on_data = lambda: seen.append(lock_is_free(path))
    else:
        other = create_engine(url, poolclass=NullPool)

        def try_write():
            with other.begin() as connection:
                connection.execute(text("SET LOCAL lock_timeout = '300ms'"))
                connection.execute(text("UPDATE outbox_messages SET last_error = last_error"))
            seen.append(True)

        mail_server.on_data = try_write
    _queue(count=3)
    assert deliver().sent == 3
    assert seen == [True, True, True]


def test_the_office_queues_failed_messages_again(
    app, client, login, make_user, mail_server, deliver
):
    mail_server.refuse.add("r0@example.org")
    _queue(count=1)
    deliver()
    mail_server.refuse.clear()
    login(make_user("admin"))
    page = client.get("/admin/mail?status=failed")
    assert page.status_code == 200 and "r0@example.org" in page.text and "550" in page.text
    row = db.session.scalar(select(OutboxMessage))
    answer = client.post(f"/admin/mail/{row.id}/resend")
    assert answer.status_code == 302
    assert deliver().sent == 1 and len(mail_server.messages) == 1
    db.session.refresh(row)
    assert row.status == MessageStatus.SENT and row.last_error == ""  # the 550 is over
    assert client.post(f"/admin/mail/{row.id}/resend").status_code == 302  # sent: may go again
    assert client.post("/admin/mail/resend-failed").status_code == 302


def test_a_dedupe_key_queues_a_message_once(app, make_user):
    user = make_user()
    for _ in range(2):
        with unit_of_work():
            outbox.enqueue("test_note", user=user, dedupe_key="digest:1:2026-W10", n=0, text="x")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_an_unknown_kind_fails_in_the_change(app, make_user):
    with pytest.raises(LookupError), unit_of_work():
        outbox.enqueue("no_such_kind", address="a@example.org")


def test_a_sender_skips_the_rows_another_one_is_claiming(app, mail_server, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: a second claim waits for the lock")
    _queue(count=4)
    held, release, taken = threading.Event(), threading.Event(), []

    def slow_sender():  # claims two rows and holds them, as a sender in mid-claim does
        with app.app_context(), unit_of_work() as session:
            taken.extend(session.scalars(sender.due_query(2, "postgresql")))
            held.set()
            release.wait(10)

    thread = threading.Thread(target=slow_sender)
    thread.start()
    assert held.wait(10)
    try:
        mine = sender.claim()
    finally:
        release.set()
        thread.join(10)
    assert len(taken) == 2 and len(mine) == 2 and not set(taken) & set(mine)


def test_without_a_server_mail_is_written_into_the_pickup_folder(app, deliver, tmp_path):
    app.config["MAIL_PICKUP_DIR"] = str(tmp_path / "pickup")
    _queue(count=2)
    assert deliver().sent == 2
    files = sorted((tmp_path / "pickup").glob("*.eml"))
    assert len(files) == 2 and b"Auto-Submitted: auto-generated" in files[0].read_bytes()


def test_answers_go_to_the_office_when_it_has_an_address(app, mail_server, deliver):
    app.config["MAIL_REPLY_TO"] = "office@example.org"
    _queue(count=1)
    deliver()
    assert mail_server.messages[0]["Reply-To"] == "office@example.org"


def test_a_message_on_its_way_is_not_queued_twice(app, client, login, make_user):
    _queue(count=1)
    login(make_user("admin"))
    row = db.session.scalar(select(OutboxMessage))
    assert client.post(f"/admin/mail/{row.id}/resend").status_code == 409
