"""Webhooks: queued with the change, signed, delivered to a real receiver, retried, bounded.

The receiver (tests/webhook_receiver.py) runs on 127.0.0.1 and checks every signature with
its own code; the app may send there only because these tests allow http and private
addresses (WEBHOOKS_ALLOW_HTTP, WEBHOOKS_ALLOW_PRIVATE).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests.webhook_receiver import WebhookReceiver, verify
from tracker import events
from tracker.db import db, unit_of_work
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.items.models import ItemKind
from tracker.meetings import agenda, live
from tracker.webhooks import delivery, retention, services, signing
from tracker.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def receiver(app):
    app.config.update(WEBHOOKS_ALLOW_HTTP=True, WEBHOOKS_ALLOW_PRIVATE=True)
    server = WebhookReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def admin(make_user):
    return make_user(role="admin")


@pytest.fixture
def endpoint(receiver, admin):
    """An endpoint at the receiver for every event; the receiver knows its secret."""

    def make(events=("item.created", "item.changed", "item.closed", "item.handed_off")):
        with unit_of_work():
            row = services.create_endpoint(url=receiver.url(), events=list(events), actor=admin)
        receiver.secret = row.secret
        return row

    return make


def _deliveries() -> list[WebhookDelivery]:
    db.session.rollback()
    return db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def test_secret_and_signature_follow_standard_webhooks():
    # The example of the Standard Webhooks specification's reference libraries.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    value = signing.signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    assert value == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert signing.new_secret().startswith("whsec_")
    assert len(signing.new_secret()) == len("whsec_") + 32


def test_an_event_is_delivered_signed(endpoint, receiver, make_item, admin):
    endpoint()
    item = make_item(actor=admin, title="Fachkräfte gesucht")
    report = delivery.deliver_due()
    assert report.delivered == 1
    (got,) = receiver.received
    assert got.verified and got.answered == 200
    assert got.headers["webhook-id"].startswith("msg_")
    assert got.headers["content-type"] == "application/json"
    assert got.json["type"] == "item.created"
    assert got.json["data"]["item"]["title"] == "Fachkräfte gesucht"
    assert got.json["data"]["item"]["reference"] == item.reference
    assert got.json["data"]["actor"]["id"] == admin.id
    (row,) = _deliveries()
    assert (row.status, row.response_status, row.attempts) == (DeliveryStatus.DELIVERED, 200, 1)


def test_a_failing_receiver_gets_the_retries_with_the_same_id(endpoint, receiver, make_item):
    endpoint()
    with time_machine.travel(MOMENT, tick=False) as clock:
        make_item()
        receiver.fail_next(2, status=503)
        assert delivery.deliver_due().retried == 1
        (row,) = _deliveries()
        assert row.next_attempt_at == MOMENT + timedelta(seconds=30)
        assert row.last_error.startswith("HTTP 503") and row.response_status == 503
        assert delivery.deliver_due().ids == []  # not due yet
        clock.shift(timedelta(seconds=30))
        assert delivery.deliver_due().retried == 1
        assert _deliveries()[0].next_attempt_at == MOMENT + timedelta(seconds=30 + 60)
        clock.shift(timedelta(seconds=60))
        assert delivery.deliver_due().delivered == 1
    assert [r.answered for r in receiver.received] == [503, 503, 200]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    assert all(r.verified for r in receiver.received)
    row = _deliveries()[0]
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.DELIVERED, 3, "")


def test_a_delivery_out_of_attempts_fails(app, endpoint, receiver, make_item):
    app.config.update(WEBHOOKS_MAX_ATTEMPTS=2, WEBHOOKS_RETRY_SECONDS=0)
    endpoint()
    make_item()
    receiver.fail_next(5, status=500)
    assert delivery.deliver_due().retried == 1
    assert delivery.deliver_due().failed == 1
    assert delivery.deliver_due().ids == []
    assert _deliveries()[0].status is DeliveryStatus.FAILED
    assert len(receiver.received) == 2


def test_an_unreachable_receiver_is_retried(app, endpoint, receiver, make_item):
    endpoint()
    make_item()
    receiver.stop()
    assert delivery.deliver_due().retried == 1
    (row,) = _deliveries()
    assert row.status is DeliveryStatus.QUEUED and row.response_status is None
    assert "ConnectionRefused" in row.last_error


def test_a_redirect_is_not_followed(endpoint, receiver, make_item):
    endpoint()
    receiver.redirect_to = "http://127.0.0.1:9/elsewhere"
    make_item()
    assert delivery.deliver_due().retried == 1
    assert len(receiver.received) == 1
    assert _deliveries()[0].response_status == 307


def test_a_long_answer_is_read_only_in_part(app, endpoint, receiver, make_item):
    app.config.update(WEBHOOKS_RESPONSE_BYTES=10)
    endpoint()
    make_item()
    receiver.fail_next(1, status=502)
    delivery.deliver_due()
    assert _deliveries()[0].last_error == "HTTP 502 error 502"[: len("HTTP 502 ") + 10]


def test_a_slow_receiver_times_out_and_is_retried(app, endpoint, receiver, make_item):
    app.config.update(WEBHOOKS_TIMEOUT=0.3)
    endpoint()
    make_item()
    receiver.delay = 1.5
    assert delivery.deliver_due().retried == 1
    (row,) = _deliveries()
    assert row.status is DeliveryStatus.QUEUED and "timed out" in row.last_error


def test_the_address_is_checked_again_at_delivery(app, endpoint, receiver, make_item):
    endpoint()
    make_item()
    app.config.update(WEBHOOKS_ALLOW_PRIVATE=False)  # as if the name now led to 127.0.0.1
    assert delivery.deliver_due().failed == 1
    assert receiver.received == []
    assert "privates Netz" in _deliveries()[0].last_error


def test_a_confidential_item_is_only_named_as_such(endpoint, receiver, make_item, admin):
    endpoint()
    item = make_item(actor=admin, title="Insolvenz droht", confidential=True)
    lifecycle.perform(item, "decline", actor=admin, expected_version=None, note="Geheim")
    db.session.commit()
    delivery.deliver_due()
    bodies = [r.body.decode() for r in receiver.received]
    assert [json.loads(b)["type"] for b in bodies] == ["item.created", "item.closed"]
    for body in bodies:
        assert "Insolvenz" not in body and "Geheim" not in body
        assert item.company.name not in body
        assert json.loads(body)["data"]["item"]["title"] == "Vertrauliches Anliegen"


def test_closing_an_item_is_item_closed_and_waiting_is_a_change(endpoint, make_item, admin):
    endpoint()
    item = make_item(actor=admin)
    lifecycle.perform(item, "complete", actor=admin, expected_version=None, note="Erledigt")
    db.session.commit()
    lifecycle.perform(item, "reopen", actor=admin, expected_version=None)
    db.session.commit()
    types = [(d.event_type, d.payload["data"].get("changes")) for d in _deliveries()]
    assert types == [
        ("item.created", None),
        ("item.closed", None),
        ("item.changed", {"status": ["done", "new"]}),
    ]


def test_only_subscribed_active_endpoints_get_an_event(endpoint, make_item, admin):
    handoffs = endpoint(events=["item.handed_off"])
    created = endpoint(events=["item.created"])
    paused = endpoint(events=["item.created"])
    with unit_of_work():
        services.update_endpoint(
            paused,
            events=["item.created"],
            description="",
            active=False,
            actor=admin,
            expected_version=None,
        )
    make_item()
    assert [d.endpoint_id for d in _deliveries()] == [created.id]
    assert handoffs.id != created.id


def test_a_rolled_back_change_queues_nothing(endpoint, make_company, make_network, admin):
    endpoint()
    company, network = make_company(), make_network()
    with pytest.raises(RuntimeError), unit_of_work():
        items.create_item(
            actor=admin,
            title="Nie",
            kind=ItemKind.NEED,
            company=company,
            reporting_network=network,
        )
        assert any(isinstance(row, WebhookDelivery) for row in db.session.new)  # queued here
        raise RuntimeError("rolled back")
    assert _deliveries() == []


def test_a_bulk_change_sends_no_webhooks(endpoint, make_item):
    endpoint()
    with events.in_bulk():
        make_item()
    assert _deliveries() == []


def test_a_disabled_endpoint_skips_what_was_queued(endpoint, receiver, make_item, admin):
    row = endpoint()
    make_item()
    with unit_of_work():
        services.update_endpoint(
            row,
            events=row.events,
            description="",
            active=False,
            actor=admin,
            expected_version=None,
        )
    assert delivery.deliver_due().skipped == 1
    assert receiver.received == []


def test_the_mail_sender_delivers_webhooks_too(endpoint, receiver, make_item, runner):
    endpoint()
    make_item()
    result = runner.invoke(args=["mail", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    assert len(receiver.received) == 1 and receiver.received[0].verified


def test_the_receiver_refuses_a_wrong_signature(receiver):
    body = b'{"type":"x"}'
    headers = signing.headers(signing.new_secret(), "msg_1", 1614265330, body)
    assert not verify(signing.new_secret(), headers, body, 1614265330)
    receiver.secret = "whsec_" + "A" * 32
    assert not verify(receiver.secret, headers, body, 1614265330)


def test_closing_a_meeting_is_meeting_closed(endpoint, make_meeting, admin):
    endpoint(events=["meeting.closed"])
    meeting = make_meeting()
    live.close_meeting(meeting, actor=admin)
    db.session.commit()
    (row,) = _deliveries()
    data = row.payload["data"]
    assert row.event_type == "meeting.closed"
    assert data["meeting"]["id"] == meeting.id
    assert data["meeting"]["series"]["name"] == meeting.series.name
    assert data["meeting"]["url"].endswith(f"/meetings/{meeting.id}")


def test_a_task_of_a_confidential_item_names_neither(endpoint, make_meeting, make_item, admin):
    endpoint(events=["task.assigned"])
    meeting = make_meeting()
    secret = make_item(actor=admin, title="Übernahme geplant", confidential=True)
    entry = agenda.add_item_entry(meeting, secret, actor=admin)
    live.add_task(
        meeting, actor=admin, title="Übernahme prüfen", owner=admin, due_date=None, entry=entry
    )
    live.add_task(meeting, actor=admin, title="Raum buchen", owner=admin, due_date=None)
    db.session.commit()
    hidden, plain = (row.payload["data"]["task"] for row in _deliveries())
    assert "Übernahme" not in json.dumps(hidden, ensure_ascii=False)
    assert hidden["title"] == hidden["item"]["title"] == "Vertrauliches Anliegen"
    assert (plain["title"], plain["item"], plain["owner"]["id"]) == ("Raum buchen", None, admin.id)


def test_a_broken_delivery_fails_alone(endpoint, receiver, make_item):
    broken, working = endpoint(), endpoint()
    receiver.secret = working.secret
    with unit_of_work():
        db.session.get(WebhookEndpoint, broken.id).secret = "whsec_A"  # not base64
    make_item()
    report = delivery.deliver_due()
    assert (report.failed, report.delivered) == (1, 1)
    statuses = {d.endpoint_id: (d.status, d.last_error[:6]) for d in _deliveries()}
    assert statuses[broken.id] == (DeliveryStatus.FAILED, "Error:")
    assert statuses[working.id] == (DeliveryStatus.DELIVERED, "")


def test_finished_deliveries_leave_the_log_after_the_kept_days(endpoint, receiver, make_item):
    endpoint()
    with time_machine.travel(MOMENT, tick=False) as clock:
        make_item()
        delivery.deliver_due()
        receiver.fail_next(1)
        make_item()
        delivery.deliver_due()  # the second one waits for its retry
        clock.shift(timedelta(days=30, seconds=1))
        retention._last_run.clear()
        assert retention.run_job() == 1
        assert retention.run_job() == 0  # an hour has not passed
    assert [d.status for d in _deliveries()] == [DeliveryStatus.QUEUED]


def test_a_change_names_its_fields_records_by_id(endpoint, make_item, make_topic, admin):
    endpoint(events=["item.changed"])
    item, topic = make_item(actor=admin, title="Alt"), make_topic("Wasserstoff")
    items.update_item(item, actor=admin, expected_version=None, title="Neu", topics=[topic])
    db.session.commit()
    (row,) = _deliveries()
    assert row.payload["data"]["changes"] == {"title": ["Alt", "Neu"], "topics": [[], [topic.id]]}
    assert row.payload["data"]["item"]["title"] == "Neu"


def test_a_hand_off_and_its_answer_carry_the_network_and_note(
    endpoint, make_item, make_network, admin
):
    endpoint(events=["item.handed_off", "item.accepted", "item.returned"])
    item, beta = make_item(actor=admin), make_network("Beta")
    lifecycle.hand_off(item, beta, actor=admin, expected_version=None, note="Passt zu euch")
    db.session.commit()
    lifecycle.perform(item, "accept", actor=admin, expected_version=None, note="Gern")
    db.session.commit()
    offered, accepted = (d.payload for d in _deliveries())
    assert (offered["type"], offered["data"]["note"]) == ("item.handed_off", "Passt zu euch")
    assert offered["data"]["item"]["responsible_network"]["short_name"] == "Beta"
    assert offered["data"]["item"]["status"] == "assigned"
    assert (accepted["type"], accepted["data"]["note"]) == ("item.accepted", "Gern")
    assert accepted["data"]["item"]["status"] == "in_progress"


def _self_signed(folder) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(certfile), str(keyfile)


def test_an_untrusted_certificate_is_not_sent_to(app, admin, make_item, tmp_path):
    app.config.update(WEBHOOKS_ALLOW_PRIVATE=True)  # https, but on this machine
    server = WebhookReceiver()
    server.use_tls(*_self_signed(tmp_path))
    server.start()
    try:
        with unit_of_work():
            url = f"https://127.0.0.1:{server.port}/hooks"
            services.create_endpoint(url=url, events=["item.created"], actor=admin)
        make_item()
        assert delivery.deliver_due().retried == 1
    finally:
        server.stop()
    assert server.received == []
    assert "CERTIFICATE_VERIFY_FAILED" in _deliveries()[0].last_error
