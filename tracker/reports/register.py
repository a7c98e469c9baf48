"""The register list as export rows: exactly the filtered items, all pages, plain values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, literal, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased

from tracker import clock
from tracker.auth.models import User
from tracker.companies.models import Company, Contact
from tracker.companies.permissions import hidden_contact_ids
from tracker.db import db
from tracker.i18n import _
from tracker.items.models import Item, ItemKind, ItemStatus, Priority, item_topics
from tracker.items.queries import ItemFilter, filtered_items
from tracker.networks.models import Network
from tracker.topics.models import Topic

# Columns a user may add to the export, in the order they are appended.
EXTRA_COLUMNS = ("description", "resolution_note", "contact")


def local_zone() -> ZoneInfo:
    return clock.app_zone()


def local_naive(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A UTC timestamp as wall-clock time of the initiative, as spreadsheets want it."""
    return value.astimezone(zone).replace(tzinfo=None, microsecond=0) if value else None


def topic_names(item_ids: Select) -> dict[int, list[str]]:
    """Topic names per item for the items selected by ``item_ids``, in one query."""
    rows = db.session.execute(
        select(item_topics.c.item_id, Topic.name)
        .join(Topic, Topic.id == item_topics.c.topic_id)
        .where(item_topics.c.item_id.in_(item_ids))
        .order_by(Topic.name)
    )
    names: dict[int, list[str]] = {}
    for item_id, name in rows:
        names.setdefault(item_id, []).append(name)
    return names


def chosen_columns(values: Iterable[str]) -> tuple[str, ...]:
    """The extra columns asked for, in their fixed order; unknown names are left out."""
    wanted = set(values)
    return tuple(name for name in EXTRA_COLUMNS if name in wanted)


def register_headers(extra: Iterable[str] = ()) -> list[str]:
    """Column titles of the register export, in the user's language."""
    headers = [
        _("Reference"),
        _("Kind"),
        _("Status"),
        _("Title"),
        _("Company"),
        _("Contact person"),
        _("Topics"),
        _("Priority"),
        _("Reporting network"),
        _("Responsible network"),
        _("Assignee"),
        _("Follow-up date"),
        _("Created"),
        _("Updated"),
        _("Confidential"),
    ]
    added = {
        "description": [_("Description")],
        "resolution_note": [_("Resolution note")],
        "contact": [_("Contact person's e-mail"), _("Contact person's phone")],
    }
    return headers + [header for name in extra for header in added[name]]


def _contact_detail(column, user: User):
    """A contact's e-mail or phone, empty where ``user`` may not see the contact."""
    return case((Contact.id.in_(hidden_contact_ids(user)), literal("")), else_=column)


def _extra_columns(extra: Iterable[str], user: User) -> list:
    columns = {
        "description": [Item.description],
        "resolution_note": [Item.resolution_note],
        "contact": [
            _contact_detail(Contact.email, user).label("contact_email"),
            _contact_detail(Contact.phone, user).label("contact_phone"),
        ],
    }
    return [column for name in extra for column in columns[name]]


def _columns(stmt: Select, added: list) -> Select:
    """Only the exported columns: plain rows load many times faster than items."""
    reporting, responsible, assignee = aliased(Network), aliased(Network), aliased(User)
    columns = [
        Item.id,
        Item.reference,
        Item.kind,
        Item.status,
        Item.title,
        Company.name.label("company"),
        Contact.name.label("contact"),
        Item.priority,
        reporting.short_name.label("reporting"),
        responsible.short_name.label("responsible"),
        assignee.name.label("assignee"),
        Item.follow_up_date,
        Item.created_at,
        Item.updated_at,
        Item.confidential,
        *added,
    ]
    return (
        stmt.with_only_columns(*columns)
        .join(reporting, reporting.id == Item.reporting_network_id)
        .outerjoin(responsible, responsible.id == Item.responsible_network_id)
        .outerjoin(assignee, assignee.id == Item.assignee_id)
        .outerjoin(Contact, Contact.id == Item.contact_id)
    )


class _Labels:
    """Each label translated once: per-row translation dominated the time of big exports."""

    def __init__(self) -> None:
        self.kinds = {member: member.label for member in ItemKind}
        self.statuses = {member: member.label for member in ItemStatus}
        self.priorities = {member: member.label for member in Priority}
        self.yes_no = {True: _("yes"), False: _("no")}


def _row(row: Row, topics: list[str], labels: _Labels, zone: ZoneInfo, start: int) -> list:
    return [
        row.reference,
        labels.kinds[row.kind],
        labels.statuses[row.status],
        row.title,
        row.company,
        row.contact or "",
        ", ".join(topics),
        labels.priorities[row.priority],
        row.reporting,
        row.responsible or "",
        row.assignee or "",
        row.follow_up_date,
        local_naive(row.created_at, zone),
        local_naive(row.updated_at, zone),
        labels.yes_no[row.confidential],
        *(value or "" for value in row[start:]),
    ]


def register_rows(
    flt: ItemFilter, user: User, today: date, extra: Iterable[str] = ()
) -> list[list]:
    """Exactly the rows of the filtered register list, all pages, in two queries.

    ``extra`` adds the columns named in ``EXTRA_COLUMNS``; a contact's e-mail and phone stay
    empty where the user may not see the contact person.
    """
    stmt = filtered_items(flt, user, today)
    topics = topic_names(stmt.with_only_columns(Item.id).order_by(None))
    labels, zone = _Labels(), local_zone()
    added = _extra_columns(extra, user)
    query = _columns(stmt, added)
    start = len(query.selected_columns) - len(added)
    return [
        _row(row, topics.get(row.id, []), labels, zone, start) for row in db.session.execute(query)
    ]
