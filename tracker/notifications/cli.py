"""``flask mail digest``: queue the weekly digest now (the sender's job does it on its own)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker import clock
from tracker.notifications import digest
from tracker.notifications.delivery import week_start


@click.command("digest")
@click.option("--now", is_flag=True, help="Queue this week's digest even before its time.")
@with_appcontext
def digest_command(now: bool) -> None:
    """Queue this week's digest for each user who has it on, once a week each."""
    monday = week_start(clock.today()) if now else digest.due_week()
    if monday is None:
        click.echo(f"Not due yet: this week's digest is due {digest.slot(clock.today())}.")
        return
    count = digest.queue_digests(monday)
    click.echo(f"{count} digests queued for the week of {monday.isoformat()}.")
