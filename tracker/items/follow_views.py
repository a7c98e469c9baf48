"""Following an item from its page."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from tracker.db import unit_of_work
from tracker.i18n import _
from tracker.items import following
from tracker.items.views import bp, load_visible


@bp.post("/<int:item_id>/follow")
@login_required
def follow(item_id: int):
    """Follow the item (``follow=1``) or stop following it (``follow=0``)."""
    item = load_visible(item_id)
    wanted = request.form.get("follow") == "1"
    with unit_of_work():
        following.set_following(item, current_user, wanted)
    if wanted:
        flash(
            _("You follow this item: its changes reach you as your mail settings say."), "success"
        )
    else:
        flash(_("You no longer follow this item."), "info")
    return redirect(url_for("items.detail", item_id=item.id))
