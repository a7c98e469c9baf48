"""Webhooks: the office registers endpoints (URL, events, a secret), and the register's
events reach them signed in the Standard Webhooks format.

The listeners (``listeners``) queue a delivery per subscribed endpoint in the transaction
of the change; the worker of ``flask mail deliver`` (started by ``make run``) sends them
with the outbox's claims, leases and retries (``tracker.due_work``), checking each time
that the address may be reached (``targets``). Payloads show confidential items only as
such (``payloads``); the pages are under /admin/webhooks (``views``). Finished deliveries
are kept ``WEBHOOKS_KEEP_DAYS`` (``retention``).
"""

from __future__ import annotations


def init_app(app) -> None:
    """Mount the pages, connect the listeners, and have the sender's loop deliver webhooks."""
    from tracker import due_work
    from tracker.mail import jobs
    from tracker.webhooks import delivery, listeners, retention, views

    app.register_blueprint(views.bp)
    listeners.connect()
    due_work.register("webhooks", delivery.deliver_due)
    jobs.register("webhook_log_retention", retention.run_job)
