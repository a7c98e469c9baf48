"""Download routes for meeting agendas, minutes and calendars."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user, login_required

from tracker.db import db, unit_of_work
from tracker.downloads import download
from tracker.exceptions import TemporarilyUnavailable, ValidationFailed
from tracker.exports import docx, ical, markdown, pdf, pdf_slots
from tracker.exports.data import VARIANTS
from tracker.i18n import _, _l, get_locale
from tracker.meetings import series as series_services
from tracker.meetings.documents import MeetingDocument, build_document, build_series_calendar
from tracker.meetings.models import Meeting, MeetingSeries

bp = Blueprint("meeting_exports", __name__, url_prefix="/meetings")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CALENDAR_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"

# Lazy: shown in the interface's language, not in the language asked for the export.
PDF_BUSY = _l("Other PDFs are being created right now. Please try again in a few seconds.")
PDF_FAILED = _l(
    "The PDF could not be created in time. Please try again in a minute; the Word and "
    "Markdown versions of the document are available meanwhile."
)
BUSY_RETRY_SECONDS = 5
FAILED_RETRY_SECONDS = 60


def _pdf(doc: MeetingDocument) -> bytes:
    html = render_template("exports/meeting.html", doc=doc)
    config = current_app.config
    started = time.monotonic()
    try:
        with pdf_slots.render_slot(
            Path(current_app.instance_path, "pdf-locks"),
            user=str(current_user.get_id()),
            slots=int(config["PDF_CONCURRENCY"]),
            wait=min(float(config["PDF_QUEUE_SECONDS"]), float(config["PDF_TIMEOUT"]) / 2),
        ):
            left = float(config["PDF_TIMEOUT"]) - (time.monotonic() - started)
            return pdf.render(
                html,
                static_folder=current_app.static_folder,
                timeout=left,
                memory_mb=int(config["PDF_MEMORY_MB"]),
            )
    except pdf_slots.PdfBusy:
        raise TemporarilyUnavailable(PDF_BUSY, retry_after=BUSY_RETRY_SECONDS) from None
    except pdf.PdfError as exc:
        current_app.logger.warning("PDF %s not made: %s", request.path, exc)
        raise TemporarilyUnavailable(PDF_FAILED, retry_after=FAILED_RETRY_SECONDS) from exc


def _docx(doc: MeetingDocument) -> bytes:
    return docx.render(doc, author=current_app.config["ORGANISATION_NAME"])


RENDERERS: dict[str, tuple[Callable[[MeetingDocument], bytes | str], str]] = {
    "pdf": (_pdf, "application/pdf"),
    "docx": (_docx, DOCX_TYPE),
    "md": (markdown.render, "text/markdown; charset=utf-8"),
}


def export_locale() -> str:
    """The language asked for with ?lang=, else the user's interface language."""
    wanted = request.args.get("lang", "")
    return wanted if wanted in current_app.config["LANGUAGES"] else str(get_locale())


def export_variant() -> str:
    """The copy asked for with ?variant=: distribution or internal (the default)."""
    wanted = request.args.get("variant", "internal")
    if wanted not in VARIANTS:
        raise ValidationFailed(_("Unknown version of the document: distribution or internal."))
    return wanted


@bp.get("/<int:meeting_id>/<any(agenda, minutes):kind>.<any(pdf, docx, md):fmt>")
@login_required
def document(meeting_id: int, kind: str, fmt: str):
    """Download a meeting's agenda or minutes as PDF, Word or Markdown, in either copy."""
    meeting = db.get_or_404(Meeting, meeting_id)
    render, mimetype = RENDERERS[fmt]
    variant = export_variant()
    with force_locale(export_locale()):
        doc = build_document(meeting, viewer=current_user, kind=kind, variant=variant)
        body = render(doc)
    return download(body, mimetype, f"{doc.filename_stem}.{fmt}")


@bp.get("/<int:meeting_id>/invitation.ics")
@login_required
def invitation(meeting_id: int):
    """Download a calendar invitation for one meeting, its agenda in the description."""
    meeting = db.get_or_404(Meeting, meeting_id)
    with force_locale(export_locale()):
        doc = build_document(meeting, viewer=current_user, kind="agenda")
    filename = f"{doc.title}-{doc.starts_at:%Y-%m-%d}.ics"
    return download(ical.meeting_invitation(doc), CALENDAR_TYPE, filename)


@bp.get("/series/<int:series_id>/feed.ics")
@login_required
def series_feed(series_id: int):
    """Download a series as a calendar with its weekly recurrence."""
    return _series_calendar(db.get_or_404(MeetingSeries, series_id))


@bp.get("/series/feed/<token>.ics")
def series_subscribed_feed(token: str):
    """The series' feed for calendar apps: no login, the secret address is the key."""
    series = series_services.series_for_feed(token)
    if series is None:
        abort(404)
    return _series_calendar(series)


def _series_calendar(series: MeetingSeries):
    data, meetings = build_series_calendar(series)
    return download(ical.series_feed(data, meetings), CALENDAR_TYPE, f"{series.name}.ics")


@bp.route("/series/<int:series_id>/subscription", methods=["GET", "POST"])
@login_required
def series_subscription(series_id: int):
    """The series' secret subscription address; the coordination office creates and renews it."""
    series = db.get_or_404(MeetingSeries, series_id)
    if request.method == "POST":
        renewed = series.feed_token is not None
        with unit_of_work():
            series_services.renew_feed_token(series, actor=current_user)
        flash(_("The series has a new subscription address. The old one no longer works.")
              if renewed else _("The series has a subscription address."), "success")  # fmt: skip
        return redirect(url_for("meeting_exports.series_subscription", series_id=series.id))
    token = series.feed_token
    url = token and url_for("meeting_exports.series_subscribed_feed", token=token, _external=True)
    return render_template("meetings/subscription.html", series=series, feed_url=url)
