"""The office's webhook pages: register (the secret shown once), change, delete, test event."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.webhook_receiver import WebhookReceiver
from tracker.audit.models import AuditEvent
from tracker.db import db
from tracker.submissions.services import new_key
from tracker.webhooks import delivery
from tracker.webhooks.models import WebhookDelivery, WebhookEndpoint


@pytest.fixture
def office(client, login, make_user):
    admin = make_user(role="admin")
    login(admin)
    return admin


@pytest.fixture
def receiver(app):
    app.config.update(WEBHOOKS_ALLOW_HTTP=True, WEBHOOKS_ALLOW_PRIVATE=True)
    server = WebhookReceiver().start()
    yield server
    server.stop()


def _register(client, url, events=("item.created",), key=None):
    return client.post(
        "/admin/webhooks/new",
        data={"url": url, "events": list(events), "submission_key": key or new_key()},
    )


def _audit() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.event).order_by(AuditEvent.id)))


def test_a_new_endpoint_shows_its_secret_once(client, office, receiver):
    response = _register(client, receiver.url())
    assert response.status_code == 200
    endpoint = db.session.scalars(select(WebhookEndpoint)).one()
    page = response.get_data(as_text=True)
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in page
    assert "nur dieses eine Mal angezeigt" in page
    later = client.get(f"/admin/webhooks/{endpoint.id}/deliveries").get_data(as_text=True)
    assert endpoint.secret not in later
    assert endpoint.secret not in client.get("/admin/webhooks").get_data(as_text=True)
    assert "webhook_created" in _audit()


def test_the_same_form_sent_again_makes_no_second_endpoint(client, office, receiver):
    key = new_key()
    _register(client, receiver.url(), key=key)
    again = _register(client, receiver.url(), key=key)
    assert again.status_code == 302
    assert len(db.session.scalars(select(WebhookEndpoint)).all()) == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.org/in", "Webhooks gehen nur an https://-Adressen."),
        ("https://127.0.0.1/in", "nicht an diesen Rechner oder ein privates Netz"),
        ("https://10.0.0.7/in", "nicht an diesen Rechner oder ein privates Netz"),
        ("https://93.184.216.34/" + "x" * 600, "500 Zeichen"),
    ],
)
def test_a_refused_url_comes_back_with_a_german_error(client, office, url, message):
    response = _register(client, url)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_an_endpoint_needs_an_event(client, office, receiver):
    response = _register(client, receiver.url(), events=())
    assert response.status_code == 400
    assert "mindestens ein Ereignis" in response.get_data(as_text=True)


def test_the_office_changes_events_and_disables_an_endpoint(client, office, receiver):
    _register(client, receiver.url())
    endpoint = db.session.scalars(select(WebhookEndpoint)).one()
    response = client.post(
        f"/admin/webhooks/{endpoint.id}",
        data={"events": ["item.closed", "meeting.closed"], "description": "CRM", "version": 1},
    )
    assert response.status_code == 302
    db.session.refresh(endpoint)
    assert (endpoint.events, endpoint.active) == (["item.closed", "meeting.closed"], False)
    assert _audit()[-1] == "webhook_disabled"
    assert "Deaktiviert" in client.get("/admin/webhooks").get_data(as_text=True)


def test_the_test_event_reaches_the_receiver_and_the_log(client, office, receiver):
    _register(client, receiver.url())
    endpoint = db.session.scalars(select(WebhookEndpoint)).one()
    receiver.secret = endpoint.secret
    response = client.post(f"/admin/webhooks/{endpoint.id}/test")
    assert response.status_code == 302
    assert delivery.deliver_due().delivered == 1
    (got,) = receiver.received
    assert got.verified and got.json["type"] == "webhook.test"
    page = client.get(f"/admin/webhooks/{endpoint.id}/deliveries").get_data(as_text=True)
    assert "Testereignis" in page and "Zugestellt" in page and "200" in page


def test_deleting_an_endpoint_removes_its_log_and_is_audited(client, office, receiver):
    _register(client, receiver.url())
    endpoint_id = db.session.scalars(select(WebhookEndpoint.id)).one()
    client.post(f"/admin/webhooks/{endpoint_id}/test")
    response = client.post(f"/admin/webhooks/{endpoint_id}/delete")
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalars(select(WebhookEndpoint)).all() == []
    assert db.session.scalars(select(WebhookDelivery)).all() == []
    assert _audit()[-1] == "webhook_deleted"


def test_the_pages_are_german(client, office):
    page = client.get("/admin/webhooks").get_data(as_text=True)
    assert "Noch keine Endpunkte." in page and "Neuer Endpunkt" in page
    form = client.get("/admin/webhooks/new").get_data(as_text=True)
    assert "Anliegen erfasst" in form and "Endpunkt registrieren" in form


def test_a_failed_delivery_is_sent_again_from_the_log(app, client, office, receiver):
    app.config.update(WEBHOOKS_MAX_ATTEMPTS=1)
    _register(client, receiver.url())
    endpoint = db.session.scalars(select(WebhookEndpoint)).one()
    receiver.secret = endpoint.secret
    client.post(f"/admin/webhooks/{endpoint.id}/test")
    receiver.fail_next(1, status=500)
    assert delivery.deliver_due().failed == 1
    row = db.session.scalars(select(WebhookDelivery)).one()
    page = client.get(f"/admin/webhooks/{endpoint.id}/deliveries").get_data(as_text=True)
    assert "Fehlgeschlagen" in page and "Erneut senden" in page
    resend = f"/admin/webhooks/{endpoint.id}/deliveries/{row.id}/resend"
    assert client.post(resend).status_code == 302
    assert client.post(resend).status_code == 409  # on its way already
    assert delivery.deliver_due().delivered == 1
    assert [r.answered for r in receiver.received] == [500, 200]
    assert (
        client.post(f"/admin/webhooks/{endpoint.id + 1}/deliveries/{row.id}/resend").status_code
        == 404
    )
