"""The office's webhook pages: the endpoints, a new one (its secret shown once), changing,
deleting, the delivery log of each, and a test event."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.db import db, unit_of_work
from tracker.forms_support import attempt, save_form
from tracker.i18n import _
from tracker.submissions import services as submissions
from tracker.webhooks import services
from tracker.webhooks.forms import EVENT_LABELS, EndpointEditForm, EndpointForm
from tracker.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


@bp.before_request
@login_required
def _admins_only():
    if not current_user.is_admin:
        abort(403)


@bp.get("")
def endpoint_list():
    """The endpoints with their deliveries counted by status."""
    return render_template("webhooks/list.html", rows=services.all_endpoints(), labels=EVENT_LABELS)


@bp.route("/new", methods=["GET", "POST"])
def endpoint_new():
    """Register an endpoint; the answer shows its secret, this once."""
    form = EndpointForm()
    if form.validate_on_submit():
        result = attempt(
            form, lambda url: _create(form, url), prepare=lambda: services.check_url(form.url.data)
        )
        if result.done and result.value is None:  # the same form once more (a reload)
            flash(_("This form registered its endpoint already; its secret is shown only once."))
            return redirect(url_for("webhooks.endpoint_list"))
        if result.done:
            endpoint = result.value
            flash(_("The endpoint is registered."), "success")
            return _log_page(endpoint, secret=endpoint.secret)
    status = 400 if form.is_submitted() else 200
    return render_template("webhooks/new.html", form=form), status


def _create(form: EndpointForm, url: services.CheckedUrl) -> WebhookEndpoint | None:
    earlier, claim = submissions.claim(form.submission_key.data, current_user)
    if earlier is not None:
        return None
    endpoint = services.create_endpoint(
        url=url,
        events=form.events.data,
        description=form.description.data,
        actor=current_user,
    )
    submissions.done(claim, endpoint.id)
    return endpoint


@bp.route("/<int:endpoint_id>", methods=["GET", "POST"])
def endpoint_edit(endpoint_id: int):
    """Change an endpoint's events, description, or whether it is active."""
    endpoint = db.get_or_404(WebhookEndpoint, endpoint_id)
    form = EndpointEditForm(obj=endpoint)

    def save():
        services.update_endpoint(
            endpoint,
            events=form.events.data,
            description=form.description.data,
            active=form.active.data,
            actor=current_user,
            expected_version=form.version.data,
        )

    return save_form(form, "webhooks/edit.html", save, "webhooks.endpoint_list", endpoint=endpoint)


@bp.post("/<int:endpoint_id>/delete")
def endpoint_delete(endpoint_id: int):
    """Remove an endpoint and its delivery log."""
    with unit_of_work():
        services.delete_endpoint(db.get_or_404(WebhookEndpoint, endpoint_id), actor=current_user)
    flash(_("The endpoint is deleted."), "success")
    return redirect(url_for("webhooks.endpoint_list"))


@bp.post("/<int:endpoint_id>/test")
def endpoint_test(endpoint_id: int):
    """Queue a test event for this endpoint."""
    with unit_of_work():
        services.send_test(db.get_or_404(WebhookEndpoint, endpoint_id), actor=current_user)
    flash(_("A test event is queued; it goes out within seconds."), "success")
    return redirect(url_for("webhooks.endpoint_log", endpoint_id=endpoint_id))


@bp.post("/<int:endpoint_id>/deliveries/<int:delivery_id>/resend")
def endpoint_resend(endpoint_id: int, delivery_id: int):
    """Queue one delivery of this endpoint again."""
    with unit_of_work():
        found = db.get_or_404(WebhookDelivery, delivery_id)
        if found.endpoint_id != endpoint_id:
            abort(404)
        services.send_again(found)
    flash(_("The delivery is queued again."), "success")
    return redirect(url_for("webhooks.endpoint_log", endpoint_id=endpoint_id))


@bp.get("/<int:endpoint_id>/deliveries")
def endpoint_log(endpoint_id: int):
    """The endpoint's deliveries, newest first: status, answer, attempts, next attempt."""
    return _log_page(db.get_or_404(WebhookEndpoint, endpoint_id))


def _log_page(endpoint: WebhookEndpoint, secret: str | None = None) -> str:
    status = request.args.get("status", "")[:20]
    page = db.paginate(services.deliveries_query(endpoint, status), per_page=50, error_out=False)
    return render_template(
        "webhooks/log.html",
        endpoint=endpoint,
        page=page,
        status=status,
        statuses=list(DeliveryStatus),
        secret=secret,
        labels=EVENT_LABELS,
    )
