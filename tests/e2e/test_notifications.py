"""Notifications in the browser, as the people concerned, delivered through a real SMTP server.

A manager of network A hands an item to network B on the item's page: B's managers are
offered it (each in their language), no one else hears of it; a manager of B opens the
link from the mail, returns the item with a reason, and the one who handed it off is told
why. A manager of B asks for comment mails at once on the mail settings page and gets the
comment A writes, but not after switching them off again. A comment on a confidential item
of network A mails no one who may not see it, not even who registered it before moving to
another network.

The sender runs in the test thread (``deliver()``) between the browser's requests; links in
the mails point at the live server (``BASE_URL``). Key moments are saved as
``notifications-*.png`` in TRACKER_TEST_SHOTS (default: test-artifacts/).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.mail_server import html_of
from tests.mail_server import text_of as _raw_text
from tracker.auth import services as users
from tracker.auth.models import User
from tracker.db import db
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.items.models import Item, ItemStatus
from tracker.items.permissions import can_view
from tracker.mail import preferences
from tracker.mail.models import Delivery, DigestNote, MailPreference, OutboxMessage

from .conftest import ARTIFACTS, PASSWORD, browser_login, fresh, settle

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)
COMMENTED = "Ein Kommentar zu einem meiner Anliegen"
TITLE = "Schweißroboter für die Ausbildungswerkstatt"
NOTE = "Ihr habt den Kontakt zur Kammer."
REASON = "Passt nicht zu unserem Netzwerk: bitte an die Metallrunde."


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"notifications-{name}.png", full_page=True)


def show_mail(page: Page, message, name: str) -> None:
    """Show a mail's HTML part as a mail program would, and save it.

    On a blank document: written into a page of the app, the app's Content-Security-Policy
    would block the mail's inline styles.
    """
    page.goto("about:blank")
    page.set_content(html_of(message))
    expect(page.locator("body")).to_have_css("font-family", re.compile(r"^Arial"))
    shot(page, name)


def text_of(message) -> str:
    return _raw_text(message).replace("\r\n", "\n")


def radio(page: Page, topic: str, choice: str):
    """A topic's radio button on the mail settings page: the topic, then the choice."""
    return page.get_by_role("radio", name=f"{topic} {choice}", exact=True)


def status_badge(page: Page, status: str):
    return page.locator(f"main > p .badge-status-{status}")


def open_action(page: Page, action: str):
    """Open the form of an action that needs a note, once Bootstrap's collapse is done."""
    page.locator(f"button[aria-controls='action-{action}']").click()
    form = page.locator(f"form#action-{action}")
    expect(form).to_have_class(re.compile(r"^(?=.*\bshow\b)(?!.*\bcollapsing\b)"))
    return form


def delivered(deliver, **expected) -> None:
    """Run the sender until nothing is due; check its counts; end the test thread's reads."""
    report = deliver()
    db.session.close()
    counts = {name: getattr(report, name) for name in expected}
    assert counts == expected


def linked_items(body: str, base: str) -> list[str]:
    return re.findall(rf"<({re.escape(base)}/items/\d+)>", body)


@pytest.fixture
def mail_to_browser(app, live_server, mail_server):
    """The mail server, with the links in mails pointing at the live server."""
    app.config["BASE_URL"] = live_server
    return mail_server


@pytest.fixture
def people(make_network, make_user):
    """Managers of three networks (one of B reads English), an observer and the office."""
    alpha, beta, gamma = make_network("Alpha"), make_network("Beta"), make_network("Gamma")
    return dict(
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        anna=make_user("manager", alpha, name="Anna Alpha", locale="de"),
        bert=make_user("manager", beta, name="Bert Beta", locale="de"),
        bella=make_user("manager", beta, name="Bella Beta", locale="en"),
        gero=make_user("manager", gamma, name="Gero Gamma", locale="de"),
        olaf=make_user("observer", name="Olaf Observer", locale="de"),
        office=make_user("admin", name="Office", locale="de"),
    )


def _everyone_hears_at_once(*people_) -> None:
    """So that a missing mail is never explained by a digest or "off" setting."""
    for person in people_:
        for topic in ("handoff_offered", "handoff_answered", "assigned", "commented"):
            preferences.set_delivery(person, topic, Delivery.IMMEDIATELY)
    db.session.commit()


