"""Writing items through the API: registering one, its lifecycle actions, a hand-off.

Each endpoint calls the service the pages call, in one unit of work, with the token
owner's permissions. A change of an item needs ``If-Match`` with the ETag it was read
with: without it the answer is 428, with an older one 412, and nothing is changed. A new
item may carry an ``Idempotency-Key``: the same key sent again (a retry after a lost
answer) gives the item made the first time, not a second one.
"""

from __future__ import annotations

import hashlib

import marshmallow as ma
from flask import request, url_for
from flask_login import current_user

from tracker.api.fields import ApiSchema, DateField, Id
from tracker.api.items import ItemSchema, bp
from tracker.api.versions import IF_MATCH, as_read
from tracker.db import db, unit_of_work
from tracker.exceptions import NotFound
from tracker.i18n import _l
from tracker.items import lifecycle
from tracker.items.models import Item, ItemKind, ItemSource, Priority
from tracker.items.queries import visible_by_reference
from tracker.items.registration import network_by_id, register_item
from tracker.submissions import services as submissions


class ItemCreateSchema(ApiSchema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    kind = ma.fields.Enum(ItemKind, by_value=True, required=True)
    company = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=200),
        metadata={"description": "The company's name: an existing one is found by it"},
    )
    contact = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=20_000))
    reporting_network = Id(
        load_default=None,
        allow_none=True,
        metadata={"description": "Only the coordination office chooses it; a manager's own"},
    )
    responsible_network = Id(load_default=None, allow_none=True)
    topics = ma.fields.List(Id(), load_default=list, validate=ma.validate.Length(max=50))
    priority = ma.fields.Enum(Priority, by_value=True, load_default=Priority.NORMAL)
    source = ma.fields.Enum(ItemSource, by_value=True, load_default=ItemSource.OTHER)
    follow_up_date = DateField(load_default=None, allow_none=True)
    confidential = ma.fields.Boolean(load_default=False)


class ActionSchema(ApiSchema):
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=10_000))
    follow_up_date = DateField(load_default=None, allow_none=True)


class HandOffSchema(ApiSchema):
    network = Id(required=True)
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=10_000))


def _idempotency_key() -> str | None:
    """The client's key as the submissions' form (32 hex digits), or None."""
    key = request.headers.get("Idempotency-Key", "").strip()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] if key else None


def _made(item: Item):
    location = url_for("api_items.get_item", reference=item.reference, _external=True)
    return item, 201, {"Location": location, "ETag": f'"{item.version}"'}


@bp.route("", methods=["POST"])
@bp.arguments(ItemCreateSchema)
@bp.response(201, ItemSchema, description="The new item; Location is its address")
def create_item(values: dict):
    """Register an item, as the register's form does (the same checks and messages)."""
    key = _idempotency_key()
    with unit_of_work():
        earlier, claim = submissions.claim(key, current_user)
        if earlier is None:
            item = register_item(
                actor=current_user,
                title=values["title"],
                kind=values["kind"],
                company_name=values["company"],
                contact_name=values["contact"],
                reporting_network_id=values["reporting_network"],
                responsible_network_id=values["responsible_network"],
                topic_ids=values["topics"],
                priority=values["priority"],
                source=values["source"],
                follow_up_date=values["follow_up_date"],
                description=values["description"],
                confidential=values["confidential"],
            )
            submissions.done(claim, item.id)
        else:
            item = db.session.get(Item, int(earlier)) if earlier else None
            if item is None:
                raise NotFound()
    return _made(item)


ITEM_NEEDED = _l("Send If-Match with the item's ETag, as read.")
ITEM_CHANGED = _l("The item was changed since it was read. Read it again and decide.")


def item_to_change(reference: str) -> Item:
    """The item to change, if the token's owner may see it (else 404)."""
    item = visible_by_reference(reference, current_user)
    if item is None:
        raise NotFound()
    return item


def change_item(item: Item, change):
    """Make ``change(version read)``; the problem (428, 412) that stopped it, or None."""
    return as_read(item, change, needed=str(ITEM_NEEDED), changed=str(ITEM_CHANGED))


ACTIONS = sorted(lifecycle.ACTIONS)


@bp.route("/<reference>/actions/<any(" + ", ".join(ACTIONS) + "):action>", methods=["POST"])
@bp.doc(parameters=[IF_MATCH])
@bp.arguments(ActionSchema)
@bp.response(200, ItemSchema, description="The item after the action")
def act(values: dict, reference: str, action: str):
    """Accept, return (with the reason), wait, resume, complete, decline or reopen an item."""
    with unit_of_work():
        item = item_to_change(reference)
        refused = change_item(item, lambda version: lifecycle.perform(
            item,
            action,
            actor=current_user,
            expected_version=version,
            note=values["note"],
            follow_up_date=values["follow_up_date"] or item.follow_up_date,
        ))  # fmt: skip
        if refused is not None:
            return refused
    return item, 200, {"ETag": f'"{item.version}"'}


@bp.route("/<reference>/hand-off", methods=["POST"])
@bp.doc(parameters=[IF_MATCH])
@bp.arguments(HandOffSchema)
@bp.response(200, ItemSchema, description="The item, offered to the network")
def hand_off(values: dict, reference: str):
    """Offer the item to another network (a manager's own network accepts at once)."""
    with unit_of_work():
        item = item_to_change(reference)
        network = network_by_id(values["network"], field="network")
        refused = change_item(item, lambda version: lifecycle.hand_off(
            item, network, actor=current_user, expected_version=version, note=values["note"]
        ))  # fmt: skip
        if refused is not None:
            return refused
    return item, 200, {"ETag": f'"{item.version}"'}
