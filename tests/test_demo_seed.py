"""The demo data seeder: sizes, reproducibility, consistency of the register, ``demo ensure``."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tracker.auth.models import User, UserRole
from tracker.companies.models import Company
from tracker.db import db
from tracker.demo import data, records
from tracker.demo.seed import demo_managers
from tracker.items.models import (
    Activity,
    ActivityKind,
    Item,
    ItemKind,
    ItemStatus,
    ReferenceCounter,
)
from tracker.networks.models import Network
from tracker.search.services import item_match
from tracker.topics.models import Topic

TODAY = "2026-11-23"
# The data set is seeded on the morning of its anchor date, after its last event (07:00).
pytestmark = pytest.mark.time_machine(datetime.fromisoformat("2026-11-23T08:00:00+01:00"))


def seed(runner, *args: str):
    result = runner.invoke(args=["demo", "seed", "--today", TODAY, *args])
    assert result.exit_code == 0, result.output
    return result


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.expunge_all()


def snapshot() -> tuple[list, list]:
    items = (
        db.session.execute(
            select(
                Item.reference, Item.title, Item.status, Item.kind, Company.name, Item.created_at
            )
            .join(Company, Item.company_id == Company.id)
            .order_by(Item.id)
        )
        .tuples()
        .all()
    )
    return items, db.session.scalars(select(Company.name).order_by(Company.id)).all()


@pytest.fixture
def items(runner) -> list[Item]:
    """The default demo data set of 150 items."""
    seed(runner)
    return db.session.scalars(select(Item).order_by(Item.id)).all()


def test_seed_creates_requested_counts(runner):
    result = seed(runner, "--items", "40", "--companies", "12")
    assert "Seeded 40 items, 12 companies" in result.output
    assert (count(Item), count(Company), count(Network), count(Topic)) == (40, 12, 19, 12)
    assert count(User) == 2 + 10 * 1 + 9 * 2  # alternately one or two managers per network


def test_seed_with_same_seed_and_date_repeats_data(runner):
    seed(runner, "--items", "60", "--companies", "15", "--seed", "7")
    first = snapshot()
    empty_tables()
    seed(runner, "--items", "60", "--companies", "15", "--seed", "7")
    assert snapshot() == first


def test_seed_with_other_seed_gives_other_data(runner):
    seed(runner, "--items", "30", "--companies", "10", "--seed", "1")
    first = snapshot()
    empty_tables()
    seed(runner, "--items", "30", "--companies", "10", "--seed", "2")
    second = snapshot()
    assert [row[1] for row in second[0]] != [row[1] for row in first[0]]
    assert second[1] != first[1]


def test_default_data_set_has_every_status_and_kind(items):
    assert {item.status for item in items} == set(ItemStatus)
    assert {item.kind for item in items} == set(ItemKind)
    kinds = set(db.session.scalars(select(Activity.kind).distinct()))
    assert {
        ActivityKind.CREATED,
        ActivityKind.HANDOFF,
        ActivityKind.ACCEPTED,
        ActivityKind.STATUS,
        ActivityKind.CHANGE,
        ActivityKind.COMMENT,
    } <= kinds
    assert 0 < sum(item.confidential for item in items) < 20


def test_references_are_sequential_per_year_with_matching_counter(items):
    numbers = defaultdict(list)
    for item in items:
        year, number = item.reference.split("-")
        numbers[int(year)].append(int(number))
    assert all(values == list(range(1, len(values) + 1)) for values in numbers.values())
    counters = dict(
        db.session.execute(select(ReferenceCounter.year, ReferenceCounter.last_value))
        .tuples()
        .all()
    )
    assert counters == {year: len(values) for year, values in numbers.items()}
    assert [i.created_at for i in items] == sorted(i.created_at for i in items)


def test_open_items_have_follow_up_dates_some_overdue(items):
    open_items = [item for item in items if item.is_open]
    assert all(item.follow_up_date for item in open_items)
    today = date.fromisoformat(TODAY)
    assert any(item.is_overdue(today) for item in open_items)
    assert not all(item.is_overdue(today) for item in open_items)


def test_lifecycle_fields_match_status(items):
    for item in items:
        if item.status is ItemStatus.NEW:
            assert item.responsible_network_id is None and item.accepted_at is None
        if item.status is ItemStatus.ASSIGNED:
            assert item.responsible_network_id is not None
            assert item.accepted_at is None and item.assignee_id is None
        if item.status in (ItemStatus.IN_PROGRESS, ItemStatus.WAITING, ItemStatus.DONE):
            assert item.accepted_at is not None and item.responsible_network_id is not None
        assert (item.closed_at is not None) == (not item.is_open)
        assert bool(item.resolution_note) == (not item.is_open)


def test_versions_and_times_follow_the_timeline(items):
    for item in items:
        timeline = item.activities
        assert timeline[0].kind is ActivityKind.CREATED and timeline[0].new_value == "new"
        assert timeline[0].item_version == 1
        assert max(a.item_version for a in timeline) == item.version
        times = [a.created_at for a in timeline]
        assert times == sorted(times) and times[0] == item.created_at
        assert times[-1] < datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 in Berlin


def test_managers_belong_to_networks_and_assignees_to_responsible_ones(items):
    managers = db.session.scalars(select(User).where(User.role == UserRole.MANAGER)).all()
    assert all(user.network_id is not None for user in managers)
    assert {user.network_id for user in managers} == set(db.session.scalars(select(Network.id)))
    for item in items:
        if item.assignee is not None:
            assert item.assignee.network_id == item.responsible_network_id


def test_seeded_records_are_in_the_search_index(runner):
    seed(runner, "--items", "20", "--companies", "5")
    item = db.session.scalars(select(Item).order_by(Item.id.desc()).limit(1)).one()
    found = db.session.scalars(select(Item.id).where(item_match(item.title))).all()
    assert item.id in found


def test_large_data_sets_get_three_managers_per_network():
    networks = [{"id": n} for n in range(1, 20)]
    rows = records.user_rows(random.Random(1), networks, 1, 3 * 19, "hash", datetime.now(UTC))
    assert len(rows) == 2 + 19 * 3
    assert len({row["email"] for row in rows}) == len(rows)
    assert Counter(row["network_id"] for row in rows[2:]) == {n: 3 for n in range(1, 20)}


def test_managers_spread_evenly_first_networks_take_the_rest():
    assert records.managers_per_network(19, 58) == [4] + [3] * 18
    assert records.managers_per_network(4, 10) == [3, 3, 2, 2]
    assert records.managers_per_network(3, None) == [1, 2, 1]


def test_seed_with_users_gives_that_many(runner):
    seed(runner, "--items", "20", "--companies", "5", "--users", "60")
    roles = Counter(db.session.scalars(select(User.role)))
    assert roles == {UserRole.ADMIN: 1, UserRole.OBSERVER: 1, UserRole.MANAGER: 58}
    per_network = Counter(
        db.session.scalars(select(User.network_id).where(User.network_id.is_not(None)))
    )
    assert len(per_network) == 19 and set(per_network.values()) == {3, 4}


def test_seed_refuses_fewer_users_than_networks_need(runner):
    result = runner.invoke(args=["demo", "seed", "--items", "5", "--users", "20"])
    assert result.exit_code != 0 and "21" in result.output
    assert count(User) == 0


def test_new_records_continue_after_seeded_ids(runner, make_item, today):
    seed(runner, "--items", "20", "--companies", "5")
    last_id = db.session.scalar(select(func.max(Item.id)))
    counter = db.session.get(ReferenceCounter, today.year)
    expected = (counter.last_value if counter else 0) + 1
    item = make_item()
    assert item.id == last_id + 1
    assert item.reference == f"{today.year}-{expected:04d}"


def test_seed_refuses_database_with_networks(runner, make_network):
    make_network()
    result = runner.invoke(args=["demo", "seed", "--items", "5"])
    assert result.exit_code == 1
    assert "only loaded into an empty database" in result.output
    assert count(Item) == 0


def test_seed_creates_held_meetings_and_the_next_agenda(runner):
    from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus
    from tracker.meetings.services import upcoming

    result = seed(runner, "--items", "300", "--companies", "20", "--meetings", "3")
    assert result.exit_code == 0, result.output
    meetings = db.session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
    assert len(meetings) == 4 and meetings[-1].status is MeetingStatus.PLANNED
    assert {m.status for m in meetings[:-1]} <= {MeetingStatus.CLOSED, MeetingStatus.CANCELLED}
    assert upcoming(meetings[-1].series).id == meetings[-1].id
    entries = db.session.scalars(select(AgendaEntry).filter_by(meeting_id=meetings[-1].id)).all()
    assert 0 < len([e for e in entries if e.item_id]) <= 100  # what the rules find, at most 100


def test_ensure_seeds_empty_database_and_prints_logins(runner):
    result = runner.invoke(args=["demo", "ensure"])
    assert result.exit_code == 0, result.output
    assert "==== DEMO DATA (not for production) ====" in result.output
    assert f"{data.ADMIN_EMAIL} / {data.DEMO_PASSWORD}" in result.output
    assert demo_managers()[0][0] in result.output
    assert count(Item) == 150


def test_ensure_does_not_seed_again(runner):
    seed(runner, "--items", "5", "--companies", "2")
    result = runner.invoke(args=["demo", "ensure"])
    assert result.exit_code == 0
    assert "not loaded: the database is not empty" in result.output
    assert "DEMO DATA" in result.output
    assert count(Item) == 5


def test_ensure_prints_no_logins_for_a_real_database(runner, make_user):
    make_user("admin")
    result = runner.invoke(args=["demo", "ensure"])
    assert result.exit_code == 0
    assert "not empty" in result.output and "DEMO DATA" not in result.output
    assert count(Item) == 0


@pytest.mark.parametrize("role", ["admin", "observer", "manager"])
def test_demo_users_log_in_with_demo_password(runner, client, role):
    seed(runner, "--items", "0", "--companies", "1")
    email = {"admin": data.ADMIN_EMAIL, "observer": data.OBSERVER_EMAIL}.get(role)
    response = client.post(
        "/login", data={"email": email or demo_managers()[0][0], "password": data.DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_demo_agenda_reasons_agree_with_the_history(runner):
    from tracker.meetings.models import AgendaEntry, EntryReason, Meeting, MeetingStatus

    seed(runner, "--items", "300", "--companies", "20", "--meetings", "6")
    held = db.session.scalars(
        select(Meeting.starts_at).where(Meeting.status == MeetingStatus.CLOSED)
    ).all()
    rows = db.session.execute(
        select(AgendaEntry, Item, Meeting.starts_at)
        .join(Item, AgendaEntry.item_id == Item.id)
        .join(Meeting, AgendaEntry.meeting_id == Meeting.id)
    ).all()
    assert any(entry.carry_over_count for entry, _item, _start in rows)
    for entry, item, start in rows:
        before = [s for s in held if item.created_at < s < start]
        assert entry.carry_over_count <= len(before), (item.reference, entry.carry_over_count)
        if entry.reason is EntryReason.HANDOFF:
            assert item.status is ItemStatus.ASSIGNED, item.reference


def test_demo_next_agenda_names_the_rule_each_item_meets(runner):
    from tracker.meetings.models import AgendaEntry, EntryReason, Meeting, MeetingStatus

    seed(runner, "--items", "300", "--companies", "20", "--meetings", "6")
    meeting = db.session.scalar(select(Meeting).filter_by(status=MeetingStatus.PLANNED))
    entries = db.session.scalars(
        select(AgendaEntry).filter_by(meeting_id=meeting.id).where(AgendaEntry.item_id.isnot(None))
    ).all()
    reasons = Counter(entry.reason for entry in entries)
    assert EntryReason.CARRY_OVER in reasons and EntryReason.NEW in reasons
    assert any(entry.last_discussed_on for entry in entries)
    for entry in entries:
        if entry.reason is EntryReason.FOLLOW_UP:
            assert entry.item.follow_up_date <= meeting.starts_at.date()
        in_progress = entry.item.status is ItemStatus.IN_PROGRESS
        assert not (in_progress and entry.reason is EntryReason.HANDOFF), entry.item.reference
