"""Register pages: list, create, detail, edit, and the duplicate hints."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import caching, clock, providers
from tracker.db import db
from tracker.forms_support import attempt, int_arg
from tracker.i18n import _, _l
from tracker.items import (
    choices,
    following,
    lifecycle,
    permissions,
    queries,
    registration,
    relations,
    saved_views,
    services,
)
from tracker.items.forms import ActionForm, CommentForm, HandOffForm, ItemFilterForm, ItemForm
from tracker.items.models import Item, ItemKind, ItemSource, Priority
from tracker.submissions import services as submissions

bp = Blueprint("items", __name__, url_prefix="/items")


def load_visible(item_id: int) -> Item:
    """Load an item the current user may see, or answer 404."""
    item = db.get_or_404(Item, item_id)
    if not permissions.can_view(current_user, item):
        abort(404)
    return item


@bp.get("/")
@login_required
def index():
    """Show the register list with its filters, sorting and pagination."""
    today = clock.today()
    query = request.query_string.decode("utf-8", "replace")

    def render_register() -> str:
        form = ItemFilterForm(request.args)
        choices.fill_filter_form(form)
        flt = choices.filter_from_form(form, request.args)
        stmt = queries.filtered_items(flt, current_user, today, join_company=False)
        # Page through ids only (index-only where possible), then load the page's rows.
        page = db.paginate(
            stmt.with_only_columns(Item.id),
            per_page=current_app.config["ITEMS_PER_PAGE"],
            error_out=False,
            max_per_page=100,
        )
        page.items = queries.items_by_id(list(page.items))
        problem = providers.provided(providers.TEXT_PROBLEM)(flt.q)  # it finds nothing: say why
        if problem:
            form.q.errors = [problem]
        return render_template(
            "items/_register.html",
            form=form,
            page=page,
            flt=flt,
            today=today,
            can_bulk=permissions.can_create(current_user),
        )

    # One entry per query (and, as for every fragment, per viewer and day).
    body = caching.fragment("register", (query,), render_register)
    view_query = saved_views.clean_query(query)

    def render_views() -> str:
        views = saved_views.visible_views(current_user)
        return render_template(
            "reports/_saved_views.html", saved_views=views, view_query=view_query
        )

    views = caching.fragment("saved-views", (request.full_path,), render_views, with_forms=True)
    return render_template("items/index.html", body=body, views=views, view_query=view_query)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create an item with a short keyboard-friendly form."""
    if not permissions.can_create(current_user):
        abort(403)
    form = ItemForm()
    choices.fill_item_form(form, current_user)
    if form.validate_on_submit():
        saved = attempt(form, lambda: _create(form))
        if saved.done:
            earlier, item = saved.value
            if earlier is not None:
                return _created_before(earlier)
            flash(_("Item %(ref)s was created.", ref=item.reference), "success")
            return redirect(url_for("items.detail", item_id=item.id))
    status = 400 if form.is_submitted() else 200
    return render_template("items/new.html", form=form), status


def _create(form: ItemForm) -> tuple[str | None, Item | None]:
    """What a resent form made before, or the item made now (with its form key)."""
    earlier, claim = submissions.claim(form.submission_key.data, current_user)
    if earlier is not None:
        return earlier, None
    item = registration.register_item(actor=current_user, **_create_values(form))
    submissions.done(claim, item.id)
    return None, item


def _created_before(item_id: str):
    """A resent create form: show the item the first send made, create none."""
    flash(_("This form was sent before; the item was created then."), "info")
    if item_id.isdigit():
        return redirect(url_for("items.detail", item_id=int(item_id)))
    return redirect(url_for("items.index"))


def _create_values(form: ItemForm) -> dict:
    return dict(
        title=form.title.data,
        kind=ItemKind(form.kind.data),
        company_name=form.company_name.data,
        contact_name=form.contact_name.data or "",
        reporting_network_id=form.reporting_network.data,
        responsible_network_id=form.responsible_network.data,
        topic_ids=form.topics.data or (),
        priority=Priority(form.priority.data),
        source=ItemSource(form.source.data),
        follow_up_date=form.follow_up_date.data,
        description=form.description.data or "",
        confidential=form.confidential.data,
    )


@bp.get("/<int:item_id>")
@login_required
def detail(item_id: int):
    """Show an item with its timeline and the actions the user may take."""
    item = load_visible(item_id)

    def render_item() -> str:
        return render_template("items/_detail.html", **detail_context(item))

    # Actions depend on the viewer, "overdue" on the day: every fragment's key holds both.
    key = (item.id,)
    body = caching.fragment("item", key, render_item, with_forms=True)
    return render_template("items/detail.html", item=item, body=body)


