"""The SMTP connection the sender delivers through, and what its errors mean."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


class Permanent(Exception):
    """The server refused the message or its recipient for good (5xx): a bounce."""


def connect() -> smtplib.SMTP:
    """Open a connection to the configured server (STARTTLS and login as configured).

    Raises OSError or smtplib.SMTPException when the server cannot be reached.
    """
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    try:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


def send(smtp: smtplib.SMTP, message: EmailMessage) -> None:
    """Send one message; ``Permanent`` for a 5xx refusal, OSError/SMTPException otherwise."""
    try:
        refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reason = next(iter(exc.recipients.values()))
        if 500 <= code < 600:
            raise Permanent(f"{code} {_text(reason)}") from exc
        raise
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        if 500 <= exc.smtp_code < 600:
            raise Permanent(f"{exc.smtp_code} {_text(exc.smtp_error)}") from exc
        raise
    if refused:  # a single recipient per message: refused means refused
        code, reason = next(iter(refused.values()))
        raise Permanent(f"{code} {_text(reason)}")


def _text(reason) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
