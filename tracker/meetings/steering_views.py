"""The live page's steering and its opened entries: current entry, hand-over, own notes."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_login import current_user, login_required

from tracker.auth.models import User
from tracker.db import db, unit_of_work
from tracker.exceptions import ConflictError, ServiceError, ValidationFailed
from tracker.i18n import _
from tracker.meetings import notes, steering
from tracker.meetings.forms import NoteForm
from tracker.meetings.live_views import _entry_answer, _entry_html, _error
from tracker.meetings.models import AgendaEntry, Meeting
from tracker.meetings.views import bp
from tracker.routing import is_fetch


@bp.get("/entries/<int:entry_id>/live")
@login_required
def entry_live(entry_id: int):
    """One entry opened with its notes and forms (a line of the live agenda opened)."""
    entry = db.get_or_404(AgendaEntry, entry_id)
    if entry.removed:
        abort(404)
    if not is_fetch():
        return redirect(
            url_for(
                "meetings.live",
                meeting_id=entry.meeting_id,
                open=entry.id,
                _anchor=f"entry-{entry.id}",
            )
        )
    return _entry_html(entry)


@bp.post("/entries/<int:entry_id>/note")
@login_required
def entry_note(entry_id: int):
    """Save the viewer's own note on an entry; the others' notes stay as they are."""
    entry = db.get_or_404(AgendaEntry, entry_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _error(_("Please check the input."), 400, entry)
    try:
        with unit_of_work():
            notes.save_note(
                entry,
                actor=current_user,
                text=form.note.data or "",
                expected_version=form.version.data,
            )
    except ConflictError:
        return _entry_answer(entry, 409, conflict={"note": form.note.data or ""})
    except ServiceError as exc:
        return _error(exc.message, exc.status_code, entry)
    return _entry_answer(entry)


@bp.post("/<int:meeting_id>/current")
@login_required
def set_current(meeting_id: int):
    """Make an entry the one being discussed: the participants' pages follow it."""
    meeting = db.get_or_404(Meeting, meeting_id)
    entry = db.get_or_404(AgendaEntry, request.form.get("entry", type=int) or 0)
    with unit_of_work():
        steering.set_current(meeting, entry, actor=current_user)
    if is_fetch():
        return jsonify(current=entry.id)
    return redirect(url_for("meetings.live", meeting_id=meeting.id, _anchor=f"entry-{entry.id}"))


@bp.post("/<int:meeting_id>/moderator")
@login_required
def hand_over(meeting_id: int):
    """Hand the meeting to another moderator, or back to the coordination office."""
    meeting = db.get_or_404(Meeting, meeting_id)
    person_id = request.form.get("moderator", type=int)
    person = db.get_or_404(User, person_id) if person_id else None
    try:
        with unit_of_work():
            steering.hand_over(meeting, person, actor=current_user)
    except ValidationFailed as exc:
        return _error(exc.message, 400, None)
    flash(
        _(
            "The meeting is steered by %(name)s.",
            name=person.name if person else _("Coordination office"),
        ),
        "success",
    )
    return redirect(url_for("meetings.live", meeting_id=meeting.id))
