"""Company pages: list, detail with items across all networks, edit, contacts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.companies import services
from tracker.companies.forms import CompanyForm, ContactForm
from tracker.companies.models import Company
from tracker.companies.permissions import company_or_404, contact_or_404
from tracker.db import db
from tracker.forms_support import attempt
from tracker.i18n import _, _l
from tracker.items import queries as item_queries

bp = Blueprint("companies", __name__, url_prefix="/companies")


def _require_editor() -> None:
    if current_user.is_observer:
        abort(403)


@bp.get("/")
@login_required
def index():
    """List companies with their open items."""
    text = request.args.get("q", "")[:200]
    page = db.paginate(services.company_list(current_user, text), per_page=50, error_out=False)
    counts = item_queries.open_counts_by_company([c.id for c in page.items], current_user)
    return render_template("companies/index.html", page=page, q=text, counts=counts)


@bp.get("/suggest")
@login_required
def suggest():
    """Company names for the item form's suggestions."""
    return jsonify(names=services.suggest_names(request.args.get("q", "")[:100], current_user))


@bp.get("/<int:company_id>")
@login_required
def detail(company_id: int):
    """Show a company: its contacts and its items across all networks."""
    return _detail_page(company_or_404(company_id, current_user), ContactForm())


def _detail_page(company: Company, contact_form: ContactForm) -> str:
    # Confidential items the user may not see are neither listed nor counted here: a count
    # would tell which company has a confidential concern.
    return render_template(
        "companies/detail.html",
        company=company,
        items=item_queries.company_items(company.id, current_user),
        contacts=services.company_contacts(company, current_user),
        contact_form=contact_form,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Register a company."""
    _require_editor()
    form = CompanyForm()
    if form.validate_on_submit():
        values = {f: form[f].data or "" for f in services.COMPANY_FIELDS}
        saved = attempt(form, lambda: services.create_company(actor=current_user, **values))
        if saved.done:
            return redirect(url_for("companies.detail", company_id=saved.value.id))
    return render_template("companies/edit.html", form=form, company=None), (
        400 if form.is_submitted() else 200
    )


@bp.route("/<int:company_id>/edit", methods=["GET", "POST"])
@login_required
def edit(company_id: int):
    """Change a company's details."""
    _require_editor()
    company = company_or_404(company_id, current_user)
    form = CompanyForm(obj=company)
    if not form.validate_on_submit():
        page = render_template("companies/edit.html", form=form, company=company)
        return page, 400 if form.is_submitted() else 200
    values = {f: form[f].data or "" for f in services.COMPANY_FIELDS}
    saved = attempt(
        form,
        lambda: services.update_company(
            company, actor=current_user, expected_version=form.version.data, **values
        ),
        conflict_message=_l(
            "Someone else changed this company meanwhile. Your input is kept below; "
            "the current values are shown beside it."
        ),
    )
    if saved.done:
        flash(_("Changes saved."), "success")
        return redirect(url_for("companies.detail", company_id=company_id))
    page = render_template(
        "companies/edit.html", form=form, company=company, conflict=saved.conflict
    )
    return page, saved.status


@bp.post("/<int:company_id>/contacts")
@login_required
def add_contact(company_id: int):
    """Add a contact person to a company."""
    _require_editor()
    company = company_or_404(company_id, current_user)
    form = ContactForm()
    if form.validate_on_submit():
        values = _contact_values(form)
        if attempt(form, lambda: services.save_contact(company, actor=current_user, **values)).done:
            flash(_("Contact added."), "success")
            return redirect(url_for("companies.detail", company_id=company_id))
    return _detail_page(company, form), 400


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit_contact(contact_id: int):
    """Change a contact person's details."""
    _require_editor()
    contact = contact_or_404(contact_id, current_user)
    form = ContactForm(obj=contact)
    if not form.validate_on_submit():
        page = render_template("companies/contact.html", form=form, contact=contact)
        return page, 400 if form.is_submitted() else 200
    values, company_id = _contact_values(form), contact.company_id
    saved = attempt(
        form,
        lambda: services.save_contact(
            contact.company,
            actor=current_user,
            contact=contact,
            expected_version=form.version.data,
            **values,
        ),
        conflict_message=_l("Someone else changed this contact meanwhile. Your input is kept."),
    )
    if saved.done:
        flash(_("Changes saved."), "success")
        return redirect(url_for("companies.detail", company_id=company_id))
    page = render_template(
        "companies/contact.html", form=form, contact=contact, conflict=saved.conflict
    )
    return page, saved.status


def _contact_values(form: ContactForm) -> dict:
    return {f: form[f].data or "" for f in services.CONTACT_FIELDS}
