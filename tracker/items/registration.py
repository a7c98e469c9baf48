"""Registering an item from what a form, an API client or the CLI sends: ids, names, values.

The rules of a new item in one place: the reporting network (a manager's own, else the
chosen one), the company and contact found by name among those the actor may see or
created, the networks, topics and assignee looked up by id. Then ``create_item``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from tracker.auth.models import User
from tracker.companies import services as companies
from tracker.db import db
from tracker.exceptions import ValidationFailed
from tracker.i18n import _
from tracker.items.models import Item, ItemKind, ItemSource, Priority
from tracker.items.services import create_item, reporting_network_for
from tracker.networks.models import Network
from tracker.topics.models import Topic


def register_item(
    *,
    actor: User,
    title: str,
    kind: ItemKind,
    company_name: str,
    contact_name: str = "",
    reporting_network_id: int | None = None,
    responsible_network_id: int | None = None,
    topic_ids: Iterable[int] = (),
    assignee_id: int | None = None,
    priority: Priority = Priority.NORMAL,
    source: ItemSource = ItemSource.MEETING,
    follow_up_date: date | None = None,
    description: str = "",
    confidential: bool = False,
) -> Item:
    """Register a new item; unknown ids are refused at their field."""
    company, contact = company_and_contact(actor, company_name, contact_name)
    chosen = network_by_id(reporting_network_id, field="reporting_network")
    return create_item(
        actor=actor,
        title=title,
        kind=kind,
        company=company,
        contact=contact,
        reporting_network=reporting_network_for(actor, chosen),
        responsible_network=network_by_id(responsible_network_id, field="responsible_network"),
        topics=topics_by_id(topic_ids),
        assignee=db.session.get(User, assignee_id) if assignee_id else None,
        priority=priority,
        source=source,
        follow_up_date=follow_up_date,
        description=description,
        confidential=confidential,
    )


def company_and_contact(actor: User, company_name: str, contact_name: str = ""):
    """The company of that name the actor may see, else a new one; likewise its contact."""
    if not (company_name or "").strip():
        raise ValidationFailed(_("A company is required."), field="company_name")
    company = companies.find_or_create_company(company_name, actor=actor)
    contact = None
    if (contact_name or "").strip():
        contact = companies.find_or_create_contact(company, contact_name, actor=actor)
    return company, contact


def network_by_id(network_id: int | None, *, field: str) -> Network | None:
    """The network with this id (every network is public), None for none; unknown ids refused."""
    if not network_id:
        return None
    network = db.session.get(Network, network_id)
    if network is None:
        raise ValidationFailed(_("This network does not exist."), field=field)
    return network


def topics_by_id(ids: Iterable[int] | None) -> list[Topic]:
    """The topics with these ids, by name; unknown ids are left out."""
    ids = list(ids or ())
    if not ids:
        return []
    return list(db.session.scalars(select(Topic).where(Topic.id.in_(ids)).order_by(Topic.name)))