def test_hand_off_offers_the_item_and_the_return_tells_who_handed_it_off(
    new_page, live_server, people, make_item, mail_to_browser, deliver
):
    p = people
    _everyone_hears_at_once(p["anna"], p["bert"], p["bella"], p["gero"], p["olaf"], p["office"])
    item = make_item(actor=p["anna"], title=TITLE, responsible_network=p["alpha"])
    anna, bert, bella, gero, olaf, office, beta, item = settle(
        p["anna"], p["bert"], p["bella"], p["gero"], p["olaf"], p["office"], p["beta"], item
    )
    assert item.status is ItemStatus.IN_PROGRESS and item.assignee_id == anna.id
    delivered(deliver, sent=0)  # registering it for one's own network tells no one

    # Anna hands the item to Beta on its page.
    page_a = new_page()
    browser_login(page_a, live_server, anna)
    page_a.goto(f"{live_server}/items/{item.id}")
    handoff = page_a.locator("section[aria-labelledby=h-handoff]")
    expect(handoff.locator("h2")).to_have_text("An ein anderes Netzwerk übergeben")
    handoff.get_by_label("Übergeben an").select_option(str(beta.id))
    handoff.get_by_label("Hinweis für das Netzwerk").fill(NOTE)
    handoff.get_by_role("button", name="Diesem Netzwerk anbieten").click()
    expect(page_a.locator("main .alert-success")).to_have_text(
        "Das Anliegen wurde an Beta übergeben."
    )
    expect(status_badge(page_a, "assigned")).to_be_visible()
    expect(page_a.locator("#timeline")).to_contain_text(NOTE)
    shot(page_a, "item-after-handoff")
    assert mail_to_browser.messages == []  # the request only wrote the outbox

    delivered(deliver, sent=2)
    (to_bert,) = mail_to_browser.to(bert.email)
    (to_bella,) = mail_to_browser.to(bella.email)
    for nobody in (anna, gero, olaf, office):
        assert mail_to_browser.to(nobody.email) == []
    assert len(mail_to_browser.messages) == 2

    assert to_bert["Subject"] == f"An Ihr Netzwerk übergeben: {item.reference} {TITLE}"
    assert str(to_bert["To"]) == f"Bert Beta <{bert.email}>"
    body = text_of(to_bert)
    assert body.startswith("Guten Tag Bert Beta,")
    assert "Anna Alpha übergibt dieses Anliegen an Ihr Netzwerk Beta:" in body
    assert TITLE in body and f"Notiz: {NOTE}" in body
    assert "Bitte übernehmen Sie es auf der Seite des Anliegens" in body
    assert '<html lang="de">' in html_of(to_bert)
    (link,) = linked_items(body, live_server)
    assert link == f"{live_server}/items/{item.id}"
    assert to_bert["Auto-Submitted"] == "auto-generated"
    assert to_bert["List-Unsubscribe"].startswith(f"<{live_server}/mail/unsubscribe/")

    # Bella reads English: the same offer, in her language.
    assert to_bella["Subject"] == f"Offered to your network: {item.reference} {TITLE}"
    english = text_of(to_bella)
    assert english.startswith("Hello Bella Beta,")
    assert "Anna Alpha offers this item to your network Beta:" in english
    assert f"Note: {NOTE}" in english and "Please accept or return it" in english
    assert "Guten Tag" not in english and "Anliegen" not in english
    assert 'lang="en"' in html_of(to_bella)
    assert linked_items(english, live_server) == [link]
    show_mail(new_page(), to_bella, "offer-mail-en")

    page_b = new_page()
    show_mail(page_b, to_bert, "offer-mail")
    expect(page_b.get_by_role("link", name=link)).to_have_attribute("href", link)

    # Bert opens the link from the mail: not logged in yet, the login leads to the item.
    page_b.goto(link)
    page_b.wait_for_url(re.compile(r"/login\?next="))
    page_b.locator("main form #email").fill(bert.email)
    page_b.locator("main form #password").fill(PASSWORD)
    page_b.locator("main form button[type=submit]").click()
    page_b.wait_for_url(link)
    expect(page_b.locator("main h1")).to_have_text(f"{item.reference} {TITLE}")
    expect(status_badge(page_b, "assigned")).to_be_visible()
    shot(page_b, "item-from-offer-mail")

    form = open_action(page_b, "return")
    page_b.locator("#note-return").fill(REASON)
    form.get_by_role("button", name="Zurückgeben").click()
    expect(page_b.locator("main .alert-success")).to_have_text("Ausgeführt: Zurückgeben.")
    expect(status_badge(page_b, "in_progress")).to_be_visible()
    expect(page_b.locator("#timeline")).to_contain_text(REASON)
    shot(page_b, "item-after-return")
    returned = fresh(Item, item.id)
    assert returned.responsible_network_id == p["alpha"].id and returned.assignee_id is None

    mail_to_browser.messages.clear()
    delivered(deliver, sent=1)
    (to_anna,) = mail_to_browser.messages
    assert str(to_anna["To"]) == f"Anna Alpha <{anna.email}>"
    assert to_anna["Subject"] == f"Ihre Übergabe wurde zurückgegeben: {item.reference} {TITLE}"
    body = text_of(to_anna)
    assert body.startswith("Guten Tag Anna Alpha,")
    assert "Bert Beta hat Ihre Übergabe zurückgegeben:" in body
    assert f"Begründung: {REASON}" in body
    assert linked_items(body, live_server) == [link]
    assert to_anna["Auto-Submitted"] == "auto-generated"
    assert to_anna["X-Auto-Response-Suppress"] == "All"
    unsubscribe = re.fullmatch(r"<([^>]+)>", to_anna["List-Unsubscribe"]).group(1)
    assert unsubscribe.startswith(f"{live_server}/mail/unsubscribe/")
    assert to_anna["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    show_mail(page_a, to_anna, "returned-mail")

    # The address in List-Unsubscribe is about this topic: the answers to one's hand-offs.
    page_a.goto(unsubscribe)
    expect(page_a.locator("main h1")).to_have_text("Abbestellen")
    expect(page_a.locator("main")).to_contain_text(
        "Diese Mails abbestellen: Meine Übergabe wurde angenommen oder zurückgegeben?"
    )


def _set_comments(page: Page, live_server: str, choice: str) -> None:
    """Choose how comment mails come, on the mail settings page reached from the user menu."""
    page.goto(f"{live_server}/")
    page.locator("#user-menu").click()
    page.get_by_role("link", name="Mail-Einstellungen").click()
    page.wait_for_url(f"{live_server}/account/mail")
    expect(page.locator("main h1")).to_have_text("Mail-Einstellungen")
    radio(page, COMMENTED, choice).check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("main .alert-success")).to_have_text(
        "Ihre Mail-Einstellungen wurden gespeichert."
    )
    expect(radio(page, COMMENTED, choice)).to_be_checked()


