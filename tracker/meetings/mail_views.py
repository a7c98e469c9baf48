"""Meeting mails (meetings blueprint): sending the agenda and (again) the minutes,
answering attendance links, the series' distribution list of informed recipients."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from tracker.db import db, unit_of_work
from tracker.exceptions import ValidationFailed
from tracker.forms_support import apply_error
from tracker.i18n import _, ngettext
from tracker.meetings import attendance_replies, mails
from tracker.meetings.mail_forms import ConfirmForm, DocumentMailForm, InformedRecipientForm
from tracker.meetings.models import InformedRecipient, Meeting, MeetingSeries
from tracker.meetings.permissions import can_manage_series
from tracker.meetings.views import bp


def _office_only() -> None:
    if not can_manage_series(current_user):
        abort(403)


@bp.route("/<int:meeting_id>/agenda-mail", methods=["GET", "POST"])
@login_required
def send_agenda(meeting_id: int):
    """Show who gets the agenda; on confirmation, send it (coordination office)."""
    _office_only()
    meeting = db.get_or_404(Meeting, meeting_id)
    form = DocumentMailForm()
    if form.validate_on_submit():
        with unit_of_work():
            count = mails.send_agenda(meeting, actor=current_user, variant=form.variant.data)
        flash(
            ngettext(
                "The agenda is on its way to %(num)d recipient.",
                "The agenda is on its way to %(num)d recipients.",
                count,
            ),
            "success",
        )
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template(
        "meetings/send_agenda.html",
        meeting=meeting,
        form=form,
        recipients=mails.agenda_recipients(meeting),
        informed=mails.informed_recipients(meeting.series),
        sendings=[s for s in mails.sendings(meeting) if s.kind == "agenda"],
    )


@bp.route("/<int:meeting_id>/minutes-mail", methods=["GET", "POST"])
@login_required
def send_minutes(meeting_id: int):
    """Show who gets the minutes; on confirmation, send them again (coordination office)."""
    _office_only()
    meeting = db.get_or_404(Meeting, meeting_id)
    form = DocumentMailForm(variant="distribution")
    if form.validate_on_submit():
        with unit_of_work():
            count = mails.send_minutes(meeting, actor=current_user, variant=form.variant.data)
        flash(
            ngettext(
                "The minutes are on their way to %(num)d recipient.",
                "The minutes are on their way to %(num)d recipients.",
                count,
            ),
            "success",
        )
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template(
        "meetings/send_minutes.html",
        meeting=meeting,
        form=form,
        recipients=mails.participants(meeting),
        informed=mails.informed_recipients(meeting.series),
        sendings=[s for s in mails.sendings(meeting) if s.kind == "minutes"],
    )


@bp.route("/attendance/<token>", methods=["GET", "POST"])
def attendance_reply(token: str):
    """An attendance link: GET asks (link scanners open links), POST records the answer."""
    try:
        answer = attendance_replies.read(token)
    except attendance_replies.LinkRefused as refused:
        return render_template("meetings/attendance_reply.html", refused=refused), refused.status
    previous = attendance_replies.reply_for(token)
    form = ConfirmForm()
    if previous is None and form.validate_on_submit():
        try:
            previous = _record(token)
        except attendance_replies.LinkRefused as refused:  # expired meanwhile
            return render_template(
                "meetings/attendance_reply.html", refused=refused
            ), refused.status
        if previous is None:
            return render_template("meetings/attendance_reply.html", answer=answer, done=True)
    return render_template(
        "meetings/attendance_reply.html", answer=answer, previous=previous, form=form
    )


def _record(token: str):
    """Record the link's answer; the reply already recorded with it, if one was."""
    user = current_user if current_user.is_authenticated else None
    try:
        with unit_of_work():
            previous = attendance_replies.reply_for(token)
            if previous is None:
                attendance_replies.record(attendance_replies.read(token), user=user)
    except IntegrityError:  # the same link sent twice at once: the other answer counted
        return attendance_replies.reply_for(token)
    return previous


@bp.route("/series/<int:series_id>/informed", methods=["GET", "POST"])
@login_required
def informed(series_id: int):
    """The series' distribution list: people without a login who get the minutes."""
    _office_only()
    series = db.get_or_404(MeetingSeries, series_id)
    form = InformedRecipientForm()
    status = 200
    if form.validate_on_submit():
        try:
            with unit_of_work():
                mails.add_informed(
                    series,
                    actor=current_user,
                    email=form.email.data,
                    name=form.name.data or "",
                    locale=form.locale.data,
                )
        except ValidationFailed as exc:
            apply_error(form, exc)
        else:
            flash(_("%(email)s gets the minutes of this series.", email=form.email.data), "success")
            return redirect(url_for("meetings.informed", series_id=series.id))
    if form.is_submitted():
        status = 400
    return render_template(
        "meetings/informed.html",
        series=series,
        form=form,
        recipients=mails.informed_recipients(series),
        remove_form=ConfirmForm(),
    ), status


@bp.post("/series/<int:series_id>/informed/<int:recipient_id>/remove")
@login_required
def informed_remove(series_id: int, recipient_id: int):
    """Take someone off the series' distribution list."""
    _office_only()
    recipient = db.get_or_404(InformedRecipient, recipient_id)
    if recipient.series_id != series_id:
        abort(404)
    email = recipient.email
    with unit_of_work():
        mails.remove_informed(recipient, actor=current_user)
    flash(_("%(email)s no longer gets the minutes of this series.", email=email), "info")
    return redirect(url_for("meetings.informed", series_id=series_id))
