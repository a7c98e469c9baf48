"""The quarterly report for funders, per network or for the whole initiative: the figures
and the items behind them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import noload

from tracker.auth.models import User
from tracker.db import db
from tracker.items.models import Item, ItemKind
from tracker.items.permissions import can_view
from tracker.networks.models import Network
from tracker.networks.services import all_networks
from tracker.ranges import DATE_MAX, DATE_MIN
from tracker.reports.register import local_zone, topic_names

QUARTER_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")
SECONDS_PER_DAY = 86400


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str | None) -> Quarter | None:
        """Read ``2026-Q3``; anything else, or a year outside the app's dates, gives None."""
        match = QUARTER_PATTERN.match(text or "")
        if not match or not DATE_MIN.year <= int(match[1]) <= DATE_MAX.year:
            return None
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def shifted(self, quarters: int) -> Quarter:
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def previous(self) -> Quarter:
        return self.shifted(-1)

    def next(self) -> Quarter:
        return self.shifted(1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """Start (inclusive) and end (exclusive) as aware times at local midnight."""
        return (
            datetime.combine(self.first_day, time(), tzinfo=zone),
            datetime.combine(self.next().first_day, time(), tzinfo=zone),
        )

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def last_complete_quarter(today: date) -> Quarter:
    return Quarter.of(today).previous()


def recent_quarters(today: date, count: int = 12) -> list[Quarter]:
    """The running quarter and the ones before it, newest first."""
    quarters = [Quarter.of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


@dataclass
class Tally:
    """Received and closed items of one kind or one topic."""

    label: str
    received: int = 0
    closed: int = 0

    def add(self, row: ReportItem) -> None:
        self.received += row.received
        self.closed += row.closed


@dataclass
class ReportItem:
    item: Item
    topics: list[str]
    visible: bool
    received: bool
    handed_off: bool
    accepted: bool
    closed: bool

    @property
    def days_to_acceptance(self) -> float | None:
        return _days(self.item.created_at, self.item.accepted_at)

    @property
    def days_to_closing(self) -> float | None:
        return _days(self.item.created_at, self.item.closed_at)


@dataclass
class NetworkReport:
    """The figures of one network, or of the whole initiative when ``network`` is None."""

    network: Network | None
    quarter: Quarter
    without_imported: bool = False  # items imported from a register's file left out
    items: list[ReportItem] = field(default_factory=list)
    by_kind: list[Tally] = field(default_factory=list)
    by_topic: list[Tally] = field(default_factory=list)

    @property
    def received(self) -> int:
        return sum(r.received for r in self.items)

    @property
    def closed(self) -> int:
        return sum(r.closed for r in self.items)

    @property
    def accepted(self) -> int:
        return sum(r.accepted for r in self.items)

    @property
    def handed_off(self) -> int:
        return sum(r.handed_off for r in self.items)

    @property
    def handed_off_share(self) -> float | None:
        return self.handed_off / self.received if self.received else None

    @property
    def median_days_to_acceptance(self) -> float | None:
        return _median([r.days_to_acceptance for r in self.items if r.accepted])

    @property
    def median_days_to_closing(self) -> float | None:
        return _median([r.days_to_closing for r in self.items if r.closed])


def _days(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0) / SECONDS_PER_DAY


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(median(known), 1) if known else None


def _within(value: datetime | None, start: datetime, end: datetime) -> bool:
    return value is not None and start <= value < end


def _report_item(
    item: Item, topics: list[str], network_id: int | None, bounds, user: User
) -> ReportItem:
    """How ``item`` counts for one network, or for the initiative (``network_id`` None).

    For the initiative every network is "ours": an item counts where it counts for its own
    reporting and responsible networks, so the networks' figures add up to the initiative's.
    """

    def ours(value: int | None) -> bool:
        return value is not None if network_id is None else value == network_id

    received = ours(item.reporting_network_id) and _within(item.created_at, *bounds)
    responsible = ours(item.responsible_network_id)
    return ReportItem(
        item=item,
        topics=topics,
        visible=can_view(user, item),
        received=received,
        handed_off=received
        and item.responsible_network_id not in (None, item.reporting_network_id),
        accepted=responsible and _within(item.accepted_at, *bounds),
        closed=responsible and _within(item.closed_at, *bounds),
    )


def _statement(network_id: int | None, start: datetime, end: datetime, without_imported=False):
    """Items that count for the network (for any network when ``network_id`` is None)."""

    def between(column):
        return and_(column >= start, column < end)

    def ours(column):
        return column.is_not(None) if network_id is None else column == network_id

    stmt = select(Item).where(
        or_(
            and_(ours(Item.reporting_network_id), between(Item.created_at)),
            and_(
                ours(Item.responsible_network_id),
                or_(between(Item.accepted_at), between(Item.closed_at)),
            ),
        )
    )
    return stmt.where(Item.import_key.is_(None)) if without_imported else stmt


def _tallies(report: NetworkReport, no_topic: str) -> None:
    kinds = {kind: Tally(kind.label) for kind in ItemKind}
    topics: dict[str, Tally] = {}
    for row in report.items:
        kinds[row.item.kind].add(row)
        for name in row.topics or [no_topic]:
            topics.setdefault(name, Tally(name)).add(row)
    report.by_kind = list(kinds.values())
    report.by_topic = sorted(
        (t for t in topics.values() if t.received or t.closed),
        key=lambda t: (t.label == no_topic, -(t.received + t.closed), t.label.casefold()),
    )


def _items(
    network_id: int | None, bounds, without_imported: bool
) -> tuple[list[Item], dict[int, list[str]]]:
    """The items that count and their topic names, in two queries."""
    stmt = _statement(network_id, *bounds, without_imported)
    topics = topic_names(stmt.with_only_columns(Item.id))
    items = db.session.scalars(
        stmt.options(noload(Item.topics)).order_by(Item.created_at, Item.id)
    ).all()
    return list(items), topics


def _report(
    network: Network | None,
    quarter: Quarter,
    items,
    topics,
    bounds,
    user: User,
    no_topic: str,
    without_imported: bool = False,
) -> NetworkReport:
    network_id = network.id if network else None
    report = NetworkReport(network=network, quarter=quarter, without_imported=without_imported)
    rows = (_report_item(item, topics.get(item.id, []), network_id, bounds, user) for item in items)
    report.items = [row for row in rows if row.received or row.accepted or row.closed]
    _tallies(report, no_topic)
    return report


def network_report(
    network: Network, quarter: Quarter, user: User, no_topic: str, *, without_imported=False
) -> NetworkReport:
    """Received and closed items, times to acceptance and closing, share handed off."""
    bounds = quarter.bounds(local_zone())
    items, topics = _items(network.id, bounds, without_imported)
    return _report(network, quarter, items, topics, bounds, user, no_topic, without_imported)


@dataclass
class InitiativeReport:
    """The figures of all networks together, and of each network for the side-by-side table."""

    quarter: Quarter
    total: NetworkReport
    networks: list[NetworkReport]


def initiative_report(
    quarter: Quarter, user: User, no_topic: str, *, without_imported=False
) -> InitiativeReport:
    """The whole initiative's figures and every network's, from the same items (3 queries)."""
    bounds = quarter.bounds(local_zone())
    items, topics = _items(None, bounds, without_imported)
    per_network: dict[int, list[Item]] = {}
    for item in items:
        for network_id in {item.reporting_network_id, item.responsible_network_id} - {None}:
            per_network.setdefault(network_id, []).append(item)
    shown = (topics, bounds, user, no_topic, without_imported)
    networks = [_report(n, quarter, per_network.get(n.id, []), *shown) for n in all_networks()]
    total = _report(None, quarter, items, *shown)
    return InitiativeReport(quarter=quarter, total=total, networks=networks)
