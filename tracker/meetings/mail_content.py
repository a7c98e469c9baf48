"""What the meeting mails say: the agenda with its files and invitation, the minutes, tasks.

Each builder runs in the sender, in the recipient's language, and builds the documents
for that recipient: what they may not see (a confidential item) is a placeholder in the
text and in the attached PDF and Word files alike. The minutes go out as the distribution
copy (no confidential item for anyone) unless the office chose the internal copy, which
each participant gets as they may see it; the agenda goes in the copy the office chose
when sending it. Informed recipients have no login; they read as an outsider (no network,
no rights) and always get the distribution copy. The
PDF takes one of the PDF slots and is bounded in time and memory like a download; one
that cannot be made leaves the mail with the Word file, and says so. Readers who see the
same document (most see the same items) share one rendering: the sender keeps the last few
files by the digest of the document's HTML.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from cachetools import LRUCache
from flask import current_app, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.auth.models import User, UserRole
from tracker.db import db
from tracker.exports import docx, ical_request, pdf, pdf_slots
from tracker.exports.data import VARIANTS, MeetingDocument
from tracker.i18n import N_, _, _l
from tracker.items.permissions import can_view
from tracker.mail import compose, kinds
from tracker.meetings import attendance_replies, services
from tracker.meetings.documents import build_document, short_date
from tracker.meetings.mails import answering_network_id
from tracker.meetings.models import InformedRecipient, Meeting, Task
from tracker.networks.models import Network

log = logging.getLogger(__name__)
# The files of the documents rendered last, by the digest of their HTML (in this process).
_RENDERED: LRUCache = LRUCache(maxsize=8)

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_LINKABLE = re.compile(r"https?://[^\s<>]+\Z")


def outsider(name: str = "") -> User:
    """A reader without network or rights, never stored: what an informed recipient sees."""
    return User(name=name, role=UserRole.OBSERVER, network_id=None, active=True)


def _pdf(html: str, doc: MeetingDocument) -> bytes | None:
    config = current_app.config
    timeout = float(config["PDF_TIMEOUT"])
    try:
        with pdf_slots.render_slot(
            Path(current_app.instance_path, "pdf-locks"),
            user="mail-sender",
            slots=int(config["PDF_CONCURRENCY"]),
            wait=timeout,  # the sender may wait for a slot: no one waits for its answer
        ):
            return pdf.render(
                html,
                static_folder=current_app.static_folder,
                timeout=timeout,
                memory_mb=int(config["PDF_MEMORY_MB"]),
            )
    except (pdf_slots.PdfBusy, pdf.PdfError) as exc:
        log.warning("PDF of meeting %s for a mail not made: %s", doc.meeting_id, exc)
        return None


def _files(doc: MeetingDocument) -> list[compose.Attachment]:
    html = render_template("exports/meeting.html", doc=doc)
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    if key in _RENDERED:
        return list(_RENDERED[key])
    stem = doc.filename_stem
    files = []
    body = _pdf(html, doc)
    if body is not None:
        files.append(compose.Attachment(f"{stem}.pdf", PDF_TYPE, body))
    author = current_app.config["ORGANISATION_NAME"]
    files.append(compose.Attachment(f"{stem}.docx", DOCX_TYPE, docx.render(doc, author=author)))
    if body is not None:  # without its PDF the next reader's mail tries again
        _RENDERED[key] = tuple(files)
    return files


def _common(doc: MeetingDocument, meeting: Meeting) -> dict:
    link = doc.video_link
    return {
        "doc": doc,
        "day": short_date(doc.starts_at.date()),
        "video_link": link if _LINKABLE.match(link or "") else "",
        "meeting_link": url_for("meetings.detail", meeting_id=meeting.id, _external=True),
    }


def _document_mail(template: str, title: str, doc: MeetingDocument, meeting: Meeting, **context):
    """A mail about one meeting document: its text, and the document's PDF and Word file."""
    files = _files(doc)
    subject = _(title, title=doc.title, date=short_date(doc.starts_at.date()))
    mail = compose.render(
        template,
        subject,
        pdf_missing=not any(f.content_type == PDF_TYPE for f in files),
        **_common(doc, meeting),
        **context,
    )
    mail.attachments = files
    return mail


