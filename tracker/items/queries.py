"""Read-only queries for item pages: the filtered register list and possible duplicates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, asc, case, desc, func, or_, select

from tracker import clock, providers
from tracker.auth.models import User
from tracker.companies.models import Company, company_key
from tracker.companies.permissions import company_visible
from tracker.db import db
from tracker.items.models import (
    Activity,
    ActivityKind,
    Item,
    ItemKind,
    ItemStatus,
    Priority,
    item_topics,
)
from tracker.items.permissions import can_view, visible_clause
from tracker.words import STOPWORDS

PRIORITY_ORDER = case(
    {p.value: rank for rank, p in enumerate(Priority)}, value=Item.priority, else_=0
)

SORTS = {
    "reference": Item.id,
    "created": Item.created_at,
    "updated": Item.updated_at,
    "follow_up": Item.follow_up_date,
    "priority": PRIORITY_ORDER,
    "status": Item.status,
    "title": Item.title,
    "company": Company.name,
}


@dataclass
class ItemFilter:
    """The register list's filters, as read from the URL."""

    kind: ItemKind | None = None
    status: str = ""  # "", "open", "closed" or an ItemStatus value
    responsible_network_id: int | None = None
    reporting_network_id: int | None = None
    assignee_id: int | None = None
    topic_id: int | None = None
    priority: Priority | None = None
    company_id: int | None = None
    origin: str = ""  # "", "imported" (from a register's file) or "entered" (in the app)
    overdue: bool = False
    q: str = ""
    # Local calendar days (Europe/Berlin), both ends included.
    created_from: date | None = None
    created_to: date | None = None
    closed_from: date | None = None
    closed_to: date | None = None
    sort: str = "reference"
    direction: str = "desc"
    extra: dict = field(default_factory=dict)


def _status_clause(status: str):
    if status == "open":
        return Item.status.in_(ItemStatus.open_statuses())
    if status == "closed":
        return Item.status.in_((ItemStatus.DONE, ItemStatus.DECLINED))
    return Item.status == ItemStatus(status)


def _text_clause(text: str):
    # The full-text index: word forms are found in title, description, reference and company.
    return providers.provided(providers.ITEM_TEXT_MATCH)(text)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _local_midnight(day: date) -> datetime:
    return clock.at(day)


def _date_clauses(flt: ItemFilter) -> list:
    ranges = (
        (Item.created_at, flt.created_from, flt.created_to),
        (Item.closed_at, flt.closed_from, flt.closed_to),
    )
    clauses = []
    for column, start, end in ranges:
        if start:
            clauses.append(column >= _local_midnight(start))
        if end:
            clauses.append(column < _local_midnight(end + timedelta(days=1)))
    return clauses


def filtered_items(
    flt: ItemFilter, user: User, today: date, *, join_company: bool = True
) -> Select:
    """Build the statement for the register list: visible items that match ``flt``, sorted.

    Without ``join_company`` the companies are joined only to sort by their name: every item
    has one, and the count and the page of ids then read an index alone.
    """
    stmt = select(Item).where(visible_clause(user))
    if join_company or flt.sort == "company":
        stmt = stmt.join(Item.company)
    conditions = []
    if flt.kind:
        conditions.append(Item.kind == flt.kind)
    if flt.status:
        conditions.append(_status_clause(flt.status))
    if flt.responsible_network_id:
        conditions.append(Item.responsible_network_id == flt.responsible_network_id)
    if flt.reporting_network_id:
        conditions.append(Item.reporting_network_id == flt.reporting_network_id)
    if flt.assignee_id:
        conditions.append(Item.assignee_id == flt.assignee_id)
    if flt.priority:
        conditions.append(Item.priority == flt.priority)
    if flt.company_id:
        conditions.append(Item.company_id == flt.company_id)
    if flt.topic_id:
        conditions.append(
            Item.id.in_(select(item_topics.c.item_id).where(item_topics.c.topic_id == flt.topic_id))
        )
    if flt.origin:
        imported = Item.import_key.is_not(None)
        conditions.append(imported if flt.origin == "imported" else ~imported)
    if flt.overdue:
        conditions.append(Item.status.in_(ItemStatus.open_statuses()))
        conditions.append(Item.follow_up_date < today)
    if flt.q.strip():
        conditions.append(_text_clause(flt.q))
    conditions.extend(_date_clauses(flt))
    column = SORTS.get(flt.sort, Item.id)
    order = asc if flt.direction == "asc" else desc
    return stmt.where(*conditions).order_by(order(column), order(Item.id))


def _stems(title: str) -> list[str]:
    words = [w for w in re.findall(r"\w+", title.casefold()) if len(w) >= 4]
    words = [w for w in words if w not in STOPWORDS]
    # A prefix of six letters finds German inflections: "Förderung" finds "Förderungen".
    stems = {w[:6] for w in words}
    return sorted(stems, key=len, reverse=True)[:6]


