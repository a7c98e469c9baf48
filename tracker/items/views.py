"""Register pages: list, create, detail, edit, and the duplicate hints."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import caching, clock
from tracker.companies import services as companies
from tracker.db import begin_writing, db, reads_first
from tracker.exceptions import ConflictError, ServiceError
from tracker.forms_support import apply_error, int_arg, set_version
from tracker.i18n import _
from tracker.items import choices, lifecycle, permissions, queries, services
from tracker.items.forms import ActionForm, CommentForm, HandOffForm, ItemFilterForm, ItemForm
from tracker.items.models import Item, ItemKind, ItemSource, Priority
from tracker.networks.models import Network
from tracker.reports import services as saved_views
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
        return render_template("items/_register.html", form=form, page=page, flt=flt, today=today)

    # What a viewer may see depends on who they are: one entry per viewer and query.
    body = caching.fragment("register", (current_user.id, today, query), render_register)
    view_query = saved_views.clean_query(query)

    def render_views() -> str:
        views = saved_views.visible_views(current_user)
        return render_template(
            "reports/_saved_views.html", saved_views=views, view_query=view_query
        )

    views = caching.fragment(
        "saved-views", (current_user.id, request.full_path), render_views, with_forms=True
    )
    return render_template("items/index.html", body=body, views=views, view_query=view_query)


@bp.route("/new", methods=["GET", "POST"])
@reads_first
@login_required
def new():
    """Create an item with a short keyboard-friendly form."""
    if not permissions.can_create(current_user):
        abort(403)
    form = ItemForm()
    choices.fill_item_form(form, current_user)
    if form.validate_on_submit():
        begin_writing()
        earlier, claim = submissions.claim(form.submission_key.data, current_user)
        if earlier is not None:
            return _created_before(earlier)
        try:
            item = services.create_item(actor=current_user, **_create_values(form))
        except ServiceError as exc:
            db.session.rollback()
            apply_error(form, exc)
        else:
            submissions.done(claim, item.id)
            # Read before the commit: afterwards each attribute would load the row again,
            # in a new transaction that waits for SQLite's write lock.
            reference, target = item.reference, url_for("items.detail", item_id=item.id)
            db.session.commit()
            flash(_("Item %(ref)s was created.", ref=reference), "success")
            return redirect(target)
    status = 400 if form.is_submitted() else 200
    return render_template("items/new.html", form=form), status


def _created_before(item_id: str):
    """A resent create form: show the item the first send made, create none."""
    db.session.commit()
    flash(_("This form was sent before; the item was created then."), "info")
    if item_id.isdigit():
        return redirect(url_for("items.detail", item_id=int(item_id)))
    return redirect(url_for("items.index"))


def _company_and_contact(form: ItemForm):
    company = companies.find_or_create_company(form.company_name.data, actor=current_user)
    contact = None
    if (form.contact_name.data or "").strip():
        contact = companies.find_or_create_contact(
            company, form.contact_name.data, actor=current_user
        )
    return company, contact


def _create_values(form: ItemForm) -> dict:
    company, contact = _company_and_contact(form)
    chosen = db.session.get(Network, form.reporting_network.data or 0)
    return dict(
        title=form.title.data,
        kind=ItemKind(form.kind.data),
        company=company,
        contact=contact,
        reporting_network=services.reporting_network_for(current_user, chosen),
        responsible_network=(
            db.session.get(Network, form.responsible_network.data)
            if form.responsible_network.data
            else None
        ),
        topics=choices.topics_by_id(form.topics.data),
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

    # Actions depend on the viewer; "overdue" on the day.
    key = (current_user.id, item.id, clock.today())
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
        expected = form.version.data
        try:
            company, contact = _company_and_contact(form)
            services.update_item(
                item,
                actor=current_user,
                expected_version=expected,
                **_edit_values(form, company, contact),
            )
        except ConflictError:
            return _conflict(item_id, form, expected)
        except ServiceError as exc:
            db.session.rollback()
            apply_error(form, exc)
        else:
            target = url_for("items.detail", item_id=item.id)
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(target)
    status = 400 if form.is_submitted() else 200
    return render_template("items/edit.html", form=form, item=item), status


def _edit_values(form: ItemForm, company, contact) -> dict:
    return dict(
        title=form.title.data,
        kind=ItemKind(form.kind.data),
        company=company,
        contact=contact,
        topics=choices.topics_by_id(form.topics.data),
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
    db.session.rollback()
    item = load_visible(item_id)
    changes = queries.changes_since(item, expected)
    set_version(form, item.version)  # saving again now overwrites knowingly
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


from tracker.items import action_views  # noqa: E402,F401  (routes on the same blueprint)
