"""Mail in the browser, delivered through a real SMTP server (aiosmtpd).

A manager chooses their mail settings (by keyboard), asks for a password reset and sets a
new password from the link in the delivered mail, and unsubscribes from a topic through a
mail's List-Unsubscribe address without logging in. The coordination office, past its
second-factor set-up, finds refused mails on the outbox page, sends them again once the
addresses are accepted, and sees them sent.

The sender runs in the test thread (``deliver()``) between the browser's requests; links in
the mails point at the live server (``BASE_URL``). Each main page is saved as
``mail-*.png`` in TRACKER_TEST_SHOTS (default: test-artifacts/).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.mail_server import html_of, text_of
from tracker.db import db, unit_of_work
from tracker.mail import compose, kinds, outbox
from tracker.mail.models import Delivery, MailPreference, MessageStatus, OutboxMessage

from .conftest import ARTIFACTS, browser_login, fresh, office_logs_in, settle

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)
NEW_PASSWORD = "Lindgrüner Wanderweg über die Brücke"
COMMENTED = "Ein Kommentar zu einem meiner Anliegen"
DIGEST = "Die Wochenübersicht"
# The settings page's topics in its order, each with its default choice.
DEFAULTS = {
    "Meinem Netzwerk wird ein Anliegen übergeben": "Sofort",
    "Meine Übergabe wurde angenommen oder zurückgegeben": "Sofort",
    "Ich wurde als Bearbeiter·in eines Anliegens eingetragen": "Sofort",
    COMMENTED: "In der Wochenübersicht",
    "Jemand hat mich in einem Kommentar erwähnt": "Sofort",
    "Änderungen an Anliegen, denen ich folge": "In der Wochenübersicht",
    "Mir wurde eine Aufgabe zugewiesen": "Sofort",
    "Die Wiedervorlage meines Anliegens ist fällig": "In der Wochenübersicht",
    DIGEST: "Sofort",
}
REFUSED = "550 5.1.1 No such user here"  # tests/mail_server.py's answer


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"mail-{name}.png", full_page=True)


def radio(page: Page, topic: str, choice: str):
    """A topic's radio button, found by its accessible name: the topic, then the choice."""
    return page.get_by_role("radio", name=f"{topic} {choice}", exact=True)


def _build_comment(message: OutboxMessage) -> compose.Mail:
    text = f"Neuer Kommentar: {message.params['text']}"
    return compose.Mail(subject="Neuer Kommentar", text=text + "\n", html=f"<p>{text}</p>")


@pytest.fixture
def comment_kind(app):
    """A notification-like kind whose topic ("commented") a mail's link can switch off."""
    kinds.register("e2e_comment", _build_comment, label="Kommentar", topic="commented")
    return "e2e_comment"


@pytest.fixture
def mail_to_browser(app, live_server, mail_server):
    """The mail server, with the links in mails pointing at the live server."""
    app.config["BASE_URL"] = live_server
    return mail_server


@pytest.fixture
def manager(make_network, make_user):
    return settle(make_user("manager", make_network("Alpha"), name="Anna Alpha", locale="de"))


def queue(kind: str, user, text: str) -> None:
    """Write one message into the outbox, as a change's unit of work does."""
    with unit_of_work():
        outbox.enqueue(kind, user=user, text=text)
    db.session.close()


def delivered(deliver, **expected) -> None:
    """Run the sender until nothing is due; check its counts; end the test thread's reads."""
    report = deliver()
    db.session.close()
    assert {name: getattr(report, name) for name in expected} == expected


