"""Meeting pages: list and archive, the agenda of one meeting, and the series (admins)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import caching, clock
from tracker.db import db, unit_of_work
from tracker.exceptions import ConflictError
from tracker.forms_support import save_form
from tracker.i18n import _
from tracker.items import queries as item_queries
from tracker.meetings import agenda, mails, permissions, queries, services
from tracker.meetings import series as series_services
from tracker.meetings.forms import (
    AddItemForm,
    FreeTopicForm,
    MoveMeetingForm,
    SeriesForm,
    VersionForm,
)
from tracker.meetings.models import AgendaEntry, Meeting, MeetingSeries

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.get("/")
@login_required
def index():
    """Show upcoming meetings and the archive."""
    page = db.paginate(queries.archive(), per_page=20, error_out=False)
    return render_template(
        "meetings/index.html",
        upcoming=queries.upcoming_meetings(),
        page=page,
        series=queries.all_series(),
    )


@bp.get("/<int:meeting_id>")
@login_required
def detail(meeting_id: int):
    """Show a meeting's agenda (or its minutes once closed)."""
    meeting = db.get_or_404(Meeting, meeting_id)

    def render_agenda() -> str:
        return render_template(
            "meetings/_detail.html",
            meeting=meeting,
            entries=queries.agenda_entries(meeting),
            can_run=permissions.can_run(current_user),
            can_moderate=permissions.is_moderator(current_user, meeting),
            can_manage=permissions.can_manage_series(current_user),
            free_form=FreeTopicForm(),
            add_form=AddItemForm(),
            move_form=MoveMeetingForm(version=meeting.version, starts_at=_local(meeting)),
            attendance=services.attendance_of(meeting) if meeting.is_closed else None,
        )

    # Outcomes and buttons depend on the viewer: every fragment's key holds the viewer.
    key = (meeting.id,)
    body = caching.fragment("agenda", key, render_agenda, with_forms=True)
    mailing = mails.panel(meeting, current_user)
    return render_template("meetings/detail.html", meeting=meeting, body=body, mailing=mailing)


def _local(meeting: Meeting):
    return meeting.starts_at.astimezone(clock.zone(meeting.series.timezone)).replace(tzinfo=None)


def _back(meeting: Meeting, anchor: str | None = None):
    target = request.form.get("back") or ""
    if target == "live":
        return redirect(url_for("meetings.live", meeting_id=meeting.id, _anchor=anchor))
    return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor=anchor))


@bp.post("/<int:meeting_id>/prepare")
@login_required
def prepare(meeting_id: int):
    """Build or refresh the agenda."""
    meeting = db.get_or_404(Meeting, meeting_id)
    with unit_of_work():
        added = agenda.prepare_agenda(meeting, actor=current_user)
    flash(_("Agenda prepared: %(n)d new entries.", n=len(added)), "success")
    return _back(meeting)


@bp.post("/<int:meeting_id>/topics")
@login_required
def add_topic(meeting_id: int):
    """Add a free topic to the agenda."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = FreeTopicForm()
    if form.validate_on_submit():
        with unit_of_work():
            agenda.add_free_topic(meeting, form.title.data, actor=current_user)
    else:
        flash(_("Please give the topic a title."), "danger")
    return _back(meeting)


@bp.post("/<int:meeting_id>/items")
@login_required
def add_item(meeting_id: int):
    """Put an item on the agenda by its reference number."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = AddItemForm()
    item = item_queries.visible_by_reference(form.reference.data or "", current_user)
    if not form.validate_on_submit() or item is None:
        flash(_("No item with this reference number."), "danger")
        return _back(meeting)
    with unit_of_work():
        agenda.add_item_entry(meeting, item, actor=current_user)
    return _back(meeting)


@bp.post("/entries/<int:entry_id>/move/<direction>")
@login_required
def move_entry(entry_id: int, direction: str):
    """Move an entry one place up or down."""
    entry = db.get_or_404(AgendaEntry, entry_id)
    with unit_of_work():
        agenda.move_entry(entry, -1 if direction == "up" else 1, actor=current_user)
    return _back(entry.meeting, anchor=f"entry-{entry.id}")


@bp.post("/entries/<int:entry_id>/remove")
@login_required
def remove_entry(entry_id: int):
    """Take an entry off the agenda."""
    entry = db.get_or_404(AgendaEntry, entry_id)
    form = VersionForm()
    form.validate_on_submit()
    try:
        with unit_of_work():
            agenda.remove_entry(entry, actor=current_user, expected_version=form.version.data)
    except ConflictError as exc:
        flash(exc.message, "warning")
    return _back(entry.meeting)


@bp.post("/entries/<int:entry_id>/restore")
@login_required
def restore_entry(entry_id: int):
    """Put a removed entry back on the agenda."""
    entry = db.get_or_404(AgendaEntry, entry_id)
    with unit_of_work():
        agenda.restore_entry(entry, actor=current_user)
    return _back(entry.meeting, anchor=f"entry-{entry.id}")


@bp.post("/<int:meeting_id>/move")
@login_required
def move(meeting_id: int):
    """Move a planned meeting (admins)."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = MoveMeetingForm()
    if not form.validate_on_submit():
        flash(_("Please give a valid date and time."), "danger")
        return _back(meeting)
    starts = form.starts_at.data.replace(tzinfo=clock.zone(meeting.series.timezone))
    with unit_of_work():
        services.move_meeting(
            meeting, actor=current_user, starts_at=starts, expected_version=form.version.data
        )
    flash(_("The meeting was moved."), "success")
    return _back(meeting)


@bp.post("/<int:meeting_id>/cancel")
@login_required
def cancel(meeting_id: int):
    """Cancel a planned meeting (admins); the series gets its next meeting."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = VersionForm()
    form.validate_on_submit()
    with unit_of_work():
        services.cancel_meeting(meeting, actor=current_user, expected_version=form.version.data)
    flash(_("The meeting was cancelled."), "info")
    return redirect(url_for("meetings.index"))


@bp.route("/series/new", methods=["GET", "POST"])
@bp.route("/series/<int:series_id>", methods=["GET", "POST"])
@login_required
def series_edit(series_id: int | None = None):
    """Create or change a meeting series (admins)."""
    if not permissions.can_manage_series(current_user):
        abort(403)
    series = db.get_or_404(MeetingSeries, series_id) if series_id else None
    form = SeriesForm(obj=series)
    if request.method == "GET" and series:
        form.roll_call.data = "\n".join(n.short_name for n in services.roll_call(series))
    return save_form(
        form,
        "meetings/series_edit.html",
        lambda: _save_series(form, series),
        "meetings.index",
        series=series,
    )


def _save_series(form: SeriesForm, series: MeetingSeries | None) -> MeetingSeries:
    values = {f: form[f].data for f in series_services.SERIES_FIELDS}
    for text in ("video_link", "standing_topics_start", "standing_topics_end"):
        values[text] = values[text] or ""
    return series_services.save_series(
        actor=current_user,
        series=series,
        expected_version=form.version.data,
        roll_call=(form.roll_call.data or "").splitlines(),
        **values,
    )


from tracker.meetings import (  # noqa: E402,F401  (routes on the same blueprint)
    decision_views,
    live_views,
    mail_views,
    task_views,
)
