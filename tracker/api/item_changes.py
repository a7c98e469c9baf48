"""Changing an item's fields through the API, and its comments.

``PATCH /items/<reference>`` changes the fields sent (the others stay) through the edit
page's service, ``items.services.update_item``, with ``If-Match`` required as for the
lifecycle actions. Comments are listed and added through the item page's comment service.
"""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask_login import current_user
from sqlalchemy import select

from tracker import limits
from tracker.api.fields import ApiSchema, DateField, Id
from tracker.api.item_writes import change_item, item_to_change
from tracker.api.items import ItemSchema, NamedSchema, bp
from tracker.api.versions import IF_MATCH
from tracker.auth.models import User
from tracker.db import db, unit_of_work
from tracker.exceptions import NotFound, ValidationFailed
from tracker.i18n import _
from tracker.items import registration, services
from tracker.items.models import Activity, ActivityKind, Item, ItemKind, ItemSource, Priority
from tracker.items.queries import visible_by_reference


class ItemChangeSchema(ApiSchema):
    """The fields of the edit page; only those sent are changed."""

    title = ma.fields.String(validate=ma.validate.Length(min=1, max=limits.TITLE))
    kind = ma.fields.Enum(ItemKind, by_value=True)
    description = ma.fields.String(validate=ma.validate.Length(max=limits.DESCRIPTION))
    company = ma.fields.String(
        validate=ma.validate.Length(min=1, max=limits.NAME),
        metadata={"description": "The company's name: an existing one is found by it"},
    )
    contact = ma.fields.String(
        validate=ma.validate.Length(max=limits.NAME),
        metadata={"description": "The contact's name at the company; empty for none"},
    )
    topics = ma.fields.List(Id(), validate=ma.validate.Length(max=50))
    priority = ma.fields.Enum(Priority, by_value=True)
    source = ma.fields.Enum(ItemSource, by_value=True)
    assignee = Id(
        allow_none=True,
        metadata={"description": "A manager of the responsible network, or null for nobody"},
    )
    follow_up_date = DateField(allow_none=True)
    confidential = ma.fields.Boolean()
    for_next_meeting = ma.fields.Boolean()


class CommentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    author = ma.fields.Nested(NamedSchema, attribute="actor", allow_none=True, required=True)
    body = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)


class CommentCreateSchema(ApiSchema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=limits.COMMENT))


def _assignee(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None:
        raise ValidationFailed(
            _("The assignee must be a manager of the responsible network."), field="assignee"
        )
    return user


def _changes(item: Item, values: dict) -> dict:
    """The edit service's arguments for the fields sent (names and ids made records)."""
    changes = {
        key: values[key]
        for key in (
            "title",
            "kind",
            "description",
            "priority",
            "source",
            "follow_up_date",
            "confidential",
            "for_next_meeting",
        )
        if key in values
    }
    if "company" in values or "contact" in values:
        company_name = values.get("company", item.company.name)
        default_contact = item.contact.name if item.contact and "company" not in values else ""
        company, contact = registration.company_and_contact(
            current_user, company_name, values.get("contact", default_contact)
        )
        changes.update(company=company, contact=contact)
    if "topics" in values:
        changes["topics"] = registration.topics_by_id(values["topics"])
    if "assignee" in values:
        changes["assignee"] = _assignee(values["assignee"])
    return changes


@bp.route("/<reference>", methods=["PATCH"])
@bp.doc(parameters=[IF_MATCH])
@bp.arguments(ItemChangeSchema)
@bp.response(200, ItemSchema, description="The item as changed, with its new ETag")
def update_item(values: dict, reference: str):
    """Change the fields sent, as the item's edit page does (If-Match with the ETag read)."""
    with unit_of_work():
        item = item_to_change(reference)
        changes = _changes(item, values)
        refused = change_item(item, lambda version: services.update_item(
            item, actor=current_user, expected_version=version, **changes
        ))  # fmt: skip
        if refused is not None:
            return refused
    return item, 200, {"ETag": f'"{item.version}"'}


def _visible_item(reference: str) -> Item:
    item = visible_by_reference(reference, current_user)
    if item is None:
        raise NotFound()
    return item


@bp.route("/<reference>/comments")
@bp.response(200, CommentSchema(many=True), description="The item's comments, oldest first")
def list_comments(reference: str):
    """The comments of an item the token's owner may see."""
    item = _visible_item(reference)
    return list(
        db.session.scalars(
            select(Activity)
            .where(Activity.item_id == item.id, Activity.kind == ActivityKind.COMMENT)
            .order_by(Activity.created_at, Activity.id)
        )
    )


@bp.route("/<reference>/comments", methods=["POST"])
@bp.arguments(CommentCreateSchema)
@bp.response(201, CommentSchema, description="The new comment")
def create_comment(values: dict, reference: str):
    """Comment on an item, as its page does (managers and the office, items they may see)."""
    with unit_of_work():
        item = _visible_item(reference)
        services.add_comment(item, actor=current_user, body=values["body"])
        comment = db.session.scalar(
            select(Activity)
            .where(Activity.item_id == item.id, Activity.kind == ActivityKind.COMMENT)
            .order_by(Activity.id.desc())
            .limit(1)
        )
    location = url_for("api_items.list_comments", reference=item.reference, _external=True)
    return comment, 201, {"Location": location}
