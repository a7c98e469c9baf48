"""The office's webhook endpoints, and queuing the events for them.

Services take plain values and do not commit: the caller's unit of work does. An event's
deliveries are rows of the change's own transaction (``enqueue``), so a change that is
rolled back sends nothing; the worker of ``flask mail deliver`` sends them after the
commit (``tracker.webhooks.delivery``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select

from tracker.audit import services as audit
from tracker.auth.models import User
from tracker.db import db
from tracker.exceptions import InvalidTransition, ValidationFailed
from tracker.i18n import _
from tracker.versioning import check_version, flush_or_conflict
from tracker.webhooks import payloads, signing, targets
from tracker.webhooks.delivery import QUEUE
from tracker.webhooks.models import (
    DESCRIPTION_MAX,
    URL_MAX,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)


class CheckedUrl(str):
    """A URL that passed ``check_url``: a caller checks it before its unit of work begins,
    since the check looks the host up (slow), and the service then takes it as it is."""


def check_url(url: str) -> CheckedUrl:
    """The URL stripped, if a webhook may go there now; else ``ValidationFailed`` at "url"."""
    url = (url or "").strip()
    if not url or len(url) > URL_MAX:
        raise ValidationFailed(
            _("Please give a URL of at most %(num)d characters.", num=URL_MAX), field="url"
        )
    try:
        targets.resolve(url)
    except targets.Refused as exc:
        raise ValidationFailed(str(exc), field="url") from exc
    return CheckedUrl(url)


def _events(events: list[str]) -> list[str]:
    chosen = [name for name in payloads.EVENTS if name in set(events or ())]
    if not chosen:
        raise ValidationFailed(_("Please choose at least one event."), field="events")
    return chosen


def _description(text: str) -> str:
    text = (text or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise ValidationFailed(
            _("At most %(num)d characters.", num=DESCRIPTION_MAX), field="description"
        )
    return text


def create_endpoint(
    *, url: str, events: list[str], description: str = "", actor: User
) -> WebhookEndpoint:
    """Register an endpoint with a new secret (the caller shows ``endpoint.secret`` once)."""
    endpoint = WebhookEndpoint(
        url=url if isinstance(url, CheckedUrl) else check_url(url),
        events=_events(events),
        description=_description(description),
        secret=signing.new_secret(),
        created_by_id=actor.id,
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record(
        "webhook_created",
        actor=actor,
        subject=f"webhook:{endpoint.id}",
        url=endpoint.url,
        events=endpoint.events,
    )
    return endpoint


def update_endpoint(
    endpoint: WebhookEndpoint,
    *,
    events: list[str],
    description: str,
    active: bool,
    actor: User,
    expected_version: int | None,
) -> None:
    """Change what an endpoint receives, its note, or whether it receives anything."""
    check_version(endpoint, expected_version)
    was_active = endpoint.active
    endpoint.events = _events(events)
    endpoint.description = _description(description)
    endpoint.active = bool(active)
    flush_or_conflict(endpoint, expected_version)
    if was_active != endpoint.active:
        audit.record(
            "webhook_enabled" if endpoint.active else "webhook_disabled",
            actor=actor,
            subject=f"webhook:{endpoint.id}",
            url=endpoint.url,
        )


def delete_endpoint(endpoint: WebhookEndpoint, *, actor: User) -> None:
    """Remove an endpoint and its delivery log."""
    audit.record("webhook_deleted", actor=actor, subject=f"webhook:{endpoint.id}", url=endpoint.url)
    db.session.delete(endpoint)
    db.session.flush()


def send_test(endpoint: WebhookEndpoint, *, actor: User) -> WebhookDelivery:
    """Queue a ``webhook.test`` event for this endpoint alone (also when it is disabled)."""
    data = {"endpoint_id": endpoint.id, "sent_by": {"id": actor.id, "name": actor.name}}
    delivery = _delivery(endpoint, payloads.envelope(payloads.TEST_EVENT, data))
    db.session.flush()
    return delivery


def enqueue(event_type: str, data: dict, endpoints: list[WebhookEndpoint] | None = None) -> int:
    """Queue the event for ``endpoints`` (default: its ``subscribers``); return how many."""
    document = payloads.envelope(event_type, data)
    endpoints = subscribers(event_type) if endpoints is None else endpoints
    for endpoint in endpoints:
        _delivery(endpoint, document)
    return len(endpoints)


def subscribers(event_type: str) -> list[WebhookEndpoint]:
    """The active endpoints that receive ``event_type``."""
    active = db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active)).all()
    return [endpoint for endpoint in active if event_type in (endpoint.events or ())]


def _delivery(endpoint: WebhookEndpoint, document: dict) -> WebhookDelivery:
    delivery = WebhookDelivery(
        endpoint=endpoint,
        event_type=document["type"],
        message_id=signing.new_message_id(),
        payload=document,
    )
    db.session.add(delivery)
    return delivery


def send_again(delivery: WebhookDelivery) -> None:
    """Queue a failed, skipped or delivered webhook once more, with a fresh count of attempts
    (the same ``webhook-id``: a receiver that has it already may ignore it)."""
    if delivery.status in (DeliveryStatus.QUEUED, DeliveryStatus.SENDING):
        raise InvalidTransition(_("This delivery is on its way already."))
    QUEUE.requeue(WebhookDelivery.id == delivery.id)


def prune(before: datetime) -> int:
    """Delete the finished deliveries queued before ``before``; return how many."""
    result = db.session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.created_at < before,
            WebhookDelivery.status.in_(
                (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)
            ),
        )
    )
    return result.rowcount


def all_endpoints() -> list[tuple[WebhookEndpoint, dict]]:
    """Every endpoint with its deliveries counted by status."""
    endpoints = db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
    rows = db.session.execute(
        select(WebhookDelivery.endpoint_id, WebhookDelivery.status, func.count()).group_by(
            WebhookDelivery.endpoint_id, WebhookDelivery.status
        )
    ).all()
    counts: dict[int, dict] = {}
    for endpoint_id, status, number in rows:
        counts.setdefault(endpoint_id, {})[status] = number
    return [(endpoint, counts.get(endpoint.id, {})) for endpoint in endpoints]


def deliveries_query(endpoint: WebhookEndpoint, status: str = ""):
    """The endpoint's deliveries, newest first, optionally of one status."""
    stmt = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id.desc())
    )
    if status in {s.value for s in DeliveryStatus}:
        stmt = stmt.where(WebhookDelivery.status == status)
    return stmt
