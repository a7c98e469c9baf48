"""Routes of register exports, saved views, funder reports and calendar feeds."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_login import current_user, login_required

from tracker import clock
from tracker.db import db, unit_of_work
from tracker.downloads import download
from tracker.exports import tables as exports
from tracker.forms_support import attempt
from tracker.i18n import _, get_locale
from tracker.items import choices, saved_views
from tracker.items.forms import ItemFilterForm
from tracker.networks.models import Network
from tracker.reports import documents, feeds, figures, register, report_files, services
from tracker.reports.forms import ALL_NETWORKS, SavedViewForm, report_form
from tracker.routing import safe_next

bp = Blueprint("reports", __name__, url_prefix="/reports")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _formats() -> exports.Formats:
    return exports.FORMATS.get(str(get_locale()), exports.FORMATS["de"])


@bp.get("/register.<any(csv, xlsx):fmt>")
@login_required
def register_export(fmt: str):
    """Download exactly the filtered register list (all pages) as CSV or XLSX.

    ``?columns=description&columns=resolution_note&columns=contact`` adds those columns.
    """
    form = ItemFilterForm(request.args)
    choices.fill_filter_form(form)
    flt = choices.filter_from_form(form, request.args)
    today = clock.today()
    extra = register.chosen_columns(request.args.getlist("columns"))
    rows = register.register_rows(flt, current_user, today, extra)
    headers = register.register_headers(extra)
    name = f"{_('Register')}-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        body = exports.table_csv(headers, rows, _formats())
        return download(body, "text/csv; charset=utf-8", name)
    return download(exports.table_xlsx(_("Register"), headers, rows, _formats()), XLSX_TYPE, name)


@bp.app_template_global()
def query_pairs(query: str) -> list[tuple[str, str]]:
    """A filter's parameters, for the hidden fields of a form that sends it on."""
    return parse_qsl(query)


def register_url(query: str) -> str:
    """The register list with a saved filter."""
    query = saved_views.clean_query(query)
    return url_for("items.index") + (f"?{query}" if query else "")


def _views_page(form: SavedViewForm, status: int = 200):
    views = saved_views.visible_views(current_user)
    return render_template("reports/views.html", form=form, views=views), status


@bp.get("/views")
@login_required
def views():
    """List the own and shared views; offer to save the filter given as ?query=."""
    return _views_page(SavedViewForm(query=saved_views.clean_query(request.args.get("query", ""))))


@bp.post("/views")
@login_required
def save_view():
    """Save the register's current filter under a name; errors keep the input."""
    form = SavedViewForm()
    if form.validate_on_submit():
        saved = attempt(
            form,
            lambda: saved_views.save_view(
                owner=current_user,
                name=form.name.data,
                query=form.query.data or "",
                shared=form.shared.data,
            ),
        )
        if saved.done:
            flash(_("The view “%(name)s” was saved.", name=saved.value.name), "success")
            return redirect(register_url(saved.value.query))
    return _views_page(form, 400)


@bp.get("/views/<int:view_id>")
@login_required
def open_view(view_id: int):
    """Open a saved view: the register list with its filter."""
    view = saved_views.find_view(view_id, current_user)
    if view is None:
        abort(404)
    return redirect(register_url(view.query))


@bp.post("/views/<int:view_id>/delete")
@login_required
def delete_view(view_id: int):
    """Delete one of the user's own views."""
    view = saved_views.find_view(view_id, current_user)
    if view is None:
        abort(404)
    name = view.name
    with unit_of_work():
        saved_views.delete_view(view, actor=current_user)
    flash(_("The view “%(name)s” was deleted.", name=name), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("reports.views"))


def _without_imported() -> bool:
    """Whether the report leaves out the items imported from a register's file."""
    return request.args.get("without_imported") in ("y", "1", "on", "true")


