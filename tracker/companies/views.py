"""Company pages: list, detail with items across all networks, edit, contacts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.companies import services
from tracker.companies.forms import CompanyForm, ContactForm
from tracker.companies.models import Company
from tracker.companies.permissions import company_or_404, contact_or_404
from tracker.db import db
from tracker.exceptions import ConflictError, ServiceError
from tracker.forms_support import apply_error, set_version
from tracker.i18n import _

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
    counts = services.open_item_counts([c.id for c in page.items], current_user)
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
        items=services.company_items(company, current_user),
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
        try:
            company = services.create_company(
                actor=current_user,
                name=form.name.data,
                city=form.city.data or "",
                website=form.website.data or "",
                notes=form.notes.data or "",
            )
        except ServiceError as exc:
            db.session.rollback()
            apply_error(form, exc)
        else:
            db.session.commit()
            return redirect(url_for("companies.detail", company_id=company.id))
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
    status = 200
    if form.validate_on_submit():
        values = {f: form[f].data or "" for f in services.COMPANY_FIELDS}
        try:
            services.update_company(
                company, actor=current_user, expected_version=form.version.data, **values
            )
        except ConflictError:
            db.session.rollback()
            company = company_or_404(company_id, current_user)
            set_version(form, company.version)
            flash(
                _(
                    "Someone else changed this company meanwhile. Your input is kept below; "
                    "the current values are shown beside it."
                ),
                "warning",
            )
            return render_template(
                "companies/edit.html", form=form, company=company, conflict=True
            ), 409
        except ServiceError as exc:
            db.session.rollback()
            apply_error(form, exc)
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("companies.detail", company_id=company.id))
    if form.is_submitted():
        status = 400
    return render_template("companies/edit.html", form=form, company=company), status


@bp.post("/<int:company_id>/contacts")
@login_required
def add_contact(company_id: int):
    """Add a contact person to a company."""
    _require_editor()
    company = company_or_404(company_id, current_user)
    form = ContactForm()
    if form.validate_on_submit():
        services.save_contact(company, actor=current_user, **_contact_values(form))
        db.session.commit()
        flash(_("Contact added."), "success")
        return redirect(url_for("companies.detail", company_id=company.id))
    return _detail_page(company, form), 400


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit_contact(contact_id: int):
    """Change a contact person's details."""
    _require_editor()
    contact = contact_or_404(contact_id, current_user)
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            services.save_contact(
                contact.company,
                actor=current_user,
                contact=contact,
                expected_version=form.version.data,
                **_contact_values(form),
            )
        except ConflictError:
            db.session.rollback()
            contact = contact_or_404(contact_id, current_user)
            set_version(form, contact.version)
            flash(_("Someone else changed this contact meanwhile. Your input is kept."), "warning")
            return render_template(
                "companies/contact.html", form=form, contact=contact, conflict=True
            ), 409
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("companies.detail", company_id=contact.company_id))
    return render_template("companies/contact.html", form=form, contact=contact), (
        400 if form.is_submitted() else 200
    )


def _contact_values(form: ContactForm) -> dict:
    return {f: form[f].data or "" for f in services.CONTACT_FIELDS}
