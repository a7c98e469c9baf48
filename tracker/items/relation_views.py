"""Linking items from the item page."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from tracker.db import db, unit_of_work
from tracker.exceptions import ServiceError
from tracker.i18n import _
from tracker.items import permissions, queries, relations
from tracker.items.models import ItemRelation, RelationKind
from tracker.items.views import bp, load_visible


@bp.app_template_global()
def relation_text(value: str | None):
    """A link on the timeline, as the viewer may read it."""
    return relations.described(value, current_user)


@bp.post("/<int:item_id>/relations")
@login_required
def add_relation(item_id: int):
    """Link the item to another one, by its reference number."""
    item = load_visible(item_id)
    if not permissions.can_edit(current_user, item):
        abort(403)
    try:
        kind = RelationKind(request.form.get("kind", "related"))
    except ValueError:
        kind = None
    reference = request.form.get("reference", "")[:40].strip()
    other = queries.visible_by_reference(reference, current_user)
    try:
        if kind is None:
            raise ServiceError(_("Please choose how the items are linked."))
        with unit_of_work():
            relations.link(item, other, kind, actor=current_user)
    except ServiceError as exc:
        flash(_("%(reference)s: %(problem)s", reference=reference or "–", problem=exc.message),
              "danger")  # fmt: skip
        return redirect(url_for("items.detail", item_id=item.id, _anchor="relations"))
    flash(_("The items are linked."), "success")
    return redirect(url_for("items.detail", item_id=item.id, _anchor="relations"))


@bp.post("/<int:item_id>/relations/<int:relation_id>/remove")
@login_required
def remove_relation(item_id: int, relation_id: int):
    """Remove one of the item's links."""
    item = load_visible(item_id)
    relation = db.session.get(ItemRelation, relation_id)
    if relation is None or item.id not in (relation.source_id, relation.target_id):
        abort(404)
    try:
        with unit_of_work():
            relations.unlink(item, relation, actor=current_user)
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("The link was removed."), "info")
    return redirect(url_for("items.detail", item_id=item.id, _anchor="relations"))
