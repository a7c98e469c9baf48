"""Demand clusters: topics and wording raised by several companies across several networks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, literal, select, union_all

from tracker.auth.models import User
from tracker.companies.models import Company
from tracker.dashboard.periods import Period
from tracker.db import db
from tracker.items.models import Item, ItemStatus, item_topics
from tracker.items.permissions import visible_clause
from tracker.networks.models import Network
from tracker.topics.models import Topic

EXAMPLES = 8
MAX_CLUSTERS = 12


@dataclass
class Thresholds:
    companies: int = 2
    networks: int = 2


@dataclass
class ClusterItem:
    """An item behind a cluster; without ``visible`` it is only counted, nothing shown."""

    id: int
    reference: str
    title: str
    company: str
    network: str
    status: ItemStatus
    created_at: datetime
    visible: bool


@dataclass
class Cluster:
    """One signal: a topic or a word stem with its items, companies and reporting networks."""

    key: str
    label: str
    items: int
    companies: int
    networks: int
    topic: Topic | None = None
    by_network: list[tuple[Network, int]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    examples: list[ClusterItem] = field(default_factory=list)
    item_ids: frozenset[int] = frozenset()

    @property
    def score(self) -> int:
        return self.companies * self.networks

    @property
    def search(self) -> str:
        """What to search in the register for the cluster's words ("Förder…" → "Förder")."""
        return self.label.rstrip("…")


def in_period(period: Period) -> tuple:
    """Conditions for items created in ``period``."""
    return Item.created_at >= period.start, Item.created_at < period.end


def _example_columns(user: User) -> tuple:
    return (
        Item.id,
        Item.reference,
        Item.title,
        Network.short_name,
        Item.status,
        Item.created_at,
        case((visible_clause(user), 1), else_=0),
        Company.name,
    )


def _example(row) -> ClusterItem:
    id_, reference, title, network, status, created_at, visible, company = row
    if not visible:  # counted, but its content (its reference too) stays in the database
        reference = title = company = network = ""
    return ClusterItem(
        id_, reference, title, company, network, ItemStatus(status), created_at, bool(visible)
    )


def networks_by_id() -> dict[int, Network]:
    return {n.id: n for n in db.session.scalars(select(Network))}


def topic_clusters(period: Period, limits: Thresholds, user: User) -> list[Cluster]:
    """Topics of items created in ``period`` that reach both thresholds, strongest first."""
    companies = func.count(Item.company_id.distinct())
    networks = func.count(Item.reporting_network_id.distinct())
    counts = (
        select(
            item_topics.c.topic_id,
            func.count().label("n_items"),
            companies.label("n_companies"),
            networks.label("n_networks"),
        )
        .join(Item, Item.id == item_topics.c.item_id)
        .where(*in_period(period))
        .group_by(item_topics.c.topic_id)
        .having(companies >= limits.companies, networks >= limits.networks)
        .subquery()
    )
    stmt = (
        select(Topic, counts.c.n_items, counts.c.n_companies, counts.c.n_networks)
        .join(counts, counts.c.topic_id == Topic.id)
        .order_by(
            (counts.c.n_companies * counts.c.n_networks).desc(), counts.c.n_items.desc(), Topic.name
        )
        .limit(MAX_CLUSTERS)
    )
    clusters = [
        Cluster(str(t.id), t.name, n, c, w, topic=t) for t, n, c, w in db.session.execute(stmt)
    ]
    if clusters:
        _add_topic_networks(clusters, period)
        _add_topic_examples(clusters, period, user)
    return clusters


def _add_topic_networks(clusters: list[Cluster], period: Period) -> None:
    # Every topic of the period is counted (a dozen rows per network): filtering by topic
    # would make the database walk each topic's whole history instead of the period.
    by_id = {int(c.key): c for c in clusters}
    count = func.count()
    stmt = (
        select(item_topics.c.topic_id, Item.reporting_network_id, count)
        .join(Item, Item.id == item_topics.c.item_id)
        .where(*in_period(period))
        .group_by(item_topics.c.topic_id, Item.reporting_network_id)
    )
    networks = networks_by_id()
    for topic_id, network_id, n in db.session.execute(stmt):
        if topic_id in by_id and network_id in networks:
            by_id[topic_id].by_network.append((networks[network_id], n))
    for cluster in clusters:
        cluster.by_network.sort(key=lambda pair: (-pair[1], pair[0].short_name))


def _newest(topic_id: int, period: Period):
    """The newest items of one topic in the period (walks the period backwards, stops early)."""
    tagged = (
        select(item_topics.c.item_id)
        .where(item_topics.c.item_id == Item.id, item_topics.c.topic_id == topic_id)
        .exists()
    )
    return (
        select(literal(topic_id).label("topic_id"), Item.id.label("item_id"))
        .where(*in_period(period), tagged)
        .order_by(Item.created_at.desc(), Item.id.desc())
        .limit(EXAMPLES)
        .subquery()
    )


def _add_topic_examples(clusters: list[Cluster], period: Period, user: User) -> None:
    picks = union_all(*[select(_newest(int(c.key), period)) for c in clusters]).subquery()
    stmt = select(picks.c.topic_id, *_example_columns(user)).join(Item, Item.id == picks.c.item_id)
    stmt = stmt.join(Network, Network.id == Item.reporting_network_id).join(
        Company, Company.id == Item.company_id
    )
    by_id = {int(c.key): c for c in clusters}
    for topic_id, *row in db.session.execute(
        stmt.order_by(picks.c.topic_id, Item.created_at.desc(), Item.id.desc())
    ):
        by_id[topic_id].examples.append(_example(row))


def add_examples(clusters: list[Cluster], picks: dict[str, list[int]], user: User) -> None:
    """Load the items picked for each cluster with one query, in the order picked."""
    wanted = {item_id for ids in picks.values() for item_id in ids}
    if not wanted:
        return
    stmt = (
        select(*_example_columns(user))
        .join(Network, Network.id == Item.reporting_network_id)
        .join(Company, Company.id == Item.company_id)
        .where(Item.id.in_(wanted))
    )
    rows = {row[0]: _example(row) for row in db.session.execute(stmt)}
    for cluster in clusters:
        cluster.examples = [rows[i] for i in picks.get(cluster.key, []) if i in rows]
