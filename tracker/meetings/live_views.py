"""Live meeting mode and tasks (routes on the meetings blueprint)."""

from __future__ import annotations

from types import SimpleNamespace

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.auth.models import User
from tracker.auth.services import managers_of
from tracker.db import db, unit_of_work, utcnow
from tracker.exceptions import ConflictError, DuplicateSuspected, ServiceError
from tracker.forms_support import options
from tracker.i18n import _
from tracker.items.models import Item, ItemKind
from tracker.meetings import forms, live_render, queries, services
from tracker.meetings import live as outcomes
from tracker.meetings.forms import (
    EntryForm,
    EntryItemForm,
    QuickAddForm,
    TaskForm,
    assignee_choices,
)
from tracker.meetings.models import AgendaEntry, Meeting
from tracker.meetings.views import bp
from tracker.networks.models import Network
from tracker.routing import is_fetch
from tracker.submissions import services as submissions
from tracker.submissions.services import new_key


def _quick_form() -> QuickAddForm:
    """The quick-add form; who has no network of their own says which network reports."""
    form = QuickAddForm()
    form.responsible_network.choices = live_render.network_options(_("not yet decided"))
    form.reporting_network.choices = live_render.network_options("—")
    return form


@bp.app_template_global()
def entry_forms() -> SimpleNamespace:
    """The fields every entry of the live agenda renders, made once per answer."""
    made = request.environ  # the request's, not g: tests keep one app context across requests
    if "tracker.live_entry_forms" not in made:
        made["tracker.live_entry_forms"] = forms.entry_forms(live_render.network_options("—"))
    return made["tracker.live_entry_forms"]


@bp.get("/<int:meeting_id>/live")
@login_required
def live(meeting_id: int):
    """The one page for the whole call: one line per entry, the current one open with its forms."""
    meeting = db.get_or_404(Meeting, meeting_id)
    return _live_page(meeting, _quick_form())


def _live_page(meeting: Meeting, quick_form: QuickAddForm):
    opened = live_render.opened_ids(request.args.get("open"))
    return render_template(
        "meetings/live.html",
        meeting=meeting,
        can_run=live_render.can_run(),
        quick_form=quick_form,
        agenda=live_render.whole_agenda(meeting, opened),
        opened=sorted(opened),
        server_now=_server_now(),
    )


def _server_now() -> str:
    """The server's clock in milliseconds: the page's time box counts from it, not the PC's."""
    return str(int(utcnow().timestamp() * 1000))


@bp.get("/<int:meeting_id>/live/fragment")
@login_required
def live_fragment(meeting_id: int):
    """The agenda part of the live page, polled by the page; 304 while nothing changed.

    With ``since`` (the revision the page shows) the answer holds only the entries changed
    after it, and the attendance if it changed; else the whole agenda.
    """
    meeting = db.get_or_404(Meeting, meeting_id)
    args = request.args
    opened = live_render.opened_ids(args.get("open"))
    etag = f"m{meeting.id}-r{meeting.revision}"
    clock_header = {"X-Server-Now": _server_now()}
    since = args.get("since", type=int)
    if etag in request.if_none_match or since == meeting.revision:
        return "", 304, {"ETag": f'"{etag}"', **clock_header}
    context = None
    if since is not None:
        context = live_render.changes_context(
            meeting, since, args.get("layout"), args.get("attendance"), opened
        )
    if context is None:
        html = live_render.whole_agenda(meeting, opened)
    else:
        html = render_template("meetings/_live_agenda.html", **context)
    return html, 200, {"ETag": f'"{etag}"', "Cache-Control": "no-cache", **clock_header}


