"""Network pages: all networks, and one network's managers and open items."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.auth.services import managers_of
from tracker.db import db
from tracker.items.models import Item, ItemStatus
from tracker.items.permissions import visible_clause
from tracker.networks import services
from tracker.networks.models import Network

bp = Blueprint("networks", __name__, url_prefix="/networks")


@bp.get("/")
@login_required
def index():
    """List the networks in roll-call order."""
    return render_template(
        "networks/index.html",
        networks=services.active_networks(),
        counts=services.open_counts_all(),
    )


@bp.get("/<int:network_id>")
@login_required
def detail(network_id: int):
    """Show a network: managers, open items it is responsible for, and counts."""
    network = db.get_or_404(Network, network_id)
    items = db.session.scalars(
        select(Item)
        .where(
            Item.responsible_network_id == network.id,
            Item.status.in_(ItemStatus.open_statuses()),
            visible_clause(current_user),
        )
        .order_by(Item.follow_up_date.asc(), Item.id.desc())
        .limit(200)
    ).all()
    return render_template(
        "networks/detail.html",
        network=network,
        managers=managers_of(network.id),
        items=items,
        counts=services.open_counts_by_status(network),
        today=clock.today(),
    )