def possible_duplicates(
    user: User, *, company_name: str = "", title: str = "", exclude_id: int | None = None
) -> dict[str, list[Item]]:
    """Return open, visible items of the same company and open items with similar words."""
    base = (
        select(Item)
        .join(Item.company)
        .where(Item.status.in_(ItemStatus.open_statuses()), visible_clause(user))
    )
    if exclude_id:
        base = base.where(Item.id != exclude_id)
    same_company: list[Item] = []
    key = company_key(company_name) if company_name.strip() else ""
    if key:
        same_company = list(
            db.session.scalars(base.where(Company.name_key == key).order_by(desc(Item.id)).limit(8))
        )
    similar: list[Item] = []
    stems = _stems(title)
    if stems:
        hits = [Item.title.ilike(f"%{_escape_like(s)}%", escape="\\") for s in stems]
        score = sum(case((hit, 1), else_=0) for hit in hits)
        rows = db.session.execute(
            base.add_columns(score.label("score"))
            .where(or_(*hits))
            .order_by(desc("score"), desc(Item.id))
            .limit(8)
        ).all()
        seen = {i.id for i in same_company}
        needed = 2 if len(stems) >= 3 else 1
        similar = [row[0] for row in rows if row[0].id not in seen and row[1] >= needed]
    company = None
    if key:
        company = db.session.scalar(
            select(Company).where(Company.name_key == key, company_visible(user))
        )
    return {"same_company": same_company, "similar": similar, "company": company}


def same_open_item(user: User, company: Company, title: str) -> Item | None:
    """An open item of ``company`` that ``user`` may see and whose title equals ``title``.

    Titles are compared as people type them: case and spacing do not count.
    """
    wanted = " ".join(title.split()).casefold()
    candidates = db.session.scalars(
        select(Item).where(
            Item.company_id == company.id,
            Item.status.in_(ItemStatus.open_statuses()),
            visible_clause(user),
        )
    )
    return next((i for i in candidates if " ".join(i.title.split()).casefold() == wanted), None)


def changes_since(item: Item, version: int | None) -> list[Activity]:
    """Recorded changes (not comments) made after the user loaded ``version``."""
    if version is None:
        return []
    return list(
        db.session.scalars(
            select(Activity)
            .where(
                Activity.item_id == item.id,
                Activity.item_version > version,
                Activity.kind != ActivityKind.COMMENT,
            )
            .order_by(Activity.id)
        )
    )


def current_values(item: Item) -> dict[str, str]:
    """The item's editable fields as the conflict page shows them next to the user's input."""
    return {
        "title": item.title,
        "kind": item.kind.label,
        "company_name": item.company.name,
        "contact_name": item.contact.name if item.contact else "",
        "topics": ", ".join(t.name for t in item.topics),
        "priority": item.priority.label,
        "source": item.source.label,
        "follow_up_date": item.follow_up_date,
        "assignee": item.assignee.name if item.assignee else "",
        "description": item.description,
        "confidential": item.confidential,
    }


def items_by_id(ids: list[int]) -> list[Item]:
    """Load the items of ``ids`` (with their joined records), in the order of ``ids``."""
    if not ids:
        return []
    found = {item.id: item for item in db.session.scalars(select(Item).where(Item.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def visible_by_reference(reference: str, viewer: User) -> Item | None:
    """The item with this reference number ("2026-0042"), if the viewer may see it."""
    reference = (reference or "").strip()[:20]
    item = db.session.scalar(select(Item).where(Item.reference == reference)) if reference else None
    return item if item is not None and can_view(viewer, item) else None


def open_counts_by_status(network_id: int) -> dict[ItemStatus, int]:
    """Open items the network is responsible for, counted by status (confidential included)."""
    rows = db.session.execute(
        select(Item.status, func.count(Item.id))
        .where(
            Item.responsible_network_id == network_id, Item.status.in_(ItemStatus.open_statuses())
        )
        .group_by(Item.status)
    ).all()
    return {status: count for status, count in rows}


def open_counts_by_network() -> dict[int, int]:
    """Open items per responsible network id (confidential included: figures, not content)."""
    rows = db.session.execute(
        select(Item.responsible_network_id, func.count(Item.id))
        .where(Item.status.in_(ItemStatus.open_statuses()))
        .group_by(Item.responsible_network_id)
    ).all()
    return {network_id: count for network_id, count in rows if network_id is not None}


def open_items_of_network(network_id: int, viewer: User, limit: int = 200) -> list[Item]:
    """The open items a network is responsible for that the viewer may see, soonest first."""
    return list(
        db.session.scalars(
            select(Item)
            .where(
                Item.responsible_network_id == network_id,
                Item.status.in_(ItemStatus.open_statuses()),
                visible_clause(viewer),
            )
            .order_by(Item.follow_up_date.asc(), Item.id.desc())
            .limit(limit)
        )
    )


def open_counts_by_company(company_ids: list[int], user: User) -> dict[int, int]:
    """Open items per company that ``user`` may see, for one page of the company list."""
    rows = db.session.execute(
        select(Item.company_id, func.count(Item.id))
        .where(
            Item.company_id.in_(company_ids),
            Item.status.in_(ItemStatus.open_statuses()),
            visible_clause(user),
        )
        .group_by(Item.company_id)
    ).all()
    return dict(rows)


def company_items(company_id: int, user: User) -> list[Item]:
    """All items of the company that ``user`` may see, newest first."""
    return list(
        db.session.scalars(
            select(Item)
            .where(Item.company_id == company_id, visible_clause(user))
            .order_by(Item.id.desc())
        )
    )
