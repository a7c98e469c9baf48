"""The office registers a webhook endpoint, sends a test event, and follows it in the log.

The receiver is a real HTTP server on 127.0.0.1 (tests/webhook_receiver.py) that checks
each signature with the secret the page showed once; it fails the first attempt on purpose,
and the log shows the retry, then the delivery.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.webhook_receiver import WebhookReceiver
from tracker.webhooks import delivery

from .conftest import ARTIFACTS, office_logs_in, settle

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"webhooks-{name}.png", full_page=True)


@pytest.fixture
def receiver(app):
    app.config.update(
        WEBHOOKS_ALLOW_HTTP=True, WEBHOOKS_ALLOW_PRIVATE=True, WEBHOOKS_RETRY_SECONDS=0
    )
    server = WebhookReceiver().start()
    yield server
    server.stop()


def _deliver() -> delivery.Report:
    report = delivery.deliver_due()
    settle()
    return report


def test_office_registers_an_endpoint_and_sees_the_test_event_delivered(
    app, page, live_server, make_user, receiver
):
    app.config["MFA_REQUIRED_FOR_ADMINS"] = True  # as in production
    app.config["WEBHOOKS_ALLOW_HTTP"] = False  # ... and only https, at first
    admin = make_user("admin", name="Olga Office")
    settle(admin)
    office_logs_in(page, live_server, admin)
    page.locator("#nav-main").get_by_role("button", name="Verwaltung").click()
    page.locator("#nav-main").get_by_role("link", name="Benutzer·innen").click()
    page.locator("main .nav-tabs").get_by_role("link", name="Webhooks").click()
    page.wait_for_url(f"{live_server}/admin/webhooks")
    expect(page.locator("main table")).to_contain_text("Noch keine Endpunkte.")
    page.get_by_role("link", name="Neuer Endpunkt").click()

    page.get_by_label("URL").fill("http://127.0.0.1:1/nein")
    page.get_by_label("Anliegen erfasst").check()
    page.get_by_role("button", name="Endpunkt registrieren").click()
    expect(page.locator("#url-error")).to_have_text("Webhooks gehen nur an https://-Adressen.")
    app.config["WEBHOOKS_ALLOW_HTTP"] = True  # the test's own receiver, on this machine
    shot(page, "refused-url")

    page.get_by_label("URL").fill(receiver.url())
    page.get_by_label("Beschreibung").fill("CRM der Geschäftsstelle")
    page.get_by_label("Anliegen abgeschlossen (erledigt oder abgelehnt)").check()
    page.get_by_role("button", name="Endpunkt registrieren").click()
    expect(page.get_by_text("Kopieren Sie es jetzt")).to_be_visible()
    secret = page.locator("#new-secret").input_value()
    assert secret.startswith("whsec_")
    shot(page, "secret-once")
    receiver.secret = secret

    receiver.fail_next(1, status=503)
    page.get_by_role("button", name="Testereignis senden").click()
    expect(page.locator("main .alert-success")).to_contain_text("Ein Testereignis ist eingereiht")
    assert _deliver().retried == 1
    page.reload()
    row = page.locator("main table tbody tr").first
    expect(row).to_contain_text("Testereignis")
    expect(row).to_contain_text("Eingereiht")
    expect(row).to_contain_text("HTTP 503")
    expect(page.locator("#new-secret")).to_have_count(0)  # shown only once
    shot(page, "log-retry")

    assert _deliver().delivered == 1
    page.reload()
    expect(row).to_contain_text("Zugestellt")
    expect(row.locator("td").nth(3)).to_have_text("200")
    expect(row.locator("td").nth(4)).to_have_text("2")
    shot(page, "log-delivered")
    assert [r.answered for r in receiver.received] == [503, 200]
    assert all(r.verified for r in receiver.received)
    assert receiver.received[1].json["type"] == "webhook.test"

    page.get_by_role("link", name="Alle Endpunkte").click()
    expect(page.locator("main table")).to_contain_text("CRM der Geschäftsstelle")
    expect(page.locator("main table")).to_contain_text("Zugestellt: 1")
    shot(page, "list")

    page.get_by_role("link", name="Bearbeiten").click()
    expect(page.get_by_label("Anliegen abgeschlossen (erledigt oder abgelehnt)")).to_be_checked()
    page.get_by_label("Aktiv: empfängt seine Ereignisse").uncheck()
    page.get_by_label("Sitzung abgeschlossen").check()
    shot(page, "edit")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"{live_server}/admin/webhooks")
    row = page.locator("main table tbody tr").first
    expect(row).to_contain_text("Deaktiviert")
    expect(row).to_contain_text("Sitzung abgeschlossen")

    page.get_by_role("link", name="Bearbeiten").click()
    page.get_by_role("button", name="Endpunkt löschen").click()
    page.wait_for_url(f"{live_server}/admin/webhooks")
    expect(page.locator("main .alert-success")).to_have_text("Der Endpunkt ist gelöscht.")
    expect(page.locator("main table")).to_contain_text("Noch keine Endpunkte.")
