"""Each main page runs a fixed number of SQL statements, whatever the size of the data.

The demo seeder fills the database twice, with 10 and with 1,000 items; each page is
requested at both sizes by a logged-in manager, counting the statements the request
sends ("before_cursor_execute" on the engine, listened to only during the request). The
item, company, network and meeting shown are picked by the same rule at both sizes, and
the same extra records are added at both, so that every list on a page has rows.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from conftest import _dispose, _empty_tables, _make_app
from sqlalchemy import event, func, select

from tracker import clock
from tracker.auth.models import User, UserRole
from tracker.db import db
from tracker.demo.data import DEMO_PASSWORD
from tracker.demo.seed import SeedOptions, seed_demo
from tracker.items.models import Activity, Item, ItemKind, ItemStatus
from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus, Task

pytestmark = pytest.mark.slow

SMALL = SeedOptions(items=10, companies=4, meetings=3, seed=7)
LARGE = SeedOptions(items=1_000, companies=100, meetings=30, seed=7)
COMMON_WORD = "Bereich"  # in the description of every demo item


@dataclass(frozen=True)
class Targets:
    """What the pages show, picked by the same rules at both sizes."""

    network_id: int
    item_id: int
    company_id: int
    meeting_id: int


PAGES: dict[str, Callable[[Targets], str]] = {
    "start page": lambda t: "/",
    "overview": lambda t: "/overview",
    # A year and thresholds of one, so that 10 items give clusters too.
    "demand clusters": lambda t: "/overview/clusters?days=365&companies=1&networks=1",
    "register": lambda t: "/items/",
    "register, filtered": lambda t: f"/items/?status=open&responsible={t.network_id}&kind=need",
    "register, text": lambda t: f"/items/?q={COMMON_WORD}",
    "item": lambda t: f"/items/{t.item_id}",
    "company": lambda t: f"/companies/{t.company_id}",
    "network": lambda t: f"/networks/{t.network_id}",
    "meetings": lambda t: "/meetings/",
    "agenda": lambda t: f"/meetings/{t.meeting_id}",
    "live page": lambda t: f"/meetings/{t.meeting_id}/live",
    "live fragment": lambda t: f"/meetings/{t.meeting_id}/live/fragment",
    "my tasks": lambda t: "/meetings/tasks",
    "search": lambda t: f"/search/?q={COMMON_WORD}",
}

# Pages whose count grows with the data: the cause, so that the test fails loudly once fixed.
GROWING: dict[str, str] = {}


@contextmanager
def counted(engine):
    """Collect the SQL statements sent to ``engine`` inside the block."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _manager() -> User:
    """The manager of the first network (by id) with the lowest id."""
    return db.session.scalars(
        select(User)
        .where(User.role == UserRole.MANAGER, User.active)
        .order_by(User.network_id, User.id)
    ).first()


def _longest_timeline() -> int:
    """The visible item with the most activities, an assignee and a contact (ties: the oldest)."""
    per_item = (
        select(Activity.item_id, func.count().label("n"))
        .join(Item, Item.id == Activity.item_id)
        .where(
            Item.confidential.is_(False),
            Item.assignee_id.is_not(None),
            Item.contact_id.is_not(None),
        )
        .group_by(Activity.item_id)
        .order_by(func.count().desc(), Activity.item_id)
        .limit(1)
    )
    return db.session.execute(per_item).first()[0]


def _busiest_company() -> int:
    """The company with the most items (ties: the oldest)."""
    stmt = (
        select(Item.company_id)
        .group_by(Item.company_id)
        .order_by(func.count().desc(), Item.company_id)
        .limit(1)
    )
    return db.session.scalar(stmt)


def _next_meeting() -> int:
    stmt = select(Meeting.id).where(Meeting.status == MeetingStatus.PLANNED)
    return db.session.scalar(stmt.order_by(Meeting.starts_at).limit(1))


def _pick(user: User) -> Targets:
    return Targets(
        network_id=user.network_id,
        item_id=_longest_timeline(),
        company_id=_busiest_company(),
        meeting_id=_next_meeting(),
    )


