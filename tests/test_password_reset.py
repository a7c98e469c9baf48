"""Password rules and the mailed reset link, through a real SMTP server (aiosmtpd)."""

import re

import pytest

from tests.mail_server import text_of
from tracker.audit.models import AuditEvent
from tracker.db import db


@pytest.fixture
def inbox(mail_server, deliver):
    """The messages the sender delivered, as (recipients, plain text) pairs."""

    class Inbox:
        @property
        def messages(self):
            deliver()
            return [
                (to, text_of(m))
                for (_, to), m in zip(mail_server.envelopes, mail_server.messages, strict=True)
            ]

    return Inbox()


def _ask_for_link(client, address):
    client.post("/password/forgot", data={"email": address})


def _link(inbox):
    return re.search(r"<http://localhost(/password/reset/[^>\s]+)>", inbox.messages[-1][1]).group(1)


def test_reset_link_is_mailed_and_sets_password(client, inbox, make_user):
    user = make_user()
    _ask_for_link(client, user.email)
    assert inbox.messages[0][0] == [user.email]
    response = client.post(
        _link(inbox),
        data={"password": "ein ganz neues Passwort", "confirm": "ein ganz neues Passwort"},
    )
    assert response.status_code == 302 and response.location.endswith("/login"), response.location
    login = client.post("/login", data={"email": user.email, "password": "ein ganz neues Passwort"})
    assert login.status_code == 302


def test_reset_link_works_only_once(client, inbox, make_user):
    user = make_user()
    _ask_for_link(client, user.email)
    link = _link(inbox)
    data = {"password": "ein ganz neues Passwort", "confirm": "ein ganz neues Passwort"}
    client.post(link, data=data)
    response = client.post(link, data=data)
    assert response.status_code == 302 and "/password/forgot" in response.location


def test_reset_link_expires(app, client, inbox, make_user):
    user = make_user()
    _ask_for_link(client, user.email)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert "/password/forgot" in client.get(_link(inbox)).location


def test_unknown_address_gets_same_answer_and_no_mail(client, inbox):
    response = client.post("/password/forgot", data={"email": "niemand@example.org"})
    assert response.status_code == 302 and inbox.messages == []


def test_reset_mail_contains_no_password_and_log_no_token(client, inbox, make_user):
    user = make_user()
    _ask_for_link(client, user.email)
    token = _link(inbox).rsplit("/", 1)[1]
    details = " ".join(e.details + e.subject for e in db.session.scalars(db.select(AuditEvent)))
    assert token not in details and "correct horse" not in inbox.messages[0][1]


@pytest.mark.parametrize("password", ["password1234", "qwerty123456", "kurz"])
def test_weak_passwords_are_rejected(client, login, make_user, password):
    login(make_user())
    response = client.post(
        "/account",
        data={
            "current_password": "correct horse battery staple",
            "password": password,
            "confirm": password,
        },
    )
    assert response.status_code == 400


def test_password_equal_to_email_is_rejected(client, login, make_user):
    user = make_user(email="lang.genug@example.org")
    login(user)
    response = client.post(
        "/account",
        data={
            "current_password": "correct horse battery staple",
            "password": "lang.genug@example.org",
            "confirm": "lang.genug@example.org",
        },
    )
    assert response.status_code == 400


def test_logins_and_failures_are_audited(client, make_user):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": "falsch falsch falsch"})
    client.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    events = [e.event for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]
    assert events[-2:] == ["login_failed", "login"]


def test_reset_mail_is_in_the_users_language(client, mail_server, deliver, make_user):
    german, english = make_user(locale="de"), make_user(locale="en")
    for user in (german, english):
        client.post("/password/forgot", data={"email": user.email})
    deliver()
    (de,) = mail_server.to(german.email)
    (en,) = mail_server.to(english.email)
    assert de["Subject"] == "Neues Passwort für das Bedarfsregister festlegen"
    assert "öffnen Sie innerhalb einer Stunde diesen Link" in text_of(de)
    assert "open this link within one hour" in text_of(en)