def render_detail(item: Item, **forms) -> str:
    """The item page with forms that keep the user's input and show its errors."""
    body = caching.rendered(render_template("items/_detail.html", **detail_context(item, **forms)))
    return render_template("items/detail.html", item=item, body=body)


def detail_context(item: Item, **forms) -> dict:
    """Everything the detail page needs; forms given here keep the user's input."""
    handoff = forms.pop("handoff_form", None) or HandOffForm(version=item.version)
    choices.fill_handoff_form(handoff, item)
    return dict(
        item=item,
        actions=lifecycle.available_actions(item, current_user),
        action_form=forms.pop("action_form", None) or ActionForm(version=item.version),
        failed_action=forms.pop("failed_action", None),
        handoff_form=handoff,
        comment_form=forms.pop("comment_form", None) or CommentForm(),
        can_edit=permissions.can_edit(current_user, item),
        can_comment=permissions.can_comment(current_user, item),
        can_hand_off=lifecycle.can_hand_off(item, current_user),
        timeline=item.activities,
        today=clock.today(),
        followers=following.followers(item),
        links=relations.links(item, current_user),
        **forms,
    )


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit(item_id: int):
    """Edit an item; a save on a stale version shows the conflict and keeps the input."""
    item = load_visible(item_id)
    if not permissions.can_edit(current_user, item):
        abort(403)
    form = ItemForm(obj=item) if request.method == "GET" else ItemForm()
    if request.method == "GET":
        form.company_name.data = item.company.name
        form.contact_name.data = item.contact.name if item.contact else ""
        form.topics.data = [t.id for t in item.topics]
        form.assignee.data = item.assignee_id
        form.kind.data, form.priority.data = item.kind.value, item.priority.value
        form.source.data = item.source.value
    choices.fill_item_form(form, current_user, item)
    if form.validate_on_submit():
        saved = attempt(form, lambda: _update(item, form), conflict_message=EDIT_CONFLICT)
        if saved.done:
            flash(_("Changes saved."), "success")
            return redirect(url_for("items.detail", item_id=item_id))
        if saved.conflict:
            return _conflict(item_id, form, saved.error.expected_version)
    status = 400 if form.is_submitted() else 200
    return render_template("items/edit.html", form=form, item=item), status


EDIT_CONFLICT = _l("Someone else changed this item meanwhile. Your input is kept below.")


def _update(item: Item, form: ItemForm) -> None:
    company, contact = registration.company_and_contact(
        current_user, form.company_name.data, form.contact_name.data or ""
    )
    services.update_item(
        item,
        actor=current_user,
        expected_version=form.version.data,
        **_edit_values(form, company, contact),
    )


def _edit_values(form: ItemForm, company, contact) -> dict:
    return dict(
        title=form.title.data,
        kind=ItemKind(form.kind.data),
        company=company,
        contact=contact,
        topics=registration.topics_by_id(form.topics.data),
        priority=Priority(form.priority.data),
        source=ItemSource(form.source.data),
        follow_up_date=form.follow_up_date.data,
        description=form.description.data or "",
        confidential=form.confidential.data,
        for_next_meeting=form.for_next_meeting.data,
        assignee=choices.user_or_none(form.assignee.data),
    )


def _conflict(item_id: int, form: ItemForm, expected: int | None):
    """Answer 409: what changed meanwhile, and the form with the user's input kept."""
    item = load_visible(item_id)
    changes = queries.changes_since(item, expected)
    choices.fill_item_form(form, current_user, item)
    return render_template(
        "items/edit.html",
        form=form,
        item=item,
        conflict=True,
        changes=changes,
        current=queries.current_values(item),
    ), 409


@bp.get("/duplicates")
@login_required
def duplicates():
    """Fragment for the create form: open items of the same company and with similar words."""
    found = queries.possible_duplicates(
        current_user,
        company_name=request.args.get("company_name", "")[:200],
        title=request.args.get("title", "")[:300],
        exclude_id=int_arg("exclude"),
    )
    return render_template("items/_duplicates.html", **found)


from tracker.items import (  # noqa: E402,F401  (routes on the same blueprint)
    action_views,
    bulk_views,
    follow_views,
    mention_views,
    relation_views,
)
