"""Mail through a transactional outbox.

A feature that wants a mail sent calls ``outbox.enqueue`` inside its unit of work: the
message is a row of the same transaction as the change that caused it, so a rolled-back
change sends nothing, and nothing is rendered or sent while the write lock is held. The
sender (``flask --app wsgi mail deliver``, started by ``make run``) claims due rows, renders
each in its recipient's language from the kind's builder (``kinds.register``), delivers
it over SMTP, and marks it sent, or retries it with backoff, or marks it failed.
"""


def init_app(app) -> None:
    """Mount the mail pages and the ``flask mail`` commands, register the account mails."""
    from tracker.mail import account_mails, cli, compose, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.mail_cli)
    app.jinja_env.filters["plain"] = compose.plain
    account_mails.init_app(app)
