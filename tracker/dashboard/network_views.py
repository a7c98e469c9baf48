"""Network pages: all networks, and one network's managers and open items."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from tracker import clock
from tracker.auth.services import managers_of
from tracker.db import db
from tracker.items import queries
from tracker.networks.models import Network
from tracker.networks.services import active_networks

bp = Blueprint("networks", __name__, url_prefix="/networks")


@bp.get("/")
@login_required
def index():
    """List the networks in roll-call order."""
    return render_template(
        "networks/index.html", networks=active_networks(), counts=queries.open_counts_by_network()
    )


@bp.get("/<int:network_id>")
@login_required
def detail(network_id: int):
    """Show a network: managers, open items it is responsible for, and counts."""
    network = db.get_or_404(Network, network_id)
    return render_template(
        "networks/detail.html",
        network=network,
        managers=managers_of(network.id),
        items=queries.open_items_of_network(network.id, current_user),
        counts=queries.open_counts_by_status(network.id),
        today=clock.today(),
    )