def _comment(page: Page, text: str) -> None:
    page.get_by_label("Kommentar", exact=True).fill(text)
    page.get_by_role("button", name="Kommentar hinzufügen").click()
    expect(page.locator("main .alert-success")).to_have_text("Kommentar hinzugefügt.")
    expect(page.locator("#timeline")).to_contain_text(text.splitlines()[0])


def test_comment_mails_follow_the_assignees_mail_settings(
    new_page, live_server, people, make_item, mail_to_browser, deliver
):
    p = people
    # Anna registers the item for Beta; Bert takes it and is its assignee.
    item = make_item(actor=p["anna"], title=TITLE, responsible_network=p["beta"])
    lifecycle.perform(item, "accept", actor=p["bert"], expected_version=None)
    db.session.commit()
    anna, bert, item = settle(p["anna"], p["bert"], item)
    assert item.assignee_id == bert.id and item.created_by_id == anna.id
    preferences.set_delivery(anna, "commented", Delivery.IMMEDIATELY)  # the commenter, too
    db.session.commit()
    deliver()
    db.session.close()
    mail_to_browser.messages.clear()

    page_b = new_page()
    browser_login(page_b, live_server, bert)
    _set_comments(page_b, live_server, "Sofort")
    shot(page_b, "settings-comments-at-once")
    assert fresh(MailPreference, (bert.id, "commented")).delivery == Delivery.IMMEDIATELY

    page_a = new_page()
    browser_login(page_a, live_server, anna)
    page_a.goto(f"{live_server}/items/{item.id}")
    first = "Die Kammer hat zwei Ausbilder genannt.\nKönnt ihr sie anrufen?"
    _comment(page_a, first)
    shot(page_a, "item-commented")

    delivered(deliver, sent=1)
    assert mail_to_browser.to(anna.email) == []  # never the commenter
    (mail,) = mail_to_browser.to(bert.email)
    assert mail["Subject"] == f"Neuer Kommentar zu {item.reference} {TITLE}"
    body = text_of(mail)
    assert body.startswith("Guten Tag Bert Beta,")
    assert "Anna Alpha hat ein Anliegen von Ihnen kommentiert:" in body
    assert "> Die Kammer hat zwei Ausbilder genannt.\n> Könnt ihr sie anrufen?" in body
    assert linked_items(body, live_server) == [f"{live_server}/items/{item.id}"]
    assert mail["Auto-Submitted"] == "auto-generated" and mail["List-Unsubscribe"]
    show_mail(page_b, mail, "comment-mail")

    _set_comments(page_b, live_server, "Aus")
    shot(page_b, "settings-comments-off")
    assert fresh(MailPreference, (bert.id, "commented")).delivery == Delivery.OFF

    page_a.goto(f"{live_server}/items/{item.id}")
    _comment(page_a, "Noch ein Nachtrag: der Termin ist am Dienstag.")
    delivered(deliver, sent=0)
    assert len(mail_to_browser.messages) == 1
    notes = db.session.scalars(select(DigestNote).where(DigestNote.user_id == bert.id)).all()
    assert notes == []  # "off" keeps nothing for the digest either
    queued = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "commented")
    ).all()
    assert [m.user_id for m in queued] == [bert.id]
    db.session.close()


