"""Bulk changes from the register list: the change, its confirmation of what became of each."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from flask import abort, render_template, request
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from tracker import clock
from tracker.auth.models import User
from tracker.db import db, unit_of_work
from tracker.exceptions import ValidationFailed
from tracker.forms_support import apply_error, options
from tracker.i18n import _
from tracker.items import bulk, choices, lifecycle, permissions, queries
from tracker.items.bulk_forms import BulkForm
from tracker.items.forms import ItemFilterForm
from tracker.items.models import Item
from tracker.items.views import bp
from tracker.networks.models import Network
from tracker.networks.services import active_networks
from tracker.ranges import in_id_range
from tracker.submissions import services as submissions
from tracker.topics.models import Topic
from tracker.topics.services import active_topics

TARGET = re.compile(r"^(\d{1,10}):(\d{1,10})$")  # "item id:version seen"


def bulk_form(**data) -> BulkForm:
    """The bulk form with its choices, for the register page and the bulk pages."""
    form = BulkForm(**data)
    form.change.choices = options([(None, "…"), *bulk.KINDS.items()])
    form.action.choices = options(
        [(None, "…")] + [(a.name, a.label) for a in lifecycle.ACTIONS.values()]
    )
    form.network.choices = options(
        [(None, "…")] + [(n.id, n.short_name) for n in active_networks()]
    )
    form.assignee.choices = options([(None, _("nobody"))] + choices.manager_choices())
    form.topic.choices = options([(None, "…")] + [(t.id, t.name) for t in active_topics()])
    form.max_items = bulk.MAX_ITEMS
    return form


@bp.app_template_global()
def register_bulk_form():
    """The bulk form above the register list, for those who change items."""
    if not permissions.can_create(current_user):
        return None
    return bulk_form(formdata=None, query=request.query_string.decode("utf-8", "replace"))


def _targets(form: BulkForm) -> list[tuple[Item, int | None]]:
    """The items chosen: ticked ones with the version seen, or all of the filtered list."""
    if form.all_filtered.data:
        args = MultiDict(
            [(k, v) for k, values in parse_qs(form.query.data or "").items() for v in values]
        )
        filters = ItemFilterForm(args, meta={"csrf": False})
        choices.fill_filter_form(filters)
        flt = choices.filter_from_form(filters, args)
        stmt = queries.filtered_items(flt, current_user, clock.today(), join_company=False)
        ids = list(db.session.scalars(stmt.with_only_columns(Item.id).limit(bulk.MAX_ITEMS)))
        return [(item, None) for item in queries.items_by_id(ids)]
    seen: dict[int, int] = {}
    for value in request.form.getlist("items")[: bulk.MAX_ITEMS]:
        found = TARGET.match(value)
        if found and in_id_range(int(found[1])):
            seen[int(found[1])] = int(found[2])
    chosen = queries.items_by_id(list(seen))
    return [(item, seen[item.id]) for item in chosen if permissions.can_view(current_user, item)]


def _change(form: BulkForm) -> bulk.BulkChange:
    def record(model, value):
        return db.session.get(model, value) if value else None

    return bulk.BulkChange(
        kind=form.change.data or "",
        action=form.action.data or "",
        note=(form.note.data or "").strip(),
        network=record(Network, form.network.data),
        assignee=record(User, form.assignee.data),
        follow_up_date=form.follow_up_date.data,
        topic=record(Topic, form.topic.data),
    )


@bp.post("/bulk")
@login_required
def bulk_change():
    """Make one change to the chosen items; show what became of each."""
    form = bulk_form()
    if not permissions.can_create(current_user):
        abort(403)
    targets = _targets(form) if form.validate_on_submit() else []
    if form.errors or not targets:
        if not form.errors:
            form.form_errors.append(_("Please tick the items to change."))
        return _again(form, targets), 400
    change = _change(form)
    with unit_of_work():
        earlier, claim = submissions.claim(form.submission_key.data, current_user)
        if earlier is not None:
            return render_template("items/bulk_result.html", outcomes=None, form=form)
        try:
            outcomes = bulk.apply(change, targets, actor=current_user)
        except ValidationFailed as exc:
            apply_error(form, exc)
            db.session.rollback()
            return _again(form, targets), 400
        submissions.done(claim, len(outcomes))
    return render_template("items/bulk_result.html", outcomes=outcomes, form=form)


def _again(form: BulkForm, targets: list[tuple[Item, int | None]]):
    """The form with what was sent and the items it was meant for, to correct and send."""
    return render_template("items/bulk.html", form=form, targets=targets)
