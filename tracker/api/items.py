"""Items of the register: the list with the register's filters, and one item.

The same queries and permissions as the register's pages: an item the token's owner may
not see is absent from the list and answered 404 by its address, like a missing one.
"""

from __future__ import annotations

import marshmallow as ma
from flask import Response, request, url_for
from flask_login import current_user
from flask_smorest import Blueprint

from tracker import clock
from tracker.api import PREFIX
from tracker.api.fields import Id
from tracker.api.paging import PageQuerySchema, page_headers
from tracker.db import db
from tracker.exceptions import NotFound
from tracker.items.models import ItemKind, ItemStatus, Priority
from tracker.items.queries import ItemFilter, filtered_items, visible_by_reference

bp = Blueprint(
    "api_items", __name__, url_prefix=f"{PREFIX}/items", description="Items of the register"
)


class NamedSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class NetworkRefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    short_name = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class ItemSchema(ma.Schema):
    reference = ma.fields.String(required=True, metadata={"example": "2026-0042"})
    title = ma.fields.String(required=True)
    kind = ma.fields.Enum(ItemKind, by_value=True, required=True)
    status = ma.fields.Enum(ItemStatus, by_value=True, required=True)
    priority = ma.fields.Enum(Priority, by_value=True, required=True)
    description = ma.fields.String(required=True)
    company = ma.fields.Nested(NamedSchema, required=True)
    reporting_network = ma.fields.Nested(NetworkRefSchema, required=True)
    responsible_network = ma.fields.Nested(NetworkRefSchema, allow_none=True, required=True)
    assignee = ma.fields.Nested(NamedSchema, allow_none=True, required=True)
    topics = ma.fields.List(ma.fields.String(), required=True)
    follow_up_date = ma.fields.Date(allow_none=True, required=True)
    confidential = ma.fields.Boolean(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    version = ma.fields.Integer(required=True)
    url = ma.fields.Method("page_url", required=True, metadata={"description": "The item's page"})

    def page_url(self, item) -> str:
        return url_for("items.detail", item_id=item.id, _external=True)


class ItemQuerySchema(PageQuerySchema):
    q = ma.fields.String(validate=ma.validate.Length(max=200))
    status = ma.fields.String(
        validate=ma.validate.OneOf(["open", "closed", "all", *(s.value for s in ItemStatus)]),
        load_default="open",
    )
    kind = ma.fields.Enum(ItemKind, by_value=True)
    priority = ma.fields.Enum(Priority, by_value=True)
    responsible = Id(strict=False)
    reporting = Id(strict=False)
    topic = Id(strict=False)
    overdue = ma.fields.Boolean(load_default=False)


@bp.route("")
@bp.arguments(ItemQuerySchema, location="query", as_kwargs=True)
@bp.response(200, ItemSchema(many=True), description="One page of the visible items")
def list_items(page: int, per_page: int, status: str, **filters):
    """The items the token's owner may see, with the register's filters, newest first."""
    flt = ItemFilter(
        q=filters.get("q") or "",
        status="" if status == "all" else status,
        kind=filters.get("kind"),
        priority=filters.get("priority"),
        responsible_network_id=filters.get("responsible"),
        reporting_network_id=filters.get("reporting"),
        topic_id=filters.get("topic"),
        overdue=filters.get("overdue", False),
    )
    stmt = filtered_items(flt, current_user, clock.today())
    found = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
    return found.items, 200, page_headers("api_items.list_items", found)


@bp.route("/<reference>")
@bp.response(200, ItemSchema, description="The item, with its version as ETag")
def get_item(reference: str):
    """One item by its reference number, if the token's owner may see it."""
    item = visible_by_reference(reference, current_user)
    if item is None:
        raise NotFound()
    etag = f'"{item.version}"'
    if request.if_none_match.contains(str(item.version)):
        return Response(status=304, headers={"ETag": etag})
    return item, 200, {"ETag": etag}
