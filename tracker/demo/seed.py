"""Fill an empty database with a reproducible demo data set, by bulk inserts (DESIGN.md 9).

The same seed and anchor date give the same content. Ids are counted on from the largest
ones in the tables, so that topics, timelines and references need no reading back.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, update

from tracker import clock as app_clock
from tracker.auth.models import User, UserRole
from tracker.auth.services import hash_password
from tracker.companies.models import Company, Contact
from tracker.db import db
from tracker.demo import data, records
from tracker.demo.bulk import BATCH, insert_rows, sync_sequences
from tracker.demo.bulk_load import bulk_load
from tracker.demo.clock import Clock
from tracker.demo.items import ItemBuilder, Shares, World, drafts
from tracker.demo.meetings import seed_meetings
from tracker.items.models import Activity, Item, ReferenceCounter, item_topics
from tracker.networks.models import Network
from tracker.topics.models import Topic

LARGE = 10_000  # from this many items on, every network has three managers
FIXED_USERS = 2  # the admin and the observer; the other users are managers
_ID_TABLES = (Network, User, Topic, Company, Contact, Item, Activity)


@dataclass(frozen=True)
class SeedOptions:
    items: int = 150
    companies: int = 40
    seed: int = 1
    meetings: int = 0
    today: date | None = None  # the anchor date; default today in the initiative's zone
    users: int | None = None  # all users; default three managers a network from LARGE items on


def has_data() -> bool:
    """Return whether networks or users exist, which the demo data would clash with."""
    return any(
        db.session.scalar(select(model.id).limit(1)) is not None for model in (Network, User)
    )


def demo_admin_exists() -> bool:
    """Return whether the demo coordination-office login exists."""
    return db.session.scalar(select(User.id).where(User.email == data.ADMIN_EMAIL)) is not None


def demo_managers(limit: int = 3) -> list[tuple[str, str]]:
    """Return e-mail and network of the first demo managers in roll-call order."""
    rows = db.session.execute(
        select(User.email, Network.short_name)
        .join(Network, User.network_id == Network.id)
        .where(User.role == UserRole.MANAGER, User.email.endswith("@" + data.DEMO_DOMAIN))
        .order_by(Network.roll_call_position, User.id)
        .limit(limit)
    )
    return [(email, network) for email, network in rows]


def min_users() -> int:
    """The fewest users a data set can have: the admin, the observer, a manager a network."""
    return FIXED_USERS + len(data.NETWORKS)


def _managers(options: SeedOptions, networks: int) -> int | None:
    if options.users is not None:
        return options.users - FIXED_USERS
    return 3 * networks if options.items >= LARGE else None


def seed_demo(options: SeedOptions) -> dict[str, int]:
    """Insert demo networks, users, topics, companies, contacts and items; the caller commits.

    Return the number of rows per kind of record.
    """
    with bulk_load():
        return _seed_demo(options)


def _seed_demo(options: SeedOptions) -> dict[str, int]:
    clock = Clock(options.today or app_clock.today(), app_clock.app_zone())

    def rng(part: str) -> random.Random:
        return random.Random(f"{options.seed}:{part}")

    ids = _next_ids()
    founded = clock.limit - timedelta(days=420)
    networks = records.network_rows(ids[Network], founded)
    users = records.user_rows(
        rng("users"),
        networks,
        ids[User],
        _managers(options, len(networks)),
        hash_password(data.DEMO_PASSWORD),
        founded,
    )
    topic_ids, topics = _topics(ids[Topic])
    companies = records.company_rows(
        rng("companies"),
        options.companies,
        ids[Company],
        _company_keys(),
        clock.limit - timedelta(days=366),
    )
    contacts = records.contact_rows(rng("contacts"), companies, ids[Contact])
    for model, rows in (
        (Network, networks),
        (User, users),
        (Topic, topics),
        (Company, companies),
        (Contact, contacts),
    ):
        insert_rows(model.__table__, rows)
    counts = {
        "networks": len(networks),
        "users": len(users),
        "topics": len(topics),
        "companies": len(companies),
        "contacts": len(contacts),
    }
    world = _world(networks, users, topic_ids, companies, contacts)
    counts |= _seed_items(rng("items"), world, clock, options.items, ids)
    sync_sequences(model.__table__ for model in _ID_TABLES)
    counts |= seed_meetings(rng("meetings"), clock, options.meetings)
    return counts


def _world(
    networks: list[dict],
    users: list[dict],
    topic_ids: dict[str, int],
    companies: list[dict],
    contacts: list[dict],
) -> World:
    managers: dict[int, list[dict]] = defaultdict(list)
    for user in users:
        if user["role"] is UserRole.MANAGER:
            managers[user["network_id"]].append(user)
    by_company: dict[int, list[dict]] = defaultdict(list)
    for contact in contacts:
        by_company[contact["company_id"]].append(contact)
    return World(
        networks=Shares(networks, [spec.activity for spec in data.NETWORKS]),
        managers=dict(managers),
        admin=next(u for u in users if u["role"] is UserRole.ADMIN),
        topic_ids=topic_ids,
        topics=Shares.of(data.TOPICS),
        companies=companies,
        contacts=dict(by_company),
    )


def _seed_items(
    rng: random.Random, world: World, clock: Clock, count: int, ids: dict[type, int]
) -> dict[str, int]:
    """Insert ``count`` items in creation order, numbered per year, in batches."""
    if count and not world.companies:
        raise ValueError("items need at least one company")
    plan = drafts(rng, count, clock)
    stored = dict(
        db.session.execute(select(ReferenceCounter.year, ReferenceCounter.last_value))
        .tuples()
        .all()
    )
    counters = dict(stored)
    builder = ItemBuilder(rng, world, clock, ids[Item], ids[Activity])
    totals = {"items": 0, "item_topics": 0, "activities": 0}
    for start in range(0, len(plan), BATCH):
        for draft in plan[start : start + BATCH]:
            year = clock.local_date(draft.created_at).year
            counters[year] = counters.get(year, 0) + 1
            builder.build(draft, f"{year}-{counters[year]:04d}")
        for name, table, rows in zip(
            totals, (Item.__table__, item_topics, Activity.__table__), builder.take(), strict=True
        ):
            insert_rows(table, rows)
            totals[name] += len(rows)
    _save_counters(stored, counters)
    return totals


def _save_counters(stored: dict[int, int], counters: dict[int, int]) -> None:
    """Store the last reference number of each year that got items."""
    new = [{"year": y, "last_value": v} for y, v in sorted(counters.items()) if y not in stored]
    insert_rows(ReferenceCounter.__table__, new)
    for year, value in sorted(counters.items()):
        if year in stored and value != stored[year]:
            db.session.execute(
                update(ReferenceCounter)
                .where(ReferenceCounter.year == year)
                .values(last_value=value)
            )


def _next_ids() -> dict[type, int]:
    return {model: (db.session.scalar(select(func.max(model.id))) or 0) + 1 for model in _ID_TABLES}


def _topics(start_id: int) -> tuple[dict[str, int], list[dict]]:
    """Return the ids of the demo topics, and rows for those that do not exist yet."""
    existing = dict(db.session.execute(select(Topic.name, Topic.id)).tuples().all())
    rows = [
        {"id": start_id + index, "name": name, "active": True, "version": 1}
        for index, name in enumerate(n for n in data.TOPICS if n not in existing)
    ]
    return existing | {row["name"]: row["id"] for row in rows}, rows


def _company_keys() -> set[str]:
    return set(db.session.scalars(select(Company.name_key)))
