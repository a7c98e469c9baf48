"""``flask mail``: run the sender, show the queue, queue failed messages again."""

from __future__ import annotations

import contextlib
import logging
import signal

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from tracker.db import db
from tracker.mail import jobs, sender
from tracker.mail.models import MessageStatus, OutboxMessage

mail_cli = AppGroup("mail", help="The outbox: deliver it, show it.")


@mail_cli.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due, run the due jobs, and stop.")
def deliver(once: bool) -> None:
    """Deliver the outbox and the webhooks until stopped (SIGTERM or Ctrl+C end it after the
    current mail)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stopping = []

    def stop(_signum, _frame):
        stopping.append(True)

    signal.signal(signal.SIGTERM, stop)
    with contextlib.suppress(KeyboardInterrupt):
        sender.run(once=once, jobs=jobs.registered(), stop=lambda: bool(stopping))


@mail_cli.command("status")
def status() -> None:
    """Print how many messages are in each state."""
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    for state in MessageStatus:
        click.echo(f"{state.value:8} {counts.get(state, 0)}")
