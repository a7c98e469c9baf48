"""What a mail says, and the message that carries it.

A kind's text is one template, ``templates/mail/<name>.txt``, written in Markdown: the
plain part is the template as rendered, the HTML part the same template rendered once more
as Markdown (tracker.templating.render_markdown, which keeps only harmless tags) inside
``mail/layout.html``. What people typed goes through the ``plain`` filter: as it is in the
plain part, with Markdown's punctuation escaped in the HTML part, so that a title is never
read as a link or a heading. Links are absolute, from ``BASE_URL``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app, render_template
from jinja2 import pass_context

from tracker.db import utcnow
from tracker.templating import render_markdown


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"
    data: bytes


@dataclass
class Mail:
    subject: str
    text: str
    html: str
    attachments: list[Attachment] = field(default_factory=list)
    calendar: bytes | None = None  # an iCalendar METHOD:REQUEST, shown as an invitation


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


@pass_context
def plain(context, value) -> str:
    """Typed text in a mail template: unchanged in the plain part, escaped for Markdown."""
    value = "" if value is None else str(value)
    if context.get("mail_markdown"):
        return _MARKDOWN_PUNCTUATION.sub(r"\\\1", value)
    return value


def render(template: str, subject: str, **context) -> Mail:
    """Render ``mail/<template>.txt`` into the plain and the HTML part of a mail."""
    name = f"mail/{template}.txt"
    text = render_template(name, mail_markdown=False, **context).strip() + "\n"
    markdown = render_template(name, mail_markdown=True, **context)
    html = render_template("mail/layout.html", subject=subject, body=render_markdown(markdown))
    return Mail(subject=subject, text=text, html=html)


def message(mail: Mail, *, to: str, name: str = "", unsubscribe: str | None = None):
    """The EmailMessage for one recipient, with the headers every mail of the app carries."""
    config = current_app.config
    sender = config["MAIL_FROM"]
    domain = sender.rpartition("@")[2] or "localhost"
    msg = EmailMessage()
    msg["Subject"] = mail.subject
    msg["From"] = Address(config["MAIL_FROM_NAME"], addr_spec=sender)
    msg["To"] = Address(name, addr_spec=to) if name else to
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(domain=domain)
    if config.get("MAIL_REPLY_TO"):  # answers reach the office, not the sending address
        msg["Reply-To"] = config["MAIL_REPLY_TO"]
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"  # no out-of-office replies to the sender
    if unsubscribe:
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    if mail.calendar is not None:
        msg.add_alternative(
            mail.calendar,
            maintype="text",
            subtype="calendar",
            params={"method": "REQUEST", "charset": "utf-8"},
        )
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        msg.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return msg
