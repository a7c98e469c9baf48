"""``flask --app wsgi imports run FILE --network SHORT [--dry-run]``: the import on the console."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import func, select

from tracker.auth.models import User, UserRole
from tracker.db import db
from tracker.exceptions import ServiceError
from tracker.i18n import _
from tracker.imports import planning, services
from tracker.imports.mapping import FIELDS, Table, column_letter, mapping_from_names
from tracker.imports.reader import ReadError
from tracker.items.models import ItemKind
from tracker.networks.models import Network


def _network(short_name: str) -> Network:
    network = db.session.scalar(
        select(Network).where(func.lower(Network.short_name) == short_name.strip().lower())
    )
    if network is None:
        raise click.BadParameter(
            f"no network with short name {short_name!r}", param_hint="--network"
        )
    return network


def _actor(email: str | None) -> User:
    stmt = select(User).where(User.role == UserRole.ADMIN, User.active).order_by(User.id)
    if email:
        stmt = select(User).where(func.lower(User.email) == email.strip().lower())
    user = db.session.scalar(stmt.limit(1))
    if user is None or not user.is_admin:
        raise click.BadParameter("the import needs an active admin account", param_hint="--user")
    return user


def _mapping(table: Table, text: str | None) -> dict[int, str]:
    try:
        names = json.loads(text) if text else {}
        if not isinstance(names, dict):
            raise ValueError('give a JSON object such as \'{"Titel": "title"}\'')
        return mapping_from_names(table.headers, names)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--mapping") from exc


def _read(path: Path) -> planning.Upload:
    try:
        return planning.read_upload(path.read_bytes(), path.name)
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror or exc}") from exc
    except ReadError as exc:
        raise click.ClickException(f"{path}: {exc.message}") from exc


@click.command("run")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--network", "network_short", required=True, help="Reporting network (short name).")
@click.option("--dry-run", is_flag=True, help="Check every row and save nothing.")
@click.option("--mapping", "mapping_json", help='JSON, e.g. \'{"Titel": "title", "Nr": null}\'.')
@click.option(
    "--kind", type=click.Choice([k.value for k in ItemKind]), help="Kind for rows without one."
)
@click.option(
    "--without-network",
    "without_network",
    help="Rows whose status needs a responsible network and name none: give them this "
    "network (short name). Default: import them as new, without one.",
)
@click.option(
    "--open-in-progress",
    is_flag=True,
    help="Open rows naming a responsible network: in progress there, not hand-offs.",
)
@click.option("--overwrite-changed", is_flag=True, help="Update items changed in the app since.")
@click.option("--user", "email", help="The importing admin; default: the first active admin.")
@click.option("--locale", type=click.Choice(["de", "en"]), help="Language of the report.")
@with_appcontext
def run_command(
    file: Path,
    network_short: str,
    dry_run: bool,
    mapping_json: str | None,
    kind: str | None,
    without_network: str | None,
    open_in_progress: bool,
    overwrite_changed: bool,
    email: str | None,
    locale: str | None,
) -> None:
    """Import a register from CSV or XLSX, or check it with --dry-run."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        upload = _read(file)
        mapping = _mapping(upload.table, mapping_json)
        options = dict(
            mapping=mapping,
            network=_network(network_short),
            default_kind=ItemKind(kind) if kind else None,
            choices=planning.Choices(
                without_network=_network(without_network).id if without_network else None,
                open_in_progress=open_in_progress,
                overwrite_changed=overwrite_changed,
            ),
            filename=file.name,
        )
        _echo_header(file, upload, mapping)
        try:
            if dry_run:
                plan = planning.plan_import(upload.table, **options)
            else:  # in batches, each committed on its own (services.run_import)
                plan = services.run_import(upload.table, actor=_actor(email), **options)
        except ServiceError as exc:
            raise click.UsageError(exc.message) from exc
        _echo_plan(plan, dry_run)


def _echo_header(path: Path, upload: planning.Upload, mapping: dict[int, str]) -> None:
    sheet = upload.sheet
    detail = f"CSV, {sheet.encoding}, {sheet.delimiter!r}" if sheet.kind == "csv" else "XLSX"
    click.echo(
        f"{path.name} ({detail}), " + _("header in row %(row)d", row=upload.table.header_row)
    )
    for index, name in mapping.items():
        column = f"{column_letter(index)} {upload.table.label(index)!r}"
        click.echo(f"  {column} → {name} ({FIELDS[name]})")


def _echo_plan(plan: planning.Plan, dry_run: bool) -> None:
    if dry_run:
        click.echo(_("Dry run: nothing was saved. Items to create: %(n)d", n=len(plan.rows)))
        click.echo(_("Items to update: %(n)d", n=len(plan.applied_updates)))
    else:
        click.echo(_("Items created: %(n)d", n=len(plan.created)))
        for item in plan.created:
            click.echo(f"  {item.reference} {item.title}")
        click.echo(_("Items updated: %(n)d", n=len(plan.updated)))
    _echo_updates(plan)
    _echo_companies(plan)
    click.echo(_("Already imported: %(n)d", n=len(plan.already_imported)))
    for row, item in plan.already_imported:
        click.echo("  " + _("row %(row)d", row=row) + f": {item.reference}")
    click.echo(_("Repeated rows (imported once): %(n)d", n=len(plan.duplicates)))
    for row, first in plan.duplicates:
        click.echo("  " + _("row %(row)d", row=row) + ": " + _("same as row %(row)d", row=first))
    for entry in plan.unknown:
        click.echo(_unknown_line(entry))
    for label in plan.ignored_columns:
        click.echo(_("Column %(column)s is not imported.", column=label))
    click.echo(_("Empty rows skipped: %(n)d", n=plan.empty_rows))
    _echo_problems(_("Problems: %(n)d", n=len(plan.problems)), plan.problems)
    _echo_problems(_("Worth a look: %(n)d", n=len(plan.warnings)), plan.warnings)


def _unknown_line(entry) -> str:
    rows = ", ".join(str(r) for r in entry.rows)
    if entry.kind == "network":
        return _("Unknown network “%(value)s” in rows %(rows)s", value=entry.text, rows=rows)
    return _("Unknown topic “%(value)s” in rows %(rows)s", value=entry.text, rows=rows)


def _echo_updates(plan: planning.Plan) -> None:
    for update in plan.updates:
        line = "  " + _("row %(row)d", row=update.row) + f": {update.item.reference}"
        if update.changed_in_app:
            line += " (" + _("changed in the app since the import") + ")"
        click.echo(line)
        for label, old, new in update.shown():
            click.echo(f"    {label}: {old} → {new}")


def _echo_companies(plan: planning.Plan) -> None:
    click.echo(_("New companies: %(n)d", n=len(plan.new_companies)))
    for name in plan.new_companies:
        click.echo(f"  {name}")
    click.echo(_("Matched to existing companies: %(n)d", n=len(plan.matched_companies)))
    for name, company in plan.matched_companies:
        click.echo(f"  {name} → {company.name}")
    for match in plan.fuzzy_companies:
        target = (
            match.candidate.name if match.candidate else plan.companies[match.candidate_key].name
        )
        verdict = _("assigned to") if match.use_candidate else _("not the same as")
        click.echo(f"  {match.name}: {verdict} {target}")


def _echo_problems(title: str, problems: list) -> None:
    click.echo(title)
    for problem in problems:
        where = _("row %(row)d", row=problem.row)
        where += f", {problem.column}" if problem.column else ""
        click.echo(f"  {where}: {problem.message}")