def test_manager_chooses_mail_settings_by_keyboard(page, live_server, manager):
    browser_login(page, live_server, manager)
    page.locator("#user-menu").click()
    page.get_by_role("link", name="Mail-Einstellungen").click()
    page.wait_for_url(f"{live_server}/account/mail")
    expect(page.locator("main h1")).to_have_text("Mail-Einstellungen")
    for topic, default in DEFAULTS.items():
        expect(radio(page, topic, default)).to_be_checked()
    expect(radio(page, DIGEST, "In der Wochenübersicht")).to_have_count(0)  # not offered
    shot(page, "settings")

    # Tab goes from topic to topic (to each group's chosen radio), then to "Speichern".
    page.locator("main p").first.click()  # where the keyboard starts: above the table
    for topic, default in DEFAULTS.items():
        page.keyboard.press("Tab")
        expect(radio(page, topic, default)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Speichern")).to_be_focused()

    page.locator("main p").first.click()
    for _ in range(4):
        page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # within the group: from the digest to "off"
    expect(radio(page, COMMENTED, "Aus")).to_be_focused()
    expect(radio(page, COMMENTED, "Aus")).to_be_checked()
    for _ in range(5):
        page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")
    expect(radio(page, DIGEST, "Aus")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.locator("main .alert-success")).to_have_text(
        "Ihre Mail-Einstellungen wurden gespeichert."
    )
    shot(page, "settings-saved")
    page.reload()
    expect(radio(page, COMMENTED, "Aus")).to_be_checked()
    expect(radio(page, DIGEST, "Aus")).to_be_checked()
    expect(radio(page, "Mir wurde eine Aufgabe zugewiesen", "Sofort")).to_be_checked()
    assert fresh(MailPreference, (manager.id, "commented")).delivery == Delivery.OFF
    assert fresh(MailPreference, (manager.id, "digest")).delivery == Delivery.OFF
    kept = fresh(MailPreference, (manager.id, "task_assigned"))
    assert kept is None or kept.delivery == Delivery.IMMEDIATELY


def test_manager_sets_a_new_password_from_the_reset_mail(
    page, live_server, manager, mail_to_browser, deliver
):
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Passwort vergessen?").click()
    expect(page.locator("main h1")).to_have_text("Passwort vergessen?")
    page.locator("#email").fill(manager.email)
    page.get_by_role("button", name="Link senden").click()
    page.wait_for_url(f"{live_server}/login")
    expect(page.locator("main .alert-info")).to_contain_text(
        "Falls die Adresse zu einem Konto gehört"
    )
    assert mail_to_browser.messages == []  # the request only wrote the outbox row

    delivered(deliver, sent=1)
    (mail,) = mail_to_browser.to(manager.email)
    assert mail["Subject"] == "Neues Passwort für das Bedarfsregister festlegen"
    assert mail["List-Unsubscribe"] is None  # about one's account: nothing to unsubscribe
    body = text_of(mail)
    assert body.startswith("Guten Tag Anna Alpha,")
    assert "innerhalb einer Stunde" in body and "Der Link funktioniert einmal." in body
    (link,) = re.findall(r"<(http://[^>\s]+/password/reset/[^>\s]+)>", body)
    words = body.replace(link, "").lower()
    assert not re.search(r"\b(hello|password|someone|ignore)\b", words)
    assert '<html lang="de">' in html_of(mail)
    assert link.startswith(f"{live_server}/password/reset/")
    page.set_content(html_of(mail))
    shot(page, "reset-mail")

    page.goto(link)
    expect(page.locator("main h1")).to_have_text("Neues Passwort festlegen")
    page.locator("#password").fill(NEW_PASSWORD)
    page.locator("#confirm").fill(NEW_PASSWORD)
    shot(page, "reset-form")
    page.get_by_role("button", name="Passwort speichern").click()
    page.wait_for_url(f"{live_server}/login")
    expect(page.locator("main .alert-success")).to_have_text(
        "Ihr Passwort wurde festgelegt. Bitte melden Sie sich an."
    )
    browser_login(page, live_server, manager, password=NEW_PASSWORD)

    page.goto(link)  # the link works once
    page.wait_for_url(f"{live_server}/password/forgot")
    expect(page.locator("main .alert-danger")).to_be_visible()


def test_the_unsubscribe_link_of_a_mail_switches_its_topic_off(
    page, live_server, manager, mail_to_browser, deliver, comment_kind
):
    queue(comment_kind, manager, "Wir haben einen Ausbildungspartner gefunden.")
    delivered(deliver, sent=1)
    (mail,) = mail_to_browser.to(manager.email)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = re.fullmatch(r"<([^>]+)>", mail["List-Unsubscribe"]).group(1)
    assert address.startswith(f"{live_server}/mail/unsubscribe/")

    page.goto(address)  # from the mail program: not logged in
    expect(page.locator("#nav-main")).to_have_count(0)
    expect(page.locator("main h1")).to_have_text("Abbestellen")
    expect(page.locator("main")).to_contain_text(f"Diese Mails abbestellen: {COMMENTED}?")
    shot(page, "unsubscribe-question")
    assert fresh(MailPreference, (manager.id, "commented")) is None  # opening changes nothing

    page.get_by_role("button", name="Abbestellen").click()
    expect(page.locator("main .alert-success")).to_have_text(
        f"Sie erhalten diese Mails nicht mehr: {COMMENTED}."
    )
    expect(page.get_by_role("button", name="Abbestellen")).to_have_count(0)
    shot(page, "unsubscribe-done")
    assert fresh(MailPreference, (manager.id, "commented")).delivery == Delivery.OFF
    assert fresh(MailPreference, (manager.id, "digest")) is None


def test_office_sends_refused_mails_again(
    app, page, live_server, make_user, mail_to_browser, deliver, comment_kind
):
    app.config["MFA_REQUIRED_FOR_ADMINS"] = True  # as in production
    admin = make_user("admin", name="Olga Office")
    bruno = make_user("manager", name="Bruno Brandt", email="bruno@example.org")
    carla = make_user("manager", name="Carla Conrad", email="carla@example.org")
    dora = make_user("manager", name="Dora Dietz", email="dora@example.org")
    settle(admin, bruno, carla, dora)
    mail_to_browser.refuse.update({bruno.email, carla.email})
    for user in (bruno, carla, dora):
        queue(comment_kind, user, f"Für {user.name}")
    delivered(deliver, sent=1, failed=2)

    office_logs_in(page, live_server, admin)
    page.locator("#nav-main").get_by_role("button", name="Verwaltung").click()
    page.locator("#nav-main").get_by_role("link", name="Benutzer·innen").click()
    page.locator("main .nav-tabs").get_by_role("link", name="Mail").click()
    page.wait_for_url(f"{live_server}/admin/mail")
    rows = page.locator("main table").first.locator("tbody tr")
    expect(rows).to_have_count(3)
    failed_row = rows.filter(has_text=bruno.email)
    expect(failed_row).to_contain_text("Fehlgeschlagen")
    expect(failed_row).to_contain_text(REFUSED)
    expect(failed_row).to_contain_text("Neuer Kommentar")  # the subject as built
    expect(rows.filter(has_text=dora.email)).to_contain_text("Gesendet")
    refused = page.locator("main h2", has_text="Abgewiesene Adressen")
    expect(refused).to_be_visible()
    expect(page.locator("main table").last).to_contain_text(bruno.email)
    shot(page, "outbox")

    tabs = page.get_by_role("navigation", name="Nachrichten nach Status")
    tabs.get_by_role("link", name="Fehlgeschlagen 2").click()
    page.wait_for_url(f"{live_server}/admin/mail?status=failed")
    expect(tabs.get_by_role("link", name="Fehlgeschlagen 2")).to_have_attribute(
        "aria-current", "page"
    )
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=dora.email)).to_have_count(0)
    shot(page, "outbox-failed")

    mail_to_browser.refuse.clear()  # the addresses are accepted again
    page.get_by_role("button", name=f"Erneut senden {bruno.email}").click()
    page.wait_for_url(f"{live_server}/admin/mail?status=failed")
    expect(page.locator("main .alert-success")).to_have_text("Die Nachricht ist wieder eingereiht.")
    expect(rows).to_have_count(1)
    expect(rows.filter(has_text=carla.email)).to_contain_text("Fehlgeschlagen")
    page.get_by_role("button", name="Alle fehlgeschlagenen erneut senden").click()
    page.wait_for_url(f"{live_server}/admin/mail")
    expect(page.locator("main .alert-success")).to_have_text("1 Nachricht ist wieder eingereiht.")
    for user in (bruno, carla):
        expect(rows.filter(has_text=user.email)).to_contain_text("Eingereiht")
    expect(page.get_by_role("button", name="Alle fehlgeschlagenen erneut senden")).to_have_count(0)

    delivered(deliver, sent=2)
    tabs.get_by_role("link", name=re.compile(r"^Gesendet")).click()
    page.wait_for_url(f"{live_server}/admin/mail?status=sent")
    expect(rows).to_have_count(3)
    for user in (bruno, carla, dora):
        expect(rows.filter(has_text=user.email)).to_contain_text("Gesendet")
    shot(page, "outbox-sent")
    assert sorted(str(m["To"]) for m in mail_to_browser.messages) == [
        "Bruno Brandt <bruno@example.org>",
        "Carla Conrad <carla@example.org>",
        "Dora Dietz <dora@example.org>",
    ]
    again = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.user_id == bruno.id))
    (message,) = list(again)
    assert message.status == MessageStatus.SENT and message.attempts == 1
    db.session.close()