def _top_up(user: User, targets: Targets, tasks: int) -> None:
    """Give the manager rows in every list of the start page, and ``tasks`` open tasks."""
    entries = db.session.scalars(
        select(AgendaEntry)
        .where(AgendaEntry.meeting_id == targets.meeting_id, AgendaEntry.item_id.is_not(None))
        .order_by(AgendaEntry.position)
        .limit(tasks)
    )
    for entry in entries:
        db.session.add(
            Task(
                meeting_id=targets.meeting_id,
                entry=entry,
                item_id=entry.item_id,
                title="Rückmeldung an das Unternehmen",
                owner=user,
                created_by_id=user.id,
            )
        )
    candidates = select(Item).where(Item.confidential.is_(False), Item.id != targets.item_id)
    mine = db.session.scalars(candidates.order_by(Item.id).limit(2)).all()
    for item, status in zip(mine, (ItemStatus.ASSIGNED, ItemStatus.IN_PROGRESS), strict=True):
        item.status = status
        item.kind = ItemKind.NEED
        item.responsible_network_id = user.network_id
        item.assignee_id = user.id if status is ItemStatus.IN_PROGRESS else None
        item.follow_up_date = clock.today() - timedelta(days=1)  # overdue


def _content(user: User, targets: Targets) -> dict[str, int]:
    """How many rows the lists on the measured pages have."""
    count = {
        "timeline": select(Activity).where(Activity.item_id == targets.item_id),
        "agenda": select(AgendaEntry).where(AgendaEntry.meeting_id == targets.meeting_id),
        "company items": select(Item).where(Item.company_id == targets.company_id),
        "open tasks": select(Task).where(Task.owner_id == user.id, Task.done_at.is_(None)),
    }
    return {
        name: db.session.scalar(select(func.count()).select_from(stmt.subquery()))
        for name, stmt in count.items()
    }


@dataclass
class Measured:
    statements: dict[str, tuple[int, int]]  # per page: status and number of statements
    content: dict[str, int]


def _seed(options: SeedOptions) -> tuple[str, Targets, dict[str, int]]:
    seed_demo(options)
    db.session.commit()
    user = _manager()
    targets = _pick(user)
    _top_up(user, targets, tasks=max(1, options.items // 100))
    db.session.commit()
    return user.email, targets, _content(user, targets)


def _requests(app, email: str, targets: Targets) -> dict[str, tuple[int, int]]:
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    login = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert login.status_code == 302
    found = {}
    for name, path in PAGES.items():
        client.get(path(targets))  # a first request may fill other caches
        with counted(engine) as statements:
            response = client.get(path(targets))
        found[name] = (response.status_code, len(statements))
    return found


def _measure(options: SeedOptions, database_url, instance) -> Measured:
    """Seed, log in as the manager, and count each page's statements (one app context each)."""
    # Without the fragment cache: a hit would hide every statement of rendering.
    app = _make_app(database_url, instance, FRAGMENT_CACHE_SECONDS=0)
    try:
        with app.app_context():
            email, targets, content = _seed(options)
        return Measured(_requests(app, email, targets), content)
    finally:
        with app.app_context():
            db.session.rollback()
            _empty_tables()
        _dispose(app)


@pytest.fixture(scope="module")
def measured(database_url, tmp_path_factory) -> dict[int, Measured]:
    """Statement counts per page with 10 and with 1,000 items."""
    return {
        size.items: _measure(size, database_url, tmp_path_factory.mktemp("instance"))
        for size in (SMALL, LARGE)
    }


def test_larger_data_has_longer_lists(measured):
    small, large = measured[SMALL.items].content, measured[LARGE.items].content
    assert all(small[name] >= 1 for name in small), small
    for name in large:
        assert large[name] > small[name], (name, small, large)


def _case(name: str):
    if name in GROWING:
        return pytest.param(name, marks=pytest.mark.xfail(reason=GROWING[name], strict=True))
    return name


@pytest.mark.parametrize("page", [_case(name) for name in PAGES])
def test_page_runs_fixed_number_of_queries(measured, page):
    small = measured[SMALL.items].statements[page]
    large = measured[LARGE.items].statements[page]
    assert small[0] == large[0] == 200
    assert small[1] == large[1], (
        f"{page}: {small[1]} statements with 10 items, {large[1]} with 1,000"
    )
