"""Mail preferences and the one-click unsubscribe link (RFC 8058)."""

from __future__ import annotations

from tracker.db import db
from tracker.mail import preferences, unsubscribe
from tracker.mail.models import Delivery


def test_defaults_until_a_choice_is_stored(app, make_user):
    user = make_user()
    assert preferences.delivery_for(user, "handoff_offered") == Delivery.IMMEDIATELY
    assert preferences.delivery_for(user, "commented") == Delivery.DIGEST
    user.active = False
    assert preferences.delivery_for(user, "handoff_offered") == Delivery.OFF


def test_the_preferences_page_saves_each_choice(client, login, make_user):
    user = make_user(locale="de")
    login(user)
    page = client.get("/account/mail")
    assert page.status_code == 200 and "Wochenübersicht" in page.text
    choices = {name: "immediately" for name in preferences.TOPICS} | {
        "commented": "off",
        "follow_up_due": "immediately",
        "digest": "off",
    }
    answer = client.post("/account/mail", data=choices)
    assert answer.status_code == 302
    assert preferences.delivery_for(user, "commented") == Delivery.OFF
    assert preferences.delivery_for(user, "digest") == Delivery.OFF
    assert "checked" in client.get("/account/mail").text


def test_a_choice_a_topic_does_not_offer_is_refused(client, login, make_user):
    user = make_user()
    login(user)
    choices = {name: "immediately" for name in preferences.TOPICS} | {"digest": "digest"}
    answer = client.post("/account/mail", data=choices)
    assert answer.status_code == 400
    assert preferences.delivery_for(user, "digest") == Delivery.IMMEDIATELY


def test_the_unsubscribe_link_asks_first_and_one_click_switches_off(app, client, make_user):
    user = make_user()
    token = unsubscribe.token(user, "commented")
    page = client.get(f"/mail/unsubscribe/{token}")  # a link checker opening it changes nothing
    assert page.status_code == 200 and '<form method="post"' in page.text
    assert preferences.delivery_for(user, "commented") == Delivery.DIGEST
    app.config["WTF_CSRF_ENABLED"] = True
    answer = client.post(
        f"/mail/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )  # as a mail program sends it: no session, no CSRF token
    assert answer.status_code == 200
    db.session.expire_all()
    assert preferences.delivery_for(user, "commented") == Delivery.OFF
    assert preferences.delivery_for(user, "handoff_offered") == Delivery.IMMEDIATELY


def test_a_tampered_unsubscribe_link_is_not_found(client, make_user):
    user = make_user()
    token = unsubscribe.token(user, "commented")
    forged = unsubscribe.token(user, "commented").replace(token[-3:], "abc")
    for bad in (forged, "x" * 2000, token[:-1]):
        assert client.post(f"/mail/unsubscribe/{bad}").status_code == 404
    assert preferences.delivery_for(user, "commented") == Delivery.DIGEST
