"""The office's outbox page, each user's mail preferences, and one-click unsubscribe."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from tracker.db import db, unit_of_work
from tracker.extensions import csrf
from tracker.i18n import _, ngettext
from tracker.mail import kinds, preferences, unsubscribe
from tracker.mail import outbox as queue
from tracker.mail.forms import PreferencesForm
from tracker.mail.models import Delivery, MailBounce, MessageStatus, OutboxMessage

bp = Blueprint("mail", __name__)


def _admins_only() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.get("/admin/mail")
@login_required
def outbox():
    """The queue, what failed and why, what was sent, and the bounced addresses."""
    _admins_only()
    status = request.args.get("status", "")
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in {s.value for s in MessageStatus}:
        stmt = stmt.where(OutboxMessage.status == status)
    else:
        status = ""
    page = db.paginate(stmt, per_page=50, error_out=False)
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    bounces = db.session.scalars(select(MailBounce).order_by(MailBounce.last_at.desc()).limit(50))
    return render_template(
        "mail/outbox.html",
        page=page,
        counts=counts,
        status=status,
        statuses=list(MessageStatus),
        failed=MessageStatus.FAILED,
        bounces=list(bounces),
        kind_label=kinds.label,
    )


@bp.post("/admin/mail/<int:message_id>/resend")
@login_required
def resend(message_id: int):
    """Queue a failed (or sent) message again, with a fresh count of attempts."""
    _admins_only()
    with unit_of_work():
        queue.send_again(db.get_or_404(OutboxMessage, message_id))
    flash(_("The message is queued again."), "success")
    return redirect(url_for("mail.outbox", status=request.args.get("status", "")))


@bp.post("/admin/mail/resend-failed")
@login_required
def resend_failed():
    """Queue every failed message again."""
    _admins_only()
    with unit_of_work():
        count = queue.send_failed_again()
    flash(
        ngettext("%(num)d message is queued again.", "%(num)d messages are queued again.", count),
        "success",
    )
    return redirect(url_for("mail.outbox"))


@bp.route("/account/mail", methods=["GET", "POST"])
@login_required
def preferences_page():
    """Choose per topic: immediately, in the weekly digest, or off."""
    chosen = preferences.choices_of(current_user)
    form = PreferencesForm.for_topics(chosen)
    if form.validate_on_submit():
        with unit_of_work():
            for name in preferences.TOPICS:
                preferences.set_delivery(current_user, name, Delivery(form[name].data))
        flash(_("Your mail settings were saved."), "success")
        return redirect(url_for("mail.preferences_page"))
    status = 400 if form.is_submitted() else 200
    return render_template("mail/preferences.html", form=form, topics=preferences.TOPICS), status


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail programs post "List-Unsubscribe=One-Click" without a form
def unsubscribe_page(token: str):
    """GET asks (link checkers must not unsubscribe anyone); POST switches the topic off."""
    found = unsubscribe.resolve(token[:400])
    if found is None:
        return render_template("mail/unsubscribe.html", invalid=True), 404
    user, topic = found
    done = False
    if request.method == "POST":
        with unit_of_work():
            preferences.set_delivery(user, topic, Delivery.OFF)
        done = True
    return render_template(
        "mail/unsubscribe.html",
        invalid=False,
        done=done,
        topic=preferences.topic(topic),
        token=token,
    )
