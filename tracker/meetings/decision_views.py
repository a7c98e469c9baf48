"""The decisions and tasks of a meeting series, filtered and searchable, and as XLSX."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, render_template, request
from flask_babel import format_date, get_locale
from flask_login import current_user, login_required
from openpyxl import Workbook

from tracker import clock
from tracker.db import db
from tracker.downloads import download
from tracker.exports import tables as exports
from tracker.forms_support import options
from tracker.i18n import _
from tracker.meetings import decisions
from tracker.meetings.decision_forms import DecisionFilterForm
from tracker.meetings.models import MeetingSeries
from tracker.meetings.views import bp
from tracker.networks.services import active_networks
from tracker.topics.services import all_topics

PER_PAGE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_WEEKS = 8


def _form() -> DecisionFilterForm:
    form = DecisionFilterForm(request.args)
    everyone = [(None, _("All"))]
    form.network.choices = options(everyone + [(n.id, n.short_name) for n in active_networks()])
    form.topic.choices = options(everyone + [(t.id, t.name) for t in all_topics()])
    return form


def _filter(form: DecisionFilterForm) -> decisions.DecisionFilter | None:
    """The filter the form asks for; None when a value is not valid (the page says which)."""
    if request.args and not form.validate():
        return None
    return decisions.DecisionFilter(
        company=(form.company.data or "").strip(),
        network_id=form.network.data,
        topic_id=form.topic.data,
        since=form.since.data,
        until=form.until.data,
        text=(form.q.data or "").strip(),
    )


@bp.get("/series/<int:series_id>/decisions")
@login_required
def decisions_page(series_id: int):
    """Every decision and task of the series' meetings that the viewer may see."""
    series = db.get_or_404(MeetingSeries, series_id)
    form = _form()
    flt = _filter(form)
    page = None
    if flt is not None:
        stmt = decisions.statement(current_user, flt, series_id=series.id)
        page = db.paginate(stmt, per_page=PER_PAGE, error_out=False, max_per_page=PER_PAGE)
        page.items = decisions.with_tasks(page.items)
    recent = clock.today() - timedelta(weeks=RECENT_WEEKS)
    return render_template(
        "meetings/decisions.html",
        series=series,
        form=form,
        page=page,
        recent=recent.isoformat(),
    ), (200 if flt is not None else 400)


@bp.get("/series/<int:series_id>/decisions.xlsx")
@login_required
def decisions_xlsx(series_id: int):
    """The decisions page's list as a workbook: decisions on one sheet, tasks on another."""
    series = db.get_or_404(MeetingSeries, series_id)
    flt = _filter(_form())
    if flt is None:
        abort(400)
    stmt = decisions.statement(current_user, flt, series_id=series.id)
    found = decisions.with_tasks(
        db.session.scalars(stmt.limit(decisions.EXPORT_LIMIT)).unique().all()
    )
    formats = exports.FORMATS.get(str(get_locale()), exports.FORMATS["de"])
    book = Workbook(write_only=True)
    exports.table_sheet(book, _("Decisions"), *_decision_table(found), formats)
    exports.table_sheet(book, _("Tasks"), *_task_table(found), formats)
    name = _("decisions") + f"-{clock.today().isoformat()}.xlsx"
    return download(exports.save(book), XLSX_TYPE, name)


def _about(decision: decisions.Decision) -> list:
    item, entry = decision.item, decision.entry
    return [
        clock.local_day(decision.meeting.starts_at),
        item.reference if item else "",
        item.title if item else entry.title,
        item.company.name if item else "",
        (item.responsible_network.short_name if item and item.responsible_network else "")
        or (entry.network.short_name if entry.network else ""),
    ]


def _decision_table(found: list[decisions.Decision]) -> tuple[list, list]:
    headers = [_("Meeting"), _("Item"), _("Title"), _("Company"), _("Network"), _("Decision")]
    headers.append(_("Tasks"))
    rows = [
        [*_about(d), d.entry.decision, "\n".join(_task_line(t) for t in d.tasks)] for d in found
    ]
    return headers, rows


def _task_line(task) -> str:
    due = f" ({format_date(task.due_date)})" if task.due_date else ""
    return f"{task.title} – {task.owner.name}{due}"


def _task_table(found: list[decisions.Decision]) -> tuple[list, list]:
    headers = [_("Meeting"), _("Item"), _("Title"), _("Company"), _("Network"), _("Task")]
    headers += [_("Owner"), _("Due"), _("Done")]
    rows = [
        [
            *_about(d),
            t.title,
            t.owner.name,
            t.due_date,
            clock.local_day(t.done_at) if t.done_at else None,
        ]
        for d in found
        for t in d.tasks
    ]
    return headers, rows


@bp.app_template_global()
def latest_decisions(**where: int) -> list[decisions.Decision]:
    """The newest decisions about an item (``item_id``) or a company (``company_id``)."""
    return decisions.latest(current_user, **where)
