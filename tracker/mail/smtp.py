"""The SMTP connection the sender delivers through, and what its errors mean.

With ``MAIL_PICKUP_DIR`` set (``make run`` sets it when no ``TRACKER_MAIL_SERVER`` is
given), mail is written as ``.eml`` files into that folder (relative to the instance
folder) instead: a demo or a development machine has no mail server to deliver to.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from tracker.db import utcnow


class Permanent(Exception):
    """The server refused the message or its recipient for good (5xx): a bounce."""


class Pickup:
    """Writes each message into a folder, as a mail server's pickup directory takes them."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def send_message(self, message: EmailMessage) -> dict:
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        name = message["Message-ID"].strip("<>").split("@")[0]
        (self.folder / f"{stamp}-{name}.eml").write_bytes(message.as_bytes())
        return {}

    def quit(self) -> None:
        pass

    close = quit


def connect() -> smtplib.SMTP | Pickup:
    """Open a connection to the configured server (STARTTLS and login as configured).

    Raises OSError or smtplib.SMTPException when the server cannot be reached.
    """
    config = current_app.config
    if config.get("MAIL_PICKUP_DIR"):
        return Pickup(Path(current_app.instance_path) / config["MAIL_PICKUP_DIR"])
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


def send(smtp: smtplib.SMTP | Pickup, message: EmailMessage) -> None:
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