def test_a_comment_on_a_confidential_item_mails_no_one_who_may_not_see_it(
    new_page, live_server, people, make_user, make_item, mail_to_browser, deliver
):
    p = people
    arne = make_user("manager", p["alpha"], name="Arne Alpha", locale="de")
    carla = make_user("manager", p["alpha"], name="Carla Clever", locale="de")
    # Carla registers a confidential item of Alpha and gives it to Arne; then she moves to
    # Gamma. She is still the one who registered it, the one a comment would tell.
    item = make_item(
        actor=carla,
        title="Vertrauliche Standortsuche",
        responsible_network=p["alpha"],
        confidential=True,
    )
    items.update_item(item, actor=carla, expected_version=None, assignee=arne)
    db.session.commit()
    users.update_user(carla, actor=p["office"], expected_version=None, network=p["gamma"])
    db.session.commit()
    _everyone_hears_at_once(arne, carla, p["gero"], p["olaf"], p["office"])
    anna, arne, carla, gero, olaf, item = settle(p["anna"], arne, carla, p["gero"], p["olaf"], item)
    assert item.created_by_id == carla.id and item.assignee_id == arne.id
    assert not can_view(fresh(User, carla.id), fresh(Item, item.id))
    deliver()
    db.session.close()
    mail_to_browser.messages.clear()

    page = new_page()
    browser_login(page, live_server, anna)
    page.goto(f"{live_server}/items/{item.id}")
    expect(page.locator("main h1")).to_contain_text("Vertrauliche Standortsuche")
    _comment(page, "Der Standort in der Nordstadt ist im Gespräch.")

    delivered(deliver, sent=1)
    (mail,) = mail_to_browser.messages
    assert str(mail["To"]) == f"Arne Alpha <{arne.email}>"
    assert "Der Standort in der Nordstadt" in text_of(mail)
    queued = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "commented")
    ).all()
    assert [m.user_id for m in queued] == [arne.id]  # nothing was even queued for Carla
    db.session.close()
    current = fresh(Item, item.id)
    for message in mail_to_browser.messages:  # whoever got a mail may see the item
        (address,) = [a.addr_spec for a in message["To"].addresses]
        recipient = db.session.scalar(select(User).where(User.email == address))
        assert recipient is not None and can_view(recipient, current), address
        db.session.close()
    for outsider in (carla, gero, olaf):
        assert mail_to_browser.to(outsider.email) == []
