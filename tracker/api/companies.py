"""Companies and their contact persons, as the company pages show them.

The company pages' services and their one rule of visibility (tracker/companies/
permissions.py): a company or contact known only from confidential items the token's owner
may not see does not exist for them (absent from lists, 404 by its address), and a
company's items are those its page lists.
"""

from __future__ import annotations

from types import SimpleNamespace

import marshmallow as ma
from flask import Response, request, url_for
from flask_login import current_user
from flask_smorest import Blueprint

from tracker import limits
from tracker.api import PREFIX
from tracker.api.paging import PageQuerySchema, page_headers
from tracker.companies import services
from tracker.companies.permissions import company_or_404, contact_or_404
from tracker.db import db
from tracker.items import queries as item_queries
from tracker.items.models import ItemStatus

bp = Blueprint(
    "api_companies", __name__, url_prefix=PREFIX, description="Companies and contact persons"
)


class CompanyQuerySchema(PageQuerySchema):
    q = ma.fields.String(
        validate=ma.validate.Length(max=limits.NAME),
        metadata={"description": "A part of the company's name"},
    )


class ContactSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    function = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    phone = ma.fields.String(required=True)
    company = ma.fields.Integer(attribute="company_id", required=True)
    version = ma.fields.Integer(required=True)


class CompanyRowSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    city = ma.fields.String(required=True)
    website = ma.fields.String(required=True)
    open_items = ma.fields.Integer(
        required=True, metadata={"description": "Open items the token's owner may see"}
    )
    url = ma.fields.Method("page_url", required=True, metadata={"description": "Its page"})

    def page_url(self, company) -> str:
        return url_for("companies.detail", company_id=company.id, _external=True)


class CompanyItemSchema(ma.Schema):
    reference = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Enum(ItemStatus, by_value=True, required=True)


class CompanySchema(CompanyRowSchema):
    notes = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)
    contacts = ma.fields.List(ma.fields.Nested(ContactSchema), required=True)
    items = ma.fields.List(
        ma.fields.Nested(CompanyItemSchema),
        required=True,
        metadata={"description": "The items the token's owner may see, newest first"},
    )


@bp.route("/companies")
@bp.arguments(CompanyQuerySchema, location="query", as_kwargs=True)
@bp.response(200, CompanyRowSchema(many=True), description="One page of the visible companies")
def list_companies(page: int, per_page: int, q: str = ""):
    """The companies the token's owner may see, by name, as the company list shows them."""
    stmt = services.company_list(current_user, q)
    found = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
    counts = item_queries.open_counts_by_company([c.id for c in found.items], current_user)
    rows = [_row(company, counts.get(company.id, 0)) for company in found.items]
    return rows, 200, page_headers("api_companies.list_companies", found)


def _row(company, open_items: int, **more) -> SimpleNamespace:
    fields = ("id", "name", "city", "website", "notes", "version")
    return SimpleNamespace(
        **{f: getattr(company, f) for f in fields}, open_items=open_items, **more
    )


@bp.route("/companies/<int:company_id>")
@bp.response(200, CompanySchema, description="The company, with its version as ETag")
def get_company(company_id: int):
    """One company with the contacts and items its page shows the token's owner."""
    company = company_or_404(company_id, current_user)
    etag = f'"{company.version}"'
    if request.if_none_match.contains(str(company.version)):
        return Response(status=304, headers={"ETag": etag})
    counts = item_queries.open_counts_by_company([company.id], current_user)
    shown = _row(
        company,
        counts.get(company.id, 0),
        contacts=services.company_contacts(company, current_user),
        items=item_queries.company_items(company.id, current_user),
    )
    return shown, 200, {"ETag": etag}


@bp.route("/companies/<int:company_id>/contacts")
@bp.response(200, ContactSchema(many=True), description="The contacts, by name")
def list_contacts(company_id: int):
    """The company's contact persons the token's owner may see."""
    company = company_or_404(company_id, current_user)
    return services.company_contacts(company, current_user)


@bp.route("/contacts/<int:contact_id>")
@bp.response(200, ContactSchema, description="The contact person")
def get_contact(contact_id: int):
    """One contact person, if the token's owner may see them."""
    return contact_or_404(contact_id, current_user)
