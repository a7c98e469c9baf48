"""Delivering due webhooks: claim a batch, sign and POST each, record the answer.

Claims, leases and retries are the outbox's (``tracker.due_work``, settings
``WEBHOOKS_*``); the worker of ``flask mail deliver`` runs ``deliver_due`` after each batch
of mail. Each attempt is signed anew (its own ``webhook-timestamp``, the delivery's
``webhook-id``). A 2xx answer is delivered; any other answer, a timeout or a refused
connection is retried with a delay that doubles, failed after ``WEBHOOKS_MAX_ATTEMPTS``.
An address that is no longer allowed (the host now resolves to a private network) fails at
once. No HTTP request is made inside a unit of work.
"""

from __future__ import annotations

import http.client
import json
import logging
from dataclasses import dataclass, field

from flask import current_app

from tracker.db import db, unit_of_work, utcnow
from tracker.due_work import WorkQueue
from tracker.webhooks import signing, targets, transport
from tracker.webhooks.models import DeliveryStatus, WebhookDelivery

log = logging.getLogger(__name__)
QUEUE = WorkQueue(WebhookDelivery, DeliveryStatus, "WEBHOOKS")


@dataclass
class Report:
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    ids: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.delivered + self.retried + self.failed + self.skipped


@dataclass(frozen=True)
class _Attempt:
    url: str
    secret: str
    message_id: str
    body: bytes


def deliver_due(limit: int | None = None) -> Report:
    """Claim one batch of due webhooks and deliver it."""
    report = Report(ids=QUEUE.claim(limit))
    try:
        for delivery_id in report.ids:
            outcome = _deliver_one(delivery_id)
            setattr(report, outcome, getattr(report, outcome) + 1)
    finally:
        db.session.rollback()  # end the reads of the last delivery
    if report.handled:
        log.info(
            "webhooks: %d delivered, %d to retry, %d failed, %d skipped",
            report.delivered,
            report.retried,
            report.failed,
            report.skipped,
        )
    return report


def _deliver_one(delivery_id: int) -> str:
    try:
        return _deliver(delivery_id)
    except Exception as exc:  # noqa: BLE001 - one broken delivery fails alone, not the batch
        log.exception("webhook delivery %s failed", delivery_id)
        db.session.rollback()
        _finish(delivery_id, DeliveryStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        return "failed"


def _prepare(delivery_id: int) -> _Attempt | None:
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.active and delivery.event_type != "webhook.test":
        return None
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    attempt = _Attempt(endpoint.url, endpoint.secret, delivery.message_id, body)
    db.session.rollback()  # the HTTP request runs in no transaction
    return attempt


def _deliver(delivery_id: int) -> str:
    attempt = _prepare(delivery_id)
    if attempt is None:
        _finish(delivery_id, DeliveryStatus.SKIPPED, error="endpoint disabled")
        return "skipped"
    config = current_app.config
    try:
        target = targets.resolve(attempt.url)  # again: the name may resolve elsewhere now
    except targets.Refused as exc:
        _finish(delivery_id, DeliveryStatus.FAILED, error=f"refused: {exc}")
        return "failed"
    stamp = int(utcnow().timestamp())
    headers = signing.headers(attempt.secret, attempt.message_id, stamp, attempt.body)
    try:
        answer = transport.post(
            target,
            attempt.body,
            headers,
            timeout=config["WEBHOOKS_TIMEOUT"],
            limit=config["WEBHOOKS_RESPONSE_BYTES"],
        )
    except (OSError, http.client.HTTPException) as exc:
        return _retry(delivery_id, f"{type(exc).__name__}: {exc}", None)
    if 200 <= answer.status < 300:
        _finish(delivery_id, DeliveryStatus.DELIVERED, status_code=answer.status)
        return "delivered"
    return _retry(delivery_id, f"HTTP {answer.status} {answer.body[:300]}".strip(), answer.status)


def _retry(delivery_id: int, error: str, status_code: int | None) -> str:
    with unit_of_work():
        delivery = db.session.get(WebhookDelivery, delivery_id)
        if delivery is None:  # its endpoint was deleted meanwhile
            return "skipped"
        delivery.response_status = status_code
        again = QUEUE.retry_later(delivery, error)
    return "retried" if again else "failed"


def _finish(
    delivery_id: int, status: DeliveryStatus, *, error: str = "", status_code: int | None = None
) -> None:
    with unit_of_work():
        delivery = db.session.get(WebhookDelivery, delivery_id)
        if delivery is None:
            return
        delivery.status, delivery.claimed_until = status, None
        delivery.response_status = status_code
        delivery.last_error = error[:500]
        if status is not DeliveryStatus.SKIPPED:
            delivery.attempts += 1
        if status is DeliveryStatus.DELIVERED:
            delivery.delivered_at = utcnow()
