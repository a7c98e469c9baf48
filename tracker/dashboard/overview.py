"""Figures of the overview: aggregated in SQL, confidential items counted (DESIGN.md 7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, select

from tracker.dashboard.periods import Period, local_start, weeks
from tracker.db import db
from tracker.items.models import Item, ItemStatus, item_topics
from tracker.networks.models import Network
from tracker.topics.models import Topic

OPEN = ItemStatus.open_statuses()
# Age buckets by days since creation: (key, first day, last day or None for "and older").
AGE_BUCKETS = (("0-7", 0, 7), ("8-30", 8, 30), ("31-90", 31, 90), ("90+", 91, None))
TOP_TOPICS = 10


@dataclass
class NetworkRow:
    """Open items one network is responsible for; ``network`` None means "not yet decided"."""

    network: Network | None
    by_status: dict[ItemStatus, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass
class Bucket:
    """One bar of a chart: a label, its figure and the register-list arguments behind it."""

    label: str
    value: int
    args: dict


def _age_counts(today: date) -> list[int]:
    """Open items per age bucket: one count per bucket, each a range of the index on status
    and creation time (no scan of every open item)."""
    counts = []
    for _key, first, last in AGE_BUCKETS:
        conditions = [Item.status.in_(OPEN)]
        if first:
            conditions.append(Item.created_at < local_start(today - timedelta(days=first - 1)))
        if last is not None:
            conditions.append(Item.created_at >= local_start(today - timedelta(days=last)))
        counts.append(select(func.count()).select_from(Item).where(*conditions).scalar_subquery())
    return [n or 0 for n in db.session.execute(select(*counts)).one()]


def _open_rows(today: date) -> list:
    """Open items and overdue ones per responsible network and status (the covering index
    on status, network and follow-up date answers it)."""
    overdue = func.sum(case((Item.follow_up_date < today, 1), else_=0))
    stmt = (
        select(Item.responsible_network_id, Item.status, func.count(), overdue)
        .where(Item.status.in_(OPEN))
        .group_by(Item.responsible_network_id, Item.status)
    )
    return db.session.execute(stmt).all()


def _networks() -> dict[int, Network]:
    rows = db.session.scalars(
        select(Network).order_by(Network.roll_call_position, Network.short_name)
    )
    return {n.id: n for n in rows}


def _network_rows(rows: list, networks: dict[int, Network]) -> list[NetworkRow]:
    by_id: dict[int | None, NetworkRow] = {
        nid: NetworkRow(n) for nid, n in networks.items() if n.active
    }
    for network_id, status, count, overdue in rows:
        row = by_id.setdefault(network_id, NetworkRow(networks.get(network_id)))
        row.by_status[ItemStatus(status)] = count
        row.overdue += overdue or 0
    ordered = [by_id[nid] for nid in networks if nid in by_id]
    return ordered + ([by_id[None]] if None in by_id else [])


def _age_buckets(today: date) -> list[Bucket]:
    totals = _age_counts(today)
    buckets = []
    for (key, first, last), total in zip(AGE_BUCKETS, totals, strict=True):
        args = {"status": "open", "created_to": (today - timedelta(days=first)).isoformat()}
        if last is not None:
            args["created_from"] = (today - timedelta(days=last)).isoformat()
        buckets.append(Bucket(key, total, args))
    return buckets


def _weekly(column, periods: list[Period]) -> list[int]:
    """Items per period: one count per period, each a range of ``column``'s index."""
    counts = [
        select(func.count())
        .select_from(Item)
        .where(column >= p.start, column < p.end)
        .scalar_subquery()
        for p in periods
    ]
    return [n or 0 for n in db.session.execute(select(*counts)).one()]


def weekly_new_closed(today: date) -> list[dict]:
    """New and closed items per ISO week over the last 12 weeks, oldest first."""
    periods = weeks(today)
    new = _weekly(Item.created_at, periods)
    closed = _weekly(Item.closed_at, periods)
    return [
        {"week": p, "new": n, "closed": c, "current": p.last >= today}
        for p, n, c in zip(periods, new, closed, strict=True)
    ]


def top_topics(*conditions, limit: int = TOP_TOPICS) -> list[tuple[Topic, int]]:
    """Topics with the most items matching ``conditions``, most first."""
    # From the matching items to their topics (the primary key of item_topics starts with
    # the item): grouping by an expression keeps SQLite from walking the topic index instead.
    topic_id = (item_topics.c.topic_id + 0).label("topic_id")
    counts = (
        select(topic_id, func.count().label("n"))
        .select_from(Item)
        .join(item_topics, item_topics.c.item_id == Item.id)
        .where(*conditions)
        .group_by(topic_id)
        .subquery()
    )
    stmt = (
        select(Topic, counts.c.n)
        .join(counts, counts.c.topic_id == Topic.id)
        .order_by(counts.c.n.desc(), Topic.name)
        .limit(limit)
    )
    return [(topic, n) for topic, n in db.session.execute(stmt).all()]


def overview(today: date) -> dict:
    """Every figure of the overview page."""
    rows = _open_rows(today)
    recent = Period.last_days(90, today)
    return {
        "network_rows": _network_rows(rows, _networks()),
        "statuses": OPEN,
        "ages": _age_buckets(today),
        "weeks": weekly_new_closed(today),
        "topics_open": top_topics(Item.status.in_(OPEN)),
        "topics_recent": top_topics(Item.created_at >= recent.start),
        "recent": recent,
    }
