"""Routes of the register import: upload → mapping → dry run → import (coordination office)."""

from __future__ import annotations

from types import SimpleNamespace

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_required

from tracker.db import db
from tracker.exceptions import ValidationFailed
from tracker.forms_support import apply_error
from tracker.i18n import _
from tracker.imports import cli, jobs, planning
from tracker.imports.forms import (
    COMPANY,
    NETWORK_VALUE,
    TOPIC_VALUE,
    MappingForm,
    UploadForm,
    fill_networks,
    read_choices,
)
from tracker.imports.mapping import column_letter, guess_mapping, preview
from tracker.imports.reader import ReadError, pack, unpack
from tracker.imports.rows import Problem
from tracker.items.queries import items_by_id
from tracker.networks import services as networks
from tracker.networks.models import Network
from tracker.topics import services as topics

bp = Blueprint("imports", __name__, url_prefix="/import")
bp.cli.help = "Import a register from CSV or XLSX."
bp.cli.add_command(cli.run_command)


def web_max_rows() -> int:
    """Rows a web upload may have (IMPORT_WEB_MAX_ROWS); the command line has no limit."""
    return int(current_app.config["IMPORT_WEB_MAX_ROWS"])


@bp.before_request
@login_required
def _admins_only():
    if not current_user.is_admin:
        abort(403)


def _upload_form() -> UploadForm:
    form = UploadForm()
    fill_networks(form.network, networks.active_networks())
    return form


def _mapping_form(**data) -> MappingForm:
    form = MappingForm(**data)
    fill_networks(form.network, networks.active_networks())
    return form


@bp.get("/")
def upload():
    """Show the upload form."""
    return render_template("imports/upload.html", form=_upload_form())


@bp.post("/")
def upload_post():
    """Read the uploaded file and show the column mapping with the guesses filled in."""
    form = _upload_form()
    if not form.validate_on_submit():
        return render_template("imports/upload.html", form=form), 400
    data = form.file.data.read()
    filename = form.file.data.filename or ""
    try:
        upload = _read(data, filename)
    except ReadError as exc:
        apply_error(form, exc)
        return render_template("imports/upload.html", form=form), 400
    guesses = guess_mapping(upload.table.headers)
    mapping_form = _mapping_form(
        formdata=None,
        payload=pack(data),
        filename=filename,
        network=form.network.data,
        columns=[guesses.get(i, "") for i in range(len(upload.table.headers))],
    )
    return _mapping_page(mapping_form, upload)


def _mapping_page(form: MappingForm, upload: planning.Upload, status: int = 200):
    rows = preview(upload.table)
    samples = [[t[i] for _n, t in rows if t[i]][:3] for i in range(len(upload.table.headers))]
    return render_template(
        "imports/mapping.html",
        form=form,
        upload=upload,
        preview=rows,
        samples=samples,
        letter=column_letter,
    ), status


def _restart(exc: ReadError):
    form = _upload_form()
    form.form_errors.append(exc.message)
    return render_template("imports/upload.html", form=form), 400


def _read(data: bytes, filename: str) -> planning.Upload:
    upload = planning.read_upload(data, filename)
    if len(upload.table.rows) > web_max_rows():
        raise ReadError(
            _(
                "The file has more than %(limit)d rows. Please split it, or import it on the "
                "command line.",
                limit=web_max_rows(),
            )
        )
    return upload


def _submitted() -> tuple[MappingForm, planning.Upload]:
    """The mapping form as sent, and the file it carries (ReadError when that is lost)."""
    form = _mapping_form()
    return form, _read(unpack(form.payload.data), form.filename.data or "")


@bp.post("/mapping")
def mapping():
    """Show the mapping again, as it was sent, to change it."""
    try:
        form, upload = _submitted()
    except ReadError as exc:
        return _restart(exc)
    return _mapping_page(form, upload)


def _options(form: MappingForm, upload: planning.Upload) -> dict:
    return dict(
        mapping=form.column_mapping(len(upload.table.headers)),
        network=db.session.get(Network, form.network.data),
        default_kind=form.kind(),
        choices=read_choices(request.form),
        filename=form.filename.data or "",
    )


def _check_page(form: MappingForm, upload: planning.Upload, plan: planning.Plan):
    return render_template(
        "imports/check.html",
        form=form,
        upload=upload,
        plan=plan,
        networks=networks.active_networks(),
        topics=topics.all_topics(),
        names={"network": NETWORK_VALUE, "topic": TOPIC_VALUE, "company": COMPANY},
    )


@bp.post("/check")
def check():
    """Run the dry run: show what would be created and every row's problems; save nothing."""
    try:
        form, upload = _submitted()
    except ReadError as exc:
        return _restart(exc)
    if not form.validate_on_submit():
        return _mapping_page(form, upload, 400)
    try:
        plan = planning.plan_import(upload.table, **_options(form, upload))
    except ValidationFailed as exc:
        apply_error(form, exc)
        return _mapping_page(form, upload, 400)
    return _check_page(form, upload, plan)


@bp.post("/run")
def run():
    """Start importing the valid rows of the file and answer at once with its progress page."""
    try:
        form, upload = _submitted()
    except ReadError as exc:
        return _restart(exc)
    if not form.validate_on_submit():
        return _mapping_page(form, upload, 400)
    options = _options(form, upload)
    network = options.pop("network")
    if network is None:
        form.network.errors.append(_("Please choose the reporting network."))
        return _mapping_page(form, upload, 400)
    job = jobs.start(
        upload, actor=current_user, network=network, locale=str(get_locale()), **options
    )
    return redirect(url_for("imports.progress", token=job.token), 303)


def _job(token: str) -> jobs.Job:
    job = jobs.find(token, current_user) if len(token) <= 64 else None
    if job is None:
        abort(404)
    return job


@bp.get("/run/<token>")
def progress(token: str):
    """The import's progress bar (reloading itself without JavaScript), then its result."""
    job = _job(token)
    form = _mapping_form(formdata=None, filename=job.filename)
    plan = job.plan if job.plan is not None else _stored_plan(job)
    if job.finished and plan is not None:
        return render_template("imports/done.html", form=form, upload=job.upload, plan=plan)
    return render_template("imports/progress.html", form=form, upload=job.upload, job=job)


def _stored_plan(job) -> SimpleNamespace | None:
    """What a run another process carried out made, as the result page shows a plan."""
    result = getattr(job, "result", None)
    if not job.finished or job.error or not result:
        return None
    return SimpleNamespace(
        created=items_by_id(result.get("created", [])),
        updated=items_by_id(result.get("updated", [])),
        rows_with_problems=result.get("rows_with_problems", 0),
        problems=[Problem(*p) for p in result.get("problems", [])],
        duplicates=[], warnings=[], ignored_columns=[], already_imported=[],
    )  # fmt: skip


@bp.get("/run/<token>/status")
def progress_status(token: str):
    """How far the import is, for the progress page's script: rows done of all, problems."""
    return jsonify(_job(token).as_json())
