"""Admin pages of the coordination office: users, networks, topics."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import settings
from tracker.admin.forms import FactorPolicyForm, NetworkForm, TopicForm
from tracker.audit.models import AuditEvent
from tracker.auth import factors
from tracker.auth import services as users
from tracker.auth.forms import UserForm
from tracker.auth.models import User, UserRole
from tracker.db import db, unit_of_work
from tracker.forms_support import options, save_form
from tracker.i18n import _
from tracker.networks import services as networks
from tracker.networks.models import Network
from tracker.topics import services as topics
from tracker.topics.models import Topic

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    if not current_user.is_admin:
        abort(403)


@bp.get("/users")
def user_list():
    """List all users."""
    rows = db.session.scalars(select(User).order_by(User.active.desc(), User.name)).all()
    policy = FactorPolicyForm(required_for_managers=settings.flag(settings.FACTORS_FOR_MANAGERS))
    return render_template(
        "admin/users.html", users=rows, policy=policy, with_factor=factors.users_with_factor()
    )


@bp.post("/users/factor-policy")
def factor_policy():
    """Require a second factor of all network managers, or leave it to each of them."""
    form = FactorPolicyForm()
    if not form.validate_on_submit():
        abort(400)
    required = form.required_for_managers.data
    with unit_of_work():
        changed = settings.set_flag(settings.FACTORS_FOR_MANAGERS, required, actor=current_user)
    if changed:
        flash(
            _("Network managers now need a second factor.")
            if required
            else _("A second factor is now up to each network manager."),
            "success",
        )
    return redirect(url_for("admin.user_list"))


def _user_form(user: User | None) -> UserForm:
    form = UserForm(obj=user) if request.method == "GET" and user else UserForm()
    form.role.choices = options(UserRole.choices())
    form.network.choices = options(
        [(0, "—")] + [(n.id, n.short_name) for n in networks.all_networks()]
    )
    if request.method == "GET" and user:
        form.role.data, form.network.data = user.role.value, user.network_id or 0
    return form


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    """Create a user."""
    form = _user_form(None)

    def password():
        return users.check_new_password(
            form.password.data or "", email=form.email.data, name=form.name.data
        )

    def save(checked):
        users.create_user(
            actor=current_user,
            email=form.email.data,
            name=form.name.data,
            password=checked,
            role=UserRole(form.role.data),
            network=db.session.get(Network, form.network.data or 0),
        )

    return save_form(
        form, "admin/user_edit.html", save, "admin.user_list", prepare=password, user=None
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    """Change a user; a new password is optional."""
    user = db.get_or_404(User, user_id)
    form = _user_form(user)

    def password():
        if form.password.data:
            return users.check_new_password(form.password.data, email=user.email, name=user.name)
        return None

    def save(checked):
        users.update_user(
            user,
            actor=current_user,
            expected_version=form.version.data,
            email=form.email.data,
            name=form.name.data,
            role=UserRole(form.role.data),
            active=form.active.data,
            network=db.session.get(Network, form.network.data or 0),
        )
        if checked is not None:
            users.set_password(user, checked)

    return save_form(
        form, "admin/user_edit.html", save, "admin.user_list", prepare=password, user=user
    )


@bp.post("/users/<int:user_id>/factors/reset")
def user_reset_factors(user_id: int):
    """Remove a user's second factors (device and recovery codes lost); audited."""
    user = db.get_or_404(User, user_id)
    with unit_of_work():
        factors.reset_factors(user, actor=current_user)
    flash(_("The second factor of %(name)s was reset.", name=user.name), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.get("/networks")
def network_list():
    """List all networks in roll-call order."""
    return render_template("admin/networks.html", networks=networks.all_networks())


@bp.route("/networks/new", methods=["GET", "POST"])
@bp.route("/networks/<int:network_id>", methods=["GET", "POST"])
def network_edit(network_id: int | None = None):
    """Create or change a network."""
    network = db.get_or_404(Network, network_id) if network_id else None
    form = NetworkForm(obj=network)

    def save():
        values = {f: form[f].data for f in networks.NETWORK_FIELDS}
        values["roll_call_position"] = values["roll_call_position"] or 0
        networks.save_network(
            actor=current_user, network=network, expected_version=form.version.data, **values
        )

    return save_form(form, "admin/network_edit.html", save, "admin.network_list", network=network)


@bp.get("/topics")
def topic_list():
    """List all topics."""
    return render_template("admin/topics.html", topics=topics.all_topics(), form=TopicForm())


@bp.route("/topics/new", methods=["GET", "POST"])
@bp.route("/topics/<int:topic_id>", methods=["GET", "POST"])
def topic_edit(topic_id: int | None = None):
    """Create, rename or deactivate a topic."""
    topic = db.get_or_404(Topic, topic_id) if topic_id else None
    form = TopicForm(obj=topic)

    def save():
        topics.save_topic(
            actor=current_user,
            name=form.name.data,
            active=form.active.data,
            topic=topic,
            expected_version=form.version.data,
        )

    return save_form(form, "admin/topic_edit.html", save, "admin.topic_list", topic=topic)


@bp.get("/audit")
def audit_log():
    """Show the security events, newest first (read-only: the log is append-only)."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    event = request.args.get("event", "")[:60]
    if event:
        stmt = stmt.where(AuditEvent.event == event)
    page = db.paginate(stmt, per_page=50, error_out=False)
    actors = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in page.items if e.actor_id}))
        )
    }
    return render_template("admin/audit.html", page=page, actors=actors, event=event)
