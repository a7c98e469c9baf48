"""The privacy page, and exporting or erasing a contact's data (coordination office)."""

from __future__ import annotations

import json

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.companies.permissions import contact_or_404
from tracker.db import unit_of_work
from tracker.i18n import _
from tracker.privacy import services

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


@bp.get("/")
def index():
    """Say what is stored and why."""
    return render_template(
        "privacy/index.html", months=current_app.config["PRIVACY_ANONYMISE_AFTER_MONTHS"]
    )


@bp.get("/contacts/<int:contact_id>.json")
@login_required
def export_contact(contact_id: int):
    """Download everything stored about one contact."""
    if not current_user.is_admin:
        abort(403)
    contact = contact_or_404(contact_id, current_user)
    with unit_of_work():  # the export is audited
        data = services.export_contact(contact, actor=current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return (
        body,
        200,
        {
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": f'attachment; filename="contact-{contact_id}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/contacts/<int:contact_id>/erase")
@login_required
def erase_contact(contact_id: int):
    """Erase a contact's personal data; the items remain, anonymised."""
    if not current_user.is_admin:
        abort(403)
    contact = contact_or_404(contact_id, current_user)
    company_id = contact.company_id
    with unit_of_work():
        services.erase_contact(contact, actor=current_user)
    services.purge_old_copies()
    flash(_("The contact's personal data was erased."), "success")
    return redirect(url_for("companies.detail", company_id=company_id))


bp.cli.help = "Personal data: anonymise contacts of long-closed items."


@bp.cli.command("anonymise")
@click.option(
    "--months",
    type=int,
    default=None,
    help="Closed for longer than this (default: PRIVACY_ANONYMISE_AFTER_MONTHS).",
)
def anonymise_command(months: int | None) -> None:
    """Anonymise the contacts of items closed longer than the configured period."""
    months = months or current_app.config["PRIVACY_ANONYMISE_AFTER_MONTHS"]
    with unit_of_work():
        count = services.anonymise_old_contacts(months)
    services.purge_old_copies()
    click.echo(f"Anonymised {count} contacts of items closed more than {months} months ago.")