@bp.post("/<int:meeting_id>/start")
@login_required
def start(meeting_id: int):
    """Open live mode for everyone."""
    meeting = db.get_or_404(Meeting, meeting_id)
    with unit_of_work():
        services.start_meeting(meeting, actor=current_user)
    return redirect(url_for("meetings.live", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/close")
@login_required
def close(meeting_id: int):
    """Close the meeting: minutes frozen, undiscussed entries carry over."""
    meeting = db.get_or_404(Meeting, meeting_id)
    with unit_of_work():
        following = outcomes.close_meeting(meeting, actor=current_user)
    flash(_("The meeting is closed. Undiscussed entries go to the next meeting."), "success")
    if following is not None:
        flash(
            _("Next meeting: %(date)s.", date=services.local_date(following).strftime("%d.%m.%Y")),
            "info",
        )
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


def _entry_answer(entry: AgendaEntry, status: int = 200, conflict: dict | None = None):
    """Answer a live-mode change: the re-rendered entry for the page's script, else redirect."""
    if not is_fetch():
        if conflict:
            flash(
                _("Someone else changed this entry meanwhile. Please check and save again."),
                "warning",
            )
        return redirect(
            url_for("meetings.live", meeting_id=entry.meeting_id, _anchor=f"entry-{entry.id}")
        )
    return _entry_html(entry, conflict), status


def _entry_html(entry: AgendaEntry, conflict: dict | None = None) -> str:
    """The entry opened, with its forms, as the live page shows it."""
    visible = [entry_id for entry_id, *_rest in queries.agenda_layout(entry.meeting)]
    top = visible.index(entry.id) + 1 if entry.id in visible else None
    return render_template(
        "meetings/_entry.html",
        entry=entry,
        top=top,
        conflict=conflict,
        **live_render.entries_context(entry.meeting, frozenset([entry.id])),
    )


@bp.post("/entries/<int:entry_id>/outcome")
@login_required
def entry_outcome(entry_id: int):
    """Save an entry's discussed flag and decision (notes are each person's own: entry_note)."""
    entry = db.get_or_404(AgendaEntry, entry_id)
    form = EntryForm()
    if not form.validate_on_submit():
        return _error(_("Please check the input."), 400)
    try:
        with unit_of_work():
            outcomes.update_entry(
                entry,
                actor=current_user,
                expected_version=form.version.data,
                discussed=form.discussed.data,
                decision=form.decision.data or "",
            )
    except ConflictError:
        return _entry_answer(
            entry,
            409,
            conflict={"discussed": form.discussed.data, "decision": form.decision.data or ""},
        )
    return _entry_answer(entry)


@bp.post("/entries/<int:entry_id>/item")
@login_required
def entry_item(entry_id: int):
    """Change the entry's item in place: follow-up, hand-off, assignee, status."""
    entry = db.get_or_404(AgendaEntry, entry_id)
    form = EntryItemForm()
    form.responsible_network.choices = live_render.network_options("—")
    network_id = entry.item.responsible_network_id if entry.item else None
    form.assignee.choices = assignee_choices(managers_of(network_id))
    if not form.validate_on_submit():
        return _error(_("Please check the input."), 400)
    try:
        with unit_of_work():
            outcomes.update_item_in_meeting(
                entry,
                actor=current_user,
                expected_version=form.version.data,
                action=form.action.data or "",
                note=form.note.data or "",
                follow_up_date=form.follow_up_date.data,
                responsible_network=db.session.get(Network, form.responsible_network.data or 0),
                assignee=_user(form.assignee.data),
            )
    except ConflictError:
        return _entry_answer(entry, 409, conflict={"item": True})
    except ServiceError as exc:
        return _error(exc.message, exc.status_code, entry)
    return _entry_answer(entry)


def _user(user_id: int | None):
    return db.session.get(User, user_id) if user_id else None


def _error(message: str, status: int, entry: AgendaEntry | None = None):
    if is_fetch():
        return jsonify(error={"status": status, "message": message}), status
    flash(message, "danger")
    if entry is not None:
        return redirect(url_for("meetings.live", meeting_id=entry.meeting_id))
    return redirect(request.referrer or url_for("meetings.index"))


@bp.post("/<int:meeting_id>/attendance")
@login_required
def attendance(meeting_id: int):
    """Mark a network present or absent."""
    meeting = db.get_or_404(Meeting, meeting_id)
    network = db.get_or_404(Network, request.form.get("network", type=int) or 0)
    present = request.form.get("present") in ("y", "1", "on")
    with unit_of_work():
        outcomes.set_attendance(meeting, network, present, actor=current_user)
    if is_fetch():
        return jsonify(ok=True)
    return redirect(url_for("meetings.live", meeting_id=meeting.id))


@bp.post("/entries/<int:entry_id>/tasks")
@login_required
def add_task(entry_id: int):
    """Raise a task on an agenda entry."""
    entry = db.get_or_404(AgendaEntry, entry_id)
    form = TaskForm()
    form.owner.choices = options([(None, "—")] + [(u.id, u.name) for u in live_render.people()])
    if not form.validate_on_submit():
        return _error(_("A task needs a title and a responsible person."), 400, entry)
    with unit_of_work():
        outcomes.add_task(
            entry.meeting,
            actor=current_user,
            title=form.title.data,
            owner=_user(form.owner.data),
            due_date=form.due_date.data,
            entry=entry,
        )
    return _entry_answer(entry)


@bp.post("/<int:meeting_id>/quick-add")
@login_required
def quick_add(meeting_id: int):
    """Register an item raised in the meeting; it appears on the agenda at once."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = _quick_form()
    if not form.validate_on_submit():
        return _error(_("A new item needs a title and a company."), 400)
    try:
        with unit_of_work():
            earlier, item = _quick_add(meeting, form)
    except DuplicateSuspected as exc:
        return _duplicate(exc, meeting, form)
    if earlier is not None:
        return _quick_added(db.session.get(Item, int(earlier or 0)), meeting_id, again=True)
    return _quick_added(item, meeting_id)


def _quick_add(meeting: Meeting, form: QuickAddForm) -> tuple[str | None, Item | None]:
    """What a resent form made before, or the item made now (with its form key)."""
    earlier, claim = submissions.claim(form.submission_key.data, current_user)
    if earlier is not None:
        return earlier, None
    item = outcomes.quick_add(
        meeting,
        actor=current_user,
        title=form.title.data,
        company_name=form.company_name.data,
        kind=ItemKind(form.kind.data),
        responsible_network_id=form.responsible_network.data,
        reporting_network_id=form.reporting_network.data,
        allow_duplicate=form.allow_duplicate.data == "y",
    )
    submissions.done(claim, item.id)
    return None, item


def _quick_added(item: Item | None, meeting_id: int, again: bool = False):
    """Answer a quick-add with the new item; a resend is answered with the item it made."""
    if item is None:  # a resend whose first send made nothing that still exists
        return _error(_("This form was sent before."), 409)
    answer = dict(reference=item.reference, id=item.id, company=item.company.name)
    if is_fetch():
        answer["message"] = _(
            "%(ref)s added (%(company)s).", ref=answer["reference"], company=answer["company"]
        )
        answer["url"] = url_for("items.detail", item_id=answer["id"])
        answer["next_key"] = new_key()
        return jsonify(answer)
    if again:
        flash(_("This form was sent before; the item was created then."), "info")
    else:
        flash(_("Item %(ref)s was created.", ref=answer["reference"]), "success")
    return redirect(url_for("meetings.live", meeting_id=meeting_id))


def _duplicate(exc: DuplicateSuspected, meeting: Meeting, form: QuickAddForm):
    """Answer a quick-add that would repeat an open item: say which, ask to send again.

    Without the page's script the live page comes back with the input and the second yes set.
    """
    if is_fetch():
        url = url_for("items.detail", item_id=exc.item_id)
        error = dict(status=409, message=exc.message, duplicate=exc.reference, url=url)
        return jsonify(error=error), 409
    flash(exc.message, "warning")
    form.allow_duplicate.data = "y"
    return _live_page(meeting, form), 409


from tracker.meetings import steering_views  # noqa: E402,F401  (its routes use the helpers above)
