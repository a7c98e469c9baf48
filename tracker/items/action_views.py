"""Item actions: lifecycle transitions, hand-off and comments (routes on the items blueprint)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from tracker.db import db
from tracker.exceptions import ConflictError, ServiceError
from tracker.forms_support import apply_error, set_version
from tracker.i18n import _
from tracker.items import choices, lifecycle, services
from tracker.items.forms import ActionForm, CommentForm, HandOffForm
from tracker.items.views import bp, load_visible, render_detail
from tracker.networks.models import Network


def _again(item_id: int, status: int, message: str, **forms):
    """Show the item page again with the user's input kept and a message."""
    db.session.rollback()
    item = load_visible(item_id)
    for form in forms.values():
        if hasattr(form, "version"):
            set_version(form, item.version)
    flash(message, "danger" if status != 409 else "warning")
    return render_detail(item, **forms), status


@bp.post("/<int:item_id>/actions/<action>")
@login_required
def act(item_id: int, action: str):
    """Carry out a lifecycle action such as accept, return, wait or complete."""
    item = load_visible(item_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _again(
            item_id, 400, _("Please check the input."), action_form=form, failed_action=action
        )
    try:
        lifecycle.perform(
            item,
            action,
            actor=current_user,
            expected_version=form.version.data,
            note=form.note.data or "",
            follow_up_date=form.follow_up_date.data,
        )
    except ConflictError as exc:
        return _again(
            item_id,
            409,
            exc.message + " " + _("Please check and try again."),
            action_form=form,
            failed_action=action,
        )
    except ServiceError as exc:
        apply_error(form, exc)
        return _again(item_id, exc.status_code, exc.message, action_form=form, failed_action=action)
    db.session.commit()  # nothing of the item is read after it: no second transaction
    flash(_("Done: %(action)s.", action=lifecycle.ACTIONS[action].label), "success")
    return redirect(url_for("items.detail", item_id=item_id))


@bp.post("/<int:item_id>/handoff")
@login_required
def hand_off(item_id: int):
    """Offer the item to another network."""
    item = load_visible(item_id)
    form = HandOffForm()
    choices.fill_handoff_form(form, item)
    if not form.validate_on_submit():
        return _again(item_id, 400, _("Please choose a network."), handoff_form=form)
    try:
        lifecycle.hand_off(
            item,
            db.get_or_404(Network, form.network.data),
            actor=current_user,
            expected_version=form.version.data,
            note=form.note.data or "",
        )
    except ConflictError as exc:
        return _again(item_id, 409, exc.message, handoff_form=form)
    except ServiceError as exc:
        apply_error(form, exc)
        return _again(item_id, exc.status_code, exc.message, handoff_form=form)
    network = str(item.responsible_network)  # read before the commit expires it
    db.session.commit()
    flash(_("The item was handed off to %(network)s.", network=network), "success")
    return redirect(url_for("items.detail", item_id=item_id))


@bp.post("/<int:item_id>/comments")
@login_required
def comment(item_id: int):
    """Add a comment to the item's timeline."""
    item = load_visible(item_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _again(item_id, 400, _("The comment is empty."), comment_form=form)
    try:
        services.add_comment(item, actor=current_user, body=form.body.data)
    except ServiceError as exc:
        return _again(item_id, exc.status_code, exc.message, comment_form=form)
    db.session.commit()
    flash(_("Comment added."), "success")
    return redirect(url_for("items.detail", item_id=item_id, _anchor="timeline"))
