"""Suggestions for ``@`` mentions while a comment is typed (tracker/items/mentions.py)."""

from __future__ import annotations

from flask import abort, jsonify, request
from flask_login import current_user, login_required

from tracker.items import mentions, permissions
from tracker.items.views import bp, load_visible


@bp.get("/<int:item_id>/mentions")
@login_required
def mention_suggestions(item_id: int):
    """People who may see the item whose names match ``q``, for the comment field."""
    item = load_visible(item_id)
    if not permissions.can_comment(current_user, item):
        abort(403)
    found = mentions.suggest(item, request.args.get("q", ""), viewer=current_user)
    return jsonify(
        [{"name": u.name, "network": u.network.short_name if u.network else ""} for u in found]
    )
