"""Item actions: lifecycle transitions, hand-off and comments (routes on the items blueprint)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from tracker.db import db
from tracker.forms_support import Attempt, attempt, set_version
from tracker.i18n import _, _l
from tracker.items import choices, lifecycle, services
from tracker.items.forms import ActionForm, CommentForm, HandOffForm
from tracker.items.views import bp, load_visible, render_detail
from tracker.networks.models import Network


def _again(item_id: int, status: int, message: str | None, **forms):
    """Show the item page again with the user's input kept and, if given, a message."""
    item = load_visible(item_id)
    for form in forms.values():
        if hasattr(form, "version"):
            set_version(form, item.version)
    if message:
        flash(message, "danger")
    return render_detail(item, **forms), status


def _refused(item_id: int, saved: Attempt, **forms):
    """The item page after a refused save: a conflict was told by ``attempt``, others here."""
    message = None if saved.conflict else saved.error.message
    status = saved.status if saved.conflict else saved.error.status_code
    return _again(item_id, status, message, **forms)


CONFLICT = _l("Someone else changed this item meanwhile. Please check and try again.")


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
    saved = attempt(
        form,
        lambda: lifecycle.perform(
            item,
            action,
            actor=current_user,
            expected_version=form.version.data,
            note=form.note.data or "",
            follow_up_date=form.follow_up_date.data,
        ),
        conflict_message=CONFLICT,
    )
    if not saved.done:
        return _refused(item_id, saved, action_form=form, failed_action=action)
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
    network = db.get_or_404(Network, form.network.data)
    saved = attempt(
        form,
        lambda: lifecycle.hand_off(
            item,
            network,
            actor=current_user,
            expected_version=form.version.data,
            note=form.note.data or "",
        ),
        conflict_message=CONFLICT,
    )
    if not saved.done:
        return _refused(item_id, saved, handoff_form=form)
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
    saved = attempt(
        form, lambda: services.add_comment(item, actor=current_user, body=form.body.data)
    )
    if not saved.done:
        return _refused(item_id, saved, comment_form=form)
    flash(_("Comment added."), "success")
    return redirect(url_for("items.detail", item_id=item_id, _anchor="timeline"))