def _report_shown(choice: int | str, quarter: figures.Quarter, without: bool) -> dict:
    """What the report page shows for one network, or for all of them side by side."""
    if choice == ALL_NETWORKS:
        initiative = figures.initiative_report(
            quarter, current_user, _("(no topic)"), without_imported=without
        )
        report = initiative.total
        shown = dict(initiative=initiative, side_by_side=documents.network_table(initiative))
    else:
        network = db.get_or_404(Network, choice)
        report = figures.network_report(
            network, quarter, current_user, _("(no topic)"), without_imported=without
        )
        shown = {}
    summary, breakdowns = documents.summary(report), documents.breakdowns(report)
    return dict(shown, report=report, summary=summary, breakdowns=breakdowns)


@bp.get("/")
@login_required
def index():
    """Pick a network (or all) and a quarter, see the funders' figures and download them."""
    today = clock.today()
    form = report_form(request.args, current_user, today)
    shown = {}
    if form.network.data and form.validate():
        quarter = figures.Quarter.parse(form.quarter.data)
        shown = _report_shown(form.network.data, quarter, bool(form.without_imported.data))
    status = 400 if form.errors else 200
    return render_template("reports/index.html", form=form, **shown), status


def _quarter_or_404(quarter: str) -> figures.Quarter:
    period = figures.Quarter.parse(quarter)
    if period is None:
        abort(404)
    return period


def _report_download(doc: report_files.ReportDocument, stem: str, fmt: str):
    name = "{}-{}.{}".format(_("Report"), stem, fmt)
    if fmt == "xlsx":
        return download(report_files.report_xlsx(doc, _formats()), XLSX_TYPE, name)
    return download(report_files.report_docx(doc, _formats().date_pattern), DOCX_TYPE, name)


@bp.get("/networks/<int:network_id>/<quarter>.<any(xlsx, docx):fmt>")
@login_required
def report_file(network_id: int, quarter: str, fmt: str):
    """Download a network's quarterly report as XLSX or DOCX."""
    network = db.get_or_404(Network, network_id)
    period = _quarter_or_404(quarter)
    report = figures.network_report(
        network, period, current_user, _("(no topic)"), without_imported=_without_imported()
    )
    doc = documents.report_document(report, clock.today())
    return _report_download(doc, f"{network.short_name}-{period}", fmt)


@bp.get("/initiative/<quarter>.<any(xlsx, docx):fmt>")
@login_required
def initiative_file(quarter: str, fmt: str):
    """Download the initiative's quarterly report, the networks side by side, as XLSX or DOCX."""
    period = _quarter_or_404(quarter)
    initiative = figures.initiative_report(
        period, current_user, _("(no topic)"), without_imported=_without_imported()
    )
    doc = documents.initiative_document(initiative, clock.today())
    return _report_download(doc, f"{_('all-networks')}-{period}", fmt)


@bp.get("/calendar")
@login_required
def calendar():
    """Show the user's secret calendar address, with buttons to renew or revoke it."""
    token = current_user.calendar_token
    feed_url = url_for("reports.calendar_feed", token=token, _external=True) if token else None
    return render_template("reports/calendar.html", feed_url=feed_url)


@bp.post("/calendar")
@login_required
def renew_calendar():
    """Create or renew the calendar address; the old one stops working."""
    had_one = current_user.calendar_token is not None
    with unit_of_work():
        services.renew_calendar_token(current_user)
    if had_one:
        flash(_("Your calendar has a new address. The old one no longer works."), "success")
    else:
        flash(_("Your calendar has an address: add it to your calendar app."), "success")
    return redirect(url_for("reports.calendar"))


@bp.post("/calendar/revoke")
@login_required
def revoke_calendar():
    """Switch the calendar feed off."""
    with unit_of_work():
        services.revoke_calendar_token(current_user)
    flash(_("Your calendar address was revoked."), "success")
    return redirect(url_for("reports.calendar"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """The feed for calendar apps: no login, the secret address is the key."""
    user = services.calendar_owner(token)
    if user is None:
        abort(404)
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        entries = services.calendar_entries(
            user,
            lambda item_id: url_for("items.detail", item_id=item_id, _external=True),
            url_for("meetings.my_tasks", _external=True),
        )
        body = feeds.calendar_feed(_("Needs register: %(name)s", name=user.name), entries)
    response = Response(body, content_type=CALENDAR_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response
