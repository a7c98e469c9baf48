"""Notifications and the weekly digest, all through the mail outbox.

Listeners of the domain events (``listeners``) decide who hears of an event; each
recipient's preference (``tracker.mail.preferences``) decides how: a mail at once, a note
kept for the weekly digest, or nothing (``delivery.notify``). No one is told of an item
they may not see, neither when the notice is written nor when it is delivered. Two jobs of
the sender remind of follow-ups due today (``follow_ups``) and queue the weekly digest
(``digest``); ``flask mail digest`` queues it by hand.
"""

from __future__ import annotations


def init_app(app) -> None:
    """Register the kinds of mail, connect the listeners, register the jobs and the command."""
    from tracker.mail import jobs
    from tracker.mail.cli import mail_cli
    from tracker.notifications import cli, digest, digest_mail, follow_ups, listeners, mails

    mails.register_kinds()
    digest_mail.register_kind()
    listeners.connect()
    jobs.register("follow_up_reminders", follow_ups.run_job)
    jobs.register("weekly_digest", digest.run_job)
    mail_cli.add_command(cli.digest_command)
