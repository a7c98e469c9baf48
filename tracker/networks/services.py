"""Networks: managed by admins; their pages' queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tracker.addresses import clean_website
from tracker.auth.models import User
from tracker.db import db
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.networks.models import Network
from tracker.versioning import check_version, flush_or_conflict

NETWORK_FIELDS = (
    "name",
    "short_name",
    "description",
    "website",
    "aliases",
    "roll_call_position",
    "active",
)


def active_networks() -> list[Network]:
    """Active networks in roll-call order."""
    return list(
        db.session.scalars(
            select(Network)
            .where(Network.active)
            .order_by(Network.roll_call_position, Network.short_name)
        )
    )


def all_networks() -> list[Network]:
    """Every network in roll-call order."""
    return list(
        db.session.scalars(select(Network).order_by(Network.roll_call_position, Network.short_name))
    )


def _check_unique(field: str, value: str, network_id: int | None) -> None:
    column = getattr(Network, field)
    clash = db.session.scalar(
        select(Network.id).where(
            func.lower(column) == value.lower(), Network.id != (network_id or 0)
        )
    )
    if clash:
        raise ValidationFailed(_("Another network has this name."), field=field)


def save_network(
    *,
    actor: User,
    network: Network | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> Network:
    """Create a network or change one (admins)."""
    if not actor.is_admin:
        raise PermissionDenied(_("Only the coordination office manages networks."))
    for field in ("name", "short_name"):
        values[field] = " ".join((values.get(field) or "").split())
        if not values[field]:
            raise ValidationFailed(_("This field is required."), field=field)
        _check_unique(field, values[field], network.id if network else None)
    if network is None:
        network = Network()
        db.session.add(network)
    else:
        check_version(network, expected_version)
    if "website" in values:
        values["website"] = clean_website(values["website"])
    if "aliases" in values:  # one a line, blanks and repeated spaces dropped
        lines = (" ".join(line.split()) for line in (values["aliases"] or "").splitlines())
        values["aliases"] = "\n".join(line for line in lines if line)
    for field in NETWORK_FIELDS:
        if field in values:
            setattr(network, field, values[field])
    flush_or_conflict(network, expected_version)
    return network