def build_agenda(message) -> compose.Mail | None:
    """The agenda for one participant: text, PDF, DOCX, invitation, attendance links."""
    meeting = db.session.get(Meeting, message.params.get("meeting"))
    user = db.session.get(User, message.user_id)
    if meeting is None or user is None or not meeting.is_open:
        return None  # cancelled or held meanwhile: nothing left to invite to
    variant = _variant(message, "internal")
    doc = build_document(meeting, viewer=user, kind="agenda", variant=variant)
    network_id = answering_network_id(meeting, user)
    network = db.session.get(Network, network_id) if network_id else None
    links = attendance_replies.links(meeting, network, user) if network else None
    mail = _document_mail(
        "meeting_agenda",
        N_("Agenda: %(title)s on %(date)s"),
        doc,
        meeting,
        name=user.name,
        network=network,
        links=links,
    )
    config = current_app.config
    mail.calendar = ical_request.meeting_request(
        doc,
        sequence=int(message.params.get("sequence") or doc.revision),
        organizer=(config["MAIL_FROM"], config["MAIL_FROM_NAME"]),
        attendee=(message.address, message.name),
    )
    return mail


def _variant(message, default: str) -> str:
    """The copy queued with the message; an unknown value gets the distribution copy."""
    wanted = message.params.get("variant") or default
    return wanted if wanted in VARIANTS else "distribution"


def _minutes_reader(message) -> tuple[User, bool] | None:
    """Who the minutes are built for, and whether they have a login; None: nobody now."""
    informed_id = message.params.get("informed")
    if informed_id is None:
        user = db.session.get(User, message.user_id) if message.user_id else None
        return (user, True) if user is not None else None
    recipient = db.session.get(InformedRecipient, informed_id)
    return (outsider(recipient.name), False) if recipient is not None else None


def build_minutes(message) -> compose.Mail | None:
    """The minutes for a participant or an informed recipient: the distribution copy,
    or the internal one if the office chose it (never for the distribution list)."""
    meeting = db.session.get(Meeting, message.params.get("meeting"))
    reader = _minutes_reader(message)
    if meeting is None or reader is None or not meeting.is_closed:
        return None
    viewer, has_login = reader
    variant = _variant(message, "distribution") if has_login else "distribution"
    doc = build_document(meeting, viewer=viewer, kind="minutes", variant=variant)
    return _document_mail(
        "meeting_minutes",
        N_("Minutes: %(title)s on %(date)s"),
        doc,
        meeting,
        name=message.name,
        has_login=has_login,
    )


def _task_rows(meeting: Meeting, user: User) -> list[dict]:
    tasks = db.session.scalars(
        select(Task)
        .where(Task.meeting_id == meeting.id, Task.owner_id == user.id, Task.done_at.is_(None))
        .options(joinedload(Task.item))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
    )
    rows = []
    for task in tasks:
        item = task.item if task.item is not None and can_view(user, task.item) else None
        rows.append(
            {
                "title": task.title,
                "due": short_date(task.due_date),
                "item": item,
                "link": item and url_for("items.detail", item_id=item.id, _external=True),
            }
        )
    return rows


def build_tasks(message) -> compose.Mail | None:
    """A task owner's open tasks from the closed meeting, with due dates and links."""
    meeting = db.session.get(Meeting, message.params.get("meeting"))
    user = db.session.get(User, message.user_id)
    if meeting is None or user is None:
        return None
    rows = _task_rows(meeting, user)
    if not rows:
        return None  # all done meanwhile
    day = short_date(services.local_date(meeting))
    subject = _("Your tasks from %(title)s on %(date)s", title=meeting.series.name, date=day)
    return compose.render(
        "meeting_tasks",
        subject,
        name=user.name,
        series=meeting.series.name,
        day=day,
        tasks=rows,
        tasks_link=url_for("meetings.my_tasks", _external=True),
    )


def init_app(app) -> None:
    kinds.register("agenda", build_agenda, label=_l("Agenda"))
    kinds.register("minutes", build_minutes, label=_l("Minutes"))
    kinds.register("tasks", build_tasks, label=_l("Tasks from a meeting"))
